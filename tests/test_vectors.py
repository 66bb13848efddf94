"""The vector index in real Chroma on a temp dir, with a deterministic fake embedder and a real cache."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from ingest.model import Act
from knowledge.chunks import all_chunks
from knowledge.embed_cache import EmbeddingCache
from knowledge.enrichment import load_enrichment
from knowledge.index import fingerprints, vector_docs
from knowledge.vectors import KEEP, VectorDoc, VectorIndex, make_client, target_of
from tests.fakes import FakeEmbedder


@pytest.fixture(scope="module")
def small(acts: dict[str, Act]) -> tuple[list, dict]:  # type: ignore[type-arg]
    """Two small acts' chunks with their enrichment (a few hundred vectors)."""
    chunks = [c for c in all_chunks(list(acts.values())) if c.act_id in ("volunteer", "protocol-report")]
    return chunks, load_enrichment()


def _build(path: Path, chunks: list, enrichment: dict, embedder: FakeEmbedder) -> VectorIndex:  # type: ignore[type-arg]
    cache = EmbeddingCache(embedder.name, path / "embeddings.sqlite3")
    index = VectorIndex(make_client(path / "chroma"), embedder, cache)
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


def test_a_changed_text_alone_is_embedded_again(tmp_path: Path, small: tuple[list, dict]) -> None:  # type: ignore[type-arg]
    chunks, enrichment = small
    _build(tmp_path, chunks, enrichment, FakeEmbedder())
    key = next(k for k in enrichment if k.startswith("volunteer/"))
    edited = dict(enrichment)
    edited[key] = replace(enrichment[key], questions=(*enrichment[key].questions, "A new question?"), en="Edited.")
    embedder = FakeEmbedder()
    index = _build(tmp_path, chunks, edited, embedder)
    assert embedder.embedded == 2  # the new question and the edited rendering; the rest came from the cache
    assert index.count() == len(vector_docs(chunks, edited))
    for n in range(3):  # further rebuilds keep the newest KEEP complete collections, no more
        more = dict(edited)
        more[key] = replace(edited[key], en=f"Edited {n}.")
        index = _build(tmp_path, chunks, more, FakeEmbedder())
    assert len(index.client.list_collections()) == KEEP


def test_interrupted_build_leaves_the_previous_index_usable(tmp_path: Path, small: tuple[list, dict]) -> None:  # type: ignore[type-arg]
    chunks, enrichment = small
    before = _build(tmp_path, chunks, enrichment, FakeEmbedder()).count()
    changed = chunks[1:]
    broken = FakeEmbedder("another model", fail_after=300)  # nothing of it in the cache
    with pytest.raises(RuntimeError, match="half-way"):
        _build(tmp_path, changed, enrichment, broken)
    index = VectorIndex(make_client(tmp_path / "chroma"), FakeEmbedder())
    fingerprint, _ = fingerprints(changed, enrichment, broken)
    assert index.open(fingerprint) is False  # the half-built collection is not used...
    assert index.count() == before  # ...the previous complete one is
    assert index.search(FakeEmbedder().queries(["волонтер"])[0], 3)
    resumed = FakeEmbedder("another model")
    _build(tmp_path, changed, enrichment, resumed)
    assert 0 < resumed.embedded <= len(vector_docs(changed, enrichment)) - 256  # the first batch was kept


def test_a_search_reads_each_hit_s_target_off_its_id(tmp_path: Path, small: tuple[list, dict]) -> None:  # type: ignore[type-arg]
    chunks, enrichment = small
    index = _build(tmp_path, chunks, enrichment, FakeEmbedder())
    docs = {d.id: d for d in vector_docs(chunks, enrichment)}
    got = index.collection.get(ids=list(docs)[:50], include=["metadatas", "embeddings"])
    for doc_id, meta, vector in zip(got["ids"], got["metadatas"], got["embeddings"], strict=True):
        assert target_of(doc_id) == meta["target"] == docs[doc_id].target
        same_text = {d.target for d in docs.values() if d.text == docs[doc_id].text}
        assert index.search(vector, 1)[0][0] in same_text
    with pytest.raises(ValueError, match="does not name its target"):
        VectorDoc("volunteer/1#text", "volunteer/2", "volunteer", "text", as_query=False)
