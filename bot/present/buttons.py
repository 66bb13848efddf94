"""Button data as typed values: one codec that reads back exactly what it writes.

Callback data is untrusted input (anyone can send any bytes). Each kind of button has a
dataclass, an ASCII-only pattern (so "²", which `str.isdigit` accepts, is refused) and an
encoder; `decode` returns the value or None and never raises. The Telegram app routes each
kind with `CallbackQueryHandler(pattern=PATTERNS[kind])`, as in PTB's examples.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final, Literal

from bot.answer.model import Language

Reply = Literal["y", "n", "u"]  # yes, no, unsure: one letter per checklist question
MAX_CHECKLIST = 6  # questions in the eligibility checklist (knowledge/topics.toml)
EXAMPLES = 3  # example questions offered by /start


@dataclass(frozen=True)
class ChooseLanguage:
    lang: Language


@dataclass(frozen=True)
class AskExample:
    lang: Language
    index: int  # which example question of /start


@dataclass(frozen=True)
class OpenArticle:
    act: str  # act id
    number: str  # "46", "6-1"


@dataclass(frozen=True)
class Vote:
    up: bool
    token: str  # the stored answer's random token (`ANSWER_TOKEN`)


@dataclass(frozen=True)
class ShowKazakh:
    token: str  # the stored answer's token: show its quotes in the Kazakh official text


@dataclass(frozen=True)
class Checklist:
    lang: Language
    answers: str  # the replies so far, one of y/n/u per question


ButtonData = ChooseLanguage | AskExample | OpenArticle | Vote | ShowKazakh | Checklist
_LANG = "(kk|ru|en)"
ANSWER_TOKEN: Final = r"[A-Za-z0-9_-]{22}"  # what bot.storage makes: secrets.token_urlsafe(16)
PATTERNS: Final[dict[type, str]] = {
    ChooseLanguage: rf"^lang:{_LANG}\Z",
    AskExample: rf"^ex:{_LANG}:([0-{EXAMPLES - 1}])\Z",
    OpenArticle: r"^art:([a-z][a-z-]{0,39}):([0-9]{1,3}(?:-[0-9]{1,2})?)\Z",
    Vote: rf"^fb:([+-]):({ANSWER_TOKEN})\Z",
    ShowKazakh: rf"^kk:({ANSWER_TOKEN})\Z",
    Checklist: rf"^el:{_LANG}:([ynu]{{0,{MAX_CHECKLIST}}})\Z",
}
COMPILED: Final[dict[type, re.Pattern[str]]] = {kind: re.compile(p, re.ASCII) for kind, p in PATTERNS.items()}


def encode(data: ButtonData) -> str:
    """The callback data for a button (at most 64 bytes, as Telegram requires)."""
    match data:
        case ChooseLanguage(lang):
            return f"lang:{lang}"
        case AskExample(lang, index):
            return f"ex:{lang}:{index}"
        case OpenArticle(act, number):
            return f"art:{act}:{number}"
        case Vote(up, token):
            return f"fb:{'+' if up else '-'}:{token}"
        case ShowKazakh(token):
            return f"kk:{token}"
        case Checklist(lang, answers):
            return f"el:{lang}:{answers}"
    raise TypeError(f"not button data: {data!r}")


def decode(value: str) -> ButtonData | None:
    """The button a callback data string encodes, or None for anything `encode` cannot produce."""
    for kind, pattern in COMPILED.items():
        m = pattern.fullmatch(value)
        if m is None:
            continue
        g = m.groups()
        lang: Language = g[0] if g[0] in ("kk", "ru", "en") else "ru"  # type: ignore[assignment]
        if kind is ChooseLanguage:
            return ChooseLanguage(lang)
        if kind is AskExample:
            return AskExample(lang, int(g[1]))
        if kind is OpenArticle:
            return OpenArticle(g[0], g[1])
        if kind is Vote:
            return Vote(g[0] == "+", g[1])
        if kind is ShowKazakh:
            return ShowKazakh(g[0])
        return Checklist(lang, g[1])
    return None
