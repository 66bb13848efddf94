"""Answers as plain text: the console, `python -m bot ask` and the `answer` field of the JSON."""

from __future__ import annotations

from collections.abc import Iterable

from bot.answer.model import Block, Explanation, Pointer, Quote, RelatedProvision


def block_text(block: Block) -> str:
    """One block as plain text; a quote is «text» with its source on the next line."""
    if isinstance(block, Quote | RelatedProvision):
        return f"«{block.text}»\n— {block.act_title}, {block.place}"
    if isinstance(block, Pointer):
        return f"{block.label} {block.command}"
    if isinstance(block, Explanation):
        return f"{block.label}\n\n{block.text}"
    return block.text


def render_text(blocks: Iterable[Block]) -> str:
    """The whole answer as text, blocks separated by a blank line."""
    return "\n\n".join(block_text(b) for b in blocks)
