"""Fitting the answerability model: topic-held-out cross-validation, cut-offs, `model.json`.

Needs scikit-learn (the `train` extra); the bot itself only reads the fitted JSON.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from itertools import product
from pathlib import Path

import numpy as np

from .dataset import TrainingSet, with_gaps
from .features import FEATURES
from .model import MODEL_FILE, Logistic

FOLDS = 5
C = 1.0  # inverse regularisation strength of both regressions
TARGETS = {"off_domain_declined": 0.95, "unanswerable_not_answered": 0.85, "in_scope_answered": 0.97}
GRID = np.round(np.arange(0.02, 0.98, 0.005), 3)
# Left out of the answerable-vs-related regression (fitted as constant zeros, so weight 0):
# every written unanswerable question names the subject and is short, unlike the enrichment's
# situational questions, so these would learn how the sets were written, not answerability
# (`subject_uncovered` is zero for a question that does not name the subject: it would learn it too).
NOT_FOR_ANSWERABLE = ("cue_subject", "length", "subject_uncovered")


def fit_logistic(x: np.ndarray, y: np.ndarray) -> Logistic:
    """A balanced, standardised logistic regression (deterministic lbfgs)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    scaler = StandardScaler().fit(x)
    scale = np.where(scaler.scale_ > 0, scaler.scale_, 1.0)
    reg = LogisticRegression(C=C, class_weight="balanced", max_iter=5000).fit((x - scaler.mean_) / scale, y)
    return Logistic(scaler.mean_.copy(), scale, reg.coef_[0].copy(), float(reg.intercept_[0]))


def fit_pair(x: np.ndarray, labels: np.ndarray) -> tuple[Logistic, Logistic]:
    """Answerable vs off-domain; answer vs related (in-domain rows only).

    The domain boundary is fitted between answerable and off-domain questions alone: an
    unanswerable in-domain question is rightly not answered on either side of it, so it
    would only blur the line that keeps answerable questions apart from off-domain ones.
    """
    apart = labels != "related"
    domain = fit_logistic(x[apart], (labels[apart] == "answer").astype(int))
    inside = labels != "decline"
    x_inside = x[inside].copy()
    x_inside[:, [FEATURES.index(name) for name in NOT_FOR_ANSWERABLE]] = 0.0
    return domain, fit_logistic(x_inside, (labels[inside] == "answer").astype(int))


def rates(
    labels: np.ndarray, p_domain: np.ndarray, p_answer: np.ndarray, asks_kind: np.ndarray, cut_d: float, cut_a: float
) -> dict[str, float]:
    """The three figures of the targets for given probabilities and cut-offs, by the bot's
    rule (`model.decide`: "related" needs a kind cue)."""
    declined = p_domain < cut_d
    answered = ~declined & ((p_answer >= cut_a) | ~asks_kind)
    return {
        "off_domain_declined": float(declined[labels == "decline"].mean()),
        "unanswerable_not_answered": float((~answered)[labels == "related"].mean()),
        "in_scope_answered": float(answered[labels == "answer"].mean()),
    }


def choose_cutoffs(
    labels: np.ndarray, p_domain: np.ndarray, p_answer: np.ndarray, asks_kind: np.ndarray
) -> tuple[float, float]:
    """The cut-offs that maximise the smallest margin over the three targets (ties: the
    lowest pair, i.e. the one that answers most)."""
    best, best_score = (0.5, 0.5), -np.inf
    for cut_d, cut_a in product(GRID, GRID):
        got = rates(labels, p_domain, p_answer, asks_kind, float(cut_d), float(cut_a))
        score = min(got[k] - t for k, t in TARGETS.items())
        if score > best_score + 1e-12:
            best, best_score = (float(cut_d), float(cut_a)), score
    return best


@dataclass
class Validation:
    """Out-of-fold probabilities from topic-held-out cross-validation."""

    p_domain: np.ndarray
    p_answer: np.ndarray


def cross_validate(ts: TrainingSet) -> Validation:
    """GroupKFold over topics: each fold's topics are unseen by its model and by its
    nearest-example features."""
    from sklearn.model_selection import GroupKFold

    labels = ts.labels
    p_domain = np.zeros(len(labels))
    p_answer = np.zeros(len(labels))
    for train, test in GroupKFold(n_splits=FOLDS).split(ts.x, labels, ts.groups):
        reference = train[labels[train] != "answer"]
        x = with_gaps(ts, reference)
        domain, answerable = fit_pair(x[train], labels[train])
        p_domain[test] = [domain.probability(row) for row in x[test]]
        p_answer[test] = [answerable.probability(row) for row in x[test]]
    return Validation(p_domain, p_answer)


def train(ts: TrainingSet, path: Path = MODEL_FILE) -> dict[str, object]:
    """Cross-validate, choose the cut-offs on the out-of-fold probabilities, fit on all, save."""
    labels = ts.labels
    cv = cross_validate(ts)
    cut_d, cut_a = choose_cutoffs(labels, cv.p_domain, cv.p_answer, ts.asks_kind)
    figures = rates(labels, cv.p_domain, cv.p_answer, ts.asks_kind, cut_d, cut_a)
    x = with_gaps(ts, np.flatnonzero(labels != "answer"))
    domain, answerable = fit_pair(x, labels)
    counts = {label: int((labels == label).sum()) for label in ("answer", "related", "decline")}
    topics = {label: len({g for g, lab in zip(ts.groups, labels, strict=True) if lab == label}) for label in counts}
    model = {
        "features": list(FEATURES),
        "domain": domain.to_dict(),
        "answerable": answerable.to_dict(),
        "domain_cutoff": cut_d,
        "answer_cutoff": cut_a,
        "training": {"examples": counts, "topics": topics, "folds": FOLDS, "C": C, "cv": figures},
    }
    path.write_text(json.dumps(model, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return model
