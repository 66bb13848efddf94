"""Wiring: one builder function that assembles the Application with its handlers."""

from __future__ import annotations

import logging
from typing import cast

from telegram import BotCommand, LinkPreviewOptions, Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    filters,
)
from telegram.request import HTTPXRequest

from bot.engine import Engine
from bot.present.buttons import COMPILED, AskExample, Checklist, ChooseLanguage, OpenArticle, ShowKazakh, Vote
from bot.present.texts import text
from bot.telegram import callbacks, chats, commands, inline
from bot.telegram.context import BotData
from bot.telegram.flood import FloodLimits
from bot.telegram.resume import ResumingBot
from knowledge.index import KnowledgeUnavailableError
from knowledge.settings import Settings

log = logging.getLogger(__name__)
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


async def _post_init(app: Application) -> None:  # type: ignore[type-arg]
    """Open (and migrate) the storage, then publish the command menu in each language."""
    bd: BotData = app.bot_data
    await bd.storage.start()
    for lang in ("en", "ru", "kk"):
        menu = [BotCommand(c, d) for c, d in text(lang).commands]
        await app.bot.set_my_commands(menu, language_code=None if lang == "en" else lang)


async def _post_shutdown(app: Application) -> None:  # type: ignore[type-arg]
    """Close the storage's connections."""
    bd: BotData = app.bot_data
    await bd.storage.close()


def build_application(
    settings: Settings,
    engine: Engine | None = None,
    base_url: str | None = None,
    rate_limits: bool = True,
    read_timeout: float = 15,
    block: bool = False,
) -> Application:  # type: ignore[type-arg]
    """The bot: handlers, typed bot_data, flood limits, retries, resumable replies, the error handler.

    `block=True` (webhook mode) makes `process_update` return only once the update is handled,
    so the webhook answers 200 only for updates that are done. Link previews are off everywhere.
    """
    if settings.telegram_bot_token is None:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    url = base_url or settings.telegram_base_url
    bot = ResumingBot(
        settings.telegram_bot_token.get_secret_value(),
        base_url=url,
        base_file_url=url.replace("/bot", "/file/bot"),
        request=HTTPXRequest(connection_pool_size=64, connect_timeout=10, read_timeout=read_timeout, write_timeout=15),
        get_updates_request=HTTPXRequest(read_timeout=35, connect_timeout=10),
        rate_limiter=FloodLimits() if rate_limits else None,
        defaults=Defaults(block=block, link_preview_options=LinkPreviewOptions(is_disabled=True)),
        retries=settings.telegram.send_retries,
        backoff=settings.telegram.send_backoff,
    )
    if engine is None:
        try:
            engine = Engine.open(settings, build=True)
        except KnowledgeUnavailableError as err:
            log.error("knowledge base unavailable at start: %s", err)
    bot_data = BotData.create(settings, engine)
    # PTB builds bot_data by calling the given type with no arguments; a factory returning the
    # ready object keeps every BotData field required.
    context_types = ContextTypes(bot_data=cast("type[BotData]", lambda: bot_data))
    app = (
        ApplicationBuilder()
        .bot(bot)
        .context_types(context_types)
        .concurrent_updates(True)
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
        .build()
    )

    private = filters.ChatType.PRIVATE
    for name, callback in (
        ("start", commands.start),
        ("help", commands.help_command),
        ("ask", commands.ask_command),
        ("article", commands.article_command),
        ("force", commands.force_command),
        ("eligibility", commands.eligibility_command),
        ("lang", commands.lang_command),
        ("about", commands.about_command),
        ("forget", commands.forget_command),
        ("stats", commands.stats_command),
        ("reindex", commands.reindex_command),
    ):
        app.add_handler(CommandHandler(name, callback))
    app.add_handler(MessageHandler(filters.COMMAND & private, commands.unknown_command))
    app.add_handler(
        MessageHandler(filters.TEXT & ~filters.COMMAND & private & filters.UpdateType.MESSAGES, chats.private_text)
    )
    app.add_handler(
        MessageHandler(
            filters.TEXT & ~filters.COMMAND & filters.ChatType.GROUPS & filters.UpdateType.MESSAGE,
            chats.group_text,
        )
    )
    app.add_handler(MessageHandler(MEDIA & private, chats.not_text))
    for kind, callback in (
        (ChooseLanguage, callbacks.choose_language),
        (AskExample, callbacks.ask_example),
        (OpenArticle, callbacks.open_article),
        (Vote, callbacks.vote),
        (ShowKazakh, callbacks.show_kazakh),
        (Checklist, callbacks.checklist),
    ):
        app.add_handler(CallbackQueryHandler(callback, pattern=COMPILED[kind]))
    app.add_handler(CallbackQueryHandler(callbacks.expired))  # anything the codec does not accept
    app.add_handler(InlineQueryHandler(inline.inline_query))
    app.add_error_handler(chats.on_error)
    return app


def allowed_updates() -> list[str]:
    """The update kinds the bot asks Telegram for."""
    return [Update.MESSAGE, Update.EDITED_MESSAGE, Update.CALLBACK_QUERY, Update.INLINE_QUERY]
