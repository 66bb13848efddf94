"""What the bot replies, as HTML messages with buttons: shared by the Telegram handlers and the console.

Nothing here talks to Telegram. Every reply is built from blocks and goes through the
splitter (`Outgoing.messages`), so no reply can exceed a message or leave a tag open.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.answer.model import Answer, Language, Quote, RelatedProvision
from bot.articles import ArticleNotFoundError, article_lines, get_article, official_article
from bot.eligibility import STEPS, evaluate, next_step, result_blocks
from bot.engine import Engine
from bot.present.buttons import AskExample, ButtonData, Checklist, ChooseLanguage, OpenArticle, ShowKazakh, Vote
from bot.present.html import answer_html, block_html
from bot.present.split import HtmlBlock, Span, pack, plain_block
from bot.present.texts import text
from ingest.model import Act
from knowledge.official import OfficialTexts
from knowledge.topics import Reply

REPLY_CODES: dict[str, Reply] = {"y": "yes", "n": "no", "u": "unsure"}


@dataclass(frozen=True)
class Button:
    """A button: callback data to send back, or a query to share in inline mode."""

    label: str
    data: ButtonData | None = None
    share: str | None = None  # switch to inline mode with this query


@dataclass
class Outgoing:
    """A reply: blocks of HTML (split into messages on demand) and the buttons under the last."""

    blocks: list[HtmlBlock]
    buttons: list[list[Button]] = field(default_factory=list)

    @property
    def messages(self) -> list[str]:
        """The reply as Telegram messages, each balanced and at most 4096 characters."""
        return pack(self.blocks)


def say(message: str) -> Outgoing:
    """A reply of one plain-text block."""
    return Outgoing([plain_block(message)])


def cited_provisions(answer: Answer) -> list[str]:
    """The provisions an answer quotes, as stored with its feedback; empty when it gets no buttons."""
    if answer.outcome == "decline":
        return []
    return [f"{c.act}|{c.article}|{c.paragraph}|{c.subparagraph}" for c in answer.citations]


def cited_chunks(answer: Answer) -> list[str]:
    """The keys of the chunks an answer quotes ("<act>/<provision>"), stored for its Kazakh-text button."""
    return [c.ref.key for c in answer.citations if c.ref]


def answer_reply(
    engine: Engine, answer: Answer, lang: Language, token: str | None = None, short: bool = False
) -> Outgoing:
    """An answer as messages, with full-article, share and (given its stored `token`) feedback buttons."""
    reply = Outgoing(answer_html(answer, short))
    if not cited_provisions(answer):
        return reply
    first = answer.citations[0]
    row: list[Button] = []
    meta = engine.kb.act(first.ref.act_id).meta if first.ref else None
    if meta is not None and meta.command and first.article is not None:
        row.append(Button(text(lang).button_article, OpenArticle(meta.id, first.article)))
    if token is not None:
        row += [Button("👍", Vote(True, token)), Button("👎", Vote(False, token))]
    reply.buttons = [row, [Button(text(lang).button_share, share=answer.question[:200])]]
    if token is not None and kazakh_keys(answer):
        reply.buttons.insert(1, [Button(text(lang).button_kazakh, ShowKazakh(token))])
    return reply


def kazakh_keys(answer: Answer) -> tuple[str, ...]:
    """The cited provisions when the answer showed an official translation instead of the Kazakh."""
    translated = any(isinstance(b, Quote | RelatedProvision) and b.shown and b.shown.official for b in answer.blocks)
    return tuple(c.ref.key for c in answer.citations if c.ref) if translated else ()


def kazakh_reply(engine: Engine, keys: Sequence[str], lang: Language) -> Outgoing:
    """The Kazakh official text of an answer's quotes (the answer showed an official translation)."""
    chunks = [engine.kb.by_key[k] for k in keys if k in engine.kb.by_key]
    blocks: list[HtmlBlock] = [[Span(text(lang).kazakh_head, "b")]]
    blocks += [block_html(engine.composer.quote(c, lang, translate=False)) for c in chunks]
    return Outgoing(blocks)


def article_reply(
    acts: list[Act], act_query: str, number: str, lang: Language, official: OfficialTexts | None = None
) -> Outgoing:
    """The full article (in Russian: the official Russian text where current), or why it cannot be shown."""
    try:
        act, article = get_article(acts, act_query, number, lang)
    except ArticleNotFoundError as err:
        return say(str(err))
    notice: list[Span] = []
    title, shown, lines_lang = act.meta.title, article, "kk"
    if lang == "ru" and official is not None:
        note, ru_article = official_article(act, article, official)
        notice = [Span(note, "i")]
        if ru_article is not None:
            title, shown, lines_lang = act.meta.title_ru, ru_article, "ru"
    lines = article_lines(shown, "ru" if lines_lang == "ru" else "kk")
    head = [*notice, Span(title, "b"), Span(lines[0], "b")]
    body = [Span(line, "i") if line.startswith(("Ескерту", "Сноска")) else Span(line) for line in lines[1:]]
    return Outgoing([head, body])


def about_reply(acts: list[Act], lang: Language) -> Outgoing:
    """The acts with their numbers, dates and the date of their latest amendment note."""
    t = text(lang)
    lines = [t.about_head]
    for act in acts:
        m, dates = act.meta, act.amendment_dates()
        amended = dates[-1] if dates else t.none
        lines.append(t.about_line.format(title=m.title_in(lang), number=m.number, date=m.date, amended=amended))
    return Outgoing([[Span(line) for line in lines]])


def start_reply(lang: Language) -> Outgoing:
    """Greeting, language choice and three example questions."""
    names: dict[Language, str] = {"kk": "Қазақша", "ru": "Русский", "en": "English"}
    langs = [Button(name, ChooseLanguage(code)) for code, name in names.items()]
    examples = [[Button(q, AskExample(lang, i))] for i, q in enumerate(text(lang).examples)]
    return Outgoing([plain_block(text(lang).start)], [langs, *examples])


def help_reply(lang: Language, username: str) -> Outgoing:
    return say(text(lang).help.format(bot=username))


def checklist_reply(engine: Engine, answers: str, lang: Language) -> Outgoing:
    """The next checklist question with yes/no/unsure buttons, or the outcome once decided.

    `answers` holds one letter per question answered so far (y, n, u), so the whole state
    travels in the button data and survives restarts.
    """
    replies = {step.key: REPLY_CODES[code] for step, code in zip(STEPS, answers, strict=False)}
    step = next_step(replies)
    if step is None:
        result = evaluate(engine.kb, replies)
        return Outgoing([block_html(b) for b in result_blocks(engine.composer, result, lang)])
    t = text(lang)
    question = f"{len(replies) + 1}/{len(STEPS)}. {step.question[lang]}"
    row = [
        Button(t.button_yes, Checklist(lang, answers + "y")),
        Button(t.button_no, Checklist(lang, answers + "n")),
        Button(t.button_unsure, Checklist(lang, answers + "u")),
    ]
    return Outgoing([plain_block(question)], [row])


def limit_notice(seconds: float, lang: Language) -> Outgoing:
    return say(text(lang).slow_down.format(seconds=max(1, round(seconds))))


def unavailable(lang: Language) -> Outgoing:
    return say(text(lang).unavailable)
