"""Answers as Telegram HTML, read from the answer's typed blocks (never from its text).

Quotes and related provisions are blockquotes with their source in italics; an LLM
explanation has its own style (an italic label, plain text) so it never looks like the law.
`inline_card` is one message for inline mode: the lead and one provision with its citation.
"""

from __future__ import annotations

from bot.answer.model import Answer, Block, Explanation, Lead, Note, Pointer, Quote, RelatedProvision
from bot.present.split import MAX_MESSAGE, HtmlBlock, Span, fit_prefix, pack


def source_line(block: Quote | RelatedProvision) -> Span:
    """The citation under a quote, with which text it is when that needs saying."""
    note = f" ({block.source_note})" if block.source_note else ""
    return Span(f"— {block.act_title}, {block.place}{note}", "i")


def quote_html(block: Quote | RelatedProvision) -> list[Span]:
    """The official text in a blockquote; an unofficial translation below it, labelled, never quoted as law."""
    shown = block.shown
    if shown is not None and shown.official:
        return [Span(shown.text, "blockquote"), source_line(block)]
    spans = [Span(block.text, "blockquote"), source_line(block)]
    if shown is not None:
        spans += [Span(f"{block.shown_label}:", "b"), Span(shown.text)]
    return spans


def block_html(block: Block) -> list[Span]:
    """One answer block as the lines of an HTML block."""
    if isinstance(block, Quote | RelatedProvision):
        return quote_html(block)
    if isinstance(block, Pointer):
        return [Span(f"{block.label} {block.command}")]
    if isinstance(block, Explanation):
        return [Span(block.label, "i"), Span(block.text)]
    if isinstance(block, Note) and block.heading:
        return [Span(block.text, "b")]
    return [Span(block.text)]


def answer_html(answer: Answer, short: bool = False) -> list[HtmlBlock]:
    """The answer's blocks as HTML blocks; `short` (groups) keeps the lead, first quote and pointer."""
    blocks: list[Block] = answer.blocks
    if short:
        first = next((i for i, b in enumerate(blocks) if isinstance(b, Quote | RelatedProvision)), None)
        if first is not None:
            blocks = blocks[: first + 1] + [b for b in blocks[first + 1 :] if isinstance(b, Pointer)]
    return [block_html(b) for b in blocks]


def answer_messages(answer: Answer, short: bool = False) -> list[str]:
    """The answer as Telegram messages, each balanced and at most 4096 characters."""
    return pack(answer_html(answer, short))


def _card_quote(block: Quote | RelatedProvision, room: int) -> list[Span]:
    """The quote cut to fit `room` characters (ending in "…"), its citation always kept."""
    source = source_line(block)
    body_room = room - len(source.html()) - len("<blockquote></blockquote>\n")
    text = block.shown.text if block.shown is not None and block.shown.official else block.text
    if len(Span(text).html()) > body_room:
        text = text[: fit_prefix(text, body_room - 1)].rstrip() + "…"
    return [Span(text, "blockquote"), source]


def inline_card(answer: Answer, index: int, limit: int = MAX_MESSAGE) -> str | None:
    """The lead and the `index`-th provision as one balanced message; None for a decline."""
    if answer.outcome == "decline":
        return None
    quotes = [b for b in answer.blocks if isinstance(b, Quote | RelatedProvision)]
    if index >= len(quotes):
        return None
    lead = next((b.text for b in answer.blocks if isinstance(b, Lead)), "")
    lead_html = Span(lead).html()
    if len(lead_html) > limit // 2:
        lead_html = Span(lead[: fit_prefix(lead, limit // 4)].rstrip() + "…").html()
    quote = _card_quote(quotes[index], limit - len(lead_html) - 2)
    return f"{lead_html}\n\n" + "\n".join(s.html() for s in quote)


def card_quotes(answer: Answer) -> list[Quote | RelatedProvision]:
    """The provisions an inline card can show, best first."""
    return [b for b in answer.blocks if isinstance(b, Quote | RelatedProvision)]
