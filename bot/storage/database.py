"""One async SQLAlchemy engine for either backend, migrated to the newest schema on open.

SQLite (aiosqlite) under DATA_DIR is the embedded default; PostgreSQL (psycopg 3) is used when
DATABASE_URL is set, so that several replicas share languages, votes, limits and update claims.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import random
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import event, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from bot.storage.files import StorageError, check_salt, new_salt, prepare_database_file, salt_beside
from bot.storage.migrate import upgrade
from bot.storage.schema import secrets_table
from knowledge.sqlite_wal import switch_to_wal

log = logging.getLogger(__name__)
T = TypeVar("T")
SQLITE_NAME = "bot.sqlite3"
BUSY_TIMEOUT_MS = 10_000  # how long SQLite itself waits for another connection's write lock
# PostgreSQL connections a replica keeps open (and opens at most half as many again, closed after
# use): enough for the 40 updates Telegram delivers at once, so that a burst does not connect and
# disconnect over and over (5 + 10 did: 65 connections per replica in the replica load bench, now
# ~25). Two replicas use at most 2 x (30 + 15) of the server's default 100.
POOL = 20
URGENT_POOL = 10  # claims and reply records
ATTEMPTS = 4  # a write transaction SQLite refused as locked is run again, up to this many times in all
BACKOFF = 0.1  # seconds before the first repeat, doubled before each next one (with jitter)
SQLITE_BUSY, SQLITE_LOCKED = 5, 6  # primary result codes (the low byte of an extended code)


class StorageBusyError(StorageError):
    """The database stayed locked by another connection through every attempt of a write."""


def is_busy(err: BaseException) -> bool:
    """Whether SQLite refused because another connection held a lock: the transaction may simply be run again."""
    orig = getattr(err, "orig", err)
    code = getattr(orig, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF in (SQLITE_BUSY, SQLITE_LOCKED)
    message = str(orig).lower()
    return "database is locked" in message or "database is busy" in message


def database_url(url: str | None, data_dir: Path) -> str:
    """The SQLAlchemy URL with its async driver: the given one, else SQLite under `data_dir`."""
    if not url:
        return f"sqlite+aiosqlite:///{data_dir / SQLITE_NAME}"
    parsed = make_url(url)
    drivers = {"postgresql": "postgresql+psycopg", "postgres": "postgresql+psycopg", "sqlite": "sqlite+aiosqlite"}
    if parsed.drivername in drivers:
        parsed = parsed.set(drivername=drivers[parsed.drivername])
    if parsed.drivername not in drivers.values():
        raise StorageError(f"DATABASE_URL: unsupported database {parsed.drivername!r} (use postgresql:// or sqlite://)")
    return parsed.render_as_string(hide_password=False)


@dataclass
class Database:
    """The engines plus what every table module needs: the user-id hash, an upsert-capable insert, and
    `write`, the one way to run a write transaction (it outlasts a locked SQLite database).

    `urgent` is a second pool for the short writes that decide whether an update is handled or a
    reply sent twice (claims, their renewals, records of sent replies): under load the handlers'
    queries fill the main pool, and those writes must not queue behind them. Each is one
    statement in autocommit, on a connection not pinged first: one round trip.
    """

    engine: AsyncEngine
    salt: str
    urgent: AsyncEngine
    attempts: int = ATTEMPTS
    backoff: float = BACKOFF
    _turn: tuple[asyncio.AbstractEventLoop, asyncio.Lock] | None = field(default=None, init=False, repr=False)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def sqlite_path(self) -> Path | None:
        database = self.engine.url.database
        return Path(database) if self.is_sqlite and database and database != ":memory:" else None

    def user_key(self, user_id: int) -> str:
        """The stored form of a Telegram user id: salted SHA-256, never the id itself."""
        return hashlib.sha256(f"{self.salt}:{user_id}".encode()).hexdigest()

    def insert(self, table: Any) -> Any:
        """An INSERT that supports `on_conflict_do_nothing` / `on_conflict_do_update` on this backend."""
        return sqlite.insert(table) if self.is_sqlite else postgresql.insert(table)

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[AsyncConnection]:
        """A connection for reads only, in autocommit: on SQLite it takes no write lock.

        Every other transaction on SQLite begins IMMEDIATE (it may write); a lookup does not
        need to queue behind the writers for that lock, and must not fail when they are slow.
        """
        async with autocommit(self.engine) as conn:
            yield conn

    async def write(self, work: Callable[[AsyncConnection], Awaitable[T]]) -> T:
        """Run `work` in one write transaction and commit it; its result is returned.

        On SQLite, writers of this process take turns (first come, first served) rather than
        poll SQLite's lock, which under load is unfair: a writer could wait out the whole busy
        timeout. A transaction SQLite still refuses as locked (another process held the lock
        past the busy timeout) is rolled back and run again from the start, so `work` must do
        nothing but database calls on `conn`.
        """

        async def once() -> T:
            async with self._writer_turn(), self.engine.begin() as conn:
                return await work(conn)

        return await self._again_while_locked(once)

    async def checkpoint(self) -> None:
        """Copy the SQLite WAL into the database and empty it, so deleted rows leave no copy there.

        A reader still on an older snapshot blocks the truncation; it is tried again like a
        locked write, since readers finish quickly.
        """
        if not self.is_sqlite:
            return

        async def once() -> None:
            async with self._writer_turn(), self.engine.connect() as conn:
                auto = await conn.execution_options(isolation_level="AUTOCOMMIT")
                busy = (await auto.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")).one()[0]
            if busy:
                raise StorageBusyError(
                    "the SQLite checkpoint was blocked by a reader; the WAL still holds deleted rows"
                )

        await self._again_while_locked(once)

    async def _again_while_locked(self, once: Callable[[], Awaitable[T]]) -> T:
        """`once()`, repeated while SQLite says locked: `attempts` times in all, pausing longer each time."""
        delay = self.backoff
        for attempt in range(1, self.attempts + 1):
            try:
                return await once()
            except (OperationalError, StorageBusyError) as err:
                if isinstance(err, OperationalError) and not (self.is_sqlite and is_busy(err)):
                    raise
                if attempt == self.attempts:
                    if isinstance(err, StorageBusyError):
                        raise
                    raise StorageBusyError(f"the database stayed locked through {attempt} attempts") from err
                log.warning("the database was locked (attempt %d of %d); trying again", attempt, self.attempts)
            await asyncio.sleep(delay * random.uniform(0.5, 1.5))
            delay *= 2
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _writer_turn(self) -> contextlib.AbstractAsyncContextManager[Any]:
        """On SQLite, this process's one write turn (a lock on the running event loop); elsewhere nothing."""
        if not self.is_sqlite:
            return contextlib.nullcontext()
        loop = asyncio.get_running_loop()
        if self._turn is None or self._turn[0] is not loop:
            self._turn = (loop, asyncio.Lock())
        return self._turn[1]

    async def close(self) -> None:
        await self.engine.dispose()
        await self.urgent.dispose()


def _sqlite_engine(url: str, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> AsyncEngine:
    """aiosqlite with WAL, deleted content overwritten, and BEGIN IMMEDIATE so writers queue, not fail."""
    engine = create_async_engine(url)

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (below)
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")  # first: even switching to WAL may wait
        switch_to_wal(cursor.execute)
        for pragma in ("synchronous=NORMAL", "secure_delete=ON", "foreign_keys=ON"):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        if conn.get_execution_options().get("isolation_level") != "AUTOCOMMIT":
            conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


async def open_database(
    url: str | None,
    data_dir: Path,
    salt: str | None = None,
    busy_timeout_ms: int = BUSY_TIMEOUT_MS,
    attempts: int = ATTEMPTS,
) -> Database:
    """Open (creating files and schema as needed) the database, and settle the user-id salt.

    The salt is `salt` when given (USER_HASH_SALT); else for SQLite a file beside the database,
    for PostgreSQL a row written once, so that every replica hashes user ids alike. On SQLite a
    write waits `busy_timeout_ms` for another connection's lock, and is made `attempts` times.
    """
    full = database_url(url, data_dir)
    path = path_of(full)
    if path is not None:
        prepare_database_file(path)
    engine = _engine(full, busy_timeout_ms)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(upgrade)
            if salt is not None:
                chosen = check_salt(salt, "USER_HASH_SALT")
            elif path is not None:
                chosen = salt_beside(path)
            else:
                chosen = await _shared_salt(conn)
    except StorageError:
        await engine.dispose()
        raise
    except Exception as err:
        await engine.dispose()
        raise StorageError(f"cannot open the database {make_url(full).render_as_string()}: {err}") from err
    return Database(engine, chosen, _engine(full, busy_timeout_ms, urgent=True), attempts=attempts)


def _engine(url: str, busy_timeout_ms: int = BUSY_TIMEOUT_MS, urgent: bool = False) -> AsyncEngine:
    """An engine on the URL; on PostgreSQL the main one checks a connection before use.

    The urgent one does not (a dead connection fails one write, and the pool then replaces it).
    """
    if url.startswith("sqlite"):
        return _sqlite_engine(url, busy_timeout_ms)
    if urgent:
        return create_async_engine(url, pool_size=URGENT_POOL, max_overflow=URGENT_POOL // 2)
    return create_async_engine(url, pool_pre_ping=True, pool_size=POOL, max_overflow=POOL // 2)


@asynccontextmanager
async def autocommit(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """A connection on which each statement is its own transaction (on SQLite: no BEGIN IMMEDIATE)."""
    async with engine.connect() as conn:
        yield await conn.execution_options(isolation_level="AUTOCOMMIT")


def path_of(url: str) -> Path | None:
    """The SQLite file a URL names (None for PostgreSQL or an in-memory database)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        return Path(parsed.database)
    return None


async def _shared_salt(conn: AsyncConnection) -> str:
    """The salt stored in the database, written by whichever replica came first."""
    insert = postgresql.insert(secrets_table) if conn.dialect.name != "sqlite" else sqlite.insert(secrets_table)
    await conn.execute(insert.values(name="user_hash_salt", value=new_salt()).on_conflict_do_nothing())
    value = await conn.scalar(select(secrets_table.c.value).where(secrets_table.c.name == "user_hash_salt"))
    return check_salt(str(value), "the database's stored salt")
