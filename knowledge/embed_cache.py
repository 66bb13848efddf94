"""Embeddings kept across index builds, keyed by (model, query or passage, text hash).

A rebuild embeds only texts it has never seen: editing one enrichment file re-embeds that
file's changed lines, and an interrupted build resumes where it stopped. Two layers:
- a SQLite file under the data dir (read-write, shared safely by concurrent processes);
- a seed shipped with the package (`knowledge/embeddings/<model>.npz`, read-only, float16),
  so that a fresh checkout builds its index without embedding everything again.
"""

from __future__ import annotations

import hashlib
import logging
import re
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from knowledge.embedders import Embedder, Vectors
from knowledge.sqlite_wal import switch_to_wal

log = logging.getLogger(__name__)
SEED_DIR = Path(__file__).resolve().parent / "embeddings"
KEY_BYTES = 16


def text_key(text: str, as_query: bool) -> bytes:
    """The cache key of one text as the embedder sees it (query and passage differ)."""
    return hashlib.sha256(("q\0" if as_query else "p\0").encode() + text.encode("utf-8")).digest()[:KEY_BYTES]


def seed_path(model: str, folder: Path = SEED_DIR) -> Path:
    """Where the shipped seed of `model` lives."""
    return folder / (re.sub(r"[^a-z0-9]+", "-", model.lower()).strip("-") + ".npz")


class EmbeddingCache:
    """Vectors by key for one model; `path` None keeps them in memory only (tests)."""

    def __init__(self, model: str, path: Path | None, seed: Path | None = None) -> None:
        self.model = model
        self._db = sqlite3.connect(str(path) if path else ":memory:", timeout=60, check_same_thread=False)
        if path:
            switch_to_wal(self._db.execute)
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS vectors (model TEXT, key BLOB, vector BLOB, PRIMARY KEY (model, key))"
        )
        self._seed_file = seed
        self._seed: dict[bytes, np.ndarray] | None = None  # read on first use: a built index never needs it

    def get(self, keys: Sequence[bytes]) -> dict[bytes, np.ndarray]:
        """The known vectors among `keys` (float32)."""
        if self._seed is None:
            seed = self._seed_file
            self._seed = _read_seed(seed, self.model) if seed is not None and seed.is_file() else {}
        found = {k: self._seed[k].astype(np.float32) for k in keys if k in self._seed}
        rest = [k for k in keys if k not in found]
        for start in range(0, len(rest), 500):
            part = rest[start : start + 500]
            marks = ",".join("?" * len(part))  # only placeholders go into the SQL text
            rows = self._db.execute(
                f"SELECT key, vector FROM vectors WHERE model = ? AND key IN ({marks})", [self.model, *part]
            )
            found.update((bytes(k), np.frombuffer(v, dtype=np.float32)) for k, v in rows)
        return found

    def put(self, keys: Sequence[bytes], vectors: Vectors) -> None:
        rows = [(self.model, k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in zip(keys, vectors, strict=True)]
        with self._db:
            self._db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)", rows)

    def close(self) -> None:
        self._db.close()


def _read_seed(path: Path, model: str) -> dict[bytes, np.ndarray]:
    try:
        with np.load(path, allow_pickle=False) as data:
            if str(data["model"]) != model:
                return {}
            keys, vectors = data["keys"], data["vectors"]
    except (OSError, ValueError, KeyError) as err:
        log.warning("ignoring the embedding seed %s: %s", path, err)
        return {}
    return {bytes(k): v for k, v in zip(keys, vectors, strict=True)}


def write_seed(path: Path, model: str, keys: Sequence[bytes], vectors: Vectors) -> None:
    """Write a seed file (float16 halves its size; cosine changes by about 1e-4)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    order = np.argsort(np.array(keys, dtype=f"S{KEY_BYTES}"))  # stable bytes for an unchanged set
    np.savez_compressed(
        path,
        model=np.array(model),
        keys=np.array(keys, dtype=f"S{KEY_BYTES}")[order],
        vectors=np.asarray(vectors, dtype=np.float16)[order],
    )


def embed_texts(
    embedder: Embedder,
    texts: Sequence[tuple[str, bool]],
    cache: EmbeddingCache,
    progress: Callable[[int, int], None] | None = None,
    batch_size: int = 256,
) -> Vectors:
    """Vectors of (text, as_query) pairs in order: each distinct text embedded once, cached ones not at all."""
    keys = [text_key(t, q) for t, q in texts]
    known = cache.get(list(dict.fromkeys(keys)))
    todo: dict[bytes, tuple[str, bool]] = {}
    for key, pair in zip(keys, texts, strict=True):
        if key not in known:
            todo.setdefault(key, pair)
    log.info("embedding %d new texts (%d cached)", len(todo), len(known))
    for as_query in (True, False):
        part = [(k, t) for k, (t, q) in todo.items() if q is as_query]
        for start in range(0, len(part), batch_size):
            batch = part[start : start + batch_size]
            embed = embedder.queries if as_query else embedder.passages
            vectors = embed([t for _, t in batch])
            cache.put([k for k, _ in batch], vectors)
            known.update((k, v) for (k, _), v in zip(batch, vectors, strict=True))
            if progress:
                progress(len(known), len(set(keys)))
    if not keys:
        return np.zeros((0, 0), dtype=np.float32)
    return np.stack([known[k] for k in keys]).astype(np.float32)
