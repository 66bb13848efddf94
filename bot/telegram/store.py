"""User settings and feedback in SQLite (WAL); user ids are stored salted and hashed."""

from __future__ import annotations

import hashlib
import json
import secrets
import sqlite3
import threading
import time
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    user_hash TEXT PRIMARY KEY,
    lang TEXT,
    updated REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_hash TEXT NOT NULL,
    question TEXT NOT NULL,
    provisions TEXT NOT NULL,
    vote INTEGER NOT NULL,
    created REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS feedback_user ON feedback(user_hash);
"""


class Store:
    """A small thread-safe SQLite store; one connection, writes serialised by a lock."""

    def __init__(self, path: Path, salt: str | None = None) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(SCHEMA)
        self._salt = salt or _salt_beside(path)

    def user_key(self, user_id: int) -> str:
        """The stored form of a Telegram user id: salted SHA-256, never the id itself."""
        return hashlib.sha256(f"{self._salt}:{user_id}".encode()).hexdigest()

    def language(self, user_id: int) -> str | None:
        row = self._db.execute("SELECT lang FROM users WHERE user_hash = ?", (self.user_key(user_id),)).fetchone()
        return str(row[0]) if row and row[0] else None

    def set_language(self, user_id: int, lang: str) -> None:
        with self._lock:
            self._db.execute(
                "INSERT INTO users(user_hash, lang, updated) VALUES (?, ?, ?) "
                "ON CONFLICT(user_hash) DO UPDATE SET lang = excluded.lang, updated = excluded.updated",
                (self.user_key(user_id), lang, time.time()),
            )

    def add_feedback(self, user_id: int, question: str, provisions: list[str], vote: int) -> None:
        """Record a 👍 (+1) or 👎 (-1) on an answer, with the question and the cited provisions."""
        with self._lock:
            self._db.execute(
                "INSERT INTO feedback(user_hash, question, provisions, vote, created) VALUES (?, ?, ?, ?, ?)",
                (
                    self.user_key(user_id),
                    question,
                    json.dumps(provisions, ensure_ascii=False),
                    vote,
                    time.time(),
                ),
            )

    def feedback_count(self, user_id: int | None = None) -> int:
        if user_id is None:
            return int(self._db.execute("SELECT COUNT(*) FROM feedback").fetchone()[0])
        query = "SELECT COUNT(*) FROM feedback WHERE user_hash = ?"
        return int(self._db.execute(query, (self.user_key(user_id),)).fetchone()[0])

    def totals(self) -> dict[str, int]:
        """Counts for the admin's /stats: users with settings, votes up and down."""
        users = self._db.execute("SELECT COUNT(*) FROM users").fetchone()[0]
        up, down = self._db.execute(
            "SELECT COALESCE(SUM(vote > 0), 0), COALESCE(SUM(vote < 0), 0) FROM feedback"
        ).fetchone()
        return {"users": int(users), "up": int(up), "down": int(down)}

    def forget(self, user_id: int) -> int:
        """Delete every row about the user; returns how many rows went."""
        key = self.user_key(user_id)
        with self._lock:
            gone = self._db.execute("DELETE FROM feedback WHERE user_hash = ?", (key,)).rowcount
            gone += self._db.execute("DELETE FROM users WHERE user_hash = ?", (key,)).rowcount
        return int(gone)

    def close(self) -> None:
        self._db.close()


def _salt_beside(path: Path) -> str:
    """A random salt kept in a file next to the database (created once)."""
    salt_file = path.with_suffix(".salt")
    if not salt_file.exists():
        salt_file.write_text(secrets.token_hex(16), encoding="utf-8")
        salt_file.chmod(0o600)
    return salt_file.read_text(encoding="utf-8").strip()
