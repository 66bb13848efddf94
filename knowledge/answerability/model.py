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
    answerable by a provision. Below `domain_cutoff` → decline; below `answer_cutoff` → related."""

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

    def outcome(self, x: np.ndarray) -> tuple[Outcome, float, float]:
        """The outcome for a feature vector, with P(in domain) and P(answerable)."""
        p_domain = self.domain.probability(x)
        p_answer = self.answerable.probability(x)
        if p_domain < self.domain_cutoff:
            return "decline", p_domain, p_answer
        return ("answer" if p_answer >= self.answer_cutoff else "related"), p_domain, p_answer
