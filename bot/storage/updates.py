"""Which Telegram updates are taken: each update is handled once, whichever replica receives it.

Telegram re-delivers a webhook update until some replica answers 200. Before handling, a replica
claims the update id (insert if absent). A claim whose holder died is taken over after `lease`
seconds, so a killed replica loses nothing; a finished update is never handled again.
"""

from __future__ import annotations

import time
from enum import Enum

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.storage.database import Database
from bot.storage.schema import processed_updates

LEASE = 60.0  # seconds a claim stays with its replica before another may take the update over
KEEP = 24 * 3600.0  # Telegram keeps undelivered updates for 24 hours; claims older than that go


class Claim(Enum):
    """The outcome of `UpdateClaims.claim`."""

    CLAIMED = "claimed"  # yours: handle it, then `finish` (or `release` if you could not)
    DONE = "done"  # handled already: acknowledge it (HTTP 200) without handling
    BUSY = "busy"  # another replica is handling it now: answer non-200 so Telegram retries later


class UpdateClaims:
    def __init__(self, db: Database, lease: float = LEASE) -> None:
        self.db = db
        self.lease = lease

    async def claim(self, update_id: int, now: float | None = None) -> Claim:
        """Take the update if nobody has, or if its holder's lease ran out."""
        now = time.time() if now is None else now
        table = processed_updates
        new = self.db.insert(table).values(update_id=update_id, done=False, claimed_at=now)
        stale = (
            update(table)
            .where(table.c.update_id == update_id, table.c.done.is_(False), table.c.claimed_at <= now - self.lease)
            .values(claimed_at=now)
        )

        async def take(conn: AsyncConnection) -> Claim:  # RETURNING says whether a row was written
            if (await conn.execute(new.on_conflict_do_nothing().returning(table.c.update_id))).first() is not None:
                return Claim.CLAIMED
            if (await conn.execute(stale.returning(table.c.update_id))).first() is not None:
                return Claim.CLAIMED
            done = await conn.scalar(select(table.c.done).where(table.c.update_id == update_id))
            return Claim.DONE if done else Claim.BUSY

        return await self.db.write(take)

    async def finish(self, update_id: int) -> None:
        """Mark a claimed update handled: later deliveries of it are acknowledged and skipped."""
        done = update(processed_updates).where(processed_updates.c.update_id == update_id).values(done=True)
        await self.db.write(lambda conn: conn.execute(done))

    async def release(self, update_id: int) -> None:
        """Give a claimed, unfinished update back (e.g. on shutdown) so its re-delivery is handled at once."""
        table = processed_updates
        unfinished = delete(table).where(table.c.update_id == update_id, table.c.done.is_(False))
        await self.db.write(lambda conn: conn.execute(unfinished))

    async def purge(self, now: float | None = None) -> int:
        """Forget claims older than Telegram keeps updates."""
        now = time.time() if now is None else now
        table = processed_updates
        gone = await self.db.write(lambda conn: conn.execute(delete(table).where(table.c.claimed_at <= now - KEEP)))
        return int(gone.rowcount)
