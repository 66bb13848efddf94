"""The embedding cache: each distinct text embedded once, kept across builds, seeded from a shipped file."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from knowledge.embed_cache import EmbeddingCache, embed_texts, seed_path, text_key, write_seed
from knowledge.embedders import MAX_TOKENS, QUERY_TOKENS, E5Embedder
from tests.fakes import FakeEmbedder


def test_each_distinct_text_is_embedded_once_and_kept(tmp_path: Path) -> None:
    texts = [("Кто платит?", True), ("Кто платит?", True), ("Кто платит?", False), ("Волонтер", False)]
    embedder = FakeEmbedder()
    cache = EmbeddingCache(embedder.name, tmp_path / "cache.sqlite3")
    vectors = embed_texts(embedder, texts, cache)
    assert embedder.embedded == 3  # the repeated query once; the same text as a passage is another key
    assert np.array_equal(vectors[0], vectors[1])
    assert vectors.shape == (4, 16)
    again = FakeEmbedder()
    reopened = EmbeddingCache(again.name, tmp_path / "cache.sqlite3")
    assert np.array_equal(embed_texts(again, texts, reopened), vectors)
    assert again.embedded == 0
    other_model = FakeEmbedder("another model")
    embed_texts(other_model, texts, EmbeddingCache(other_model.name, tmp_path / "cache.sqlite3"))
    assert other_model.embedded == 3  # keyed by model too


def test_a_seed_file_fills_the_cache_for_its_model_only(tmp_path: Path) -> None:
    texts = [("Волонтердің құқықтары", False), ("Can a volunteer refuse?", True)]
    source = FakeEmbedder()
    vectors = embed_texts(source, texts, EmbeddingCache(source.name, None))
    seed = seed_path(source.name, tmp_path)
    write_seed(seed, source.name, [text_key(t, q) for t, q in texts], vectors)
    seeded = FakeEmbedder()
    got = embed_texts(seeded, texts, EmbeddingCache(seeded.name, None, seed))
    assert seeded.embedded == 0
    assert np.allclose(got, vectors, atol=1e-3)  # stored as float16
    stranger = FakeEmbedder("another model")
    embed_texts(stranger, texts, EmbeddingCache(stranger.name, None, seed))
    assert stranger.embedded == 2


def test_long_queries_are_cut_to_the_query_token_limit() -> None:
    """A 1,500-character message is embedded from its first QUERY_TOKENS tokens, not the model's 512."""
    embedder = E5Embedder()
    long = "а-" * 750  # 1,500 characters: thousands of tokens
    fitted = embedder.fit(long)
    model = embedder._get()
    assert long.startswith(fitted) and len(fitted) < len(long)
    assert model.token_count(fitted, True) <= QUERY_TOKENS < model.token_count(fitted + long[len(fitted)], True)
    assert QUERY_TOKENS < MAX_TOKENS
    assert np.allclose(embedder.queries([long]), embedder.queries([fitted]))
    short = "Волонтерге жол ақысын кім төлейді?"
    assert embedder.fit(short) == short
    paragraph = "Может ли волонтёр отказаться от задания, если оно опасно для его здоровья? " * 3  # ~220 chars
    assert embedder.fit(paragraph) == paragraph  # a long real question is kept whole
