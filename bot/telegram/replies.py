"""What the bot replies, as HTML messages with buttons: shared by the handlers and the console.

Nothing here talks to Telegram; handlers send these replies, the console prints them.
"""

from __future__ import annotations

import html
import re
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Literal

from bot.answer import messages as msg
from bot.answer.model import Answer, Language
from bot.articles import ArticleNotFoundError, article_lines, get_article
from bot.eligibility import STEPS, Reply, evaluate, next_step, render
from bot.engine import Engine
from bot.telegram import texts as t
from bot.telegram.render import answer_blocks, pack, short_blocks
from ingest.model import Act

Button = tuple[str, str]  # (label, callback data); data starting with "inline:" switches to inline mode
ANSWER_CACHE = 5000  # answers remembered for feedback buttons
REPLY_CODES: dict[str, Reply] = {"y": "yes", "n": "no", "u": "unsure"}


@dataclass
class Outgoing:
    """Messages to send (HTML) and the buttons under the last one (rows of buttons)."""

    messages: list[str]
    buttons: list[list[Button]] = field(default_factory=list)


@dataclass(frozen=True)
class AnswerRef:
    """What a feedback button refers to: the question and the provisions it was answered with."""

    question: str
    provisions: tuple[str, ...]


class AnswerLog:
    """A bounded memory of recent answers, so callback data can stay short."""

    def __init__(self, size: int = ANSWER_CACHE) -> None:
        self._items: OrderedDict[str, AnswerRef] = OrderedDict()
        self._size = size
        self._next = 0

    def add(self, ref: AnswerRef) -> str:
        self._next += 1
        token = format(self._next, "x")
        self._items[token] = ref
        while len(self._items) > self._size:
            self._items.popitem(last=False)
        return token

    def get(self, token: str) -> AnswerRef | None:
        return self._items.get(token)


def answer_reply(engine: Engine, answer: Answer, lang: Language, log: AnswerLog, short: bool = False) -> Outgoing:
    """An answer as messages, with full-article, feedback and share buttons when it quotes law."""
    blocks = short_blocks(answer.answer) if short else answer_blocks(answer.answer)
    reply = Outgoing(pack(blocks))
    if not answer.answered or not answer.citations:
        return reply
    first = answer.citations[0]
    act_id = next(a.meta.id for a in engine.kb.acts if a.meta.title == first.act)
    provisions = tuple(f"{c.act}|{c.article}|{c.paragraph}|{c.subparagraph}" for c in answer.citations)
    token = log.add(AnswerRef(answer.question, provisions))
    row: list[Button] = []
    if first.article is not None and act_id != "protocol-report":
        row.append((t.BUTTON_ARTICLE[lang], f"art:{act_id}:{first.article}"))
    row += [("👍", f"fb:+:{token}"), ("👎", f"fb:-:{token}")]
    reply.buttons = [row, [(t.BUTTON_SHARE[lang], "inline:" + answer.question[:200])]]
    return reply


def article_reply(acts: list[Act], act_query: str, number: str, lang: Language) -> Outgoing:
    """The full article, or a clear message when the act or article does not exist."""
    try:
        act, article = get_article(acts, act_query, number, lang)
    except ArticleNotFoundError as err:
        return Outgoing([html.escape(str(err))])
    lines = article_lines(article)
    blocks = [f"<b>{html.escape(act.meta.title)}</b>", f"<b>{html.escape(lines[0])}</b>"]
    blocks += [
        html.escape(line) if not line.startswith("Ескерту") else f"<i>{html.escape(line)}</i>" for line in lines[1:]
    ]
    body = "\n".join(blocks[2:])
    return Outgoing(pack([blocks[0] + "\n" + blocks[1], body]))


def about_reply(acts: list[Act], lang: Language) -> Outgoing:
    """The acts with their numbers, dates and the date of their latest amendment note."""
    lines = [html.escape(t.ABOUT_HEAD[lang])]
    for act in acts:
        m = act.meta
        title = m.title_in(lang)
        dates = act.amendment_dates()
        lines.append(
            html.escape(
                t.ABOUT_LINE[lang].format(
                    title=title, number=m.number, date=m.date, amended=dates[-1] if dates else t.NONE[lang]
                )
            )
        )
    return Outgoing(["\n".join(lines)])


def start_reply(lang: Language) -> Outgoing:
    """Greeting, language choice and three example questions."""
    langs: list[Button] = [("Қазақша", "lang:kk"), ("Русский", "lang:ru"), ("English", "lang:en")]
    examples: list[list[Button]] = [[(q, f"ex:{lang}:{i}")] for i, q in enumerate(t.EXAMPLES[lang])]
    return Outgoing([html.escape(t.START[lang])], [langs, *examples])


def help_reply(lang: Language, username: str) -> Outgoing:
    return Outgoing([html.escape(t.HELP[lang].format(bot=username))])


def checklist_reply(engine: Engine, answers: str, lang: Language) -> Outgoing:
    """The next checklist question with yes/no/unsure buttons, or the outcome once decided.

    `answers` holds one letter per question answered so far (y, n, u), so the whole state
    travels in the button data and survives restarts.
    """
    replies = {step.key: REPLY_CODES[code] for step, code in zip(STEPS, answers, strict=False)}
    step = next_step(replies)
    if step is None:
        result = evaluate(engine.kb, replies)
        return Outgoing(pack(answer_blocks(render(engine.kb, result, lang))))
    number = len(replies) + 1
    question = f"{number}/{len(STEPS)}. {step.question[lang]}"
    buttons: list[list[Button]] = [
        [
            (t.BUTTON_YES[lang], f"el:{lang}:{answers}y"),
            (t.BUTTON_NO[lang], f"el:{lang}:{answers}n"),
            (t.BUTTON_UNSURE[lang], f"el:{lang}:{answers}u"),
        ]
    ]
    return Outgoing([html.escape(question)], buttons)


@dataclass(frozen=True)
class Pressed:
    """A decoded button press (callback data is untrusted input: anything else is None)."""

    kind: Literal["lang", "ex", "art", "fb", "el"]
    lang: Language | None = None
    index: int = 0  # example question number
    act: str = ""  # act id for "art"
    number: str = ""  # article number for "art"
    vote: int = 0  # +1 / -1 for "fb"
    token: str = ""  # answer token for "fb"
    answers: str = ""  # checklist replies so far for "el"


_LANG_OF: dict[str, Language] = {"kk": "kk", "ru": "ru", "en": "en"}
_ARTICLE_NUMBER = re.compile(r"\d{1,3}(?:-\d{1,2})?")


def parse_button(value: str) -> Pressed | None:
    """Decode callback data made by the replies above; None for anything malformed or unknown."""
    kind, _, rest = value.partition(":")
    if kind == "lang" and rest in _LANG_OF:
        return Pressed("lang", lang=_LANG_OF[rest])
    if kind == "ex":
        lang, _, index = rest.partition(":")
        if lang in _LANG_OF and index.isdigit() and int(index) < len(t.EXAMPLES[lang]):
            return Pressed("ex", lang=_LANG_OF[lang], index=int(index))
    if kind == "art":
        act, _, number = rest.partition(":")
        if re.fullmatch(r"[a-z-]{1,40}", act) and _ARTICLE_NUMBER.fullmatch(number):
            return Pressed("art", act=act, number=number)
    if kind == "fb" and rest[:2] in ("+:", "-:") and re.fullmatch(r"[0-9a-f]{1,16}", rest[2:]):
        return Pressed("fb", vote=1 if rest[0] == "+" else -1, token=rest[2:])
    if kind == "el":
        lang, _, answers = rest.partition(":")
        if lang in _LANG_OF and len(answers) <= len(STEPS) and re.fullmatch(r"[ynu]*", answers):
            return Pressed("el", lang=_LANG_OF[lang], answers=answers)
    return None


def plain(message: str) -> str:
    """An HTML message as terminal text."""
    return html.unescape(re.sub(r"</?(blockquote|i|b|code)>", "", message))


def limit_notice(seconds: float, lang: Language) -> str:
    return html.escape(t.SLOW_DOWN[lang].format(seconds=max(1, round(seconds))))


def unavailable(lang: Language) -> str:
    return html.escape(msg.UNAVAILABLE[lang])
