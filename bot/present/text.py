"""Answers as plain text: the console, `python -m bot ask` and the `answer` field of the JSON."""

from __future__ import annotations

from collections.abc import Iterable

from bot.answer.model import Block, Explanation, Pointer, Quote, RelatedProvision


def quote_text(block: Quote | RelatedProvision) -> str:
    """«official text» and its source; an unofficial translation goes below the Kazakh, labelled."""
    source = f"— {block.act_title}, {block.place}" + (f" ({block.source_note})" if block.source_note else "")
    shown = block.shown
    if shown is not None and shown.official:
        return f"«{shown.text}»\n{source}"
    out = f"«{block.text}»\n{source}"
    return out + (f"\n{block.shown_label}: {shown.text}" if shown is not None else "")


def block_text(block: Block) -> str:
    """One block as plain text; a quote is «text» with its source on the next line."""
    if isinstance(block, Quote | RelatedProvision):
        return quote_text(block)
    if isinstance(block, Pointer):
        return f"{block.label} {block.command}"
    if isinstance(block, Explanation):
        return f"{block.label}\n\n{block.text}"
    return block.text


def render_text(blocks: Iterable[Block]) -> str:
    """The whole answer as text, blocks separated by a blank line."""
    return "\n\n".join(block_text(b) for b in blocks)
