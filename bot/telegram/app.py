"""Wiring: one builder function that assembles the Application with its handlers."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import httpx
from telegram import BotCommand, LinkPreviewOptions, Update
from telegram.error import BadRequest, NetworkError, TimedOut
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    ExtBot,
    InlineQueryHandler,
    MessageHandler,
    filters,
)
from telegram.request import HTTPXRequest

from bot.engine import Engine
from bot.telegram import handlers as h
from bot.telegram.context import BotData
from bot.telegram.health import HEARTBEAT_FILE, beat
from bot.telegram.store import Store
from knowledge.index import KnowledgeUnavailableError
from knowledge.settings import Settings

log = logging.getLogger(__name__)
COMMANDS = {
    "en": [
        ("ask", "Ask a question"),
        ("article", "Show an article: /article volunteer 12"),
        ("eligibility", "Can I become a public assistant?"),
        ("force", "What force may a public assistant use?"),
        ("lang", "Language: /lang kk|ru|en"),
        ("about", "Which laws I quote"),
        ("forget", "Delete my data"),
        ("help", "How to use the bot"),
    ],
    "ru": [
        ("ask", "Задать вопрос"),
        ("article", "Статья целиком: /article волонтер 12"),
        ("eligibility", "Могу ли я стать общественным помощником?"),
        ("force", "Какую силу может применять помощник?"),
        ("lang", "Язык: /lang kk|ru|en"),
        ("about", "Какие законы я цитирую"),
        ("forget", "Удалить мои данные"),
        ("help", "Как пользоваться ботом"),
    ],
    "kk": [
        ("ask", "Сұрақ қою"),
        ("article", "Бап толық: /article волонтер 12"),
        ("eligibility", "Қоғамдық көмекші бола аламын ба?"),
        ("force", "Көмекші қандай күш қолдана алады?"),
        ("lang", "Тіл: /lang kk|ru|en"),
        ("about", "Қандай заңдарды келтіремін"),
        ("forget", "Деректерімді жою"),
        ("help", "Ботты қалай қолдану"),
    ],
}
MEDIA = (
    filters.Sticker.ALL
    | filters.PHOTO
    | filters.VOICE
    | filters.AUDIO
    | filters.VIDEO
    | filters.VIDEO_NOTE
    | filters.ANIMATION
    | filters.Document.ALL
    | filters.LOCATION
    | filters.CONTACT
)


# No link previews anywhere (messages, edits, inline cards): nothing in an answer should unfold.
NO_PREVIEWS = LinkPreviewOptions(is_disabled=True)
RETRIES = 3  # attempts for a Bot API call that surely did not take effect (see RetryingBot)
BACKOFF = 0.5  # seconds before the first retry; doubles after each
# Calls whose repetition does no harm: reading, setting the same value again, or answering a
# query that can be answered only once. Sends are not among them: a repeat is a second message.
REPEATABLE = frozenset(
    {
        "getMe",
        "getWebhookInfo",
        "setWebhook",
        "deleteWebhook",
        "setMyCommands",
        "sendChatAction",
        "answerCallbackQuery",
        "answerInlineQuery",
        "editMessageText",
        "editMessageReplyMarkup",
    }
)


def surely_not_delivered(err: NetworkError) -> bool:
    """True when Telegram certainly did not carry out the call, so a retry cannot duplicate it.

    - no connection was made (connect error, connect or pool timeout): nothing was sent;
    - Telegram answered with an error status (5xx): the Bot API carries out a method only when
      it answers `ok`. (429 is RetryAfter, retried by the rate limiter.)
    A read or write timeout, or a connection dropped after the request went out, leaves it open
    whether the message was sent: those are not retried for sends.
    """
    cause = err.__cause__
    if isinstance(cause, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout):
        return True
    if isinstance(err, TimedOut):
        return False
    return not isinstance(cause, httpx.HTTPError | OSError) and "Unknown error in HTTP" not in err.message


class RetryingBot(ExtBot[None]):
    """Retries Bot API calls, with back-off, only where a retry cannot deliver a message twice.

    Sends are retried only when Telegram surely did not take them (`surely_not_delivered`); calls
    in REPEATABLE on any network error. Flood limits (429) are the rate limiter's job; getUpdates
    has the updater's own retries.
    """

    async def _do_post(self, endpoint: str, *args: Any, **kwargs: Any) -> Any:
        for attempt in range(RETRIES):
            try:
                return await super()._do_post(endpoint, *args, **kwargs)
            except BadRequest:
                raise
            except NetworkError as err:
                if endpoint == "getUpdates" or attempt == RETRIES - 1:
                    raise
                if endpoint not in REPEATABLE and not surely_not_delivered(err):
                    log.warning("%s may have reached Telegram (%s): not repeated", endpoint, type(err).__name__)
                    raise
                await asyncio.sleep(BACKOFF * 2**attempt)
        raise AssertionError("unreachable")


async def _post_init(app: Application) -> None:  # type: ignore[type-arg]
    """Start the heartbeat; publish the command menu in each language."""
    bd: BotData = app.bot_data
    if bd.settings is not None and bd.heartbeat is None:
        bd.heartbeat = asyncio.create_task(beat(app, bd.settings.data_dir / HEARTBEAT_FILE))
    for lang, commands in COMMANDS.items():
        await app.bot.set_my_commands(
            [BotCommand(c, d) for c, d in commands], language_code=None if lang == "en" else lang
        )


async def _post_shutdown(app: Application) -> None:  # type: ignore[type-arg]
    """Stop the heartbeat (a stale one tells the health check the bot is gone)."""
    bd: BotData = app.bot_data
    if bd.heartbeat is not None:
        bd.heartbeat.cancel()
        bd.heartbeat = None


def build_application(
    settings: Settings,
    engine: Engine | None = None,
    base_url: str | None = None,
    rate_limits: bool = True,
    read_timeout: float = 15,
    block: bool = False,
) -> Application:  # type: ignore[type-arg]
    """The bot: handlers, typed bot_data, flood-limit and network retries, the error handler.

    `block=True` (webhook mode) makes `process_update` return only once the update is handled,
    so the webhook answers 200 only for updates that are done.
    """
    if settings.telegram_bot_token is None:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    url = base_url or settings.telegram_base_url
    bot = RetryingBot(
        settings.telegram_bot_token.get_secret_value(),
        base_url=url,
        base_file_url=url.replace("/bot", "/file/bot"),
        request=HTTPXRequest(connection_pool_size=64, connect_timeout=10, read_timeout=read_timeout, write_timeout=15),
        get_updates_request=HTTPXRequest(read_timeout=35, connect_timeout=10),
        rate_limiter=AIORateLimiter(max_retries=3) if rate_limits else None,  # type: ignore[arg-type]
        defaults=Defaults(block=block, link_preview_options=NO_PREVIEWS),
    )
    app = (
        ApplicationBuilder()
        .bot(bot)
        .context_types(ContextTypes(bot_data=BotData))
        .concurrent_updates(True)
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
        .build()
    )
    bd: BotData = app.bot_data
    bd.settings = settings
    bd.store = Store(settings.data_dir / "bot.sqlite3")
    if engine is None:
        try:
            engine = Engine.open(settings, build=True)
        except KnowledgeUnavailableError as err:
            log.error("knowledge base unavailable at start: %s", err)
    bd.engine = engine
    bd.acts = engine.kb.acts if engine else []

    private = filters.ChatType.PRIVATE
    for name, callback in (
        ("start", h.start),
        ("help", h.help_command),
        ("ask", h.ask_command),
        ("article", h.article_command),
        ("force", h.force_command),
        ("eligibility", h.eligibility_command),
        ("lang", h.lang_command),
        ("about", h.about_command),
        ("forget", h.forget_command),
        ("stats", h.stats_command),
        ("reindex", h.reindex_command),
    ):
        app.add_handler(CommandHandler(name, callback))
    app.add_handler(MessageHandler(filters.COMMAND & private, h.unknown_command))
    app.add_handler(
        MessageHandler(filters.TEXT & ~filters.COMMAND & private & filters.UpdateType.MESSAGES, h.private_text)
    )
    app.add_handler(
        MessageHandler(
            filters.TEXT & ~filters.COMMAND & filters.ChatType.GROUPS & filters.UpdateType.MESSAGE,
            h.group_text,
        )
    )
    app.add_handler(MessageHandler(MEDIA & private, h.not_text))
    app.add_handler(CallbackQueryHandler(h.on_button))
    app.add_handler(InlineQueryHandler(h.inline_query))
    app.add_error_handler(h.on_error)
    return app


def allowed_updates() -> list[str]:
    """The update kinds the bot asks Telegram for."""
    return [Update.MESSAGE, Update.EDITED_MESSAGE, Update.CALLBACK_QUERY, Update.INLINE_QUERY]
