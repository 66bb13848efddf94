"""Fusion of retrieval signals (pure functions).

`rrf` merges ranked lists by reciprocal rank; `blend` re-scores a candidate pool by a
weighted sum of scores, each list scaled to its maximum. Retrieval uses RRF to pick the
candidates and the blend to order them: on the dev set rank fusion alone lost the margin
information that separates near-identical neighbouring provisions.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import TypeVar

K = TypeVar("K", bound=Hashable)
RRF_K = 60  # the default of `RetrievalSettings.rrf_k`


def rrf(rankings: Mapping[str, Sequence[K]], weights: Mapping[str, float], k: int = RRF_K) -> list[tuple[K, float]]:
    """Fuse ranked lists: score(d) = Σ weight_list / (k + rank_list(d)), best first.

    Lists without a weight count with weight 1; ties keep the order of first appearance.
    """
    scores: dict[K, float] = {}
    for name, ranking in rankings.items():
        weight = weights.get(name, 1.0)
        for rank, key in enumerate(ranking, start=1):
            scores[key] = scores.get(key, 0.0) + weight / (k + rank)
    return sorted(scores.items(), key=lambda item: -item[1])


def blend(
    candidates: Sequence[K],
    scores: Mapping[str, Mapping[K, float]],
    weights: Mapping[str, float],
    scale: Mapping[str, bool],
) -> list[tuple[K, float]]:
    """Order candidates by Σ weight · score; lists with `scale` are divided by their maximum."""
    out: dict[K, float] = dict.fromkeys(candidates, 0.0)
    for name, values in scores.items():
        weight = weights.get(name, 0.0)
        if not weight:
            continue
        top = max((values.get(key, 0.0) for key in candidates), default=0.0) if scale.get(name) else 1.0
        for key in candidates:
            out[key] += weight * (values.get(key, 0.0) / top if top > 0 else 0.0)
    return sorted(out.items(), key=lambda item: -item[1])
