"""Operations: ADMIN_IDS forms, one logging setup without user text, retries that never duplicate."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sqlite3
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from telegram.error import BadRequest, NetworkError, TimedOut
from telegram.ext import ExtBot

import bot.__main__ as cli
from bot.engine import Engine
from bot.logs import RedactToken
from bot.present.texts import text
from bot.storage.database import StorageBusyError
from bot.telegram.retries import RetryingBot, surely_not_delivered
from knowledge.settings import Settings
from tests.test_telegram_e2e import GROUP, scenario

ADMIN = 7


@pytest.mark.parametrize(
    ("raw", "ids"),
    [("1,2", [1, 2]), ("1 2", [1, 2]), ("123", [123]), ("[1,2]", [1, 2]), ("", []), (" 1, 2 ,", [1, 2])],
)
def test_admin_ids_in_every_form_operators_write(monkeypatch: pytest.MonkeyPatch, raw: str, ids: list[int]) -> None:
    monkeypatch.setenv("ADMIN_IDS", raw)
    assert Settings(_env_file=None).admin_ids == ids  # type: ignore[call-arg]


def test_bad_admin_ids_are_a_clear_message_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ADMIN_IDS", "alice,bob")
    cli.get_settings.cache_clear()
    try:
        assert cli.main(["health", "--url", "http://127.0.0.1:9/readyz"]) == 2
    finally:
        cli.get_settings.cache_clear()
    err = capsys.readouterr().err
    assert "ADMIN_IDS" in err and "'alice'" in err and "Traceback" not in err


def test_one_logging_setup_info_for_the_bot_with_the_token_redacted(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, Any] = {}

    def fake_run(args: argparse.Namespace) -> int:
        seen["info"] = logging.getLogger("bot.telegram.chats").isEnabledFor(logging.INFO)
        seen["httpx"] = logging.getLogger("httpx").isEnabledFor(logging.INFO)
        seen["redacts"] = any(
            isinstance(f, RedactToken) and f.token == "42:SECRET"
            for h in logging.getLogger().handlers
            for f in h.filters
        )
        return 0

    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "42:SECRET")
    monkeypatch.setattr(cli, "_run", fake_run)
    cli.get_settings.cache_clear()
    try:
        assert cli.main(["run"]) == 0
    finally:
        cli.get_settings.cache_clear()
        logging.basicConfig(force=True)
    assert seen == {"info": True, "httpx": False, "redacts": True}


class _FailingEngine:
    """An engine whose search fails with the user's text in the exception message."""

    kb = SimpleNamespace(acts=[])

    async def ask_async(self, question: str, **_: Any) -> None:
        raise ValueError(f"cannot parse {question!r}")


def test_errors_are_logged_without_the_users_text(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    secret = "моя фамилия Секретова и мой адрес"

    async def body(api: Any, app: Any) -> None:
        api.push_update(api.message_update(secret, user_id=51))
        await api.wait_for("sendMessage")

    caplog.set_level(logging.INFO)  # the level the bot runs at (PTB logs raw updates at DEBUG only)
    scenario(_FailingEngine(), tmp_path, body)  # type: ignore[arg-type]
    logged = "\n".join(r.getMessage() + (r.exc_text or "") for r in caplog.records if r.levelno >= logging.INFO)
    assert "error while handling an update: ValueError" in logged
    assert "Секретова" not in logged


def _timed_out(cause: Exception) -> TimedOut:
    try:
        raise TimedOut() from cause
    except TimedOut as err:
        return err


def _network(cause: Exception | None, message: str = "Bad Gateway") -> NetworkError:
    try:
        raise NetworkError(message) from cause
    except NetworkError as err:
        return err


def test_only_surely_undelivered_calls_count_as_undelivered() -> None:
    request = httpx.Request("POST", "http://127.0.0.1/")
    assert surely_not_delivered(_network(None, "Bad Gateway"))  # Telegram answered 502
    assert surely_not_delivered(_network(None, "Internal Server Error (500)"))
    assert surely_not_delivered(_network(httpx.ConnectError("refused", request=request)))
    assert surely_not_delivered(_timed_out(httpx.ConnectTimeout("connect", request=request)))
    assert surely_not_delivered(_timed_out(httpx.PoolTimeout("pool", request=request)))
    assert not surely_not_delivered(_timed_out(httpx.ReadTimeout("read", request=request)))
    assert not surely_not_delivered(_timed_out(httpx.WriteTimeout("write", request=request)))
    assert not surely_not_delivered(_network(httpx.RemoteProtocolError("dropped", request=request)))
    assert not surely_not_delivered(_network(httpx.ReadError("reset", request=request)))


def _stats_once(tmp_path: Path, prepare: Any, expected: int) -> list[Any]:
    """Ask /stats as the admin once (no knowledge base needed) and return the sendMessage calls."""
    calls: list[Any] = []

    async def body(api: Any, app: Any) -> None:
        prepare(api)
        api.push_update(api.message_update("/stats", user_id=ADMIN))
        await api.wait_for("sendMessage", expected)
        await asyncio.sleep(1.6)  # time for one more retry (back-off 0.5 s, then 1 s) to show up
        calls.extend(c for c in api.calls if c.method == "sendMessage")

    empty = tmp_path / "no-acts"
    empty.mkdir()
    scenario(None, tmp_path, body, acts_dir=empty, admin_ids=[ADMIN])
    return calls


def test_a_send_that_timed_out_is_not_repeated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tests.test_telegram_e2e as e2e

    real = e2e.build_application
    monkeypatch.setattr(e2e, "build_application", lambda *a, **k: real(*a, **{**k, "read_timeout": 0.5}))
    calls = _stats_once(tmp_path, lambda api: api.delay_next("sendMessage", 1.5), expected=1)
    assert len(calls) == 1  # it may have reached the user: not sent again, and no error message either


def test_a_send_telegram_refused_with_502_is_repeated_once(tmp_path: Path) -> None:
    calls = _stats_once(tmp_path, lambda api: api.fail_next("sendMessage", 502), expected=2)
    assert [c.failed for c in calls] == [True, False]


def test_a_storage_failure_is_told_to_the_user_where_they_wait(
    engine: Engine, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Another program holds SQLite's write lock through every attempt: no update is dropped in silence.

    A question in private and in a group, a button and an inline query each get "the database is
    busy, try again" where their user waits; once the lock is gone the same question is answered.
    """
    question, busy = "Кто оплачивает проезд волонтёра?", text("ru").storage_busy

    async def body(api: Any, app: Any) -> None:
        storage = app.bot_data.storage
        await storage.close()
        storage.busy_timeout_ms, storage.attempts = 50, 2  # give up in a fraction of a second, not 40 s
        await storage.start()
        api.push_update(api.message_update("/start", user_id=91))
        await api.wait_for("sendMessage")
        holder = sqlite3.connect(tmp_path / "bot.sqlite3", isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            api.push_update(api.callback_update("lang:kk", api.sent_messages(91)[-1], user_id=91))
            api.push_update(api.message_update(question, user_id=91))
            mention = api.message_update(f"@{api.username} {question}", chat_id=GROUP, chat_type="supergroup")
            api.push_update(mention)
            api.push_update(api.inline_update(question, user_id=93))
            await api.wait_for("sendMessage", 3)
            await api.wait_for("answerCallbackQuery")
            await api.wait_for("answerInlineQuery")
        finally:
            holder.close()
        assert api.sent_texts(91)[-1] == busy
        (in_group,) = [p for p in api.calls_to("sendMessage") if p["chat_id"] == GROUP]
        replied = (in_group.get("reply_parameters") or {}).get("message_id", in_group.get("reply_to_message_id"))
        assert in_group["text"] == busy and replied == mention["message"]["message_id"]
        (pressed,) = api.calls_to("answerCallbackQuery")
        assert pressed["text"] == busy and pressed["show_alert"] is True
        (inline,) = api.calls_to("answerInlineQuery")
        assert inline["results"] == [] and inline["button"]["text"] == busy
        api.push_update(api.message_update(question, user_id=91))
        await api.wait_for("sendMessage", 4)
        assert "<blockquote>" in api.sent_texts(91)[-1]

    caplog.set_level(logging.ERROR)
    scenario(engine, tmp_path, body)
    failed = [r.getMessage() for r in caplog.records if "error while handling" in r.getMessage()]
    assert len(failed) == 4 and all("StorageBusyError" in m for m in failed)


def test_an_answer_the_database_cannot_store_is_sent_without_its_vote_buttons(engine: Engine, tmp_path: Path) -> None:
    async def body(api: Any, app: Any) -> None:
        async def locked(*args: Any, **kwargs: Any) -> str:
            raise StorageBusyError("the database stayed locked through 4 attempts")

        app.bot_data.storage.feedback.save_answer = locked
        api.push_update(api.message_update("Кто оплачивает проезд волонтёра?", user_id=95))
        (sent,) = await api.wait_for("sendMessage")
        assert "<blockquote>" in sent["text"]
        labels = [b["text"] for row in sent["reply_markup"]["inline_keyboard"] for b in row]
        assert labels and "👍" not in labels and "👎" not in labels  # the full-article button stays

    scenario(engine, tmp_path, body)


def test_a_query_answer_repeated_after_a_timeout_is_not_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """The first answer reached Telegram but its reply timed out; the repeat is refused as answered already."""
    too_old = BadRequest("Query is too old and response timeout expired or query id is invalid")
    script: list[Exception] = []
    attempts: list[str] = []

    async def telegram(self: Any, endpoint: str, *args: Any, **kwargs: Any) -> Any:
        attempts.append(endpoint)
        raise script.pop(0)

    monkeypatch.setattr(ExtBot, "_do_post", telegram)
    bot = RetryingBot("123:ABC", retries=3, backoff=0.0)
    script[:] = [_timed_out(httpx.ReadTimeout("read timed out")), too_old]
    assert asyncio.run(bot._do_post("answerCallbackQuery")) is True
    assert attempts == ["answerCallbackQuery"] * 2
    attempts.clear()
    script[:] = [too_old]
    with pytest.raises(BadRequest):  # refused at the first attempt: an error still
        asyncio.run(bot._do_post("answerInlineQuery"))
    assert attempts == ["answerInlineQuery"]


def test_a_reply_refused_with_429_three_times_still_arrives(tmp_path: Path) -> None:
    """Telegram carries out nothing it answers 429: the reply waits and is repeated until it goes through."""
    sent: list[Any] = []

    async def body(api: Any, app: Any) -> None:
        api.fail_next("sendMessage", 429, retry_after=1, times=3)
        api.push_update(api.message_update("/stats", user_id=ADMIN))
        async with asyncio.timeout(20):
            while not any(c.method == "sendMessage" and not c.failed for c in api.calls):
                await asyncio.sleep(0.05)
        sent.extend(c for c in api.calls if c.method == "sendMessage")

    empty = tmp_path / "no-acts"
    empty.mkdir()
    scenario(None, tmp_path, body, acts_dir=empty, admin_ids=[ADMIN])
    assert [c.failed for c in sent] == [True] * 3 + [False]
    assert sent[-1].params["text"] not in {text(lang).error for lang in ("kk", "ru", "en")}  # the reply itself
