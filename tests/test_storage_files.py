"""The SQLite files: private from creation, a salt that cannot be weak, nothing left after /forget."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
from pathlib import Path

import pytest

from bot.storage import Storage, StorageError
from bot.storage.database import database_url
from bot.storage.files import salt_beside

pytestmark = pytest.mark.anyio
SALT = "0123456789abcdef" * 2


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def modes(folder: Path) -> dict[str, int]:
    return {p.name: stat.S_IMODE(p.stat().st_mode) for p in folder.iterdir()}


@pytest.mark.parametrize("content", ["", "\n", "abc123\n", "0" * 31])
async def test_an_empty_or_short_salt_file_is_rejected(tmp_path: Path, content: str) -> None:
    (tmp_path / "bot.salt").write_text(content, encoding="utf-8")
    with pytest.raises(StorageError, match=r"bot\.salt: the user-id salt has \d+ characters, at least 32"):
        await Storage.open(None, tmp_path)


async def test_salt_database_and_wal_are_private_from_creation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    created: list[tuple[str, int, int]] = []
    real_open = os.open

    def spy(path, flags, mode=0o777, *args, **kwargs):  # type: ignore[no-untyped-def]
        if flags & os.O_CREAT:
            created.append((str(path), flags, mode))
        return real_open(path, flags, mode, *args, **kwargs)

    monkeypatch.setattr(os, "open", spy)
    old_umask = os.umask(0)  # the most permissive umask: only explicit modes protect the files
    try:
        storage = await Storage.open(None, tmp_path)
        await storage.users.set_language(5, "kk")
        assert modes(tmp_path) == dict.fromkeys(
            ("bot.sqlite3", "bot.sqlite3-wal", "bot.sqlite3-shm", "bot.salt"), 0o600
        )
        await storage.close()
    finally:
        os.umask(old_umask)
    ours = [c for c in created if Path(c[0]).parent == tmp_path]
    assert {Path(p).name.split(".")[1] for p, _, _ in ours} >= {
        "sqlite3",
        "bot",
    }  # the database and the salt's temp file
    assert all(flags & os.O_EXCL and mode == 0o600 for _, flags, mode in ours)


async def test_files_of_older_versions_are_made_private(tmp_path: Path) -> None:
    (tmp_path / "bot.salt").write_text(SALT, encoding="utf-8")
    sqlite3.connect(tmp_path / "bot.sqlite3").close()
    for path in tmp_path.iterdir():
        path.chmod(0o644)
    storage = await Storage.open(None, tmp_path)
    await storage.close()
    assert set(modes(tmp_path).values()) == {0o600}


async def test_a_forgotten_question_stays_in_no_file(tmp_path: Path) -> None:
    marker = "вопрос-для-забвения-7f3a"
    storage = await Storage.open(None, tmp_path)
    try:
        token = await storage.feedback.save_answer(42, marker, ["volunteer|12|3|5"])
        await storage.feedback.vote(42, token, 1)

        def files_with_marker() -> list[str]:
            return [p.name for p in tmp_path.iterdir() if marker.encode() in p.read_bytes()]

        assert files_with_marker()  # the scan sees the text while it is stored
        assert (await storage.forget(42)).rows == 2
        assert files_with_marker() == []
        assert (tmp_path / "bot.sqlite3-wal").stat().st_size == 0  # checkpointed and emptied
    finally:
        await storage.close()


async def test_a_database_from_before_migrations_keeps_languages(tmp_path: Path) -> None:
    (tmp_path / "bot.salt").write_text(SALT, encoding="utf-8")
    legacy = sqlite3.connect(tmp_path / "bot.sqlite3")
    legacy.executescript(
        "CREATE TABLE users (user_hash TEXT PRIMARY KEY, lang TEXT, updated REAL NOT NULL);"
        "CREATE TABLE feedback (id INTEGER PRIMARY KEY AUTOINCREMENT, user_hash TEXT NOT NULL, question TEXT NOT NULL,"
        " provisions TEXT NOT NULL, vote INTEGER NOT NULL, created REAL NOT NULL);"
    )
    user_hash = hashlib.sha256(f"{SALT}:77".encode()).hexdigest()
    legacy.execute("INSERT INTO users VALUES (?, 'en', 0)", (user_hash,))
    legacy.execute("INSERT INTO feedback VALUES (1, ?, 'someone else''s question', '[]', 1, 0)", (user_hash,))
    legacy.commit()
    legacy.close()
    storage = await Storage.open(None, tmp_path)
    try:
        assert await storage.users.language(77) == "en"
    finally:
        await storage.close()
    tables = {r[0] for r in sqlite3.connect(tmp_path / "bot.sqlite3").execute("SELECT name FROM sqlite_master")}
    assert "feedback" not in tables and {"answers", "votes", "alembic_version"} <= tables


def test_two_processes_creating_the_salt_agree(tmp_path: Path) -> None:
    database = tmp_path / "bot.sqlite3"
    first = salt_beside(database)
    assert salt_beside(database) == first and len(first) == 32
    assert [p.name for p in tmp_path.iterdir()] == ["bot.salt"]  # no temporary file left behind


def test_database_url_forms(tmp_path: Path) -> None:
    assert database_url(None, tmp_path) == f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}"
    assert database_url("postgres://u:p@db:5432/bot", tmp_path) == "postgresql+psycopg://u:p@db:5432/bot"
    assert database_url("postgresql+psycopg://db/bot", tmp_path) == "postgresql+psycopg://db/bot"
    with pytest.raises(StorageError, match="unsupported database 'mysql'"):
        database_url("mysql://db/bot", tmp_path)
