"""One async handler per command; each says in one line what it answers."""

from __future__ import annotations

import asyncio
import logging

from telegram import Update
from telegram.constants import ChatType

from bot.engine import Engine
from bot.present.replies import (
    about_reply,
    answer_reply,
    article_reply,
    checklist_reply,
    help_reply,
    say,
    start_reply,
    unavailable,
)
from bot.present.texts import text
from bot.telegram.common import (
    LANGS,
    answer_question,
    data,
    engine_of,
    reply_in_chat,
    reply_with_feedback,
    ui_lang,
)
from bot.telegram.context import Context
from knowledge.index import KnowledgeUnavailableError

log = logging.getLogger(__name__)


async def start(update: Update, context: Context) -> None:
    """Greet, offer the three languages and three example questions."""
    await reply_in_chat(update, context, start_reply(await ui_lang(update, context)))


async def help_command(update: Update, context: Context) -> None:
    """List what the bot does and its commands."""
    await reply_in_chat(update, context, help_reply(await ui_lang(update, context), context.bot.username))


async def ask_command(update: Update, context: Context) -> None:
    """Answer the question written after /ask (also /ask@bot in groups)."""
    question = " ".join(context.args or [])
    if not question.strip():
        await reply_in_chat(update, context, say(text(await ui_lang(update, context)).ask_usage))
        return
    private = update.effective_chat is not None and update.effective_chat.type == ChatType.PRIVATE
    await answer_question(update, context, question, short=not private)


async def article_command(update: Update, context: Context) -> None:
    """Show a whole article: /article <act word> <number>."""
    lang = await ui_lang(update, context)
    args = list(context.args or [])
    if len(args) >= 3 and args[-1] in ("kk", "ru", "en"):  # /article профилактика 46 ru
        lang = args.pop()  # type: ignore[assignment]
    if len(args) < 2:
        await reply_in_chat(update, context, say(text(lang).article_usage))
        return
    engine = await engine_of(context)
    official = engine.kb.official if engine else None
    reply = article_reply(data(context).acts, " ".join(args[:-1]), args[-1], lang, official)
    await reply_in_chat(update, context, reply)


async def force_command(update: Update, context: Context) -> None:
    """Explain what force a public assistant may use, quoting art. 46."""
    lang = await ui_lang(update, context)
    engine = await engine_of(context)
    if engine is None:
        await reply_in_chat(update, context, unavailable(lang))
        return
    answer = engine.composer.force("/force", lang)
    asker = update.effective_user
    reply = (
        await reply_with_feedback(context, asker.id, engine, answer, lang)
        if asker
        else answer_reply(engine, answer, lang)
    )
    await reply_in_chat(update, context, reply)


async def eligibility_command(update: Update, context: Context) -> None:
    """Start the public-assistant eligibility checklist (art. 45), one question at a time."""
    lang = await ui_lang(update, context)
    engine = await engine_of(context)
    await reply_in_chat(update, context, checklist_reply(engine, "", lang) if engine else unavailable(lang))


async def lang_command(update: Update, context: Context) -> None:
    """Set the interface language: /lang kk|ru|en."""
    args = context.args or []
    chosen = args[0].lower() if args else ""
    user = update.effective_user
    if chosen not in LANGS or user is None:
        await reply_in_chat(update, context, say(text(await ui_lang(update, context)).lang_usage))
        return
    await data(context).storage.users.set_language(user.id, chosen)
    await reply_in_chat(update, context, say(text(chosen).lang_set))


async def about_command(update: Update, context: Context) -> None:
    """List the acts quoted, with numbers, dates and their latest amendment note."""
    await engine_of(context)
    await reply_in_chat(update, context, about_reply(data(context).acts, await ui_lang(update, context)))


async def forget_command(update: Update, context: Context) -> None:
    """Delete everything stored about the user (language, questions, votes, limits) and this process's caches."""
    user = update.effective_user
    if user is None:
        return
    bd = data(context)
    lang = await ui_lang(update, context)
    forgotten = await bd.storage.forget(user.id)
    bd.inline.forget(user.id)
    if bd.engine is not None:
        bd.engine.forget(forgotten.questions)
    await reply_in_chat(update, context, say(text(lang).forgotten.format(rows=forgotten.rows)))


def _is_admin(update: Update, context: Context) -> bool:
    user = update.effective_user
    return user is not None and user.id in data(context).settings.admin_ids


async def stats_command(update: Update, context: Context) -> None:
    """Admins only: users, feedback votes and index size (counts, never anyone's texts)."""
    if not _is_admin(update, context):
        await unknown_command(update, context)
        return
    bd = data(context)
    totals = await bd.storage.totals()
    engine = bd.engine
    vectors = engine.kb.vectors.count() if engine and engine.kb.vectors else 0
    provisions = len(engine.kb.chunks) if engine else 0
    line = ", ".join(f"{k} {v}" for k, v in totals.items())
    await reply_in_chat(update, context, say(f"{line}; provisions {provisions}, vectors {vectors}"))


async def reindex_command(update: Update, context: Context) -> None:
    """Admins only: rebuild the search index from the act trees and switch to it."""
    if not _is_admin(update, context):
        await unknown_command(update, context)
        return
    bd = data(context)
    await reply_in_chat(update, context, say("reindexing…"))
    try:
        engine = await asyncio.to_thread(Engine.open, bd.settings, True)
    except KnowledgeUnavailableError as err:
        log.error("re-index failed: %s", err)
        await reply_in_chat(update, context, say("re-index failed; the previous index stays in use"))
        return
    bd.engine, bd.acts = engine, engine.kb.acts
    await reply_in_chat(update, context, say(f"index ready: {len(engine.kb.chunks)} provisions"))


async def unknown_command(update: Update, context: Context) -> None:
    """Tell the user the command does not exist and point to /help."""
    await reply_in_chat(update, context, say(text(await ui_lang(update, context)).unknown_command))
