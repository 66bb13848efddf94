"""Telegram HTML messages under 4096 characters, every one balanced.

A reply is a list of blocks; a block is lines of `Span`s (plain text, optionally inside one
tag). Text is escaped here, so no caller builds HTML by hand. Messages are split between
blocks; a block longer than a message is split between its lines, and a line longer than a
message (a long provision) is split inside itself, between words where possible, each piece
wrapped in its own copy of the tag. So no message ever opens a tag it does not close.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

MAX_MESSAGE = 4096  # Telegram's limit on a message's text, in characters
Tag = Literal["blockquote", "i", "b", "code"]


@dataclass(frozen=True)
class Span:
    """One line of a block: raw text (escaped when rendered), optionally inside one tag."""

    text: str
    tag: Tag | None = None

    def html(self) -> str:
        body = html.escape(self.text, quote=False)
        return f"<{self.tag}>{body}</{self.tag}>" if self.tag else body


HtmlBlock = Sequence[Span]


def plain_block(text: str) -> list[Span]:
    """A block of plain text (one span; its own line breaks are kept)."""
    return [Span(text)]


def _escaped_len(text: str) -> int:
    return len(html.escape(text, quote=False))


def fit_prefix(text: str, room: int) -> int:
    """The longest prefix of `text` whose escaped form fits `room`, ending at a space if possible."""
    size, end = 0, 0
    for i, ch in enumerate(text):
        size += _escaped_len(ch)
        if size > room:
            break
        end = i + 1
    if end < len(text):
        space = max(text.rfind(" ", 0, end), text.rfind("\n", 0, end))
        if space > 0:
            end = space + 1
    return max(end, 1)


def _span_pieces(span: Span, limit: int) -> list[str]:
    """A span as balanced HTML pieces of at most `limit` characters each."""
    whole = span.html()
    if len(whole) <= limit:
        return [whole]
    room = limit - (len(f"<{span.tag}></{span.tag}>") if span.tag else 0)
    pieces, rest = [], span.text
    while rest:
        end = fit_prefix(rest, room)
        piece, rest = rest[:end], rest[end:]
        if piece.strip():
            pieces.append(Span(piece.rstrip(" ") if rest else piece, span.tag).html())
    return pieces


def _atoms(block: HtmlBlock, limit: int) -> list[str]:
    """The block as one piece, or as balanced pieces (its lines, split further if needed)."""
    whole = "\n".join(s.html() for s in block)
    if len(whole) <= limit:
        return [whole]
    lines = [line for span in block for line in _lines(span, limit)]
    return [piece for line in lines for piece in _span_pieces(line, limit)]


def _lines(span: Span, limit: int) -> list[Span]:
    """A multi-line span as one span per line (a long quote splits between its lines first)."""
    if len(span.html()) <= limit or "\n" not in span.text:
        return [span]
    return [Span(line, span.tag) for line in span.text.split("\n") if line.strip()]


def pack(blocks: Sequence[HtmlBlock], limit: int = MAX_MESSAGE) -> list[str]:
    """Messages of at most `limit` characters: whole blocks together, long ones split safely.

    Blank blocks are dropped, so an empty reply is an empty list, never an empty message.
    """
    messages: list[str] = []
    current = ""
    for block in blocks:
        atoms = [a for a in _atoms(block, limit) if a.strip()]
        for n, atom in enumerate(atoms):
            glue = "\n" if n else "\n\n"
            joined = f"{current}{glue}{atom}" if current else atom
            if len(joined) <= limit:
                current = joined
            else:
                messages.append(current)
                current = atom
    if current:
        messages.append(current)
    return messages


def strip_tags(message: str) -> str:
    """A message of this module as terminal text."""
    return html.unescape(re.sub(r"</?(blockquote|i|b|code)>", "", message))
