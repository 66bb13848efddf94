"""One index build at a time: a PostgreSQL advisory lock when replicas share a database, else a lock file.

Whoever waits re-checks afterwards whether the index it wanted now exists, so only the first
process builds; the others open what it built. A builder that dies releases the lock with it
(the database session ends, or the kernel drops the file lock).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

log = logging.getLogger(__name__)
ADVISORY_KEY = 0x5A5E1D  # the advisory-lock id of index builds (any constant shared by all replicas)
LOCK_FILE = "index.lock"


def psycopg_url(url: str) -> str:
    """A libpq URL from a SQLAlchemy-style one (`postgresql+psycopg://` → `postgresql://`)."""
    return re.sub(r"^postgres(?:ql)?(?:\+\w+)?://", "postgresql://", url)


@contextmanager
def build_lock(data_dir: Path, database_url: str | None = None) -> Iterator[None]:
    """Hold the index-build lock for the duration of the block."""
    if database_url:
        import psycopg

        with psycopg.connect(psycopg_url(database_url), autocommit=True) as conn:
            log.info("waiting for the index-build lock in PostgreSQL")
            conn.execute("SELECT pg_advisory_lock(%s)", (ADVISORY_KEY,))
            try:
                yield
            finally:
                conn.execute("SELECT pg_advisory_unlock(%s)", (ADVISORY_KEY,))
        return
    from filelock import FileLock

    data_dir.mkdir(parents=True, exist_ok=True)
    with FileLock(data_dir / LOCK_FILE):
        yield
