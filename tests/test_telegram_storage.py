"""The bot's stored state through the real Application (fake Bot API over HTTP): votes, /forget, limits."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

from telegram import Update

from bot.engine import Engine
from bot.present.replies import help_reply
from bot.storage.schema import answers, votes
from bot.telegram.app import build_application
from knowledge.settings import Settings, TelegramSettings
from tests.fake_telegram import FakeBotApi
from tests.test_telegram_e2e import no_handler_errors, press, scenario

__all__ = ["no_handler_errors"]  # the e2e module's check that no handler error was logged applies here too
QUESTION = "Волонтердің құқықтары қандай?"


async def ask_and_get_buttons(api: FakeBotApi, user: int, count: int = 1) -> dict[str, str]:
    api.push_update(api.message_update(QUESTION, user_id=user))
    sent = await api.wait_for("sendMessage", count)
    return {b["text"]: b.get("callback_data", "") for row in sent[-1]["reply_markup"]["inline_keyboard"] for b in row}


async def until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.05)


async def table(app: Any, which: Any) -> list[dict[str, Any]]:
    async with app.bot_data.storage.db.engine.connect() as conn:
        return [dict(r._mapping) for r in await conn.execute(which.select())]


def test_a_forged_vote_pressed_25_times_adds_one_row(engine: Engine, tmp_path: Path) -> None:
    async def body(api: FakeBotApi, app: Any) -> None:
        asker, voter = 51, 52
        buttons = await ask_and_get_buttons(api, asker)
        down = buttons["👎"]
        assert len(down) > len("fb:-:") + 16  # a random token, not a counter
        api.push_update(api.message_update("/start", user_id=voter))  # the voter's chat has a message to press on
        await api.wait_for("sendMessage", 2)
        for n in range(1, 26):
            await press(api, down, voter, n)
        assert [(r["voter_hash"], r["vote"]) for r in await table(app, votes)] == [
            (app.bot_data.storage.db.user_key(voter), -1)
        ]
        for n, forged in enumerate(("fb:-:1", "fb:+:" + "A" * 22), 26):  # old counter tokens, guessed tokens
            await press(api, forged, voter, n)
        assert len(await table(app, votes)) == 1
        assert api.calls_to("answerCallbackQuery")[-1]["text"] == "Эта кнопка устарела."
        stored = await table(app, answers)
        assert [(r["asker_hash"], r["question"]) for r in stored] == [
            (app.bot_data.storage.db.user_key(asker), QUESTION)  # the question only under its asker
        ]

    scenario(engine, tmp_path, body)


def test_forget_removes_stored_rows_and_memory(engine: Engine, tmp_path: Path) -> None:
    async def body(api: FakeBotApi, app: Any) -> None:
        user = 61
        buttons = await ask_and_get_buttons(api, user)
        await press(api, buttons["👍"], user, 1)
        api.push_update(api.message_update("/lang en", user_id=user))
        await api.wait_for("sendMessage", 2)
        bd = app.bot_data
        bd.inline.mark(user, "inline-query-id")
        assert QUESTION in {a.question for a in bd.engine._cache.values()}
        api.push_update(api.message_update("/forget", user_id=user))
        await api.wait_for("sendMessage", 3)
        assert "deleted (4 records)" in api.sent_texts(user)[-1]  # answer, vote, language, limit row
        assert await table(app, answers) == [] and await table(app, votes) == []
        assert await bd.storage.users.language(user) is None
        assert QUESTION not in {a.question for a in bd.engine._cache.values()}
        assert not bd.inline.is_latest(user, "inline-query-id")
        assert (
            not (tmp_path / "bot.sqlite3-wal").exists()
            or QUESTION.encode() not in (tmp_path / "bot.sqlite3-wal").read_bytes()
        )

    scenario(engine, tmp_path, body)


def test_inline_queries_count_against_the_question_limit(engine: Engine, tmp_path: Path) -> None:
    async def body(api: FakeBotApi, app: Any) -> None:
        user = 71
        api.push_update(api.message_update("Кто оплачивает проезд волонтёра?", user_id=user))
        await api.wait_for("sendMessage")
        api.push_update(api.inline_update("может ли общественный помощник применять силу", user_id=user))
        await asyncio.sleep(app.bot_data.settings.telegram.inline_debounce + 0.5)
        limited = (await api.wait_for("answerInlineQuery"))[0]
        assert limited["results"] == [] and "Подождите" in limited["button"]["text"]

    limits = TelegramSettings(questions_per_period=1, period=600)
    scenario(engine, tmp_path, body, telegram=limits)


def test_two_replicas_share_language_votes_and_limits(engine: Engine, tmp_path: Path, database_url: str | None) -> None:
    """Two Applications on one database; updates go to them in turn (as a load balancer would)."""

    async def main() -> None:
        async with FakeBotApi() as api:
            settings = Settings(
                telegram_bot_token=api.token,
                telegram_base_url=api.base_url,
                data_dir=tmp_path,
                database_url=database_url,
                telegram=TelegramSettings(questions_per_period=2, period=600),
            )
            apps = [build_application(settings, engine=engine) for _ in range(2)]
            for app in apps:
                await app.initialize()
                await app.post_init(app)  # type: ignore[misc]
                await app.start()
            turn = 0

            async def deliver(update: dict[str, Any]) -> None:
                nonlocal turn
                app = apps[turn % 2]
                turn += 1
                update = {"update_id": 1000 + turn, **update}
                await app.process_update(Update.de_json(update, app.bot))

            try:
                user, voter = 81, 82
                await deliver(api.message_update("/lang en", user_id=user))  # replica 0
                await api.wait_for("sendMessage", 1)
                await deliver(api.message_update("/help", user_id=user))  # replica 1 knows the choice
                sent = await api.wait_for("sendMessage", 2)
                assert sent[-1]["text"] == help_reply("en", apps[1].bot.username).messages[0]
                await deliver(api.message_update(QUESTION, user_id=user))  # replica 0: 1st question
                await until(lambda: bool(api.sent_messages(user)[-1].get("reply_markup")))
                keys = api.sent_messages(user)[-1]["reply_markup"]["inline_keyboard"][0]
                up = next(b["callback_data"] for b in keys if b["text"] == "👍")
                for n in range(1, 5):  # the voter presses on both replicas, twice each
                    await deliver(api.callback_update(up, api.sent_messages(user)[-1], user_id=voter))
                    await api.wait_for("answerCallbackQuery", n)
                assert all(a["text"] for a in api.calls_to("answerCallbackQuery"))
                assert await apps[0].bot_data.storage.feedback.vote_count() == 1
                await deliver(api.message_update(QUESTION, user_id=user))  # replica 1: 2nd question
                await deliver(api.message_update(QUESTION, user_id=user))  # replica 0: 3rd, over the limit
                await until(lambda: any("Too many questions" in t for t in api.sent_texts(user)))
                await asyncio.sleep(0.5)
                assert sum("Too many questions" in t for t in api.sent_texts(user)) == 1
            finally:
                for app in apps:
                    await app.stop()
                    await app.shutdown()
                    await app.post_shutdown(app)  # type: ignore[misc]

    asyncio.run(main())
