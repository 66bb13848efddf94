"""Fusion is a pure function of ranked lists and scores."""

from __future__ import annotations

import pytest

from knowledge.fusion import blend, rrf


def test_rrf_sums_weighted_reciprocal_ranks() -> None:
    fused = dict(rrf({"a": ["x", "y"], "b": ["y", "z"]}, {"a": 1.0, "b": 2.0}, k=1))
    assert fused["x"] == pytest.approx(1 / 2)
    assert fused["y"] == pytest.approx(1 / 3 + 2 / 2)
    assert fused["z"] == pytest.approx(2 / 3)
    assert [k for k, _ in rrf({"a": ["x", "y"], "b": ["y", "z"]}, {"a": 1.0, "b": 2.0}, k=1)] == [
        "y",
        "z",
        "x",
    ]


def test_rrf_zero_weight_ignores_a_list_and_missing_weight_counts_one() -> None:
    assert [k for k, _ in rrf({"a": ["x"], "b": ["y"]}, {"a": 0.0})] == ["y", "x"]
    assert rrf({}, {}) == []


def test_blend_scales_lists_to_their_maximum() -> None:
    scores = {"dense": {"x": 0.9, "y": 0.8}, "bm25": {"x": 0.0, "y": 10.0}}
    ordered = blend(["x", "y"], scores, {"dense": 1.0, "bm25": 0.2}, {"bm25": True})
    assert ordered[0] == ("y", pytest.approx(0.8 + 0.2))
    assert ordered[1] == ("x", pytest.approx(0.9))
    only_dense = blend(["x", "y"], scores, {"dense": 1.0}, {})
    assert [k for k, _ in only_dense] == ["x", "y"]
