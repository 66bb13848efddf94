"""The storage facade the bot holds: one object per process, one database shared by replicas."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.storage.database import ATTEMPTS, BUSY_TIMEOUT_MS, Database, open_database
from bot.storage.feedback import Feedback
from bot.storage.files import StorageError
from bot.storage.limits import PERIOD, QUESTIONS, SharedLimiter
from bot.storage.schema import answers, rate_limits, users, votes
from bot.storage.updates import LEASE, UpdateClaims
from bot.storage.users import Users

log = logging.getLogger(__name__)
ANSWER_DAYS = 30  # answers nobody voted on are kept this long (their buttons expire then)
PURGE_EVERY = 600.0  # seconds between purges of expired rows by one process


@dataclass(frozen=True)
class Forgotten:
    """What `/forget` deleted: the row count, and the user's questions (to drop from answer caches)."""

    rows: int
    questions: tuple[str, ...]


class Storage:
    """Languages, answers and votes, rate limits, update claims and sent replies, over SQLite or PostgreSQL.

    Made without I/O (so the bot can be assembled synchronously); `start()` opens and migrates
    the database, and the parts (`users`, `feedback`, `limits`, `updates`) exist from then on.
    """

    users: Users
    feedback: Feedback
    limits: SharedLimiter
    updates: UpdateClaims

    def __init__(
        self,
        url: str | None,
        data_dir: Path,
        salt: str | None = None,
        questions: int = QUESTIONS,
        period: float = PERIOD,
        busy_timeout_ms: int = BUSY_TIMEOUT_MS,
        attempts: int = ATTEMPTS,
        lease: float = LEASE,
    ) -> None:
        """`url` is DATABASE_URL (None = SQLite in `data_dir`); `questions` per `period` is the limit;
        `lease` is how long an update's claim outlives a replica that stopped renewing it.

        On SQLite a write waits up to `busy_timeout_ms` for another process's lock, `attempts` times.
        """
        self.url, self.data_dir, self.salt = url, data_dir, salt
        self.questions, self.period, self.lease = questions, period, lease
        self.busy_timeout_ms, self.attempts = busy_timeout_ms, attempts
        self._db: Database | None = None
        self._next_purge = 0.0  # monotonic time of the next purge by this process

    @classmethod
    async def open(cls, url: str | None, data_dir: Path, salt: str | None = None) -> Storage:
        """A started storage."""
        storage = cls(url, data_dir, salt)
        await storage.start()
        return storage

    async def start(self) -> None:
        """Open the database, creating files and schema as needed (a no-op once started)."""
        if self._db is not None:
            return
        db = await open_database(self.url, self.data_dir, self.salt, self.busy_timeout_ms, self.attempts)
        self.users, self.feedback = Users(db), Feedback(db)
        self.limits = SharedLimiter(db, self.questions, self.period)
        self.updates = UpdateClaims(db, self.lease)
        self._db = db

    @property
    def db(self) -> Database:
        if self._db is None:
            raise StorageError("the storage is used before start()")
        return self._db

    async def forget(self, user_id: int) -> Forgotten:
        """Delete every row about the user (and votes on their answers).

        On SQLite the WAL is then checkpointed and emptied, and deleted content is overwritten
        (`secure_delete`), so the forgotten text stays in no file.
        """
        key = self.db.user_key(user_id)
        theirs = select(answers.c.token).where(answers.c.asker_hash == key).scalar_subquery()

        async def delete_theirs(conn: AsyncConnection) -> Forgotten:
            questions = (await conn.execute(select(answers.c.question).where(answers.c.asker_hash == key))).scalars()
            asked = tuple(dict.fromkeys(questions))
            gone = (await conn.execute(delete(votes).where(votes.c.voter_hash == key))).rowcount
            gone += (await conn.execute(delete(votes).where(votes.c.token.in_(theirs)))).rowcount
            gone += (await conn.execute(delete(answers).where(answers.c.asker_hash == key))).rowcount
            gone += (await conn.execute(delete(users).where(users.c.user_hash == key))).rowcount
            gone += (await conn.execute(delete(rate_limits).where(rate_limits.c.user_hash == key))).rowcount
            return Forgotten(int(gone), asked)

        forgotten = await self.db.write(delete_theirs)
        await self.db.checkpoint()
        return forgotten

    async def totals(self) -> dict[str, int]:
        """Counts for the admin's /stats: users with settings, answers, votes up and down."""
        async with self.db.reading() as conn:
            people = await conn.scalar(select(func.count()).select_from(users))
            kept = await conn.scalar(select(func.count()).select_from(answers))
            up = await conn.scalar(select(func.count()).select_from(votes).where(votes.c.vote > 0))
            down = await conn.scalar(select(func.count()).select_from(votes).where(votes.c.vote < 0))
        return {"users": int(people or 0), "answers": int(kept or 0), "up": int(up or 0), "down": int(down or 0)}

    async def purge(self, now: float | None = None) -> int:
        """Delete what has expired: idle rate-limit rows, old update claims, old answers without votes."""
        now = time.time() if now is None else now
        gone = await self.limits.purge(now) + await self.updates.purge(now)
        voted = select(votes.c.token).distinct()
        old = delete(answers).where(answers.c.created <= now - ANSWER_DAYS * 86400, answers.c.token.not_in(voted))
        gone += (await self.db.write(lambda conn: conn.execute(old))).rowcount
        return int(gone)

    async def purge_if_due(self) -> int:
        """`purge`, at most once per PURGE_EVERY seconds per process (called as updates arrive).

        It runs on a user's update, so it never fails it: a purge that cannot run now is logged
        and left to the next one.
        """
        if time.monotonic() < self._next_purge:
            return 0
        self._next_purge = time.monotonic() + PURGE_EVERY
        try:
            return await self.purge()
        except (StorageError, SQLAlchemyError) as err:
            log.warning("purge of expired rows failed (%s); the next one will catch up", type(err).__name__)
            return 0

    async def close(self) -> None:
        if self._db is not None:
            await self._db.close()
            self._db = None
