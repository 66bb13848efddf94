"""Messages that are not commands: questions in private chats and groups, media, errors."""

from __future__ import annotations

import logging
import re

from telegram import Message, MessageEntity, Update

from bot.present.replies import say
from bot.present.texts import text
from bot.telegram.common import answer_question, reply_in_chat, send, ui_lang
from bot.telegram.context import Context

log = logging.getLogger(__name__)


def _bot_mentioned(message: Message, username: str) -> bool:
    mentions = message.parse_entities([MessageEntity.MENTION, MessageEntity.TEXT_MENTION])
    return any(found.lower() == f"@{username.lower()}" for found in mentions.values())


async def private_text(update: Update, context: Context) -> None:
    """Answer any text in a private chat as a question (edited messages are asked again)."""
    message = update.effective_message
    if message is not None and message.text is not None:
        await answer_question(update, context, message.text)


async def group_text(update: Update, context: Context) -> None:
    """In groups, answer only when mentioned or when someone replies to the bot."""
    message = update.effective_message
    if message is None or message.text is None:
        return
    username = context.bot.username
    replied = message.reply_to_message
    to_bot = replied is not None and replied.from_user is not None and replied.from_user.id == context.bot.id
    if not (to_bot or _bot_mentioned(message, username)):
        return
    question = re.sub(rf"@{re.escape(username)}\b", " ", message.text, flags=re.I).strip()
    await answer_question(update, context, question, short=True)


async def not_text(update: Update, context: Context) -> None:
    """Stickers, photos, voice and other media: say that the bot answers text questions."""
    await reply_in_chat(update, context, say(text(ui_lang(update, context)).not_text))


async def on_error(update: object, context: Context) -> None:
    """Log the traceback and tell the user one short sentence; never leak internals."""
    log.error("error while handling an update", exc_info=context.error)
    if isinstance(update, Update) and update.effective_chat is not None:
        try:
            await send(context, update.effective_chat.id, say(text(ui_lang(update, context)).error))
        except Exception:
            log.warning("could not send the error reply")
