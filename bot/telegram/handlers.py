"""One async handler per command or update kind; each says in one line what it answers."""

from __future__ import annotations

import asyncio
import logging
import re
import time

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InputTextMessageContent,
    Message,
    MessageEntity,
    Update,
)
from telegram.constants import ChatAction, ChatType, ParseMode
from telegram.error import BadRequest

from bot.answer.model import Answer, Language
from bot.engine import Engine
from bot.telegram import texts as t
from bot.telegram.context import BotData, Context
from bot.telegram.render import answer_blocks, pack
from bot.telegram.replies import (
    Outgoing,
    about_reply,
    answer_reply,
    article_reply,
    checklist_reply,
    help_reply,
    limit_notice,
    parse_button,
    start_reply,
    unavailable,
)
from ingest.citation import Citation
from knowledge.index import KnowledgeUnavailableError
from knowledge.language import detect

log = logging.getLogger(__name__)
LANGS: tuple[Language, ...] = ("kk", "ru", "en")
INLINE_DEBOUNCE = 0.8  # seconds an inline query must stay unchanged before it is searched
INLINE_MIN_WORDS = 3
INLINE_CACHE = 300  # seconds Telegram may cache inline results
ENGINE_RETRY = 60.0  # seconds between attempts to reopen an unavailable knowledge base


# --- helpers ---------------------------------------------------------------------------------
def data(context: Context) -> BotData:
    return context.bot_data


def ui_lang(update: Update, context: Context) -> Language:
    """The user's chosen language, else their Telegram language, else Russian."""
    user = update.effective_user
    store = data(context).store
    if user is not None and store is not None and (saved := store.language(user.id)) in LANGS:
        return saved
    code = (user.language_code or "")[:2] if user else ""
    return code if code in LANGS else "ru"


def _markup(reply: Outgoing) -> InlineKeyboardMarkup | None:
    if not reply.buttons:
        return None
    rows = [
        [
            InlineKeyboardButton(label, switch_inline_query=value[7:])
            if value.startswith("inline:")
            else InlineKeyboardButton(label, callback_data=value)
            for label, value in row
        ]
        for row in reply.buttons
    ]
    return InlineKeyboardMarkup(rows)


async def send(context: Context, chat_id: int, reply: Outgoing, reply_to: int | None = None) -> list[Message]:
    """Send every message of a reply (HTML), buttons under the last (the bot retries failures)."""
    sent: list[Message] = []
    for i, text in enumerate(reply.messages):
        markup = _markup(reply) if i == len(reply.messages) - 1 else None
        sent.append(
            await context.bot.send_message(
                chat_id,
                text,
                parse_mode=ParseMode.HTML,
                reply_markup=markup,
                reply_to_message_id=reply_to if i == 0 else None,
                disable_web_page_preview=True,
            )
        )
    return sent


async def engine_of(context: Context) -> Engine | None:
    """The engine, reopened at most once a minute while the knowledge base is unavailable."""
    bd = data(context)
    if bd.engine is None and bd.settings is not None and time.monotonic() - bd.engine_attempt > ENGINE_RETRY:
        bd.engine_attempt = time.monotonic()
        try:
            bd.engine = await asyncio.to_thread(Engine.open, bd.settings, False)
            bd.acts = bd.engine.kb.acts
        except KnowledgeUnavailableError as err:
            log.error("knowledge base unavailable: %s", err)
    return bd.engine


async def run_engine(context: Context, question: str) -> Answer | None:
    """Ask the engine off the event loop, one question at a time."""
    engine = await engine_of(context)
    if engine is None:
        return None
    async with data(context).engine_lock:
        return await asyncio.to_thread(engine.ask, question)


async def answer_question(update: Update, context: Context, question: str, short: bool = False) -> None:
    """Rate-limit, show "typing…", answer and send; shared by private, group and /ask."""
    chat, user, message = update.effective_chat, update.effective_user, update.effective_message
    if chat is None or user is None:
        return
    lang = ui_lang(update, context)
    wait = data(context).limiter.wait(user.id)
    reply_to = message.message_id if message is not None and chat.type != ChatType.PRIVATE else None
    if wait > 0:
        await send(context, chat.id, Outgoing([limit_notice(wait, lang)]), reply_to)
        return
    await context.bot.send_chat_action(chat.id, ChatAction.TYPING)
    answer = await run_engine(context, question)
    engine = data(context).engine
    if answer is None or engine is None:
        await send(context, chat.id, Outgoing([unavailable(lang)]), reply_to)
        return
    out_lang = answer.language if answer.outcome != "decline" else lang
    await send(context, chat.id, answer_reply(engine, answer, out_lang, data(context).answers, short), reply_to)


def _bot_mentioned(message: Message, username: str) -> bool:
    mentions = message.parse_entities([MessageEntity.MENTION, MessageEntity.TEXT_MENTION])
    return any(text.lower() == f"@{username.lower()}" for text in mentions.values())


# --- commands --------------------------------------------------------------------------------
async def start(update: Update, context: Context) -> None:
    """Greet, offer the three languages and three example questions."""
    if update.effective_chat:
        await send(context, update.effective_chat.id, start_reply(ui_lang(update, context)))


async def help_command(update: Update, context: Context) -> None:
    """List what the bot does and its commands."""
    if update.effective_chat:
        reply = help_reply(ui_lang(update, context), context.bot.username)
        await send(context, update.effective_chat.id, reply)


async def ask_command(update: Update, context: Context) -> None:
    """Answer the question written after /ask (also /ask@bot in groups)."""
    question = " ".join(context.args or [])
    if not question.strip():
        if update.effective_chat:
            await send(context, update.effective_chat.id, Outgoing([t.ASK_USAGE[ui_lang(update, context)]]))
        return
    private = update.effective_chat is not None and update.effective_chat.type == ChatType.PRIVATE
    await answer_question(update, context, question, short=not private)


async def article_command(update: Update, context: Context) -> None:
    """Show a whole article: /article <act word> <number>."""
    lang = ui_lang(update, context)
    args = context.args or []
    if update.effective_chat is None:
        return
    if len(args) < 2:
        await send(context, update.effective_chat.id, Outgoing([t.ARTICLE_USAGE[lang]]))
        return
    await engine_of(context)
    reply = article_reply(data(context).acts, " ".join(args[:-1]), args[-1], lang)
    await send(context, update.effective_chat.id, reply)


async def force_command(update: Update, context: Context) -> None:
    """Explain what force a public assistant may use, quoting art. 46."""
    lang = ui_lang(update, context)
    engine = await engine_of(context)
    if update.effective_chat is None:
        return
    if engine is None:
        await send(context, update.effective_chat.id, Outgoing([unavailable(lang)]))
        return
    answer = engine.composer.force("/force", lang)
    await send(context, update.effective_chat.id, answer_reply(engine, answer, lang, data(context).answers))


async def eligibility_command(update: Update, context: Context) -> None:
    """Start the public-assistant eligibility checklist (art. 45), one question at a time."""
    lang = ui_lang(update, context)
    engine = await engine_of(context)
    if update.effective_chat is None:
        return
    reply = checklist_reply(engine, "", lang) if engine else Outgoing([unavailable(lang)])
    await send(context, update.effective_chat.id, reply)


async def lang_command(update: Update, context: Context) -> None:
    """Set the interface language: /lang kk|ru|en."""
    args = context.args or []
    chosen = args[0].lower() if args else ""
    store, user, chat = data(context).store, update.effective_user, update.effective_chat
    if chat is None:
        return
    if chosen not in LANGS or user is None or store is None:
        await send(context, chat.id, Outgoing([t.LANG_USAGE[ui_lang(update, context)]]))
        return
    store.set_language(user.id, chosen)
    await send(context, chat.id, Outgoing([t.LANG_SET[chosen]]))


async def about_command(update: Update, context: Context) -> None:
    """List the acts quoted, with numbers, dates and their latest amendment note."""
    await engine_of(context)
    if update.effective_chat:
        await send(context, update.effective_chat.id, about_reply(data(context).acts, ui_lang(update, context)))


async def forget_command(update: Update, context: Context) -> None:
    """Delete everything stored about the user (language, feedback)."""
    store, user, chat = data(context).store, update.effective_user, update.effective_chat
    if store is None or user is None or chat is None:
        return
    rows = store.forget(user.id)
    await send(context, chat.id, Outgoing([t.FORGOTTEN[ui_lang(update, context)].format(rows=rows)]))


def _is_admin(update: Update, context: Context) -> bool:
    settings, user = data(context).settings, update.effective_user
    return settings is not None and user is not None and user.id in settings.admin_ids


async def stats_command(update: Update, context: Context) -> None:
    """Admins only: users, feedback votes and index size (counts, never anyone's texts)."""
    if not _is_admin(update, context):
        await unknown_command(update, context)
        return
    bd = data(context)
    totals = bd.store.totals() if bd.store else {}
    engine = bd.engine
    vectors = engine.kb.vectors.count() if engine and engine.kb.vectors else 0
    provisions = len(engine.kb.chunks) if engine else 0
    line = ", ".join(f"{k} {v}" for k, v in totals.items())
    text = f"{line}; provisions {provisions}, vectors {vectors}"
    if update.effective_chat:
        await send(context, update.effective_chat.id, Outgoing([text]))


async def reindex_command(update: Update, context: Context) -> None:
    """Admins only: rebuild the search index from the act trees and switch to it."""
    if not _is_admin(update, context):
        await unknown_command(update, context)
        return
    bd, chat = data(context), update.effective_chat
    if bd.settings is None or chat is None:
        return
    await send(context, chat.id, Outgoing(["reindexing…"]))
    try:
        engine = await asyncio.to_thread(Engine.open, bd.settings, True)
    except KnowledgeUnavailableError as err:
        log.error("re-index failed: %s", err)
        await send(context, chat.id, Outgoing(["re-index failed; the previous index stays in use"]))
        return
    async with bd.engine_lock:
        bd.engine, bd.acts = engine, engine.kb.acts
    await send(context, chat.id, Outgoing([f"index ready: {len(engine.kb.chunks)} provisions"]))


async def unknown_command(update: Update, context: Context) -> None:
    """Tell the user the command does not exist and point to /help."""
    if update.effective_chat:
        await send(context, update.effective_chat.id, Outgoing([t.UNKNOWN_COMMAND[ui_lang(update, context)]]))


# --- messages --------------------------------------------------------------------------------
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
    if update.effective_chat:
        await send(context, update.effective_chat.id, Outgoing([t.NOT_TEXT[ui_lang(update, context)]]))


# --- buttons and inline mode -----------------------------------------------------------------
async def on_button(update: Update, context: Context) -> None:
    """Language choice, example questions, full article, feedback and checklist buttons."""
    query = update.callback_query
    if query is None:
        return
    lang = ui_lang(update, context)
    pressed = parse_button(query.data or "")
    chat_id = query.message.chat.id if query.message else None
    bd, user = data(context), update.effective_user
    if pressed is None or chat_id is None or user is None or bd.store is None:
        await query.answer(t.EXPIRED[lang])
    elif pressed.kind == "lang" and pressed.lang:
        bd.store.set_language(user.id, pressed.lang)
        await query.answer(t.LANG_SET[pressed.lang])
    elif pressed.kind == "ex" and pressed.lang:
        await query.answer()
        await answer_question(update, context, t.EXAMPLES[pressed.lang][pressed.index])
    elif pressed.kind == "art":
        await query.answer()
        await engine_of(context)
        await send(context, chat_id, article_reply(bd.acts, pressed.act, pressed.number, lang))
    elif pressed.kind == "fb":
        ref = bd.answers.get(pressed.token)
        if ref is None:
            await query.answer(t.EXPIRED[lang])
            return
        bd.store.add_feedback(user.id, ref.question, list(ref.provisions), pressed.vote)
        await query.answer(t.THANKS[lang])
    elif pressed.kind == "el" and pressed.lang and (engine := await engine_of(context)) is not None:
        await query.answer()
        reply = checklist_reply(engine, pressed.answers, pressed.lang)
        if len(reply.messages) == 1 and query.message is not None:
            try:
                await query.edit_message_text(reply.messages[0], parse_mode=ParseMode.HTML, reply_markup=_markup(reply))
                return
            except BadRequest:
                log.debug("could not edit the checklist message; sending a new one")
        await send(context, chat_id, reply)
    else:
        await query.answer(unavailable(lang))


async def inline_query(update: Update, context: Context) -> None:
    """Offer answers as result cards in any chat, once the query has settled (3+ words)."""
    query = update.inline_query
    if query is None:
        return
    lang = ui_lang(update, context)
    text = query.query.strip()
    if len(text.split()) < INLINE_MIN_WORDS:
        hint = InlineQueryResultsButton(text=t.INLINE_HINT[lang], start_parameter="help")
        await query.answer([], cache_time=INLINE_CACHE, button=hint)
        return
    latest = data(context).inline_latest
    latest[query.from_user.id] = query.id
    await asyncio.sleep(INLINE_DEBOUNCE)
    if latest.get(query.from_user.id) != query.id:
        return  # the user kept typing: a newer query will be answered
    answer = await run_engine(context, text)
    engine = data(context).engine
    if answer is None or engine is None or answer.outcome == "decline" or not answer.citations:
        button = InlineQueryResultsButton(text=t.INLINE_NOTHING[detect(text)], start_parameter="help")
        await query.answer([], cache_time=INLINE_CACHE, button=button)
        return
    lead = answer.answer.split("\n\n")[0]  # for "related": the statutes do not answer it directly
    mark = t.INLINE_RELATED[answer.language] if answer.outcome == "related" else ""
    results = []
    for i, cited in enumerate(answer.citations[:3]):
        meta = next(a.meta for a in engine.kb.acts if a.meta.title == cited.act)
        place = Citation(cited.article, cited.paragraph, cited.subparagraph).format(answer.language)
        title = meta.title_in(answer.language)
        body = f"{lead}\n\n«{cited.quote}»\n— {title}, {place}"
        results.append(
            InlineQueryResultArticle(
                id=str(i),
                title=f"{mark}{place} — {title}"[:256],
                description=cited.quote[:200],
                input_message_content=InputTextMessageContent(pack(answer_blocks(body))[0], parse_mode=ParseMode.HTML),
            )
        )
    await query.answer(results, cache_time=INLINE_CACHE)


async def on_error(update: object, context: Context) -> None:
    """Log the traceback and tell the user one short sentence; never leak internals."""
    log.error("error while handling an update", exc_info=context.error)
    if isinstance(update, Update) and update.effective_chat is not None:
        try:
            await context.bot.send_message(update.effective_chat.id, t.ERROR[ui_lang(update, context)])
        except Exception:
            log.warning("could not send the error reply")
