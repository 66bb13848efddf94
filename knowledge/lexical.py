"""BM25 (bm25s) over Kazakh-aware tokens: one index of statute text, one of enrichment."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
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
    """Tokens of one entry's renderings and sample questions, each stemmed in its own language."""
    out = tokens(entry.ru, "ru", folded=True) + tokens(entry.en, "en", folded=True)
    for q in entry.questions:
        out += tokens(q, detect(q), folded=True)
    return tuple(out)


def entry_keys(chunk: Chunk) -> list[str]:
    """The enrichment entries that describe a chunk: its own and its article's."""
    return list(dict.fromkeys(filter(None, (chunk.key, chunk.article_key))))


@dataclass(frozen=True)
class CorpusTokens:
    """Search tokens of every chunk's statute text and of every enrichment entry.

    Computed once per process (or read back from the data dir, see `token_store`) and shared
    by the BM25 indexes and the answerability vocabulary.
    """

    statute: Mapping[str, tuple[str, ...]]  # chunk key → tokens of its statute text
    entries: Mapping[str, tuple[str, ...]]  # enrichment key → tokens of its renderings and questions

    @classmethod
    def of(cls, chunks: Sequence[Chunk], enrichment: Mapping[str, Enrichment]) -> CorpusTokens:
        return cls(
            {c.key: tuple(statute_tokens(c)) for c in chunks}, {k: entry_tokens(e) for k, e in enrichment.items()}
        )

    def enrichment_of(self, chunk: Chunk) -> list[str]:
        """Tokens of the entries that describe `chunk` (see `entry_keys`)."""
        return [t for k in entry_keys(chunk) for t in self.entries.get(k, ())]


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

    def __init__(self, chunks: Sequence[Chunk], corpus: CorpusTokens) -> None:
        self.statute = Bm25([list(corpus.statute[c.key]) for c in chunks])
        self.enriched = Bm25([corpus.enrichment_of(c) for c in chunks])

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
