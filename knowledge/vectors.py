"""Dense vectors in Chroma, in content-addressed collections built aside and then switched to.

Each build writes a new collection named after the fingerprint of its content; it is marked
complete only at the end. Readers use the collection of their own fingerprint when it is
complete, else the newest complete one, so an interrupted build never breaks search. A build
keeps the previous complete collection for readers still on it; a reader whose collection
disappears (another process rebuilt twice, or a Chroma server was reset) moves to the newest
complete one and retries. Texts are embedded through the embedding cache, so a rebuild
embeds only what changed.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from knowledge.embed_cache import EmbeddingCache, embed_texts
from knowledge.embedders import Embedder

log = logging.getLogger(__name__)
PREFIX = "provisions-"
KEEP = 2  # complete collections kept after a build: the new one and the one readers may still use
# A wider graph search than Chroma's default (ef 100 for 150 neighbours, recall about 0.98):
# the 150 nearest of 15k texts come back with recall 0.999, so two builds of the same texts
# answer alike (borderline questions flipped between builds) for about 1 ms more per query.
HNSW: dict[str, Any] = {"hnsw": {"space": "cosine", "ef_construction": 200, "ef_search": 400}}


@dataclass(frozen=True)
class VectorDoc:
    """One text to embed: which chunk (or article) it points to, and how to embed it."""

    id: str  # "<target>#<kind>": a search reads the target off the id, not off the metadata
    target: str  # chunk key, or article key for article-level texts
    act: str
    text: str
    as_query: bool  # sample questions are embedded like queries (e5 "query:" prefix)

    def __post_init__(self) -> None:
        if target_of(self.id) != self.target:
            raise ValueError(f"vector id {self.id!r} does not name its target {self.target!r}")


def target_of(doc_id: str) -> str:
    """The chunk or article key a vector id points to (ids are "<target>#<kind>")."""
    return doc_id.rpartition("#")[0]


def make_client(path: Path | None, host: str | None = None, port: int = 8000) -> Any:
    """An embedded Chroma client on `path`, or an HTTP client to a Chroma server."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if host:
        return chromadb.HttpClient(host=host, port=port, settings=settings)
    assert path is not None
    from filelock import FileLock

    path.mkdir(parents=True, exist_ok=True)
    with FileLock(f"{path}.lock"):  # processes opening a new store at once race on creating its schema
        return chromadb.PersistentClient(path=str(path), settings=settings)


def _names(client: Any) -> list[str]:
    return [c if isinstance(c, str) else c.name for c in client.list_collections()]


def complete_collections(client: Any) -> list[Any]:
    """Complete collections of ours, newest first (one deleted meanwhile is skipped)."""
    found = []
    for name in _names(client):
        if not name.startswith(PREFIX):
            continue
        try:
            col = client.get_collection(name)
        except Exception:  # deleted by another process between the listing and now
            continue
        meta = col.metadata or {}
        if meta.get("complete"):
            found.append((float(meta.get("built_at", 0)), col))
    return [c for _, c in sorted(found, key=lambda x: -x[0])]


class VectorIndex:
    """Search over one complete collection; build a new one when the content changes."""

    def __init__(self, client: Any, embedder: Embedder, cache: EmbeddingCache | None = None, batch: int = 256) -> None:
        self.batch = batch  # texts per embedding call (`Settings.embed_batch`)
        self.client = client
        self.embedder = embedder
        self.cache = cache or EmbeddingCache(embedder.name, None)
        self.collection: Any = None
        self.fingerprint = ""

    def open(self, fingerprint: str) -> bool:
        """Use the collection for `fingerprint`, or the newest complete one; True if current."""
        self.fingerprint = fingerprint
        complete = complete_collections(self.client)
        current = next((c for c in complete if c.name == PREFIX + fingerprint), None)
        self.collection = current or (complete[0] if complete else None)
        return current is not None

    def ensure(
        self,
        fingerprint: str,
        docs: Callable[[], Sequence[VectorDoc]],
        act_hashes: dict[str, str],
        lock: AbstractContextManager[object],
        progress: Callable[[int, int], None] | None = None,
    ) -> bool:
        """Open the collection for `fingerprint`, building it under `lock` unless another process just did.

        Returns True if this process built it.
        """
        if self.open(fingerprint):
            return False
        with lock:
            if self.open(fingerprint):  # built by whoever held the lock before us
                return False
            log.info("building the vector index %s", fingerprint)
            self.build(fingerprint, docs(), act_hashes, progress)
            return True

    def build(
        self,
        fingerprint: str,
        docs: Sequence[VectorDoc],
        act_hashes: dict[str, str],
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        """Build the collection for `fingerprint` aside, mark it complete, drop all but the newest KEEP.

        Callers serialise builds (`knowledge.build_lock`); readers are never blocked.
        """
        name = PREFIX + fingerprint
        vectors = embed_texts(self.embedder, [(d.text, d.as_query) for d in docs], self.cache, progress, self.batch)
        with contextlib.suppress(Exception):  # a half-built leftover; chroma's error types vary
            self.client.delete_collection(name)
        col = self.client.create_collection(
            name, configuration=HNSW, metadata={"embedder": self.embedder.name}, embedding_function=None
        )
        step = max(1, min(5000, int(getattr(self.client, "get_max_batch_size", lambda: 5000)())))
        for start in range(0, len(docs), step):
            batch = docs[start : start + step]
            col.add(
                ids=[d.id for d in batch],
                embeddings=vectors[start : start + step],
                metadatas=[{"target": d.target, "act": d.act} for d in batch],
            )
        meta = {"embedder": self.embedder.name, "complete": True, "built_at": time.time()}
        col.modify(metadata={**meta, **{f"act:{k}": v for k, v in act_hashes.items()}})
        self._drop_old(name)
        self.fingerprint = fingerprint
        self.collection = self.client.get_collection(name)

    def _drop_old(self, keep_name: str) -> None:
        """Delete half-built leftovers and complete collections beyond the newest KEEP."""
        kept = {c.name for c in complete_collections(self.client)[:KEEP]} | {keep_name}
        for other in _names(self.client):
            if other.startswith(PREFIX) and other not in kept:
                with contextlib.suppress(Exception):  # another process deleted it first
                    self.client.delete_collection(other)

    def count(self) -> int:
        return int(self._retrying(lambda col: col.count())) if self.collection is not None else 0

    def search(self, vector: np.ndarray, n: int, skip: frozenset[str] = frozenset()) -> list[tuple[str, float]]:
        """(target, cosine similarity) of the nearest texts, best first.

        `skip` hides texts by id (to measure a question without its own sample questions).
        """
        if self.collection is None:
            return []
        fetch = n * 2 if skip else n

        def query(col: Any) -> list[tuple[str, float]]:
            # distances only: reading the metadata back took half of the query's time
            got = col.query(query_embeddings=[vector.tolist()], n_results=fetch, include=["distances"])
            # a collection deleted mid-query can answer with holes (None); that counts as a failure
            found = zip(got["ids"][0], got["distances"][0], strict=True)
            return [(target_of(i), 1.0 - float(d)) for i, d in found if i not in skip][:n]

        return list(self._retrying(query))

    def vectors_of(self, act: str) -> tuple[list[str], np.ndarray]:
        """Targets and unit vectors of one act's texts, read in one call (for a few hundred
        texts, a matrix product in memory beats a filtered query per question)."""
        if self.collection is None:
            return [], np.zeros((0, 0), dtype=np.float32)
        got = self._retrying(lambda col: col.get(where={"act": act}, include=["metadatas", "embeddings"]))
        targets = [str(m["target"]) for m in got["metadatas"]]
        matrix = np.asarray(got["embeddings"], dtype=np.float32).reshape(len(targets), -1)
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        return targets, matrix / np.where(norms > 0, norms, 1.0)

    def _retrying(self, call: Callable[[Any], Any]) -> Any:
        """Run `call` on the collection; if it vanished (rebuilt elsewhere), reopen the newest and retry once."""
        try:
            return call(self.collection)
        except Exception as err:
            old = getattr(self.collection, "name", None)
            self.open(self.fingerprint)
            if self.collection is None:
                raise
            log.warning("collection %s failed (%s); retrying on %s", old, type(err).__name__, self.collection.name)
            return call(self.collection)
