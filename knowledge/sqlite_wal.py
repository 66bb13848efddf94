"""Switching a SQLite file to WAL while other processes may be opening the same new file.

SQLite refuses the switch with "database is locked" at once, without its busy handler, when
another connection is switching or reading the new file at that moment; so the switch is
retried for a while. Replicas sharing a data dir (and parallel test workers) all hit this.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable

WAL_WAIT_S = 10.0  # how long to retry; the other side's switch takes milliseconds


def switch_to_wal(execute: Callable[[str], object], wait_s: float = WAL_WAIT_S) -> None:
    """Run `PRAGMA journal_mode=WAL` through `execute`, retrying while the file is locked."""
    deadline = time.monotonic() + wait_s
    while True:
        try:
            execute("PRAGMA journal_mode=WAL")
            return
        except Exception as err:  # sqlite3's or a driver's wrapper of it: told apart by the message
            if "locked" not in str(err) or time.monotonic() >= deadline:
                raise
            time.sleep(random.uniform(0.02, 0.08))  # jitter: two racers do not retry in lockstep
