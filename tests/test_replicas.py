"""Two bot processes in webhook mode, fed round robin by the fake Telegram server.

Each replica is `python -m bot run --webhook ...` in its own process; they share the storage
(languages, votes, limits, processed update ids) and the index. A replica killed mid-burst must
lose nothing: Telegram re-delivers what it did not acknowledge, and the other replica answers.
"""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path
from typing import Any

import pytest

from bot.engine import Engine
from knowledge.settings import Settings
from tests.fake_telegram import FakeBotApi
from tests.replicas import replicas

QUESTIONS = [
    "Какие права есть у волонтёра?",
    "Кто назначает координатора волонтёров?",
    "Как поощряют общественных помощников?",
    "Обязан ли волонтёр хранить конфиденциальность?",
    "Волонтердің қандай құқықтары бар?",
    "What rights does a volunteer have?",
]


@pytest.fixture
def data_dir(tmp_path: Path, engine: Engine) -> Path:
    """A data directory holding a copy of the built index (each test's storage starts empty).

    `engine` builds the index first where there is none yet (a fresh clone).
    """
    settings = Settings()
    source = settings.data_dir / "chroma"
    if settings.embedder != "none":
        if not source.exists():
            pytest.fail("no built index: run `python -m bot index` first")
        shutil.copytree(source, tmp_path / "chroma")
    return tmp_path


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


async def burst(api: FakeBotApi, users: list[int]) -> dict[int, int]:
    """One question from each user; returns update id → user. Waits until some are handled."""
    ids = {
        api.push_update(api.message_update(QUESTIONS[n % len(QUESTIONS)], user_id=u)): u for n, u in enumerate(users)
    }
    await until(lambda: sum(d.status == 200 for d in api.deliveries) >= len(users) // 5, 120)
    return ids


async def settle(api: FakeBotApi) -> None:
    await until(lambda: not api.pending_updates, 180)
    await asyncio.sleep(1.0)  # late duplicates would show up here


def test_a_replica_stopped_mid_burst_drains_and_every_update_is_answered_exactly_once(data_dir: Path) -> None:
    users = list(range(70_000, 70_040))

    async def body() -> None:
        async with FakeBotApi() as api, replicas(api, 2, data_dir) as (first, second):
            await burst(api, users[:20])
            stopping = asyncio.create_task(asyncio.to_thread(first.stop))  # SIGTERM, as `docker stop`
            await burst(api, users[20:])  # arrives while it drains
            await settle(api)
            assert await stopping == 0
            assert [u for u in users if not sends_to(api, u)] == []  # lost
            assert duplicated(api, users) == []  # answered twice
            refused = {d.status for d in api.deliveries if d.target == first.address and d.status != 200}
            assert refused and refused <= {503, 0}  # draining, then gone: re-delivered to the other
            assert {d.target for d in api.deliveries if d.status == 200} == {first.address, second.address}

    asyncio.run(body())


def test_a_replica_killed_mid_burst_loses_nothing(data_dir: Path) -> None:
    """SIGKILL: what the dead replica had not acknowledged is re-delivered to the other one.

    A reply the dead replica had already sent, for an update it could not acknowledge any more,
    is sent again by the other replica: no process can tell whether Telegram took a send it
    never heard back about. Those are the only repeats allowed, and each is checked to be one.
    """
    users = list(range(71_000, 71_040))

    async def body() -> None:
        async with FakeBotApi() as api, replicas(api, 2, data_dir) as (first, second):
            ids = await burst(api, users)
            first.kill()
            killed_at = asyncio.get_running_loop().time()
            await settle(api)
            assert [u for u in users if not sends_to(api, u)] == []  # lost
            update_of = {u: i for i, u in ids.items()}
            for user in duplicated(api, users):
                tries = [d for d in api.deliveries if d.update_id == update_of[user]]
                assert tries[0].target == first.address and tries[0].status != 200
                assert sends_to(api, user)[0].time <= killed_at  # sent by the replica that died
            assert any(d.target == first.address and d.status == 0 for d in api.deliveries)  # re-delivered
            assert {d.target for d in api.deliveries if d.status == 200} == {first.address, second.address}

    asyncio.run(body())
