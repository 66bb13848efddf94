"""The SQLite files on disk: private (0600) from their first byte, and a salt that cannot be weak.

Files are created with `os.open(..., O_CREAT | O_EXCL, 0o600)`, so no other user can ever read
them, not even between creating and `chmod`. SQLite gives its `-wal` and `-shm` files the mode of
the database file.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

PRIVATE = 0o600
SALT_BYTES = 16
MIN_SALT_CHARS = 2 * SALT_BYTES  # hex digits


class StorageError(RuntimeError):
    """The storage cannot be opened safely; the message says what to fix."""


def check_salt(salt: str, origin: str) -> str:
    """The salt itself, or a clear error when it is too short to keep user ids unguessable."""
    salt = salt.strip()
    if len(salt) < MIN_SALT_CHARS:
        raise StorageError(
            f"{origin}: the user-id salt has {len(salt)} characters, at least {MIN_SALT_CHARS} are needed "
            "(delete an empty salt file only together with its database: existing hashes depend on it)"
        )
    return salt


def new_salt() -> str:
    return secrets.token_hex(SALT_BYTES)


def salt_beside(database: Path) -> str:
    """The salt kept next to the database: created once, 0600, complete or not at all."""
    path = database.with_suffix(".salt")
    if not path.exists():
        _write_new(path, new_salt())
    return check_salt(path.read_text(encoding="utf-8"), str(path))


def _write_new(path: Path, text: str) -> None:
    """Write a private file under a temporary name, then link it into place unless one is there."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        with contextlib.suppress(FileExistsError):  # another process won the race: keep theirs
            os.link(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def prepare_database_file(database: Path) -> None:
    """Create the (empty) database file 0600 before SQLite opens it; tighten files of older versions."""
    database.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(database, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE))
    for path in (database, Path(f"{database}-wal"), Path(f"{database}-shm"), database.with_suffix(".salt")):
        if path.exists() and path.stat().st_mode & 0o077:
            path.chmod(PRIVATE)
