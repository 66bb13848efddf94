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
def data_dir(tmp_path: Path) -> Path:
    """A data directory holding a copy of the built index (each test's storage starts empty)."""
    source = Settings().data_dir / "chroma"
    if not source.exists():
        pytest.fail("no built index: run `python -m bot index` first")
    shutil.copytree(source, tmp_path / "chroma")
    return tmp_path


def answers_to(api: FakeBotApi, chat_id: int) -> list[str]:
    return [
        str(c.params["text"])
        for c in api.calls
        if c.method == "sendMessage" and not c.failed and c.params["chat_id"] == chat_id
    ]


async def until(condition: Any, timeout: float) -> None:
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not condition():
        if loop.time() > end:
            raise TimeoutError
        await asyncio.sleep(0.2)


def test_a_replica_killed_mid_burst_loses_nothing_and_nothing_is_answered_twice(data_dir: Path) -> None:
    users = list(range(70_000, 70_040))

    async def body() -> None:
        async with FakeBotApi() as api, replicas(api, 2, data_dir) as (first, second):
            for n, user in enumerate(users):
                api.push_update(api.message_update(QUESTIONS[n % len(QUESTIONS)], user_id=user))
            await until(lambda: sum(bool(answers_to(api, u)) for u in users) >= 8, 120)
            first.kill()
            await until(lambda: not api.pending_updates, 180)
            await asyncio.sleep(1.0)  # late duplicates would show up here
            counts = {u: len(answers_to(api, u)) for u in users}
            assert [u for u, n in counts.items() if n == 0] == []  # lost
            assert [u for u, n in counts.items() if n > 1] == []  # answered twice
            handled_by = {d.target for d in api.deliveries if d.status == 200}
            assert handled_by == {first.address, second.address}
            assert any(d.target == first.address and d.status == 0 for d in api.deliveries)  # re-delivered

    asyncio.run(body())
