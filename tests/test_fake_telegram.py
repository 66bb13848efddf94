"""The fake Bot API against the real python-telegram-bot over HTTP: if these pass, e2e tests can trust it."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, InvalidToken, NetworkError, RetryAfter, TimedOut
from telegram.ext import (
    ApplicationBuilder,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from tests.fake_telegram import FakeBotApi, UploadedFile

KEYBOARD = InlineKeyboardMarkup([[InlineKeyboardButton("Статья 5", callback_data="art:5")]])


def make_bot(api: FakeBotApi, token: str | None = None) -> Bot:
    """A real Bot aimed at the fake for both API calls and file downloads (never at api.telegram.org)."""
    return Bot(token or api.token, base_url=api.base_url, base_file_url=api.base_file_url)


async def until(predicate: Callable[[], bool], timeout: float = 5.0) -> None:
    """Poll a condition the fake cannot signal itself (e.g. a later getUpdates offset)."""
    async with asyncio.timeout(timeout):
        while not predicate():
            await asyncio.sleep(0.02)


def test_bot_round_trip_records_decoded_params() -> None:
    async def scenario() -> None:
        async with FakeBotApi() as api, make_bot(api) as bot:
            me = await bot.get_me()
            assert me.username == "statute_test_bot" and me.is_bot and me.id == 123456
            assert me.can_read_all_group_messages is False and me.supports_inline_queries is True

            sent = await bot.send_message(42, "<b>123</b>", parse_mode="HTML", reply_markup=KEYBOARD)
            again = await bot.send_message(42, "true")
            group = await bot.send_message(-1001234, "в группу")

            assert sent.message_id == 1 and again.message_id == 2 and group.message_id == 1
            assert sent.chat.id == 42 and sent.chat.type == "private" and group.chat.type == "supergroup"
            assert sent.from_user is not None and sent.from_user.username == "statute_test_bot"
            assert sent.text == "123"  # HTML markup is parsed away, as Telegram does
            assert sent.reply_markup == KEYBOARD

            params = api.calls_to("sendMessage")
            assert params[0] == {
                "chat_id": 42,
                "text": "<b>123</b>",
                "parse_mode": "HTML",
                "reply_markup": {"inline_keyboard": [[{"text": "Статья 5", "callback_data": "art:5"}]]},
            }
            # strings that look like JSON stay strings; ints and bools are decoded
            assert params[1]["text"] == "true" and isinstance(params[1]["chat_id"], int)
            assert api.sent_texts(42) == ["<b>123</b>", "true"]
            assert [c.method for c in api.calls] == ["getMe", "getMe"] + ["sendMessage"] * 3

            edited = await bot.edit_message_text("новый", chat_id=42, message_id=sent.message_id)
            assert isinstance(edited, type(sent)) and edited.text == "новый" and edited.edit_date is not None
            with pytest.raises(BadRequest, match="not modified"):
                await bot.edit_message_text("новый", chat_id=42, message_id=sent.message_id)
            assert api.calls[-1].failed
            with pytest.raises(BadRequest, match=r"(?i)unsupported start tag"):
                await bot.send_message(42, "<div>x</div>", parse_mode="HTML")
            assert await bot.edit_message_text("inline", inline_message_id="AAA123") is True

            await bot.set_my_commands([("start", "Начать"), ("help", "Помощь")])
            commands = await bot.get_my_commands()
            assert [(c.command, c.description) for c in commands] == [("start", "Начать"), ("help", "Помощь")]
            assert await bot.send_chat_action(42, "typing") is True
            assert await bot.answer_callback_query("4000000000000000001", text="ok") is True
            assert api.calls_to("answerCallbackQuery")[0]["callback_query_id"] == "4000000000000000001"
            assert await bot.delete_message(42, sent.message_id) is True
            chat = await bot.get_chat(-1001234)
            assert chat.id == -1001234 and chat.type == "supergroup"
            assert await bot.do_api_request("someFutureMethod", api_kwargs={"x": 1}) is True
            assert api.calls_to("SOMEFUTUREMETHOD") == [{"x": 1}]

    asyncio.run(scenario())


def test_application_polls_handles_in_order_and_shuts_down() -> None:
    seen: list[tuple[str, int]] = []

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None
        seen.append(("start", update.update_id))
        await update.message.reply_text("Здравствуйте!")

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None and update.message.text is not None
        seen.append(("echo", update.update_id))
        await update.message.reply_text(update.message.text)

    async def scenario() -> None:
        async with FakeBotApi() as api:
            app = ApplicationBuilder().token(api.token).base_url(api.base_url).base_file_url(api.base_file_url).build()
            app.add_handler(CommandHandler("start", start))
            app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
            await app.initialize()
            await app.start()
            assert app.updater is not None
            await app.updater.start_polling(poll_interval=0.0, timeout=1)
            try:
                first = api.push_update(api.message_update("/start", user_id=77))
                second = api.push_update(api.message_update("Что такое волонтёр?", user_id=77))
                replies = await api.wait_for("sendMessage", count=2, timeout=10)
                await until(lambda: any(p.get("offset") == second + 1 for p in api.calls_to("getUpdates")))
                third = api.push_update(api.message_update("ещё", user_id=77))
                await api.wait_for("sendMessage", count=3, timeout=10)
            finally:
                began = time.monotonic()
                await app.updater.stop()
                await app.stop()
                await app.shutdown()
                assert time.monotonic() - began < 5

            assert seen == [("start", first), ("echo", second), ("echo", third)]
            assert [r["text"] for r in replies] == ["Здравствуйте!", "Что такое волонтёр?"]
            assert all(r["chat_id"] == 77 for r in replies)
            assert api.sent_texts(77)[-1] == "ещё"
            polls = api.calls_to("getUpdates")
            assert all(p["timeout"] == 1 for p in polls[:-1])
            assert polls[-1] == {"offset": third + 1, "timeout": 0}  # PTB's confirming call on stop
            assert api.pending_updates == []
            assert api.calls_to("deleteWebhook")  # the polling bootstrap

    asyncio.run(scenario())


# PTB itself warns when it builds a RetryAfter (its retry_after is becoming a timedelta)
@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
def test_fail_next_429_raises_retry_after() -> None:
    async def scenario() -> None:
        async with FakeBotApi() as api, make_bot(api) as bot:
            api.fail_next("sendMessage", 429, retry_after=1)
            with pytest.raises(RetryAfter, match=r"Retry in (1 seconds|0:00:01)"):
                await bot.send_message(5, "hi")
            assert api.calls[-1].method == "sendMessage" and api.calls[-1].failed
            assert api.sent_texts() == []
            await bot.send_message(5, "hi")  # only the next call failed
            assert api.sent_texts() == ["hi"]

    asyncio.run(scenario())


def test_wrong_token_raises_invalid_token() -> None:
    async def scenario() -> None:
        async with FakeBotApi() as api:
            bot = make_bot(api, "999999:WRONG")
            with pytest.raises(InvalidToken):
                await bot.initialize()
            await bot.shutdown()
            assert api.calls[-1].method == "getMe" and api.calls[-1].failed

    asyncio.run(scenario())


def test_server_errors_and_delays() -> None:
    async def scenario() -> None:
        async with FakeBotApi() as api, make_bot(api) as bot:
            api.fail_next("sendMessage", 502, times=2)
            for _ in range(2):
                with pytest.raises(NetworkError, match="Bad Gateway"):
                    await bot.send_message(5, "x")
            api.fail_next("sendMessage", 500)
            with pytest.raises(NetworkError, match="Internal Server Error"):
                await bot.send_message(5, "x")
            api.delay_next("sendMessage", 2.0)
            with pytest.raises(TimedOut):
                await bot.send_message(5, "slow", read_timeout=0.3)
            await bot.send_message(5, "fast", read_timeout=2)
            await asyncio.sleep(0.1)  # the server notices the client left
            failed = [c.failed for c in api.calls if c.method == "sendMessage"]
            assert failed == [True, True, True, True, False]  # the timed-out call had no effect

    asyncio.run(scenario())


def test_long_poll_semantics() -> None:
    async def scenario() -> None:
        api = FakeBotApi()
        await api.start()
        async with make_bot(api) as bot:
            assert await bot.get_updates(timeout=0) == ()
            began = time.monotonic()
            poll = asyncio.create_task(bot.get_updates(timeout=5))
            await api.wait_for("getUpdates", count=2)
            uid = api.push_update(api.message_update("привет"))
            (update,) = await poll
            assert update.update_id == uid and time.monotonic() - began < 2

            # not confirmed yet: comes again; limit and a confirming offset
            ids = [uid] + [api.push_update(api.message_update(str(i))) for i in range(3)]
            assert [u.update_id for u in await bot.get_updates(limit=2)] == ids[:2]
            assert [u.update_id for u in await bot.get_updates(offset=ids[2])] == ids[2:]
            assert await bot.get_updates(offset=ids[-1] + 1) == ()
            assert api.pending_updates == []

            # an empty long poll is held for the requested timeout, no longer
            began = time.monotonic()
            assert await bot.get_updates(timeout=1) == ()
            assert 0.9 < time.monotonic() - began < 2.5

            # stop() releases a held poll at once
            poll = asyncio.create_task(bot.get_updates(timeout=8))
            await api.wait_for("getUpdates", count=len(api.calls_to("getUpdates")) + 1)
            began = time.monotonic()
            await api.stop()
            assert await poll == ()
            assert time.monotonic() - began < 3

    asyncio.run(scenario())


def test_builders_are_real_updates_and_files_download() -> None:
    async def scenario() -> None:
        async with FakeBotApi() as api, make_bot(api) as bot:

            def parsed(update: dict[str, Any]) -> Update:
                api.push_update(update)
                result = Update.de_json(api.pending_updates[-1], bot)
                assert result is not None
                return result

            text = "/start@statute_test_bot привет @someone"
            cmd = parsed(api.message_update(text, chat_type="supergroup"))
            assert cmd.effective_chat is not None and cmd.effective_chat.type == "supergroup"
            assert cmd.message is not None
            assert [e.type for e in cmd.message.entities] == ["bot_command", "mention"]
            assert cmd.message.entities[1].offset == 31 and cmd.message.entities[1].length == 8
            assert cmd.message.from_user is not None and cmd.message.from_user.language_code == "ru"

            edited = parsed(api.edited_message_update("исправлено", chat_type="supergroup"))
            assert edited.edited_message is not None
            assert edited.edited_message.message_id == cmd.message.message_id

            sent = await bot.send_message(1001, "Выберите", reply_markup=KEYBOARD)
            press = parsed(api.callback_update("art:5", sent.to_dict()))
            assert press.callback_query is not None and press.callback_query.data == "art:5"
            assert press.callback_query.message is not None
            assert press.callback_query.message.message_id == sent.message_id

            inline = parsed(api.inline_update("статья 5", offset="10"))
            assert inline.inline_query is not None and inline.inline_query.query == "статья 5"

            post = parsed(api.channel_post_update("новость"))
            assert post.channel_post is not None and post.channel_post.from_user is None
            assert post.channel_post.sender_chat is not None

            sticker = parsed(api.sticker_update())
            assert sticker.message is not None and sticker.message.sticker is not None
            voice = parsed(api.voice_update(duration=4, content=b"OggS-voice"))
            assert voice.message is not None and voice.message.voice is not None
            photo = parsed(api.photo_update(caption="/ask где?", content=b"\xff\xd8jpeg"))
            assert photo.message is not None and len(photo.message.photo) == 3
            assert [e.type for e in photo.message.caption_entities] == ["bot_command"]

            voice_file = await bot.get_file(voice.message.voice.file_id)
            assert bytes(await voice_file.download_as_bytearray()) == b"OggS-voice"
            photo_file = await photo.message.photo[-1].get_file()
            assert bytes(await photo_file.download_as_bytearray()) == b"\xff\xd8jpeg"

    asyncio.run(scenario())


def test_multipart_upload_is_decoded() -> None:
    async def scenario() -> None:
        async with FakeBotApi() as api, make_bot(api) as bot:
            png = b"\x89PNG-bytes"
            message = await bot.send_photo(-100777, photo=png, caption="Схема", parse_mode="HTML")
            assert message.photo and message.caption == "Схема"
            await bot.send_document(5, document=b"%PDF-1.4", filename="statute.pdf", caption="42")
            photo, document = api.calls_to("sendPhoto")[0], api.calls_to("sendDocument")[0]
            assert photo["chat_id"] == -100777 and photo["caption"] == "Схема"
            assert isinstance(photo["photo"], UploadedFile) and photo["photo"].data == png
            assert isinstance(document["document"], UploadedFile)
            assert document["document"].filename == "statute.pdf" and document["caption"] == "42"

    asyncio.run(scenario())


def test_json_body_query_string_and_conflicting_polls() -> None:
    """Telegram also takes a JSON body or query string; a second long poll ends the first with 409."""

    async def scenario() -> None:
        async with FakeBotApi() as api, aiohttp.ClientSession() as http:
            url = f"{api.base_url}{api.token}"
            answer = await http.post(f"{url}/sendMessage", json={"chat_id": 7, "text": "123"})
            assert (await answer.json())["result"]["text"] == "123"
            assert api.calls_to("sendMessage") == [{"chat_id": 7, "text": "123"}]
            answer = await http.get(f"{url}/GETME?x=1")
            assert (await answer.json())["result"]["username"] == "statute_test_bot"
            assert api.calls_to("getMe") == [{"x": 1}]

            held = asyncio.create_task(http.post(f"{url}/getUpdates", data={"timeout": "5"}))
            await api.wait_for("getUpdates")
            second = await http.post(f"{url}/getUpdates", data={"timeout": "0"})
            first = await held
            assert first.status == 409 and (await first.json())["error_code"] == 409
            assert second.status == 200 and (await second.json()) == {"ok": True, "result": []}

    asyncio.run(scenario())


async def _replica_app(seen: list[int], busy: list[int], hold: float) -> tuple[web.AppRunner, str]:
    """A stand-in webhook replica on 127.0.0.1: records each update id and how many it holds at once."""

    async def receive(request: web.Request) -> web.Response:
        busy.append(busy[-1] + 1 if busy else 1)
        seen.append((await request.json())["update_id"])
        await asyncio.sleep(hold)
        busy.append(busy[-1] - 1)
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_post("/{path:.*}", receive)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    return runner, f"http://127.0.0.1:{port}"


def test_webhook_deliveries_keep_to_max_connections_and_pick_a_live_replica_when_sent() -> None:
    """At most setWebhook's max_connections at once; updates queued while a replica is down go elsewhere."""

    async def scenario() -> None:
        seen: list[int] = []
        busy: list[int] = []
        async with FakeBotApi() as api, make_bot(api) as bot:
            runner, live = await _replica_app(seen, busy, hold=0.2)
            dead = f"http://127.0.0.1:{free_port()}"  # nothing listens there
            try:
                await bot.set_webhook("https://bot.example.org/hook", max_connections=3)
                api.deliver_webhooks([dead, live])
                ids = [api.push_update(api.message_update(f"q{n}")) for n in range(12)]
                await until(lambda: not api.pending_updates, timeout=20)
                assert sorted(seen) == ids and max(busy) == 3
                refused = [d for d in api.deliveries if d.target == dead]
                # only those sent before the first refusal came back (of the first three, in turn);
                # the nine queued behind them went to the live one, though queued while both were up
                assert 1 <= len(refused) <= 2 and {d.status for d in refused} == {0}
            finally:
                await runner.cleanup()

    asyncio.run(scenario())


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
