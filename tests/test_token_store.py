"""The stored corpus tokens and spelling vocabulary: reused only when their sources and code are the same."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pytest

from ingest.store import load_acts
from knowledge import token_store, vocabulary
from knowledge.chunks import Chunk, all_chunks
from knowledge.enrichment import ENRICHMENT_DIR, Enrichment, load_enrichment
from knowledge.lexical import CorpusTokens
from knowledge.token_store import FILE_NAME, corpus_tokens

Corpus = tuple[list[Chunk], dict[str, Enrichment]]


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    """The volunteer act's chunks and their enrichment: small enough to tokenise quickly."""
    chunks = [c for c in all_chunks(load_acts()) if c.act_id == "volunteer"]
    keys = {c.key for c in chunks} | {f"{c.act_id}/{c.article_id}" for c in chunks}
    return chunks, {k: e for k, e in load_enrichment().items() if k in keys}


def test_tokens_are_stored_and_read_back_equal(tmp_path: Path, corpus: Corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    chunks, enrichment = corpus
    first = corpus_tokens(tmp_path, chunks, enrichment)
    assert first == CorpusTokens.of(chunks, enrichment)
    assert (tmp_path / FILE_NAME).stat().st_size > 0

    def no_tokenising(*_: object) -> CorpusTokens:
        raise AssertionError("tokenised again although nothing changed")

    monkeypatch.setattr(CorpusTokens, "of", classmethod(no_tokenising))
    assert corpus_tokens(tmp_path, chunks, enrichment) == first


def test_an_edited_text_or_tokeniser_is_read_anew(
    tmp_path: Path, corpus: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    chunks, enrichment = corpus
    corpus_tokens(tmp_path, chunks, enrichment)
    key = next(iter(enrichment))
    edited = enrichment | {key: dataclasses.replace(enrichment[key], questions=("Еріктінің сақтандыруы бар ма?",))}
    again = corpus_tokens(tmp_path, chunks, edited)
    assert again.entries[key] == CorpusTokens.of(chunks, edited).entries[key]
    assert again.entries[key] != CorpusTokens.of(chunks, enrichment).entries[key]

    stored = json.loads((tmp_path / FILE_NAME).read_text(encoding="utf-8"))["digest"]
    monkeypatch.setattr(token_store, "TOKENISER", token_store.TOKENISER[:-1])  # as if the code had changed
    assert token_store.corpus_digest(chunks, edited) != stored


@pytest.mark.parametrize("damage", [b"", b"{not json", b'{"digest": 1}', "\u0000".encode() * 5])
def test_a_damaged_store_is_rebuilt_not_fatal(tmp_path: Path, corpus: Corpus, damage: bytes) -> None:
    chunks, enrichment = corpus
    (tmp_path / FILE_NAME).write_bytes(damage)
    assert corpus_tokens(tmp_path, chunks, enrichment) == CorpusTokens.of(chunks, enrichment)
    assert json.loads((tmp_path / FILE_NAME).read_text(encoding="utf-8"))["digest"]


def test_a_forged_store_with_the_right_digest_but_bad_indexes_is_rebuilt(tmp_path: Path, corpus: Corpus) -> None:
    chunks, enrichment = corpus
    digest = token_store.corpus_digest(chunks, enrichment)
    forged = {"digest": digest, "tokens": ["x"], "statute": {chunks[0].key: [7]}, "entries": {}}
    (tmp_path / FILE_NAME).write_text(json.dumps(forged), encoding="utf-8")
    assert corpus_tokens(tmp_path, chunks, enrichment) == CorpusTokens.of(chunks, enrichment)


def test_a_read_only_data_dir_still_answers(tmp_path: Path, corpus: Corpus) -> None:
    chunks, enrichment = corpus
    blocked = tmp_path / "file-not-dir"
    blocked.write_text("")  # a data dir that cannot be created
    assert corpus_tokens(blocked, chunks, enrichment) == CorpusTokens.of(chunks, enrichment)


@pytest.fixture
def process_vocabulary(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever a test opens, the process's vocabulary is put back afterwards."""
    monkeypatch.setattr(vocabulary, "_process", vocabulary.vocabulary())


@pytest.fixture(scope="module")
def made() -> vocabulary.Vocabulary:
    return vocabulary.statute_vocabulary()


@pytest.mark.usefixtures("process_vocabulary")
def test_the_vocabulary_is_stored_and_read_back_equal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, made: vocabulary.Vocabulary
) -> None:
    assert vocabulary.open_vocabulary(tmp_path) == made
    assert (tmp_path / vocabulary.FILE_NAME).stat().st_size > 0

    def no_making(*_: object) -> vocabulary.Vocabulary:
        raise AssertionError("made again although nothing changed")

    monkeypatch.setattr(vocabulary, "statute_vocabulary", no_making)
    assert vocabulary.open_vocabulary(tmp_path) == made
    assert vocabulary.vocabulary() is not made and vocabulary.vocabulary() == made  # the stored one, in use


@pytest.mark.usefixtures("process_vocabulary")
@pytest.mark.parametrize("damage", [b"{not json", b"[1, 2]", b'{"digest": null}'])
def test_a_damaged_vocabulary_is_made_anew_not_fatal(
    tmp_path: Path, damage: bytes, made: vocabulary.Vocabulary
) -> None:
    (tmp_path / vocabulary.FILE_NAME).write_bytes(damage)
    assert vocabulary.open_vocabulary(tmp_path) == made
    assert json.loads((tmp_path / vocabulary.FILE_NAME).read_text(encoding="utf-8"))["digest"]


def test_an_edited_enrichment_file_changes_the_vocabulary_digest(tmp_path: Path) -> None:
    copy = tmp_path / "enrichment"
    shutil.copytree(ENRICHMENT_DIR, copy)
    assert vocabulary.source_digest(enrichment_dir=copy) == vocabulary.source_digest()
    edited = next(iter(sorted(copy.glob("*.json"))))
    edited.write_text(edited.read_text(encoding="utf-8").replace("?", "?!", 1), encoding="utf-8")
    assert vocabulary.source_digest(enrichment_dir=copy) != vocabulary.source_digest()


@pytest.mark.usefixtures("process_vocabulary")
@pytest.mark.parametrize(
    "forged", [{"kk": [1]}, {"kk": {}, "ru": 5, "ru_stems": [], "en": []}, {"kk": {"а": "x"}}, {"ru": []}]
)
def test_a_forged_vocabulary_with_the_right_digest_is_made_anew(
    tmp_path: Path, forged: dict[str, object], made: vocabulary.Vocabulary
) -> None:
    forged_file = {"digest": vocabulary.source_digest(), **forged}
    (tmp_path / vocabulary.FILE_NAME).write_text(json.dumps(forged_file), encoding="utf-8")
    assert vocabulary.open_vocabulary(tmp_path) == made
