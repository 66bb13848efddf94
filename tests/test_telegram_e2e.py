"""The real Application over HTTP against a fake Bot API server on 127.0.0.1.

Each test pushes real Update JSON and asserts on the requests the bot made.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from bot.engine import Engine
from bot.present.split import MAX_MESSAGE
from bot.telegram.app import allowed_updates, build_application
from knowledge.settings import Settings, TelegramSettings
from tests.fake_telegram import FakeBotApi

GROUP = -1001234567890
QUIET = 1.5  # seconds to wait before concluding that the bot says nothing


@asynccontextmanager
async def running(engine: Engine | None, tmp_path: Path, **overrides: Any) -> AsyncIterator[tuple[FakeBotApi, Any]]:
    """The fake server and the bot polling it (settings `overrides` applied); both stopped afterwards."""
    async with FakeBotApi() as api:
        settings = Settings(
            telegram_bot_token=api.token, data_dir=tmp_path, telegram_base_url=api.base_url, **overrides
        )
        app = build_application(settings, engine=engine)
        await app.initialize()
        if app.post_init:
            await app.post_init(app)  # as run_polling does
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0.0, timeout=1, allowed_updates=allowed_updates())
        try:
            yield api, app
        finally:
            await app.updater.stop()
            await app.stop()
            await app.shutdown()
            if app.post_shutdown:
                await app.post_shutdown(app)  # as run_polling does


def scenario(
    engine: Engine | None, tmp_path: Path, body: Callable[[FakeBotApi, Any], Awaitable[None]], **overrides: Any
) -> None:
    async def main() -> None:
        async with running(engine, tmp_path, **overrides) as (api, app):
            await body(api, app)

    asyncio.run(main())


def texts_to(api: FakeBotApi, chat_id: int) -> list[str]:
    return [p["text"] for p in api.calls_to("sendMessage") if p["chat_id"] == chat_id]


async def say_nothing(api: FakeBotApi, chat_id: int) -> None:
    await asyncio.sleep(QUIET)
    assert texts_to(api, chat_id) == []


@pytest.fixture(autouse=True)
def no_handler_errors(caplog: pytest.LogCaptureFixture) -> Any:
    """No test may end with an unhandled error logged by the error handler."""
    caplog.set_level(logging.ERROR, logger="bot.telegram.chats")
    yield
    assert not [r for r in caplog.records if "error while handling" in r.getMessage()]


def test_private_question_gets_a_cited_answer(engine: Engine, tmp_path: Path) -> None:
    async def body(api: FakeBotApi, app: Any) -> None:
        api.push_update(api.message_update("Кто оплачивает проезд волонтёра?", user_id=11))
        sent = await api.wait_for("sendMessage")
        text = sent[0]["text"]
        assert "<blockquote>" in text and "ст. 12, п. 3, пп. 5)" in text
        buttons = [b for row in sent[-1]["reply_markup"]["inline_keyboard"] for b in row]
        assert buttons[0]["callback_data"] in ("art:volunteer:12", "art:volunteer:14")
        assert any(b.get("switch_inline_query") for b in buttons)
        assert api.calls_to("sendChatAction")[0]["action"] == "typing"
        assert len(api.calls_to("setMyCommands")) == 3

    scenario(engine, tmp_path, body)


def test_groups_answer_only_when_addressed(engine: Engine, tmp_path: Path) -> None:
    async def body(api: FakeBotApi, app: Any) -> None:
        api.push_update(api.message_update("Кто платит волонтёрам за дорогу?", chat_id=GROUP, chat_type="supergroup"))
        await say_nothing(api, GROUP)
        api.push_update(
            api.message_update(
                "/ask@statute_test_bot Кто платит волонтёрам за дорогу?",
                chat_id=GROUP,
                chat_type="supergroup",
            )
        )
        first = (await api.wait_for("sendMessage"))[0]
        assert first["chat_id"] == GROUP and "<blockquote>" in first["text"]
        assert "Связанные нормы" not in first["text"]  # groups get the short answer
        api.push_update(
            api.message_update(
                "@statute_test_bot Может ли волонтёр отказаться от задания?",
                chat_id=GROUP,
                chat_type="supergroup",
                user_id=12,
            )
        )
        await api.wait_for("sendMessage", 2)
        bot_message = api.sent_messages(GROUP)[0]
        api.push_update(
            api.message_update(
                "а если договор не заключали?",
                chat_id=GROUP,
                chat_type="supergroup",
                user_id=13,
                reply_to_message=bot_message,
            )
        )
        await api.wait_for("sendMessage", 3)

    scenario(engine, tmp_path, body)


def test_inline_query_offers_result_cards(engine: Engine, tmp_path: Path) -> None:
    async def body(api: FakeBotApi, app: Any) -> None:
        api.push_update(api.inline_update("помощник", user_id=21))
        short = (await api.wait_for("answerInlineQuery"))[0]
        assert short["results"] == [] and "button" in short
        api.push_update(api.inline_update("может ли общественный", user_id=22))
        api.push_update(api.inline_update("может ли общественный помощник применять силу", user_id=22))
        await asyncio.sleep(TelegramSettings().inline_debounce + 1.0)
        answers = await api.wait_for("answerInlineQuery", 2)
        assert len(answers) == 2  # the query that was still changing was not searched
        cards = answers[1]["results"]
        assert 1 <= len(cards) <= 3 and answers[1]["cache_time"] > 0
        assert "46" in cards[0]["title"]
        assert cards[0]["input_message_content"]["parse_mode"] == "HTML"

    scenario(engine, tmp_path, body)


async def press(api: FakeBotApi, data: str, user_id: int, count: int) -> dict[str, Any]:
    """Press a button on the bot's last message; wait until the bot has acted `count` times."""
    message = api.sent_messages(user_id)[-1]
    api.push_update(api.callback_update(data, message, user_id=user_id))
    await api.wait_for("answerCallbackQuery", count)
    await asyncio.sleep(0.2)
    return message


@pytest.mark.parametrize(
    ("replies", "verdict"),
    [
        ("yynnnn", "вы можете подать заявление"),
        ("n", "вы не можете стать общественным помощником"),
        ("yynunn", "уточните в полиции"),
    ],
)
def test_eligibility_checklist_reaches_each_outcome(engine: Engine, tmp_path: Path, replies: str, verdict: str) -> None:
    async def body(api: FakeBotApi, app: Any) -> None:
        user = 31
        api.push_update(api.message_update("/eligibility", user_id=user))
        await api.wait_for("sendMessage")
        for i in range(len(replies)):
            await press(api, f"el:ru:{replies[: i + 1]}", user, i + 1)
        texts = api.sent_texts(user)
        assert any(verdict in text for text in texts)
        # the deciding points in the official Russian text (current for the prevention law)
        if verdict == "вы не можете стать общественным помощником":
            assert any("не достигшие совершеннолетия" in text for text in texts)
        else:
            assert any("в течение семи рабочих дней" in text for text in texts)  # how to apply: p. 4

    scenario(engine, tmp_path, body)


def test_kazakh_text_is_one_tap_away(engine: Engine, tmp_path: Path) -> None:
    async def body(api: FakeBotApi, app: Any) -> None:
        user = 37
        api.push_update(api.message_update("Кто оплачивает проезд волонтёра?", user_id=user))
        sent = await api.wait_for("sendMessage")
        assert "официальный текст на русском языке" in sent[0]["text"]
        assert "Волонтердің" not in sent[0]["text"]
        buttons = [b for row in sent[-1]["reply_markup"]["inline_keyboard"] for b in row]
        kazakh = next(b["callback_data"] for b in buttons if b["text"] == "Текст на казахском")
        await press(api, kazakh, user, 1)
        reply = api.sent_texts(user)[-1]
        assert reply.startswith("<b>Официальный текст на казахском языке:</b>")
        assert "<blockquote>Волонтердің: … 5) волонтермен жазбаша нысанда" in reply

    scenario(engine, tmp_path, body)


def test_feedback_is_stored_and_forget_removes_it(engine: Engine, tmp_path: Path) -> None:
    async def body(api: FakeBotApi, app: Any) -> None:
        user = 41
        api.push_update(api.message_update("Волонтердің міндеттері қандай?", user_id=user))
        sent = await api.wait_for("sendMessage")
        row = sent[-1]["reply_markup"]["inline_keyboard"][0]
        up = next(b["callback_data"] for b in row if b["text"] == "👍")
        await press(api, up, user, 1)
        feedback = app.bot_data.storage.feedback
        assert await feedback.vote_count(user) == 1 and await feedback.answer_count(user) == 1
        api.push_update(api.message_update("/forget", user_id=user))
        await api.wait_for("sendMessage", 2)
        assert await feedback.vote_count(user) == 0 and await feedback.answer_count(user) == 0
        assert "удалены" in api.sent_texts(user)[-1]

    scenario(engine, tmp_path, body)


def test_a_long_article_arrives_as_valid_html_parts(engine: Engine, tmp_path: Path) -> None:
    async def body(api: FakeBotApi, app: Any) -> None:
        api.push_update(api.message_update("/article профилактика 1", user_id=51))
        await asyncio.sleep(QUIET)
        parts = [p["text"] for p in api.calls_to("sendMessage") if p["chat_id"] == 51]
        assert sum(len(p) for p in parts) > 6000
        assert len(parts) >= 2 and all(len(p) <= MAX_MESSAGE for p in parts)
        assert not [c for c in api.calls if c.method == "sendMessage" and c.failed]  # the fake checks the HTML

    scenario(engine, tmp_path, body)


def test_bad_input_through_the_same_path(engine: Engine, tmp_path: Path) -> None:
    async def body(api: FakeBotApi, app: Any) -> None:
        user = 61
        api.push_update(api.sticker_update(user_id=user))
        api.push_update(api.photo_update(user_id=user))
        api.push_update(api.voice_update(user_id=user))
        await api.wait_for("sendMessage", 3)
        assert all("текстовые вопросы" in t for t in api.sent_texts(user))
        api.push_update(api.message_update("/ask", user_id=user))
        await api.wait_for("sendMessage", 4)
        assert "после команды" in api.sent_texts(user)[-1]
        api.push_update(api.message_update("Волонтер " * 560, user_id=user))
        await api.wait_for("sendMessage", 5)
        assert "слишком длинный" in api.sent_texts(user)[-1].lower() or "1500" in api.sent_texts(user)[-1]
        api.push_update(api.edited_message_update("Волонтердің құқықтары қандай?", user_id=user))
        await api.wait_for("sendMessage", 6)
        assert "<blockquote>" in api.sent_texts(user)[-1]
        api.push_update(api.channel_post_update("Кто платит за проезд?"))
        api.push_update(api.callback_update("zzz:unknown", api.sent_messages(user)[-1], user_id=user))
        await api.wait_for("answerCallbackQuery")
        api.push_update(api.message_update("/nosuchcommand", user_id=user))
        await api.wait_for("sendMessage", 7)
        assert "/help" in api.sent_texts(user)[-1]
        await asyncio.sleep(0.5)
        assert len(api.calls_to("sendMessage")) == 7  # the channel post got no reply

    scenario(engine, tmp_path, body)


def test_flood_limits_are_retried_and_nothing_is_lost(engine: Engine, tmp_path: Path) -> None:
    async def body(api: FakeBotApi, app: Any) -> None:
        api.fail_next("sendMessage", 429, retry_after=1)
        api.push_update(api.message_update("Кто возглавляет Ассамблею народа Казахстана?", user_id=71))
        await api.wait_for("sendMessage", 2, timeout=15)
        delivered = [c for c in api.calls if c.method == "sendMessage" and not c.failed]
        assert len(delivered) == 1 and "<blockquote>" in delivered[0].params["text"]

    scenario(engine, tmp_path, body)


def test_per_user_question_limit(engine: Engine, tmp_path: Path) -> None:
    async def body(api: FakeBotApi, app: Any) -> None:
        for _ in range(7):
            api.push_update(api.message_update("Волонтердің құқықтары қандай?", user_id=81))
        await api.wait_for("sendMessage", 7, timeout=30)
        assert sum("Подождите" in t for t in api.sent_texts(81)) == 1

    scenario(engine, tmp_path, body)


def test_missing_knowledge_base_is_a_clear_reply_not_a_crash(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    async def body(api: FakeBotApi, app: Any) -> None:
        assert app.bot_data.engine is None
        api.push_update(api.message_update("Кто платит за проезд волонтёра?", user_id=91))
        api.push_update(api.message_update("Ещё вопрос про волонтёров", user_id=91))
        await api.wait_for("sendMessage", 2)
        assert all("База знаний сейчас недоступна" in t for t in api.sent_texts(91))

    empty = tmp_path / "no-acts"
    empty.mkdir()
    caplog.set_level(logging.ERROR)
    scenario(None, tmp_path, body, acts_dir=empty)
    assert any("knowledge base unavailable" in r.getMessage() for r in caplog.records)


def test_the_token_never_reaches_the_logs(caplog: pytest.LogCaptureFixture) -> None:
    from bot.logs import RedactToken

    token = "123456:SECRET-TOKEN"
    logger = logging.getLogger("httpx-test")
    caplog.set_level(logging.INFO)
    caplog.handler.addFilter(RedactToken(token))
    logger.info("HTTP Request: POST http://127.0.0.1/bot%s/getUpdates", token)
    assert token not in caplog.text
    assert "/bot<token>/getUpdates" in caplog.text


def test_admin_commands_check_the_admin_list(engine: Engine, tmp_path: Path) -> None:
    async def body(api: FakeBotApi, app: Any) -> None:
        api.push_update(api.message_update("/stats", user_id=8))
        api.push_update(api.message_update("/reindex", user_id=8))
        await api.wait_for("sendMessage", 2)
        assert all("/help" in t for t in api.sent_texts(8))  # not admins: like an unknown command
        api.push_update(api.message_update("/stats", user_id=7))
        await api.wait_for("sendMessage", 3)
        stats = api.sent_texts(7)[-1]
        assert "provisions" in stats and "vectors" in stats

    scenario(engine, tmp_path, body, admin_ids=[7])


def test_forged_button_data_gets_the_expired_notice(engine: Engine, tmp_path: Path) -> None:
    async def body(api: FakeBotApi, app: Any) -> None:
        api.push_update(api.message_update("/start", user_id=71))
        await api.wait_for("sendMessage")
        start = api.sent_messages(71)[-1]
        for n, forged in enumerate(("ex:ru:²", "ex:ru:9", "fb:+:zz", "el:ru:yyyyyyyy", "lang:ru\n"), 1):
            api.push_update(api.callback_update(forged, start, user_id=71))
            answers = await api.wait_for("answerCallbackQuery", n)
            assert answers[-1]["text"] == "Эта кнопка устарела."
        assert len(api.calls_to("sendMessage")) == 1  # nothing was answered or sent for a forged button

    scenario(engine, tmp_path, body)


def test_every_reply_is_split_even_an_error_with_a_huge_act_name(engine: Engine, tmp_path: Path) -> None:
    async def body(api: FakeBotApi, app: Any) -> None:
        api.push_update(api.message_update("/article " + "ъ" * 4000 + " 1", user_id=72))
        await api.wait_for("sendMessage")
        await asyncio.sleep(0.5)
        parts = texts_to(api, 72)
        assert parts and all(len(p) <= MAX_MESSAGE for p in parts)
        assert not [c for c in api.calls if c.method == "sendMessage" and c.failed]

    scenario(engine, tmp_path, body)


def test_a_provision_longer_than_a_message_arrives_in_balanced_parts(engine: Engine, tmp_path: Path) -> None:
    longest = max(engine.kb.chunks, key=lambda c: len(c.quote))
    assert len(longest.quote) > MAX_MESSAGE  # the report's art. 6 p. 18
    answer = engine.composer.finish("q", "ru", "answer", [engine.composer.quote(longest, "ru")])

    async def body(api: FakeBotApi, app: Any) -> None:
        from bot.present.replies import answer_reply
        from bot.telegram.common import send

        await send(app, 73, answer_reply(engine, answer, "ru", "Tok3n-of-22-characters"))  # type: ignore[arg-type]
        parts = texts_to(api, 73)
        assert len(parts) >= 2 and all(len(p) <= MAX_MESSAGE for p in parts)
        assert not [c for c in api.calls if c.method == "sendMessage" and c.failed]

    scenario(engine, tmp_path, body)
