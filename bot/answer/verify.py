"""The quote check: a quote is shown only if every piece of it is verbatim in the act it cites."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ingest.model import Act, OfficialText
from knowledge.chunks import QUOTE_GAP


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


class QuoteChecker:
    """Holds each act's provision texts (whitespace removed) to check quotes against, by title.

    Works for the Kazakh acts and for their official translations (keyed by the translated title).
    """

    def __init__(self, acts: Sequence[Act | OfficialText], min_piece: int = 4) -> None:
        self.min_piece = min_piece  # characters; shorter pieces prove nothing either way
        self._texts: dict[str, str] = {}
        for act in acts:
            pieces = [*act.preamble]
            for node in act.walk():
                label = f"{node.num}." if node.kind in ("paragraph", "point") else ""
                label = f"{node.num})" if node.kind == "subparagraph" else label
                pieces.append(label + node.text)
            self._texts[act.meta.title] = "\n".join(_squash(p) for p in pieces)

    def verify(self, act_title: str, quote: str) -> bool:
        """True if every piece of `quote` (split at "…" and line breaks) is inside one provision."""
        text = self._texts.get(act_title)
        if text is None or not quote.strip():
            return False
        pieces = [_squash(p) for p in re.split(r"…|\.\.\.|\n", quote.replace(QUOTE_GAP, "…"))]
        pieces = [p for p in pieces if p]
        return bool(pieces) and all(p in text for p in pieces if len(p) >= self.min_piece)
