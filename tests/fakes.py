"""A deterministic fake embedder for fast unit tests of the vector index (no model)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

DIM = 16


def _vector(text: str) -> np.ndarray:
    seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "little")
    v = np.random.default_rng(seed).standard_normal(DIM).astype(np.float32)
    return v / np.linalg.norm(v)


class FakeEmbedder:
    """Hash-seeded unit vectors; counts calls so tests can see what was embedded again."""

    def __init__(self, name: str = "fake", fail_after: int | None = None) -> None:
        self.name = name
        self.embedded = 0
        self.fail_after = fail_after

    def _embed(self, texts: Sequence[str]) -> np.ndarray:
        if self.fail_after is not None and self.embedded + len(texts) > self.fail_after:
            raise RuntimeError("embedder failed half-way")
        self.embedded += len(texts)
        return np.stack([_vector(t) for t in texts]) if texts else np.zeros((0, DIM), np.float32)

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(texts)

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(texts)
