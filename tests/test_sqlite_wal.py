"""Opening the same new SQLite file from several processes at once: no "database is locked"."""

from __future__ import annotations

import sqlite3
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import numpy as np
import pytest

from knowledge.embed_cache import EmbeddingCache
from knowledge.sqlite_wal import switch_to_wal

PROCESSES = 4
ROUNDS = 15


def test_the_switch_waits_for_a_reader_to_let_go(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    reader = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    reader.execute("CREATE TABLE t (x)")
    reader.execute("BEGIN")
    reader.execute("SELECT * FROM t").fetchall()  # a shared lock: the switch cannot happen yet
    threading.Timer(0.3, lambda: reader.execute("COMMIT")).start()
    switcher = sqlite3.connect(path, timeout=0.05)  # SQLite's own wait gives up long before
    switch_to_wal(switcher.execute)
    assert switcher.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_a_lock_that_outlasts_the_wait_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "held.sqlite3"
    reader = sqlite3.connect(path, isolation_level=None)
    reader.execute("CREATE TABLE t (x)")
    reader.execute("BEGIN")
    reader.execute("SELECT * FROM t").fetchall()
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        switch_to_wal(sqlite3.connect(path, timeout=0.05).execute, wait_s=0.3)


def _open_and_write(path: str, start_at: float) -> str | None:
    time.sleep(max(0.0, start_at - time.time()))  # all processes open the new file together
    try:
        cache = EmbeddingCache("model", Path(path))
        cache.put([bytes([i]) * 16 for i in range(20)], np.ones((20, 4), dtype=np.float32))
        cache.close()
    except sqlite3.Error as err:
        return repr(err)
    return None


def test_processes_opening_a_new_embedding_cache_together_all_succeed(tmp_path: Path) -> None:
    """Replicas (and test workers) sharing a data dir open its embedding cache at the same moment."""
    with ProcessPoolExecutor(PROCESSES, mp_context=get_context("spawn")) as pool:
        list(pool.map(time.sleep, [0.0] * PROCESSES))  # workers started before the race
        for round_ in range(ROUNDS):
            path = str(tmp_path / f"cache-{round_}.sqlite3")
            start_at = time.time() + 0.1
            errors = [e for e in pool.map(_open_and_write, [path] * PROCESSES, [start_at] * PROCESSES) if e]
            assert errors == [], f"round {round_}: {errors}"
            assert len(EmbeddingCache("model", Path(path)).get([bytes([i]) * 16 for i in range(20)])) == 20
