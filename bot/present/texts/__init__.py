"""One table of fixed texts per language; `text(lang)` picks the table."""

from __future__ import annotations

from bot.present.texts import en, kk, ru
from bot.present.texts.table import Texts

TABLES: dict[str, Texts] = {"kk": kk.TEXTS, "ru": ru.TEXTS, "en": en.TEXTS}


def text(lang: str) -> Texts:
    """The text table of a language ("kk", "ru" or "en"; anything else gets Russian)."""
    return TABLES.get(lang, ru.TEXTS)
