"""Answers as Telegram HTML: escaped text, quotes in blockquotes, split under 4096 characters.

Messages are split between blocks (a lead, one quoted provision, a pointer); a provision
longer than a message is split between lines, then words, and every piece carries its own
complete tags, so no message ever ends inside a tag.
"""

from __future__ import annotations

import html
import re

MAX_MESSAGE = 4096
QUOTE_OPEN = "«"
SOURCE_MARK = "— "


def _block_html(block: str) -> str:
    """One block of the plain answer in HTML: quotes as blockquotes, sources in italics."""
    lines = block.split("\n")
    if block.startswith(QUOTE_OPEN):
        source = [ln for ln in lines if ln.startswith(SOURCE_MARK)]
        body = "\n".join(ln for ln in lines if not ln.startswith(SOURCE_MARK))
        out = f"<blockquote>{html.escape(body)}</blockquote>"
        return out + "".join(f"\n<i>{html.escape(s)}</i>" for s in source)
    if lines[0].startswith("/article "):
        return f"<code>{html.escape(block)}</code>"
    return html.escape(block)


def answer_blocks(text: str) -> list[str]:
    """The plain answer text as HTML blocks (one per paragraph of the text)."""
    return [_block_html(b) for b in text.split("\n\n") if b.strip()]


def short_blocks(text: str) -> list[str]:
    """For group chats: the lead, the first quote with its source, and the pointer."""
    blocks = [b for b in text.split("\n\n") if b.strip()]
    first_quote = next((i for i, b in enumerate(blocks) if b.startswith(QUOTE_OPEN)), None)
    if first_quote is None:
        return answer_blocks(text)
    keep = blocks[: first_quote + 1] + [b for b in blocks if b.startswith("/article ") or "/article " in b]
    return [_block_html(b) for b in dict.fromkeys(keep)]


_TAG = re.compile(r"^<(blockquote|i|code|b)>(.*)</\1>$", re.S)


def _safe_cut(text: str, cut: int) -> int:
    """A cut position at or before `cut` that does not fall inside an HTML entity."""
    amp = text.rfind("&", 0, cut)
    return amp if amp > 0 and ";" not in text[amp:cut] else cut


def _pieces(text: str, room: int) -> list[str]:
    """Text in pieces of at most `room` characters, cut between words where possible."""
    pieces: list[str] = []
    current = ""
    for word in re.split(r"(?<= )", text):
        while len(word) > room:
            if current:
                pieces.append(current)
                current = ""
            cut = _safe_cut(word, room)
            pieces.append(word[:cut])
            word = word[cut:]
        if len(current) + len(word) > room:
            pieces.append(current)
            current = ""
        current += word
    return [*pieces, current] if current else pieces


def _split_block(block: str, limit: int) -> list[str]:
    """Split one over-long HTML block into pieces that each carry complete tags."""
    lines = block.split("\n")
    if len(lines) > 1:
        return [piece for line in lines for piece in _split_block(line, limit)]
    if len(block) <= limit:
        return [block]
    m = _TAG.match(block)
    if not m:
        return _pieces(block, limit)
    tag, inner = m.group(1), m.group(2)
    room = limit - len(f"<{tag}></{tag}>")
    return [f"<{tag}>{piece}</{tag}>" for piece in _pieces(inner, room)]


def pack(blocks: list[str], limit: int = MAX_MESSAGE) -> list[str]:
    """Messages of at most `limit` characters, split only between blocks or inside them safely."""
    messages: list[str] = []
    current = ""
    for block in blocks:
        for piece in _split_block(block, limit) if len(block) > limit else [block]:
            joined = f"{current}\n\n{piece}" if current else piece
            if len(joined) <= limit:
                current = joined
            else:
                messages.append(current)
                current = piece
    if current:
        messages.append(current)
    return messages
