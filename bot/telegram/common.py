"""What every handler shares: the user's language, sending replies, reaching the engine."""

from __future__ import annotations

import asyncio
import logging
import time

from sqlalchemy.exc import SQLAlchemyError
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatAction, ChatType, ParseMode
from telegram.error import TelegramError

from bot.answer.model import Answer, Language
from bot.engine import Engine
from bot.present.buttons import encode
from bot.present.replies import Outgoing, answer_reply, cited_chunks, cited_provisions, limit_notice, unavailable
from bot.storage import StorageError
from bot.telegram.context import BotData, Context
from knowledge.index import KnowledgeUnavailableError

log = logging.getLogger(__name__)
LANGS: tuple[Language, ...] = ("kk", "ru", "en")
STORAGE_FAILURES = (StorageError, SQLAlchemyError)  # the bot's database failed (locked, down, broken)


def data(context: Context) -> BotData:
    return context.bot_data


async def ui_lang(update: Update, context: Context) -> Language:
    """The user's chosen language (shared by all replicas), else their Telegram language, else Russian.

    A lookup the database fails is not worth failing the update for: the Telegram language serves.
    """
    user = update.effective_user
    if user is not None:
        try:
            saved = await data(context).storage.users.language(user.id)
        except STORAGE_FAILURES as err:
            log.warning("language lookup failed (%s); using the Telegram language", type(err).__name__)
            saved = None
        if saved in LANGS:
            return saved
    code = (user.language_code or "")[:2] if user else ""
    return code if code in LANGS else "ru"


def markup(reply: Outgoing) -> InlineKeyboardMarkup | None:
    """The reply's buttons as an inline keyboard (callback data through the codec)."""
    if not reply.buttons:
        return None
    rows = [
        [
            InlineKeyboardButton(b.label, switch_inline_query=b.share)
            if b.share is not None
            else InlineKeyboardButton(b.label, callback_data=encode(b.data) if b.data else None)
            for b in row
        ]
        for row in reply.buttons
    ]
    return InlineKeyboardMarkup(rows)


async def send(context: Context, chat_id: int, reply: Outgoing, reply_to: int | None = None) -> list[Message]:
    """Send every message of a reply (HTML), buttons under the last (the bot retries failures)."""
    sent: list[Message] = []
    messages = reply.messages
    for i, text in enumerate(messages):
        sent.append(
            await context.bot.send_message(
                chat_id,
                text,
                parse_mode=ParseMode.HTML,
                reply_markup=markup(reply) if i == len(messages) - 1 else None,
                reply_to_message_id=reply_to if i == 0 else None,
            )
        )
    return sent


async def reply_in_chat(update: Update, context: Context, reply: Outgoing) -> None:
    """Send a reply to the chat of the update, if it has one."""
    if update.effective_chat is not None:
        await send(context, update.effective_chat.id, reply)


async def typing(context: Context, chat_id: int) -> None:
    """Show "typing…" while the answer is searched: best effort, one attempt, a failure only logged."""
    try:
        await context.bot.send_chat_action(chat_id, ChatAction.TYPING)
    except TelegramError as err:
        log.debug("typing action not shown: %s", type(err).__name__)


async def engine_of(context: Context) -> Engine | None:
    """The engine, reopened at most once a minute while the knowledge base is unavailable."""
    bd = data(context)
    if bd.engine is None and time.monotonic() - bd.engine_attempt > bd.settings.telegram.engine_retry:
        bd.engine_attempt = time.monotonic()
        try:
            bd.engine = await asyncio.to_thread(Engine.open, bd.settings, False)
            bd.acts = bd.engine.kb.acts
        except KnowledgeUnavailableError as err:
            log.error("knowledge base unavailable: %s", err)
    return bd.engine


async def run_engine(context: Context, question: str) -> Answer | None:
    """Ask the engine: search in the worker pool, the LLM (if any) awaited; no lock, the engine only reads."""
    engine = await engine_of(context)
    if engine is None:
        return None
    return await engine.ask_async(question, pool=data(context).workers)


async def answer_question(update: Update, context: Context, question: str, short: bool = False) -> None:
    """Rate-limit, show "typing…" (without waiting for it), answer and send; shared by private, group and /ask."""
    chat, user, message = update.effective_chat, update.effective_user, update.effective_message
    if chat is None or user is None:
        return
    storage = data(context).storage
    lang = await ui_lang(update, context)
    wait = await storage.limits.wait(user.id, update.update_id)
    await storage.purge_if_due()
    reply_to = message.message_id if message is not None and chat.type != ChatType.PRIVATE else None
    if wait > 0:
        await send(context, chat.id, limit_notice(wait, lang), reply_to)
        return
    context.application.create_task(typing(context, chat.id), update=update)  # not waited for
    answer = await run_engine(context, question)
    engine = data(context).engine
    if answer is None or engine is None:
        await send(context, chat.id, unavailable(lang), reply_to)
        return
    out_lang = answer.language if answer.outcome != "decline" else lang
    await send(context, chat.id, await reply_with_feedback(context, user.id, engine, answer, out_lang, short), reply_to)


async def reply_with_feedback(
    context: Context, asker_id: int, engine: Engine, answer: Answer, lang: Language, short: bool = False
) -> Outgoing:
    """The answer's reply; an answer that quotes law is stored under its asker for the 👍/👎 buttons.

    If the database cannot store it, the answer still goes out, without the buttons that need it.
    """
    provisions, token = cited_provisions(answer), None
    if provisions:
        feedback = data(context).storage.feedback
        try:
            token = await feedback.save_answer(asker_id, answer.question, provisions, cited_chunks(answer))
        except STORAGE_FAILURES as err:
            log.warning("answer not stored (%s); sent without feedback buttons", type(err).__name__)
    return answer_reply(engine, answer, lang, token, short)
