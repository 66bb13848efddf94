"""The vector index in real Chroma on a temp dir, with a deterministic fake embedder."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.model import Act
from knowledge.chunks import all_chunks
from knowledge.enrichment import load_enrichment
from knowledge.index import fingerprints, vector_docs
from knowledge.vectors import VectorIndex, make_client
from tests.fakes import FakeEmbedder


@pytest.fixture(scope="module")
def small(acts: dict[str, Act]) -> tuple[list, dict]:  # type: ignore[type-arg]
    """Two small acts' chunks with their enrichment (a few hundred vectors)."""
    chunks = [c for c in all_chunks(list(acts.values())) if c.act_id in ("volunteer", "protocol-report")]
    return chunks, load_enrichment()


def _build(path: Path, chunks: list, enrichment: dict, embedder: FakeEmbedder) -> VectorIndex:  # type: ignore[type-arg]
    index = VectorIndex(make_client(path), embedder)
    fingerprint, hashes = fingerprints(chunks, enrichment, embedder)
    if not index.open(fingerprint):
        index.build(fingerprint, vector_docs(chunks, enrichment), hashes)
    return index


def test_rerun_reuses_the_index_without_duplicates(tmp_path: Path, small: tuple[list, dict]) -> None:  # type: ignore[type-arg]
    chunks, enrichment = small
    first = FakeEmbedder()
    index = _build(tmp_path, chunks, enrichment, first)
    count = index.count()
    assert count == len(vector_docs(chunks, enrichment))
    again = FakeEmbedder()
    reopened = _build(tmp_path, chunks, enrichment, again)
    assert again.embedded == 0
    assert reopened.count() == count
    target, sim = reopened.search(FakeEmbedder().passages([vector_docs(chunks, enrichment)[0].text])[0], 1)[0]
    assert target == chunks[0].key and sim == pytest.approx(1.0, abs=1e-4)


def test_changed_act_is_replaced_and_the_rest_copied(tmp_path: Path, small: tuple[list, dict]) -> None:  # type: ignore[type-arg]
    chunks, enrichment = small
    _build(tmp_path, chunks, enrichment, FakeEmbedder())
    changed = [c for c in chunks if c.act_id == "volunteer"][:-1] + [c for c in chunks if c.act_id != "volunteer"]
    embedder = FakeEmbedder()
    index = _build(tmp_path, changed, enrichment, embedder)
    volunteer_docs = [d for d in vector_docs(changed, enrichment) if d.act == "volunteer"]
    assert embedder.embedded == len(volunteer_docs)  # the report's vectors were copied, not embedded
    assert index.count() == len(vector_docs(changed, enrichment))
    names = [c.name for c in index.client.list_collections()]
    assert len(names) == 1  # the previous collection was dropped after the switch


def test_interrupted_build_leaves_the_previous_index_usable(tmp_path: Path, small: tuple[list, dict]) -> None:  # type: ignore[type-arg]
    chunks, enrichment = small
    before = _build(tmp_path, chunks, enrichment, FakeEmbedder()).count()
    changed = chunks[1:]
    broken = FakeEmbedder(fail_after=100)
    with pytest.raises(RuntimeError, match="half-way"):
        _build(tmp_path, changed, enrichment, broken)
    index = VectorIndex(make_client(tmp_path), FakeEmbedder())
    fingerprint, _ = fingerprints(changed, enrichment, broken)
    assert index.open(fingerprint) is False  # the half-built collection is not used...
    assert index.count() == before  # ...the previous complete one is
    assert index.search(FakeEmbedder().queries(["волонтер"])[0], 3)
