"""Which Telegram updates are taken, and which of their replies are sent, across replicas.

Telegram re-delivers a webhook update until some replica answers 200. Before handling, a replica
claims the update id (insert if absent). The claim is a lease: the holder renews it while it
handles the update, so a claim not renewed for `lease` seconds means its holder died, and the
next delivery is taken over (RESUMED) by whichever replica receives it. A finished update is
never handled again.

Each reply is recorded as soon as Telegram confirms it (`record`); a replica that resumes an
update sends only the replies not recorded (`sent`). What remains open is a reply Telegram
carried out whose record the dying holder had not written yet: milliseconds, in which no
process can know whether the user has it.
"""

from __future__ import annotations

import time
from collections.abc import Collection
from enum import Enum

from sqlalchemy import delete, select, update

from bot.storage.database import Database, autocommit
from bot.storage.schema import processed_updates, sent_replies

LEASE = 5.0  # seconds a claim outlives its last renewal (Settings.telegram.claim_lease)
KEEP = 24 * 3600.0  # Telegram keeps undelivered updates for 24 hours; claims older than that go


class Claim(Enum):
    """The outcome of `UpdateClaims.claim`."""

    CLAIMED = "claimed"  # yours, new: handle it, then `finish` (or `release` if you could not)
    RESUMED = "resumed"  # yours, begun before by a replica that died or gave it back: skip what `sent` holds
    DONE = "done"  # handled already: acknowledge it (HTTP 200) without handling
    BUSY = "busy"  # another replica is handling it now: answer non-200 so Telegram retries later


class UpdateClaims:
    """Claims and reply records: each a single statement in autocommit on the urgent pool.

    One statement is one transaction, so no two replicas can both take an update: the insert
    conflicts, and of two renewals of a stale claim only the first still finds it stale.
    """

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
        async with autocommit(self.db.urgent) as conn:  # RETURNING says whether a row was written
            if (await conn.execute(new.on_conflict_do_nothing().returning(table.c.update_id))).first() is not None:
                return Claim.CLAIMED
            if (await conn.execute(stale.returning(table.c.update_id))).first() is not None:
                return Claim.RESUMED
            done = await conn.scalar(select(table.c.done).where(table.c.update_id == update_id))
        return Claim.DONE if done else Claim.BUSY

    async def renew(self, update_ids: Collection[int], now: float | None = None) -> int:
        """Extend the leases of the unfinished updates this replica is handling; returns how many."""
        if not update_ids:
            return 0
        now = time.time() if now is None else now
        table = processed_updates
        renew = update(table).where(table.c.update_id.in_(list(update_ids)), table.c.done.is_(False))
        async with autocommit(self.db.urgent) as conn:
            renewed = await conn.execute(renew.values(claimed_at=now))
        return int(renewed.rowcount)

    async def sent(self, update_id: int) -> dict[int, int | None]:
        """The replies of the update recorded so far: reply number → Telegram's message id (if any)."""
        table = sent_replies
        async with autocommit(self.db.urgent) as conn:
            found = await conn.execute(select(table.c.seq, table.c.message_id).where(table.c.update_id == update_id))
        return {int(seq): message_id for seq, message_id in found}

    async def record(self, update_id: int, seq: int, message_id: int | None, now: float | None = None) -> None:
        """Note that the update's `seq`-th reply reached Telegram, so no replica sends it again."""
        now = time.time() if now is None else now
        row = {"update_id": update_id, "seq": seq, "message_id": message_id, "sent_at": now}
        async with autocommit(self.db.urgent) as conn:
            await conn.execute(self.db.insert(sent_replies).values(row).on_conflict_do_nothing())

    async def finish(self, update_id: int) -> None:
        """Mark a claimed update handled: later deliveries of it are acknowledged and skipped.

        Its reply records go next (if that is cut short, `purge` removes them later).
        """
        table = processed_updates
        async with autocommit(self.db.urgent) as conn:
            await conn.execute(update(table).where(table.c.update_id == update_id).values(done=True))
            await conn.execute(delete(sent_replies).where(sent_replies.c.update_id == update_id))

    async def release(self, update_id: int, now: float | None = None) -> None:
        """Give a claimed, unfinished update back (e.g. on shutdown): its lease ends now.

        Its next delivery is resumed at once, by any replica; the replies it sent stay recorded.
        """
        now = time.time() if now is None else now
        table = processed_updates
        expire = update(table).where(table.c.update_id == update_id, table.c.done.is_(False))
        async with autocommit(self.db.urgent) as conn:
            await conn.execute(expire.values(claimed_at=now - self.lease))

    async def purge(self, now: float | None = None) -> int:
        """Forget claims, and replies of updates never finished, older than Telegram keeps updates."""
        now = time.time() if now is None else now
        async with autocommit(self.db.urgent) as conn:
            gone = await conn.execute(delete(processed_updates).where(processed_updates.c.claimed_at <= now - KEEP))
            left = await conn.execute(delete(sent_replies).where(sent_replies.c.sent_at <= now - KEEP))
        return int(gone.rowcount) + int(left.rowcount)
