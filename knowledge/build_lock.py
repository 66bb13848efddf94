"""One index build at a time: a PostgreSQL advisory lock when replicas share a database, else a lock file.

Whoever waits re-checks afterwards whether the index it wanted now exists, so only the first
process builds; the others open what it built. A builder that dies releases the lock with it
(the database session ends, or the kernel drops the file lock).
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

log = logging.getLogger(__name__)
LOCK_FILE = "index.lock"


def psycopg_url(url: str) -> str:
    """A libpq URL from a SQLAlchemy-style one (`postgresql+psycopg://` → `postgresql://`)."""
    return re.sub(r"^postgres(?:ql)?(?:\+\w+)?://", "postgresql://", url)


def advisory_key(scope: str) -> int:
    """A signed 64-bit advisory-lock id for builds into one store (replicas of one Chroma server share it)."""
    return int.from_bytes(hashlib.sha256(f"index-build:{scope}".encode()).digest()[:8], "big", signed=True)


@contextmanager
def build_lock(data_dir: Path, database_url: str | None = None, scope: str = "") -> Iterator[None]:
    """Hold the index-build lock of `scope` (where the vectors live) for the duration of the block."""
    if database_url:
        import psycopg

        key = advisory_key(scope or str(data_dir))
        with psycopg.connect(psycopg_url(database_url), autocommit=True) as conn:
            log.info("waiting for the index-build lock in PostgreSQL")
            conn.execute("SELECT pg_advisory_lock(%s)", (key,))
            try:
                yield
            finally:
                conn.execute("SELECT pg_advisory_unlock(%s)", (key,))
        return
    from filelock import FileLock

    data_dir.mkdir(parents=True, exist_ok=True)
    with FileLock(data_dir / LOCK_FILE):
        yield
