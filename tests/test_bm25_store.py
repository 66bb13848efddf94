"""The kept BM25 indexes: read back only when sound, rebuilt when damaged, and scoring alike."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest

from ingest.store import load_acts
from knowledge import bm25_store
from knowledge.chunks import Chunk, all_chunks
from knowledge.enrichment import load_enrichment
from knowledge.lexical import Bm25, CorpusTokens, LexicalIndex

QUERIES = [["волонтер"], ["волонтер", "міндет"], ["қоғамдық", "көмекші"], ["несуществующее"]]


@pytest.fixture(scope="module")
def corpus() -> tuple[list[Chunk], CorpusTokens]:
    chunks = [c for c in all_chunks(load_acts()) if c.act_id == "volunteer"]
    return chunks, CorpusTokens.of(chunks, load_enrichment())


def _scores(index: LexicalIndex) -> list[np.ndarray]:
    return [s for q in QUERIES for s in (index.statute.scores(q), index.enriched.scores(q))]


def test_a_kept_index_scores_as_the_one_built(tmp_path: Path, corpus: tuple[list[Chunk], CorpusTokens]) -> None:
    chunks, tokens = corpus
    built = LexicalIndex(chunks, tokens)
    kept = LexicalIndex(chunks, tokens, lambda name: tmp_path / name)
    assert {p.name for p in tmp_path.iterdir()} == {"statute", "enriched"}
    again = LexicalIndex(chunks, tokens, lambda name: tmp_path / name)
    for a, b, c in zip(_scores(built), _scores(kept), _scores(again), strict=True):
        assert np.array_equal(a, b) and np.array_equal(a, c)
    assert any(s.any() for s in _scores(again))


def test_a_damaged_or_foreign_index_is_built_again(
    tmp_path: Path, corpus: tuple[list[Chunk], CorpusTokens], caplog: pytest.LogCaptureFixture
) -> None:
    chunks, tokens = corpus
    docs = [list(tokens.statute[c.key]) for c in chunks]
    folder = tmp_path / "statute"
    Bm25.kept(folder, len(docs), lambda: docs)
    (folder / "data.csc.index.npy").write_bytes(b"\x93NUMPY junk")
    with caplog.at_level(logging.WARNING):
        assert np.array_equal(
            Bm25.kept(folder, len(docs), lambda: docs).scores(QUERIES[1]), Bm25(docs).scores(QUERIES[1])
        )
    assert "unreadable" in caplog.text

    caplog.clear()
    fewer = docs[:10]  # an index of other documents under the same name: never used for these
    other = tmp_path / "other"
    Bm25.kept(other, len(fewer), lambda: fewer)
    with caplog.at_level(logging.WARNING):
        assert len(Bm25.kept(other, len(docs), lambda: docs).scores(QUERIES[1])) == len(docs)
    assert "does not fit" in caplog.text


def test_an_unwritable_data_dir_only_costs_the_keeping(
    tmp_path: Path, corpus: tuple[list[Chunk], CorpusTokens]
) -> None:
    chunks, tokens = corpus
    blocked = tmp_path / "file-not-dir"
    blocked.write_text("")
    index = LexicalIndex(chunks, tokens, lambda name: blocked / name)
    for a, b in zip(_scores(index), _scores(LexicalIndex(chunks, tokens)), strict=True):
        assert np.array_equal(a, b)


def test_indexes_of_other_digests_are_removed(tmp_path: Path) -> None:
    for name in ("aaaa-statute", "aaaa-official", "bbbb-statute", ".bbbb-enriched-x1", ".aaaa-statute-x2"):
        (tmp_path / bm25_store.FOLDER / name).mkdir(parents=True)
    bm25_store.drop_others(tmp_path, "aaaa")
    left = {p.name for p in (tmp_path / bm25_store.FOLDER).iterdir()}
    assert left == {"aaaa-statute", "aaaa-official", ".aaaa-statute-x2"}
