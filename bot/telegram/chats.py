"""Messages that are not commands: questions in private chats and groups, media, errors."""

from __future__ import annotations

import logging
import re
import traceback

from telegram import InlineQueryResultsButton, Message, MessageEntity, Update
from telegram.constants import ChatType
from telegram.error import TelegramError, TimedOut

from bot.present.replies import say
from bot.present.texts import text
from bot.telegram.common import STORAGE_FAILURES, answer_question, reply_in_chat, send, ui_lang
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
    await reply_in_chat(update, context, say(text(await ui_lang(update, context)).not_text))


async def on_error(update: object, context: Context) -> None:
    """Log where it failed (never the message, which can hold user text); tell the user one sentence.

    No update goes unanswered: the sentence goes where the user waits for the answer (see
    `tell_failure`), and says so when it was the bot's database that failed.
    """
    err = context.error
    where = "".join(traceback.format_tb(err.__traceback__)) if err is not None else ""
    log.error("error while handling an update: %s\n%s", type(err).__name__, where.rstrip())
    if isinstance(err, TimedOut):
        return  # the reply may have reached the user: an error message would contradict it
    if isinstance(update, Update):
        t = text(await ui_lang(update, context))
        try:
            await tell_failure(update, context, t.storage_busy if isinstance(err, STORAGE_FAILURES) else t.error)
        except Exception:
            log.warning("could not send the error reply")


async def tell_failure(update: Update, context: Context, sentence: str) -> None:
    """Say `sentence` where the user waits: the button's alert, the inline results, the chat.

    In a group it replies to the message it concerns; a button press the handler had already
    answered gets the sentence in its chat instead.
    """
    if (inline := update.inline_query) is not None:
        await inline.answer([], cache_time=0, button=InlineQueryResultsButton(text=sentence, start_parameter="help"))
        return
    if (query := update.callback_query) is not None:
        try:
            await query.answer(sentence, show_alert=True)
            return
        except TelegramError:
            log.info("the button was answered already; the error goes to its chat")
    chat, message = update.effective_chat, update.effective_message
    if chat is None:
        return
    reply_to = message.message_id if message is not None and query is None and chat.type != ChatType.PRIVATE else None
    await send(context, chat.id, say(sentence), reply_to)
