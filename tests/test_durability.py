"""SIGKILL in the middle of writing feedback or re-indexing: the data and the previous index survive."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ingest.model import Act
from knowledge.chunks import all_chunks
from knowledge.enrichment import load_enrichment
from knowledge.index import fingerprints, vector_docs
from knowledge.vectors import VectorIndex, make_client
from tests.fakes import FakeEmbedder

pytestmark = pytest.mark.processes
ROOT = Path(__file__).resolve().parent.parent

WRITER = """
import asyncio, sys
from pathlib import Path
from bot.storage import Storage

async def main():
    storage = await Storage.open(None, Path(sys.argv[1]))
    n = 0
    while True:
        n += 1
        await storage.feedback.save_answer(n % 50, f"question {n}", ["act|1|2|3"])
        if n % 100 == 0:
            Path(sys.argv[2]).write_text(str(n))

asyncio.run(main())
"""

INDEXER = """
import sys, time
from pathlib import Path
from ingest.store import load_acts
from knowledge.chunks import all_chunks
from knowledge.enrichment import load_enrichment
from knowledge.index import fingerprints, vector_docs
from knowledge.vectors import VectorIndex, make_client
from tests.fakes import FakeEmbedder

class Slow(FakeEmbedder):
    def _embed(self, texts):
        Path(sys.argv[2]).write_text(str(self.embedded))
        time.sleep(0.05)
        return super()._embed(texts)

chunks = [c for c in all_chunks(load_acts()) if c.act_id in ("volunteer", "protocol-report")][1:]
enrichment = load_enrichment()
embedder = Slow()
index = VectorIndex(make_client(Path(sys.argv[1])), embedder)
fingerprint, hashes = fingerprints(chunks, enrichment, embedder)
index.build(fingerprint, vector_docs(chunks, enrichment), hashes)
"""


def _spawn(code: str, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", code, *args], cwd=ROOT, stderr=subprocess.PIPE)


def _wait_for(marker: Path, minimum: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if marker.exists() and marker.read_text() and int(marker.read_text()) >= minimum:
            return
        time.sleep(0.05)
    raise TimeoutError(f"{marker} never reached {minimum}")


def test_kill_while_writing_feedback(tmp_path: Path) -> None:
    db, marker = tmp_path / "bot.sqlite3", tmp_path / "written"
    writer = _spawn(WRITER, str(tmp_path), str(marker))
    _wait_for(marker, 300)
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait(10)
    confirmed = int(marker.read_text())
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    rows = con.execute("SELECT COUNT(*) FROM answers").fetchone()[0]
    assert rows >= confirmed  # every write confirmed before the kill is there
    numbers = sorted(int(r[0].split()[1]) for r in con.execute("SELECT question FROM answers"))
    assert numbers == list(range(1, rows + 1))  # no hole, no half-written row
    con.close()
    from bot.storage import Storage

    async def go_on() -> int:  # and the bot can go on writing
        storage = await Storage.open(None, tmp_path)
        await storage.feedback.save_answer(1, "after restart", [])
        count = await storage.feedback.answer_count()
        await storage.close()
        return count

    assert asyncio.run(go_on()) == rows + 1


def test_kill_during_reindex_keeps_the_previous_index(tmp_path: Path, acts: dict[str, Act]) -> None:
    chunks = [c for c in all_chunks(list(acts.values())) if c.act_id in ("volunteer", "protocol-report")]
    enrichment = load_enrichment()
    first = FakeEmbedder()
    index = VectorIndex(make_client(tmp_path), first)
    fingerprint, hashes = fingerprints(chunks, enrichment, first)
    index.build(fingerprint, vector_docs(chunks, enrichment), hashes)
    before = index.count()
    del index

    marker = tmp_path / "embedded"
    indexer = _spawn(INDEXER, str(tmp_path), str(marker))
    _wait_for(marker, 200)
    os.kill(indexer.pid, signal.SIGKILL)
    indexer.wait(10)

    reopened = VectorIndex(make_client(tmp_path), FakeEmbedder())
    assert reopened.open(fingerprint)  # the previous, complete index is still the current one
    assert reopened.count() == before
    target, sim = reopened.search(FakeEmbedder().passages([vector_docs(chunks, enrichment)[0].text])[0], 1)[0]
    assert target == chunks[0].key and sim > 0.99
