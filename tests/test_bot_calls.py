"""The bot's own Bot API layer against the fake server: retries, message limits, resumed replies.

`ResumingBot` with `FloodLimits`, as `build_application` makes it, over real HTTP; the storage is
SQLite in the test's directory.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from telegram.error import NetworkError

from bot.storage import Claim, Storage
from bot.telegram.flood import FloodLimits
from bot.telegram.resume import ResumingBot, journal_of
from tests.fake_telegram import FakeBotApi

pytestmark = pytest.mark.anyio
CHAT, OTHER = 5001, 5002


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@asynccontextmanager
async def bot_on(api: FakeBotApi) -> AsyncIterator[ResumingBot]:
    bot = ResumingBot(api.token, base_url=api.base_url, rate_limiter=FloodLimits(), retries=9, backoff=0.01)
    async with bot:
        yield bot


def delivered(api: FakeBotApi, chat_id: int) -> list[str]:
    return [
        c.params["text"]
        for c in api.calls
        if c.method == "sendMessage" and not c.failed and c.params["chat_id"] == chat_id
    ]


async def test_a_call_refused_six_times_in_a_row_still_goes_through_once() -> None:
    """Three 429s, then three 502s: refused each time, so repeated each time; delivered once."""
    async with FakeBotApi() as api, bot_on(api) as bot:
        api.fail_next("sendMessage", 429, retry_after=0, times=3)
        api.fail_next("sendMessage", 502, times=3)
        await bot.send_message(CHAT, "answer")
        assert delivered(api, CHAT) == ["answer"]
        assert len(api.calls_to("sendMessage")) == 7


async def test_a_429_holds_back_only_the_call_refused() -> None:
    async with FakeBotApi() as api, bot_on(api) as bot:
        api.fail_next("sendMessage", 429, retry_after=2)
        refused = asyncio.create_task(bot.send_message(CHAT, "waits its retry_after"))
        await api.wait_for("sendMessage")
        started = time.monotonic()
        await bot.send_message(OTHER, "goes at once")
        assert time.monotonic() - started < 1.0
        await refused
        assert delivered(api, CHAT) == ["waits its retry_after"]


async def test_typing_is_tried_once() -> None:
    async with FakeBotApi() as api, bot_on(api) as bot:
        api.fail_next("sendChatAction", 502)
        with pytest.raises(NetworkError):
            await bot.send_chat_action(CHAT, "typing")
        assert len(api.calls_to("sendChatAction")) == 1


async def test_a_resumed_update_skips_the_replies_recorded_and_records_the_rest(tmp_path: Path) -> None:
    storage = await Storage.open(None, tmp_path)
    try:
        claims = storage.updates
        assert await claims.claim(77, now=100.0) is Claim.CLAIMED  # the replica that died...
        await claims.record(77, 0, None)  # ...had answered the button
        await claims.record(77, 1, 42)  # ...and sent the first message (Telegram's id 42)
        assert await claims.claim(77) is Claim.RESUMED
        async with FakeBotApi() as api, bot_on(api) as bot, journal_of(claims, 77, resumed=True):
            assert await bot.answer_callback_query("4000") is True  # not asked again
            first = await bot.send_message(CHAT, "first")  # not sent again: Telegram's first answer
            second = await bot.send_message(CHAT, "second")
            await bot.send_chat_action(CHAT, "typing")  # not a reply: neither numbered nor recorded
        assert api.calls_to("answerCallbackQuery") == [] and delivered(api, CHAT) == ["second"]
        assert (first.message_id, first.chat.id) == (42, CHAT)
        assert await claims.sent(77) == {0: None, 1: 42, 2: second.message_id}
    finally:
        await storage.close()
