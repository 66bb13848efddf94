"""Inline mode: `@bot question` in any chat offers the answer's provisions as cards."""

from __future__ import annotations

import asyncio

from telegram import InlineQueryResultArticle, InlineQueryResultsButton, InputTextMessageContent, Update
from telegram.constants import ParseMode

from bot.present.html import card_quotes, inline_card
from bot.present.texts import text
from bot.telegram.common import data, run_engine, ui_lang
from bot.telegram.context import Context
from knowledge.language import detect


async def inline_query(update: Update, context: Context) -> None:
    """Offer answers as result cards in any chat, once the query has settled (3+ words)."""
    query = update.inline_query
    if query is None:
        return
    tg = data(context).settings.telegram
    question = query.query.strip()
    if len(question.split()) < tg.inline_min_words:
        hint = InlineQueryResultsButton(text=text(await ui_lang(update, context)).inline_hint, start_parameter="help")
        await query.answer([], cache_time=tg.inline_cache, button=hint)
        return
    bd, user_id = data(context), query.from_user.id
    bd.inline.mark(user_id, query.id)
    await asyncio.sleep(tg.inline_debounce)
    if not bd.inline.is_latest(user_id, query.id):
        return  # the user kept typing: a newer query will be answered
    wait = await bd.storage.limits.wait(user_id, update.update_id)  # a settled inline query counts as a question
    if wait > 0:
        notice = text(await ui_lang(update, context)).slow_down.format(seconds=max(1, round(wait)))
        await query.answer([], cache_time=0, button=InlineQueryResultsButton(text=notice, start_parameter="help"))
        return
    answer = await run_engine(context, question)
    if answer is None or answer.outcome == "decline":
        button = InlineQueryResultsButton(text=text(detect(question)).inline_nothing, start_parameter="help")
        await query.answer([], cache_time=tg.inline_cache, button=button)
        return
    t = text(answer.language)
    results = []
    for i, block in enumerate(card_quotes(answer)[: tg.inline_cards]):
        card = inline_card(answer, i)
        if card is None:
            continue
        title = f"{block.place} — {block.act_title}"
        if answer.outcome == "related":
            title = f"{t.inline_related}: {title}"
        results.append(
            InlineQueryResultArticle(
                id=str(i),
                title=title[:256],
                description=block.text[:200],
                input_message_content=InputTextMessageContent(card, parse_mode=ParseMode.HTML),
            )
        )
    await query.answer(results, cache_time=tg.inline_cache)
