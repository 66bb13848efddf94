"""Reciprocal rank fusion: many ranked lists in, one ranking out (a pure function)."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import TypeVar

K = TypeVar("K", bound=Hashable)
RRF_K = 60


def rrf(
    rankings: Mapping[str, Sequence[K]], weights: Mapping[str, float], k: int = RRF_K
) -> list[tuple[K, float]]:
    """Fuse ranked lists: score(d) = Σ weight_list / (k + rank_list(d)), best first.

    Lists without a weight count with weight 1; ties keep the order of first appearance.
    """
    scores: dict[K, float] = {}
    for name, ranking in rankings.items():
        weight = weights.get(name, 1.0)
        for rank, key in enumerate(ranking, start=1):
            scores[key] = scores.get(key, 0.0) + weight / (k + rank)
    return sorted(scores.items(), key=lambda item: -item[1])
