"""Dense vectors in Chroma, in content-addressed collections built aside and then switched to.

Each build writes a new collection named after the fingerprint of its content; it is marked
complete only at the end. Readers use the collection of the current fingerprint when it is
complete, else the newest complete one, so an interrupted build never breaks search.
Vectors of acts whose content did not change are copied from the previous collection
instead of being embedded again.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from knowledge.embedders import Embedder

log = logging.getLogger(__name__)
PREFIX = "provisions-"


@dataclass(frozen=True)
class VectorDoc:
    """One text to embed: which chunk (or article) it points to, and how to embed it."""

    id: str
    target: str  # chunk key, or article key for article-level texts
    act: str
    text: str
    as_query: bool  # sample questions are embedded like queries (e5 "query:" prefix)


def make_client(path: Path | None, host: str | None = None, port: int = 8000) -> Any:
    """An embedded Chroma client on `path`, or an HTTP client to a Chroma server."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if host:
        return chromadb.HttpClient(host=host, port=port, settings=settings)
    assert path is not None
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=settings)


def _complete(client: Any) -> list[Any]:
    """Complete collections of ours, newest first."""
    found = []
    for col in client.list_collections():
        col = client.get_collection(col if isinstance(col, str) else col.name)
        meta = col.metadata or {}
        if col.name.startswith(PREFIX) and meta.get("complete"):
            found.append((float(meta.get("built_at", 0)), col))
    return [c for _, c in sorted(found, key=lambda x: -x[0])]


class VectorIndex:
    """Search over one complete collection; build a new one when the content changes."""

    def __init__(self, client: Any, embedder: Embedder, batch: int = 256) -> None:
        self.batch = batch  # texts per embedding call (`Settings.embed_batch`)
        self.client = client
        self.embedder = embedder
        self.collection: Any = None

    def open(self, fingerprint: str) -> bool:
        """Use the collection for `fingerprint`, or the newest complete one; True if current."""
        complete = _complete(self.client)
        wanted = PREFIX + fingerprint
        current = next((c for c in complete if c.name == wanted), None)
        self.collection = current or (complete[0] if complete else None)
        return current is not None

    def build(
        self,
        fingerprint: str,
        docs: Sequence[VectorDoc],
        act_hashes: dict[str, str],
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        """Build the collection for `fingerprint` aside, mark it complete, drop older ones."""
        previous = _complete(self.client)
        name = PREFIX + fingerprint
        with contextlib.suppress(Exception):  # a half-built leftover; chroma's error types vary
            self.client.delete_collection(name)
        col = self.client.create_collection(
            name, metadata={"hnsw:space": "cosine", "embedder": self.embedder.name}, embedding_function=None
        )
        reusable = self._reusable_acts(previous[0] if previous else None, act_hashes)
        todo = [d for d in docs if d.act not in reusable]
        if previous and reusable:
            self._copy(previous[0], col, reusable)
        for start in range(0, len(todo), self.batch):
            batch = todo[start : start + self.batch]
            vectors = self._embed(batch)
            col.add(
                ids=[d.id for d in batch],
                embeddings=vectors.tolist(),
                metadatas=[{"target": d.target, "act": d.act} for d in batch],
            )
            if progress:
                progress(min(start + self.batch, len(todo)), len(todo))
        meta = {"hnsw:space": "cosine", "embedder": self.embedder.name, "complete": True}
        meta.update({"built_at": time.time(), **{f"act:{k}": v for k, v in act_hashes.items()}})
        col.modify(metadata={k: v for k, v in meta.items() if k != "hnsw:space"})
        for other in self.client.list_collections():  # older builds, and leftovers of killed ones
            other_name = other if isinstance(other, str) else other.name
            if other_name.startswith(PREFIX) and other_name != name:
                self.client.delete_collection(other_name)
        self.collection = self.client.get_collection(name)

    def _reusable_acts(self, previous: Any, act_hashes: dict[str, str]) -> set[str]:
        if previous is None or (previous.metadata or {}).get("embedder") != self.embedder.name:
            return set()
        meta = previous.metadata or {}
        return {act for act, digest in act_hashes.items() if meta.get(f"act:{act}") == digest}

    @staticmethod
    def _copy(source: Any, target: Any, acts: set[str]) -> None:
        for act in sorted(acts):
            got = source.get(where={"act": act}, include=["embeddings", "metadatas"])
            for start in range(0, len(got["ids"]), 1000):
                end = start + 1000
                target.add(
                    ids=got["ids"][start:end],
                    embeddings=[list(map(float, e)) for e in got["embeddings"][start:end]],
                    metadatas=got["metadatas"][start:end],
                )

    def _embed(self, docs: Sequence[VectorDoc]) -> np.ndarray:
        out = np.zeros((len(docs), 0), dtype=np.float32)
        queries = [i for i, d in enumerate(docs) if d.as_query]
        passages = [i for i, d in enumerate(docs) if not d.as_query]
        parts: dict[int, np.ndarray] = {}
        if queries:
            for i, v in zip(queries, self.embedder.queries([docs[i].text for i in queries]), strict=True):
                parts[i] = v
        if passages:
            for i, v in zip(passages, self.embedder.passages([docs[i].text for i in passages]), strict=True):
                parts[i] = v
        out = np.stack([parts[i] for i in range(len(docs))]) if docs else out
        return out

    def count(self) -> int:
        return int(self.collection.count()) if self.collection is not None else 0

    def search(
        self, vector: np.ndarray, n: int, skip: frozenset[str] = frozenset(), act: str | None = None
    ) -> list[tuple[str, float]]:
        """(target, cosine similarity) of the nearest texts, best first.

        `skip` hides texts by id (to measure a question without its own sample questions);
        `act` restricts the search to one act's texts.
        """
        if self.collection is None:
            return []
        fetch = n * 2 if skip else n
        where = {"act": act} if act else None
        got = self.collection.query(
            query_embeddings=[vector.tolist()], n_results=fetch, where=where, include=["metadatas", "distances"]
        )
        found = zip(got["ids"][0], got["metadatas"][0], got["distances"][0], strict=True)
        return [(str(m["target"]), 1.0 - float(d)) for i, m, d in found if i not in skip][:n]
