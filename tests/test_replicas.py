"""Two bot processes in webhook mode, fed round robin by the fake Telegram server.

Each replica is `python -m bot run --webhook ...` in its own process; they share one PostgreSQL
database (languages, votes, limits, processed update ids) and the index. A replica killed
mid-burst must lose nothing: Telegram re-delivers what it did not acknowledge, and the other
replica answers. A rebuild of the index by another process must not break either of them.
"""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from bot.engine import Engine
from bot.present.replies import article_reply, limit_notice, say
from bot.present.texts import text
from knowledge.index import embedding_cache, vector_docs
from knowledge.settings import Settings
from knowledge.vectors import VectorIndex, complete_collections, make_client
from tests.fake_telegram import FakeBotApi
from tests.postgres import fresh_schema, libpq
from tests.replicas import ReplicaProcess, replicas

pytestmark = pytest.mark.processes
LEASE = 2.0  # seconds a killed replica's claims last (renewed every 0.5 s while alive)
WINDOW = 1.0  # seconds before a kill in which a reply can reach Telegram and not yet be recorded

QUESTIONS = [
    "Какие права есть у волонтёра?",
    "Кто назначает координатора волонтёров?",
    "Как поощряют общественных помощников?",
    "Обязан ли волонтёр хранить конфиденциальность?",
    "Волонтердің қандай құқықтары бар?",
    "What rights does a volunteer have?",
]


@pytest.fixture
def data_dir(tmp_path: Path, engine: Engine, index_settings: Settings) -> Path:
    """A data directory holding a copy of the session's built index (`engine` builds it)."""
    shutil.copytree(index_settings.data_dir / "chroma", tmp_path / "chroma")
    return tmp_path


@pytest.fixture
def shared(postgres_database: str, index_settings: Settings) -> dict[str, str]:
    """The replicas' environment: one empty PostgreSQL schema for both, the session's embeddings."""
    return {
        "DATABASE_URL": fresh_schema(postgres_database),
        "EMBEDDER": "e5",
        "EMBEDDING_CACHE": str(index_settings.embedding_cache),
        "CHROMA_HOST": "",
        "LLM_BASE_URL": "",
        "LLM_MODEL": "",
        "TELEGRAM__CLAIM_LEASE": str(LEASE),
    }


def query(database_url: str, sql: str) -> list[tuple[Any, ...]]:
    """Rows straight from the replicas' PostgreSQL database."""
    with psycopg.connect(libpq(database_url)) as conn:
        return conn.execute(sql).fetchall()


def claims_done(database_url: str, update_ids: Any) -> None:
    """Every update is claimed in PostgreSQL, once, and marked handled."""
    rows = dict(query(database_url, "SELECT update_id, done FROM processed_updates"))
    assert {i: rows.get(i) for i in update_ids} == dict.fromkeys(update_ids, True)


def sends_to(api: FakeBotApi, chat_id: int) -> list[Any]:
    """The successful sendMessage calls to a chat (a long answer is several of them)."""
    return [c for c in api.calls if c.method == "sendMessage" and not c.failed and c.params["chat_id"] == chat_id]


def duplicated(api: FakeBotApi, users: list[int]) -> list[int]:
    """Users who got the same message twice."""
    texts = {u: [c.params["text"] for c in sends_to(api, u)] for u in users}
    return [u for u, sent in texts.items() if len(set(sent)) < len(sent)]


async def until(condition: Any, timeout: float) -> None:
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not condition():
        if loop.time() > end:
            raise TimeoutError
        await asyncio.sleep(0.2)


async def in_flight(replica: ReplicaProcess) -> int:
    """How many webhook requests the replica is serving now (its /healthz says)."""
    async with httpx.AsyncClient(timeout=5) as client:
        return int((await client.get(replica.address + "/healthz")).json()["in_flight"])


async def burst(api: FakeBotApi, users: list[int], by: ReplicaProcess | None = None) -> dict[int, int]:
    """One question from each user; returns update id → user.

    Waits until a fifth are handled, or (`by`) until that replica has handled one and is still
    handling at least two others.
    """
    ids = {
        api.push_update(api.message_update(QUESTIONS[n % len(QUESTIONS)], user_id=u)): u for n, u in enumerate(users)
    }
    if by is None:
        await until(lambda: sum(d.status == 200 for d in api.deliveries) >= len(users) // 5, 120)
        return ids
    async with asyncio.timeout(120):
        while not any(d.status == 200 and d.target == by.address for d in api.deliveries) or await in_flight(by) < 2:
            await asyncio.sleep(0.05)
    return ids


async def settle(api: FakeBotApi) -> None:
    await until(lambda: not api.pending_updates, 180)
    await asyncio.sleep(1.0)  # late duplicates would show up here


def test_a_replica_stopped_mid_burst_drains_and_every_update_is_answered_exactly_once(
    data_dir: Path, shared: dict[str, str]
) -> None:
    users = list(range(70_000, 70_040))

    async def body() -> None:
        async with FakeBotApi() as api, replicas(api, 2, data_dir, shared) as (first, second):
            ids = await burst(api, users[:20])
            stopping = asyncio.create_task(asyncio.to_thread(first.stop))  # SIGTERM, as `docker stop`
            ids |= await burst(api, users[20:])  # arrives while it drains
            await settle(api)
            claims_done(shared["DATABASE_URL"], ids)
            assert await stopping == 0
            assert [u for u in users if not sends_to(api, u)] == []  # lost
            assert duplicated(api, users) == []  # answered twice
            refused = {d.status for d in api.deliveries if d.target == first.address and d.status != 200}
            assert refused and refused <= {503, 0}  # draining, then gone: re-delivered to the other
            assert {d.target for d in api.deliveries if d.status == 200} == {first.address, second.address}

    asyncio.run(body())


def test_a_replica_killed_mid_burst_loses_nothing(data_dir: Path, shared: dict[str, str]) -> None:
    """SIGKILL: what the dead replica had not acknowledged is re-delivered to the other one.

    Once the dead replica's claims run out (the lease), the other resumes its updates and sends
    only the replies not recorded as sent. The one repeat allowed is a reply that reached
    Telegram in the moment before the kill, before the dead replica could record it.
    """
    users = list(range(71_000, 71_030))

    async def body() -> None:
        async with FakeBotApi() as api, replicas(api, 2, data_dir, shared) as (first, second):
            api.delay_next("sendMessage", 0.5, times=len(users))  # answers stay in flight a while
            ids = await burst(api, users, by=first)
            first.kill()
            killed_at = asyncio.get_running_loop().time()
            await settle(api)
            claims_done(shared["DATABASE_URL"], ids)  # the dead replica's claims were taken over
            assert [u for u in users if not sends_to(api, u)] == []  # lost
            update_of = {u: i for i, u in ids.items()}
            for user in duplicated(api, users):
                tries = [d for d in api.deliveries if d.update_id == update_of[user]]
                assert tries[0].target == first.address and tries[0].status != 200
                assert killed_at - WINDOW <= sends_to(api, user)[0].time <= killed_at  # sent as it died
            assert any(d.target == first.address and d.status == 0 for d in api.deliveries)  # re-delivered
            assert {d.target for d in api.deliveries if d.status == 200} == {first.address, second.address}

    asyncio.run(body())


def a_message_of_the_bot(api: FakeBotApi, chat_id: int) -> dict[str, Any]:
    """A message the bot sent earlier (the one whose button is pressed)."""
    chat = {"id": chat_id, "type": "private", "first_name": "Тест"}
    return {"message_id": 1, "from": api.sender, "chat": chat, "date": 1_700_000_000, "text": "…"}


def test_a_replica_killed_between_the_messages_of_a_reply_is_resumed_without_repeats(
    data_dir: Path, shared: dict[str, str], engine: Engine
) -> None:
    """Killed after Telegram confirmed the button's answer and the article's first message.

    The other replica resumes the update when the dead one's lease runs out: it neither answers
    the button again nor repeats the first message, and sends the second.
    """
    user = 74_001
    article = article_reply(engine.kb.acts, "volunteer", "12", "ru", engine.kb.official).messages
    assert len(article) == 2

    async def body() -> None:
        async with FakeBotApi() as api, replicas(api, 2, data_dir, shared) as (first, second):
            api.delay_next("sendMessage", 0.0)  # the first message goes out at once,
            api.delay_next("sendMessage", 120.0)  # the second is held: the replica dies waiting
            api.webhook_targets = [first.address]
            update_id = api.push_update(api.callback_update("art:volunteer:12", a_message_of_the_bot(api, user), user))
            await until(lambda: len(api.calls_to("sendMessage")) == 2, 120)
            await asyncio.sleep(0.2)  # (the held call is in; nothing else is on its way)
            first.kill()
            api.webhook_targets = [first.address, second.address]
            await until(lambda: any(d.update_id == update_id and d.status == 200 for d in api.deliveries), 60)
            await asyncio.sleep(1.0)  # late repeats would show up here
            assert [c.params["text"] for c in sends_to(api, user)] == article  # each message once, in order
            held = [c for c in api.calls if c.method == "sendMessage" and c.failed]
            assert [c.params["text"] for c in held] == [article[1]]  # the dead replica's, never carried out
            assert len(api.calls_to("answerCallbackQuery")) == 1  # not even tried again
            tries = [(d.target, d.status) for d in api.deliveries if d.update_id == update_id]
            assert tries[0] == (first.address, 0) and tries[-1] == (second.address, 200)
            assert (second.address, 503) in tries  # busy while the dead replica's lease lasted
            assert "resumed: 2 replies were sent before" in second.log.read_text(errors="replace")
            claims_done(shared["DATABASE_URL"], [update_id])
            assert query(shared["DATABASE_URL"], "SELECT count(*) FROM sent_replies") == [(0,)]

    asyncio.run(body())


async def via(api: FakeBotApi, replica: ReplicaProcess, update: dict[str, Any]) -> int:
    """Deliver one update to this replica only (as a proxy pinned to it would) and wait for its 200."""
    api.webhook_targets = [replica.address]
    update_id = api.push_update(update)
    await until(lambda: any(d.update_id == update_id and d.status == 200 for d in api.deliveries), 120)
    assert {d.target for d in api.deliveries if d.update_id == update_id} == {replica.address}
    return update_id


def test_replicas_share_languages_votes_and_limits_in_postgres(data_dir: Path, shared: dict[str, str]) -> None:
    """What one replica stores (a language, a vote, a question counted) the other one sees at once."""
    asker, voter = 72_001, 72_002  # their Telegram language is Russian
    question = QUESTIONS[0]

    async def body() -> None:
        async with FakeBotApi() as api, replicas(api, 2, data_dir, shared) as (first, second):
            ids = [await via(api, first, api.message_update("/lang en", user_id=asker))]
            ids.append(await via(api, second, api.message_update("/lang", user_id=asker)))
            chosen, usage = say(text("en").lang_set), say(text("en").lang_usage)
            assert api.sent_texts(asker) == [chosen.messages[0], usage.messages[0]]  # the other knows the choice

            ids.append(await via(api, first, api.message_update(question, user_id=asker)))  # 1st question
            keys = api.sent_messages(asker)[-1]["reply_markup"]["inline_keyboard"][0]
            up = next(b["callback_data"] for b in keys if b["text"] == "👍")
            for replica in (second, first, second):  # one vote per voter and answer, whichever replica
                ids.append(await via(api, replica, api.callback_update(up, api.sent_messages(asker)[-1], voter)))
            assert [a["text"] for a in api.calls_to("answerCallbackQuery")] == [text("ru").thanks] * 3
            assert query(shared["DATABASE_URL"], "SELECT count(*) FROM votes") == [(1,)]

            for n in range(5):  # questions 2..6, alternately: the limit is 6 a minute
                ids.append(await via(api, (second, first)[n % 2], api.message_update(question, user_id=asker)))
            slow = {limit_notice(s, "en").messages[0] for s in range(1, 61)}
            assert not slow & set(api.sent_texts(asker))
            ids.append(await via(api, second, api.message_update(question, user_id=asker)))  # the 7th
            assert api.sent_texts(asker)[-1] in slow  # counted across both, and in the shared language
            claims_done(shared["DATABASE_URL"], ids)
            assert len(query(shared["DATABASE_URL"], "SELECT * FROM processed_updates")) == len(ids)

    asyncio.run(body())


def rebuild(data_dir: Path, engine: Engine, index_settings: Settings, edition: int) -> str:
    """What another process's rebuild does: a new complete collection, older ones beyond KEEP dropped.

    The content is the session's (its embeddings are all cached); only the fingerprint is new,
    as after an edit of the enrichment.
    """
    kb = engine.kb
    assert kb.embedder is not None and kb.vectors is not None
    index = VectorIndex(make_client(data_dir / "chroma"), kb.embedder, embedding_cache(index_settings, kb.embedder))
    index.build(f"{kb.vectors.fingerprint}-edition{edition}", vector_docs(kb.chunks, kb.enrichment, kb.official), {})
    return str(index.collection.name)


def test_after_a_rebuild_elsewhere_both_replicas_answer_from_the_new_collection(
    data_dir: Path, shared: dict[str, str], engine: Engine, index_settings: Settings
) -> None:
    users = list(range(73_000, 73_004))

    async def body() -> None:
        async with FakeBotApi() as api, replicas(api, 2, data_dir, shared) as (first, second):
            for user, replica in zip(users[:2], (first, second), strict=True):
                await via(api, replica, api.message_update(QUESTIONS[0], user_id=user))
            old = {c.name for c in complete_collections(make_client(data_dir / "chroma"))}
            for edition in (1, 2):  # the second rebuild drops the collection the replicas hold
                newest = await asyncio.to_thread(rebuild, data_dir, engine, index_settings, edition)
            assert not old & {c.name for c in complete_collections(make_client(data_dir / "chroma"))}
            for user, replica in zip(users[2:], (first, second), strict=True):
                await via(api, replica, api.message_update(QUESTIONS[1], user_id=user))
            for user in users:
                assert api.sent_texts(user)
                assert say(text("ru").unavailable).messages[0] not in api.sent_texts(user)
                assert sends_to(api, user)[-1].params.get("reply_markup")  # an answer that quotes law
            for replica in (first, second):
                assert f"retrying on {newest}" in replica.log.read_text(errors="replace")

    asyncio.run(body())
