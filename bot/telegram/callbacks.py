"""Button presses, one handler per kind of button data (routed by the codec's patterns)."""

from __future__ import annotations

import logging
from typing import TypeVar

from telegram import CallbackQuery, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.present.buttons import AskExample, Checklist, ChooseLanguage, OpenArticle, ShowKazakh, Vote, decode
from bot.present.replies import article_reply, checklist_reply, kazakh_reply
from bot.present.texts import text
from bot.telegram.common import answer_question, data, engine_of, markup, send, ui_lang
from bot.telegram.context import Context

log = logging.getLogger(__name__)
T = TypeVar("T")


def _pressed(update: Update, kind: type[T]) -> tuple[CallbackQuery, T, int] | None:
    """The query, its data decoded as `kind`, and its chat; None when any is missing or malformed."""
    query = update.callback_query
    if query is None or query.message is None or update.effective_user is None:
        return None
    pressed = decode(query.data or "")
    return (query, pressed, query.message.chat.id) if isinstance(pressed, kind) else None


async def expired(update: Update, context: Context) -> None:
    """Any button data the codec does not accept (old, forged or malformed): say it expired."""
    if update.callback_query is not None:
        await update.callback_query.answer(text(await ui_lang(update, context)).expired)


async def choose_language(update: Update, context: Context) -> None:
    """A language button of /start: remember the choice."""
    got = _pressed(update, ChooseLanguage)
    if got is None or update.effective_user is None:
        return await expired(update, context)
    query, pressed, _ = got
    await data(context).storage.users.set_language(update.effective_user.id, pressed.lang)
    await query.answer(text(pressed.lang).lang_set)


async def ask_example(update: Update, context: Context) -> None:
    """An example question of /start: answer it."""
    got = _pressed(update, AskExample)
    if got is None:
        return await expired(update, context)
    query, pressed, _ = got
    await query.answer()
    await answer_question(update, context, text(pressed.lang).examples[pressed.index])


async def open_article(update: Update, context: Context) -> None:
    """The "Full article" button: send the whole article."""
    got = _pressed(update, OpenArticle)
    if got is None:
        return await expired(update, context)
    query, pressed, chat_id = got
    await query.answer()
    engine = await engine_of(context)
    official = engine.kb.official if engine else None
    reply = article_reply(data(context).acts, pressed.act, pressed.number, await ui_lang(update, context), official)
    await send(context, chat_id, reply)


async def vote(update: Update, context: Context) -> None:
    """👍/👎 under an answer: one vote per voter and answer (pressing again changes it)."""
    got = _pressed(update, Vote)
    if got is None or update.effective_user is None:
        return await expired(update, context)
    query, pressed, _ = got
    lang = await ui_lang(update, context)
    feedback = data(context).storage.feedback
    if await feedback.vote(update.effective_user.id, pressed.token, 1 if pressed.up else -1):
        await query.answer(text(lang).thanks)
    else:  # forgotten, purged or forged
        await query.answer(text(lang).expired)


async def show_kazakh(update: Update, context: Context) -> None:
    """ "Текст на казахском" under an answer quoted in Russian: send the Kazakh official text."""
    got = _pressed(update, ShowKazakh)
    if got is None:
        return await expired(update, context)
    query, pressed, chat_id = got
    lang = await ui_lang(update, context)
    stored = await data(context).storage.feedback.answer(pressed.token)
    engine = await engine_of(context)
    if stored is None or engine is None:
        await query.answer(text(lang).expired if stored is None else text(lang).unavailable)
        return
    await query.answer()
    await send(context, chat_id, kazakh_reply(engine, stored.chunks, lang))


async def checklist(update: Update, context: Context) -> None:
    """A yes/no/unsure reply in the eligibility checklist: the next question, or the outcome."""
    got = _pressed(update, Checklist)
    if got is None:
        return await expired(update, context)
    query, pressed, chat_id = got
    engine = await engine_of(context)
    if engine is None:
        await query.answer(text(pressed.lang).unavailable)
        return
    await query.answer()
    reply = checklist_reply(engine, pressed.answers, pressed.lang)
    messages = reply.messages
    if len(messages) == 1:
        try:
            await query.edit_message_text(messages[0], parse_mode=ParseMode.HTML, reply_markup=markup(reply))
            return
        except BadRequest:
            log.debug("could not edit the checklist message; sending a new one")
    await send(context, chat_id, reply)
