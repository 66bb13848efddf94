"""A process that builds or reads the vector index, as a bot replica would: `python -m tests.replica`.

The tests start several of these against one embedded store or one Chroma server. They use
two small acts and the deterministic fake embedder (slowed down, so that builds overlap);
`--variant N` edits one enrichment entry, which gives the index a new fingerprint.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from ingest.store import load_acts
from knowledge.build_lock import build_lock
from knowledge.chunks import Chunk, all_chunks
from knowledge.embed_cache import EmbeddingCache
from knowledge.enrichment import Enrichment, load_enrichment
from knowledge.index import fingerprints, vector_docs
from knowledge.vectors import VectorIndex, make_client
from tests.fakes import FakeEmbedder

ACTS = ("volunteer", "protocol-report")
PROBE = "волонтер"


class SlowEmbedder(FakeEmbedder):
    """The fake embedder at a few milliseconds a text, like a real one on a busy machine."""

    def _embed(self, texts: Sequence[str]) -> np.ndarray:
        time.sleep(0.002 * len(texts))
        return super()._embed(texts)


def content(variant: int) -> tuple[list[Chunk], dict[str, Enrichment]]:
    """The chunks of the small acts and their enrichment, one entry edited per variant."""
    chunks = [c for c in all_chunks(load_acts()) if c.act_id in ACTS]
    enrichment = load_enrichment()
    if variant:
        key = chunks[0].key
        enrichment[key] = replace(enrichment[key], en=f"{enrichment[key].en} (edition {variant})")
    return chunks, enrichment


def index_for(args: argparse.Namespace, embedder: FakeEmbedder) -> VectorIndex:
    client = make_client(None if args.host else args.dir / "chroma", args.host, args.port)
    return VectorIndex(client, embedder, EmbeddingCache(embedder.name, None))


def build(args: argparse.Namespace) -> dict[str, object]:
    """Open or build the index of `--variant` under the build lock."""
    embedder = SlowEmbedder()
    index = index_for(args, embedder)
    chunks, enrichment = content(args.variant)
    fingerprint, hashes = fingerprints(chunks, enrichment, embedder)
    lock = build_lock(args.dir, args.database_url, f"{args.host}:{args.port}" if args.host else "")
    built = index.ensure(fingerprint, lambda: vector_docs(chunks, enrichment), hashes, lock)
    return {"built": built, "embedded": embedder.embedded, "collection": index.collection.name, "count": index.count()}


def read(args: argparse.Namespace) -> dict[str, object]:
    """Search the probe until `--stop` exists, logging each search's collection or error."""
    embedder = FakeEmbedder()
    index = index_for(args, embedder)
    chunks, enrichment = content(args.variant)
    index.open(fingerprints(chunks, enrichment, embedder)[0])
    vector = embedder.queries([PROBE])[0]
    searches, errors, seen = 0, [], []
    with args.log.open("a", encoding="utf-8") as log:
        while not args.stop.exists():
            try:
                hits = index.search(vector, 5)
                name = index.collection.name
                searches += 1
                if not hits:
                    errors.append(f"no hits from {name}")
            except Exception as err:
                errors.append(f"{type(err).__name__}: {err}")
                name = "error"
            if not seen or seen[-1] != name:
                seen.append(name)
            log.write(json.dumps({"searches": searches, "collection": name}) + "\n")
            log.flush()
            time.sleep(0.02)
    return {"searches": searches, "errors": errors, "collections": seen}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("role", choices=("build", "read"))
    parser.add_argument("--dir", type=Path, required=True, help="data dir (embedded store, lock file)")
    parser.add_argument("--host")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--database-url")
    parser.add_argument("--variant", type=int, default=0)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--log", type=Path)
    parser.add_argument("--stop", type=Path)
    args = parser.parse_args()
    result = build(args) if args.role == "build" else read(args)
    args.out.write_text(json.dumps(result), encoding="utf-8")


if __name__ == "__main__":
    main()
