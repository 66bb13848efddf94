"""Amendment notes ("Ескерту. …"): recognising them and the dates they mention."""

from __future__ import annotations

import re

NOTE_START = re.compile(r"^(Ескерту\.|ЗҚАИ-ның ескертпесі!)")
_DATE = re.compile(r"\b(\d{2})\.(\d{2})\.(\d{4})\b")
_ISO_DATE = re.compile(r"\b(\d{4})\.(\d{2})\.(\d{2})\b")


def is_note(block: str) -> bool:
    """True for an editor's amendment note, which is metadata, never statute text."""
    return bool(NOTE_START.match(block))


def note_dates(note: str) -> list[str]:
    """The dates an amendment note mentions, as dd.mm.yyyy (both spellings of the source)."""
    found = [m.group(0) for m in _DATE.finditer(note)]
    found += [f"{d}.{m}.{y}" for y, m, d in _ISO_DATE.findall(note)]
    return found
