"""The fitted answerability model as data (`model.json`), applied with numpy alone."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np

MODEL_FILE = Path(__file__).resolve().parent / "model.json"
Outcome = Literal["answer", "related", "decline"]


@dataclass(frozen=True)
class Logistic:
    """A standardised logistic regression: P = sigmoid(w · (x - mean) / scale + b)."""

    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    bias: float

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Logistic:
        mean, scale, weights = (np.asarray(data[k], dtype=np.float64) for k in ("mean", "scale", "weights"))
        return cls(mean, scale, weights, float(data["bias"]))

    def to_dict(self) -> dict[str, Any]:
        rounded = {k: [round(float(v), 6) for v in getattr(self, k)] for k in ("mean", "scale", "weights")}
        return {**rounded, "bias": round(self.bias, 6)}

    def probability(self, x: np.ndarray) -> float:
        z = float(np.dot((x - self.mean) / self.scale, self.weights) + self.bias)
        return float(1.0 / (1.0 + np.exp(-z)))


@dataclass(frozen=True)
class AnswerabilityModel:
    """Two logistic regressions and their cut-offs: in the statutes' domain at all, and
    answerable by a provision. Below `domain_cutoff` → decline; below `answer_cutoff` → related,
    but only when the question asks for a kind of thing statutes cannot hold (an opinion, a
    statistic, a contact, news, history, a prediction, a judgment, a price: `asks_kind`).
    An in-domain question that asks for none of these asks what the law says, which is what a
    provision answers; a low answerability score alone then says the search was weak, not that
    the statutes are silent, so refusing it would refuse core questions phrased unusually."""

    features: tuple[str, ...]
    domain: Logistic
    answerable: Logistic
    domain_cutoff: float
    answer_cutoff: float

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> AnswerabilityModel:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            tuple(data["features"]),
            Logistic.from_dict(data["domain"]),
            Logistic.from_dict(data["answerable"]),
            float(data["domain_cutoff"]),
            float(data["answer_cutoff"]),
        )

    def outcome(self, x: np.ndarray, asks_kind: bool) -> tuple[Outcome, float, float]:
        """The outcome for a feature vector, with P(in domain) and P(answerable)."""
        p_domain = self.domain.probability(x)
        p_answer = self.answerable.probability(x)
        return decide(p_domain, p_answer, asks_kind, self.domain_cutoff, self.answer_cutoff), p_domain, p_answer


def decide(p_domain: float, p_answer: float, asks_kind: bool, domain_cutoff: float, answer_cutoff: float) -> Outcome:
    """The rule shared by the bot and the cross-validation (see `AnswerabilityModel`)."""
    if p_domain < domain_cutoff:
        return "decline"
    return "related" if asks_kind and p_answer < answer_cutoff else "answer"
