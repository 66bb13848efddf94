"""BM25 (bm25s) over Kazakh-aware tokens: one index of statute text, one of enrichment."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import lru_cache

import bm25s
import numpy as np

from knowledge.chunks import Chunk
from knowledge.enrichment import Enrichment
from knowledge.language import detect
from knowledge.tokens import Lang, folded_token, tokens


def statute_tokens(chunk: Chunk) -> list[str]:
    """Tokens of what the statute says: article heading, lead-in and the provision text."""
    return tokens(" ".join(filter(None, (chunk.heading, chunk.lead_in, chunk.text))), "kk", folded=True)


@lru_cache(maxsize=1 << 13)
def entry_tokens(entry: Enrichment) -> tuple[str, ...]:
    """Tokens of one entry's renderings and questions; memoised, as the index and the answerability
    vocabulary both read every entry at start."""
    out = tokens(entry.ru, "ru", folded=True) + tokens(entry.en, "en", folded=True)
    for q in entry.questions:
        out += tokens(q, detect(q), folded=True)
    return tuple(out)


def enrichment_tokens(entries: Sequence[Enrichment]) -> list[str]:
    """Tokens of the renderings and sample questions, each stemmed in its own language."""
    return [t for e in entries for t in entry_tokens(e)]


logging.getLogger("bm25s").setLevel(logging.WARNING)


class Bm25:
    """A BM25 index over pre-tokenised documents, queried with tokens (unknown ones ignored)."""

    def __init__(self, docs: Sequence[list[str]]) -> None:
        self._bm25 = bm25s.BM25()
        self._bm25.index([d or [""] for d in docs], show_progress=False)
        self._vocab = self._bm25.vocab_dict

    def scores(self, query: list[str]) -> np.ndarray:
        known = [t for t in query if t in self._vocab]
        if not known:
            return np.zeros(self._bm25.scores["num_docs"], dtype=np.float32)
        return np.asarray(self._bm25.get_scores(known), dtype=np.float32)


class LexicalIndex:
    """The two BM25 indexes, aligned with the list of chunks."""

    def __init__(self, chunks: Sequence[Chunk], enrichment: dict[str, list[Enrichment]]) -> None:
        self.statute = Bm25([statute_tokens(c) for c in chunks])
        self.enriched = Bm25([enrichment_tokens(enrichment.get(c.key, [])) for c in chunks])

    def search(
        self, question: str, lang: Lang, expansion: list[str], unknown: Sequence[str] = ()
    ) -> tuple[np.ndarray, np.ndarray]:
        """Scores of every chunk from statute text and from enrichment.

        `unknown` are words spelling restoration could not place: they are searched by
        their folded form, which the indexes hold beside every proper form.
        """
        folded = [folded_token(w) for w in unknown]
        kk_query = tokens(question, "kk" if lang == "kk" else lang) + tokens(" ".join(expansion), "kk") + folded
        if lang != "kk":
            kk_query += tokens(question, "kk")
        return self.statute.scores(kk_query), self.enriched.scores(tokens(question, lang) + folded)
