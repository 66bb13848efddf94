"""The per-user question limit (sliding window), counted in the database so replicas share it.

Each user's recent question times sit in one row, read and written under a row lock
(`SELECT … FOR UPDATE` on PostgreSQL, `BEGIN IMMEDIATE` on SQLite), so two replicas cannot
both let the seventh question through. Rows idle for a whole window are purged. A question
is stamped with its update's id: a replica that resumes the update of one that died does not
count it again.
"""

from __future__ import annotations

import json
import time

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.storage.database import Database
from bot.storage.schema import rate_limits

QUESTIONS = 6  # questions a user may ask...
PERIOD = 60.0  # ...per this many seconds


class SharedLimiter:
    """Counts each user's questions in a sliding window and says how long to wait."""

    def __init__(self, db: Database, questions: int = QUESTIONS, period: float = PERIOD) -> None:
        self.db = db
        self.questions = questions
        self.period = period

    async def wait(self, user_id: int, update_id: int | None = None, now: float | None = None) -> float:
        """0 if the user may ask now (and counts it, once per update), else the seconds to wait."""
        now = time.time() if now is None else now
        key = self.db.user_key(user_id)

        async def count(conn: AsyncConnection) -> float:
            new = self.db.insert(rate_limits).values(user_hash=key, stamps="[]", updated=now)
            await conn.execute(new.on_conflict_do_nothing())
            row = select(rate_limits.c.stamps).where(rate_limits.c.user_hash == key).with_for_update()
            stamps = [(t, u) for t, u in _stamps(await conn.scalar(row)) if now - t < self.period]
            if update_id is not None and any(u == update_id for _, u in stamps):
                return 0.0  # counted when the update was first handled
            wait = self.period - (now - stamps[0][0]) if len(stamps) >= self.questions else 0.0
            if not wait:
                stamps.append((now, update_id))
            written = [t if u is None else [t, u] for t, u in stamps]
            changes = {"stamps": json.dumps(written), "updated": max((t for t, _ in stamps), default=now)}
            await conn.execute(update(rate_limits).where(rate_limits.c.user_hash == key).values(changes))
            return wait

        return await self.db.write(count)

    async def purge(self, now: float | None = None) -> int:
        """Delete the rows of users who asked nothing within the window; returns how many went."""
        now = time.time() if now is None else now
        gone = await self.db.write(
            lambda conn: conn.execute(delete(rate_limits).where(rate_limits.c.updated <= now - self.period))
        )
        return int(gone.rowcount)


def _stamps(raw: str | None) -> list[tuple[float, int | None]]:
    """A row's (time, update id) pairs; a stamp without an id is a bare time."""
    out: list[tuple[float, int | None]] = []
    for stamp in json.loads(raw or "[]"):
        time_, update_id = stamp if isinstance(stamp, list) else (stamp, None)
        out.append((float(time_), update_id))
    return out
