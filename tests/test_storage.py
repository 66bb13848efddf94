"""The shared storage, on both backends: every case runs on SQLite and on PostgreSQL.

Two `Storage` objects on one database stand for two replicas.
"""

from __future__ import annotations

import asyncio
import json
import re
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select, text

from bot.present.buttons import ANSWER_TOKEN
from bot.storage import Claim, Storage
from bot.storage.database import ATTEMPTS, StorageBusyError
from bot.storage.schema import answers, metadata, processed_updates, rate_limits, sent_replies, users, votes

pytestmark = pytest.mark.anyio
ASKER, VOTER, OTHER = 1001, 2002, 3003


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@asynccontextmanager
async def replicas(database_url: str | None, tmp_path: Path, count: int = 2) -> AsyncIterator[list[Storage]]:
    opened = [await Storage.open(database_url, tmp_path) for _ in range(count)]
    try:
        yield opened
    finally:
        for storage in opened:
            await storage.close()


async def rows(storage: Storage, table) -> list[dict]:  # type: ignore[no-untyped-def]
    async with storage.db.engine.connect() as conn:
        return [dict(r._mapping) for r in await conn.execute(select(table))]


async def test_language_is_shared_between_replicas(database_url: str | None, tmp_path: Path) -> None:
    async with replicas(database_url, tmp_path) as (one, two):
        assert await two.users.language(ASKER) is None
        await one.users.set_language(ASKER, "kk")
        await two.users.set_language(ASKER, "en")
        assert await one.users.language(ASKER) == "en"
        stored = await rows(one, users)
        assert [r["user_hash"] for r in stored] == [one.db.user_key(ASKER)]
        assert str(ASKER) not in stored[0]["user_hash"] and len(stored[0]["user_hash"]) == 64


async def test_lookups_do_not_wait_for_a_writer(database_url: str | None, tmp_path: Path) -> None:
    """A language lookup answers at once while another replica holds a write transaction open."""
    async with replicas(database_url, tmp_path) as (one, two):
        await one.users.set_language(ASKER, "en")
        async with one.db.engine.begin() as writing:  # on SQLite: the database's one write lock
            await writing.execute(users.update().values(updated=0.0))
            async with asyncio.timeout(2):  # the SQLite busy timeout is 10 s
                assert await two.users.language(ASKER) == "en"
                assert await two.feedback.vote_count() == 0


async def test_answer_tokens_are_random_persisted_and_shared(database_url: str | None, tmp_path: Path) -> None:
    async with replicas(database_url, tmp_path) as (one, two):
        tokens = [await one.feedback.save_answer(ASKER, f"question {i}", ["volunteer|12|3|5"]) for i in range(20)]
        assert len(set(tokens)) == 20 and all(re.fullmatch(ANSWER_TOKEN, t) for t in tokens)
        found = await two.feedback.answer(tokens[7])
        assert found is not None and found.question == "question 7" and found.provisions == ("volunteer|12|3|5",)
        assert await two.feedback.answer("1") is None  # the old counter-style tokens mean nothing
    async with replicas(database_url, tmp_path, 1) as (restarted,):
        again = await restarted.feedback.answer(tokens[0])
        assert again is not None and again.question == "question 0"


async def test_a_vote_pressed_25_times_is_one_row(database_url: str | None, tmp_path: Path) -> None:
    async with replicas(database_url, tmp_path) as (one, two):
        token = await one.feedback.save_answer(ASKER, "Кто платит за проезд?", ["volunteer|12|3|5"])
        results = await asyncio.gather(
            *(r.feedback.vote(VOTER, token, -1) for r in [one, two] * 12), return_exceptions=True
        )
        assert results == [True] * 24
        assert await one.feedback.vote(VOTER, token, 1)  # pressing the other button changes the vote
        assert [(r["voter_hash"], r["vote"]) for r in await rows(one, votes)] == [(one.db.user_key(VOTER), 1)]
        assert not await one.feedback.vote(VOTER, "A" * 22, -1)  # a forged token adds nothing
        assert await one.feedback.vote_count() == 1


async def test_a_question_is_stored_only_under_its_asker(database_url: str | None, tmp_path: Path) -> None:
    async with replicas(database_url, tmp_path, 1) as (storage,):
        token = await storage.feedback.save_answer(ASKER, "секретный вопрос", ["volunteer|1|None|None"])
        await storage.feedback.vote(VOTER, token, 1)
        assert set(votes.c.keys()) == {"token", "voter_hash", "vote", "created"}  # no question beside a vote
        assert [(r["asker_hash"], r["question"]) for r in await rows(storage, answers)] == [
            (storage.db.user_key(ASKER), "секретный вопрос")
        ]
        assert (await storage.forget(VOTER)).rows == 1  # the voter's vote, not the asker's question
        assert await storage.feedback.answer(token) is not None


async def test_forget_removes_everything_about_the_user(database_url: str | None, tmp_path: Path) -> None:
    async with replicas(database_url, tmp_path) as (one, two):
        await one.users.set_language(ASKER, "ru")
        mine = await one.feedback.save_answer(ASKER, "мой вопрос", ["a|1|2|3"])
        theirs = await one.feedback.save_answer(OTHER, "чужой вопрос", ["a|4|5|6"])
        await one.feedback.vote(ASKER, mine, 1)
        await one.feedback.vote(ASKER, theirs, -1)
        await one.feedback.vote(OTHER, mine, -1)
        await one.limits.wait(ASKER)
        forgotten = await two.forget(ASKER)
        assert forgotten.rows == 6  # language, 2 answers' worth of votes (3), answer, limit row
        assert forgotten.questions == ("мой вопрос",)  # for the caller to drop from its answer caches
        key = one.db.user_key(ASKER)
        for table in (users, answers, votes, rate_limits):
            for row in await rows(one, table):
                assert key not in row.values() and "мой вопрос" not in row.values()
        assert await one.feedback.answer(mine) is None and await one.feedback.answer(theirs) is not None
        assert await one.totals() == {"users": 0, "answers": 1, "up": 0, "down": 0}


async def test_the_question_limit_is_shared_and_exact(database_url: str | None, tmp_path: Path) -> None:
    async with replicas(database_url, tmp_path) as (one, two):
        waits = await asyncio.gather(*(r.limits.wait(ASKER, now=1000.0) for r in [one, two] * 10))
        assert sorted(waits)[:6] == [0.0] * 6 and all(w == 60.0 for w in sorted(waits)[6:])
        assert await two.limits.wait(OTHER, now=1000.0) == 0  # other users are not affected
        assert await one.limits.wait(ASKER, now=1059.0) == pytest.approx(1.0)
        assert await two.limits.wait(ASKER, now=1060.5) == 0


async def test_a_resumed_update_is_not_counted_again(database_url: str | None, tmp_path: Path) -> None:
    """A replica that takes over a dead one's update finds its question already counted."""
    async with replicas(database_url, tmp_path) as (one, two):
        for update_id in range(1, 7):
            assert await one.limits.wait(ASKER, update_id, now=1000.0) == 0
        assert await two.limits.wait(ASKER, 6, now=1001.0) == 0  # the sixth, resumed: let through, not counted
        assert await two.limits.wait(ASKER, 7, now=1001.0) == pytest.approx(59.0)  # a new one: over the limit
        assert await one.limits.wait(ASKER, 1, now=1061.0) == 0  # out of the window: a question like any
        assert await one.limits.wait(ASKER, now=1061.0) == pytest.approx(0.0)  # no id: always a new question
        assert json.loads((await rows(one, rate_limits))[0]["stamps"]) == [[1061.0, 1], 1061.0]


async def test_each_update_is_claimed_by_one_replica(database_url: str | None, tmp_path: Path) -> None:
    async with replicas(database_url, tmp_path) as (one, two):
        ids = list(range(10_000, 10_040))
        claims = await asyncio.gather(*(r.updates.claim(u) for u in ids for r in (one, two)))
        for i, update_id in enumerate(ids):
            assert sorted(c.value for c in claims[2 * i : 2 * i + 2]) == ["busy", "claimed"], update_id
        await one.updates.finish(ids[0])
        assert await two.updates.claim(ids[0]) is Claim.DONE
        await one.updates.release(ids[1])
        assert await two.updates.claim(ids[1]) is Claim.RESUMED  # given back: resumed at once


async def test_a_dead_replicas_claim_is_taken_over_after_the_lease(database_url: str | None, tmp_path: Path) -> None:
    async with replicas(database_url, tmp_path) as (dead, alive):
        lease = dead.updates.lease
        assert await dead.updates.claim(7, now=100.0) is Claim.CLAIMED
        assert await alive.updates.claim(7, now=100.0 + lease - 0.5) is Claim.BUSY
        assert await alive.updates.claim(7, now=100.0 + lease + 0.5) is Claim.RESUMED
        await alive.updates.finish(7)
        assert await dead.updates.claim(7, now=500.0) is Claim.DONE


async def test_a_renewed_claim_is_not_taken_over(database_url: str | None, tmp_path: Path) -> None:
    async with replicas(database_url, tmp_path) as (holder, other):
        lease = holder.updates.lease
        assert await holder.updates.claim(8, now=100.0) is Claim.CLAIMED
        assert await holder.updates.claim(9, now=100.0) is Claim.CLAIMED
        for n in range(1, 9):  # the holder renews every quarter lease, for two leases
            assert await holder.updates.renew({8}, now=100.0 + n * lease / 4) == 1
        assert await other.updates.claim(8, now=100.0 + 2 * lease + 0.5) is Claim.BUSY  # alive: still its
        assert await other.updates.claim(9, now=100.0 + 2 * lease + 0.5) is Claim.RESUMED  # not renewed
        await holder.updates.finish(8)
        assert await holder.updates.renew({8}) == 0  # a finished update has no lease to renew


async def test_replies_recorded_by_a_dead_replica_are_seen_by_the_one_that_resumes(
    database_url: str | None, tmp_path: Path
) -> None:
    async with replicas(database_url, tmp_path) as (dead, alive):
        assert await dead.updates.claim(11, now=100.0) is Claim.CLAIMED
        await dead.updates.record(11, 0, None, now=100.1)  # answered a query (no message id)
        await dead.updates.record(11, 1, 501, now=100.2)  # the first message of a long answer
        await dead.updates.record(11, 1, 999, now=100.3)  # recorded once: a second write changes nothing
        assert await alive.updates.claim(11, now=200.0) is Claim.RESUMED
        assert await alive.updates.sent(11) == {0: None, 1: 501}
        assert await alive.updates.sent(12) == {}
        await alive.updates.record(11, 2, 502)
        await alive.updates.finish(11)  # done: the record is no longer needed
        assert await alive.updates.sent(11) == {}


async def test_purge_bounds_every_table(database_url: str | None, tmp_path: Path) -> None:
    async with replicas(database_url, tmp_path, 1) as (storage,):
        for user in range(50):
            await storage.limits.wait(user, now=1000.0)
            await storage.updates.claim(user, now=1000.0)
        await storage.updates.record(0, 0, 1, now=1000.0)  # an update never finished
        old = await storage.feedback.save_answer(ASKER, "old", [])
        voted = await storage.feedback.save_answer(ASKER, "voted", [])
        await storage.feedback.vote(VOTER, voted, 1)
        async with storage.db.engine.begin() as conn:
            await conn.execute(answers.update().values(created=1000.0))
        assert await storage.purge(now=1000.0 + 31 * 86400) == 50 + 50 + 1 + 1
        assert await rows(storage, rate_limits) == [] and await rows(storage, processed_updates) == []
        assert await rows(storage, sent_replies) == []
        assert await storage.feedback.answer(old) is None and await storage.feedback.answer(voted) is not None
        await storage.limits.wait(ASKER, now=1000.0)
        assert await storage.purge_if_due() == 1  # the first call purges...
        await storage.limits.wait(VOTER, now=1000.0)
        assert await storage.purge_if_due() == 0  # ...later ones wait for PURGE_EVERY


async def test_migrations_run_on_start_and_are_idempotent(database_url: str | None, tmp_path: Path) -> None:
    async with replicas(database_url, tmp_path, 3) as opened:  # three starts on one database
        first = opened[0]
        await first.users.set_language(ASKER, "kk")
        async with first.db.engine.connect() as conn:
            versions = (await conn.execute(text("SELECT version_num FROM alembic_version"))).scalars().all()
            diff = await conn.run_sync(lambda c: compare_metadata(MigrationContext.configure(c), metadata))
        assert versions == ["0003"]
        assert diff == []  # the migrations build exactly the tables the code uses
        assert {s.db.salt for s in opened} == {first.db.salt}  # every replica hashes ids alike
    async with replicas(database_url, tmp_path, 1) as (again,):
        assert await again.users.language(ASKER) == "kk"


async def test_replicas_starting_together_migrate_once(database_url: str | None, tmp_path: Path) -> None:
    opened = await asyncio.gather(*(Storage.open(database_url, tmp_path) for _ in range(3)))
    try:
        await opened[0].users.set_language(ASKER, "en")
        assert [await s.users.language(ASKER) for s in opened] == ["en"] * 3
    finally:
        for storage in opened:
            await storage.close()


@asynccontextmanager
async def sqlite_storage(tmp_path: Path, busy_timeout_ms: int, attempts: int) -> AsyncIterator[Storage]:
    storage = Storage(None, tmp_path, busy_timeout_ms=busy_timeout_ms, attempts=attempts)
    await storage.start()
    try:
        yield storage
    finally:
        await storage.close()


def other_process_writing(tmp_path: Path) -> sqlite3.Connection:
    """A connection of another program that takes SQLite's write lock and keeps it until told."""
    holder = sqlite3.connect(tmp_path / "bot.sqlite3", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("UPDATE users SET updated = 0")
    return holder


async def test_a_limit_write_outlasts_a_writer_holding_the_lock_past_the_busy_timeout(tmp_path: Path) -> None:
    """Another process keeps the write lock for several busy timeouts: the question is still counted."""
    async with sqlite_storage(tmp_path, busy_timeout_ms=100, attempts=ATTEMPTS) as storage:
        holder = other_process_writing(tmp_path)
        counting = asyncio.create_task(storage.limits.wait(ASKER, now=1000.0))
        await asyncio.sleep(0.35)  # more than three busy timeouts
        assert not counting.done()  # still waiting its turn, not failed
        holder.execute("COMMIT")
        holder.close()
        assert await asyncio.wait_for(counting, 10) == 0.0
        assert [json.loads(r["stamps"]) for r in await rows(storage, rate_limits)] == [[1000.0]]


async def test_a_write_gives_up_with_a_clear_error_when_the_lock_never_comes(tmp_path: Path) -> None:
    async with sqlite_storage(tmp_path, busy_timeout_ms=50, attempts=3) as storage:
        holder = other_process_writing(tmp_path)
        try:
            with pytest.raises(StorageBusyError, match="locked through 3 attempts"):
                await asyncio.wait_for(storage.users.set_language(ASKER, "kk"), 10)
            assert await storage.users.language(ASKER) is None  # reads still work meanwhile
        finally:
            holder.close()
        await storage.users.set_language(ASKER, "kk")  # and writes work again once it is gone
        assert await storage.users.language(ASKER) == "kk"


async def test_writers_of_one_process_take_turns_instead_of_timing_out(tmp_path: Path) -> None:
    """200 writes at once, with SQLite allowed no wait and no second attempt: none is refused."""
    async with sqlite_storage(tmp_path, busy_timeout_ms=0, attempts=1) as storage:
        writes = [storage.limits.wait(user, now=1000.0) for user in range(100)]
        writes += [storage.users.set_language(user, "en") for user in range(50)]
        writes += [storage.feedback.save_answer(user, "вопрос", ["volunteer|12"]) for user in range(50)]
        await asyncio.gather(*writes)
        assert len(await rows(storage, rate_limits)) == 100 and len(await rows(storage, users)) == 50


async def test_forget_checkpoints_while_others_write(tmp_path: Path) -> None:
    """/forget under load: its WAL checkpoint waits for the writers' turn instead of failing."""
    async with sqlite_storage(tmp_path, busy_timeout_ms=0, attempts=ATTEMPTS) as storage:
        await storage.feedback.save_answer(ASKER, "мой вопрос", ["volunteer|12"])
        others = [storage.limits.wait(user, now=1000.0) for user in range(100)]
        done = await asyncio.gather(storage.forget(ASKER), *others)
        assert done[0].questions == ("мой вопрос",)
        assert "мой вопрос".encode() not in b"".join(p.read_bytes() for p in tmp_path.glob("bot.sqlite3*"))
