"""BM25 (bm25s) over Kazakh-aware tokens: one index of statute text, one of enrichment."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import bm25s
import numpy as np

from knowledge.bm25_store import load_or_build
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
    digest: str = field(default="", compare=False)  # of the sources and code (`token_store`); "" if not known

    @classmethod
    def of(cls, chunks: Sequence[Chunk], enrichment: Mapping[str, Enrichment]) -> CorpusTokens:
        return cls(
            {c.key: tuple(statute_tokens(c)) for c in chunks}, {k: entry_tokens(e) for k, e in enrichment.items()}
        )

    def enrichment_of(self, chunk: Chunk) -> list[str]:
        """Tokens of the entries that describe `chunk` (see `entry_keys`)."""
        return [t for k in entry_keys(chunk) for t in self.entries.get(k, ())]


logging.getLogger("bm25s").setLevel(logging.WARNING)


def _indexed(docs: Sequence[list[str]]) -> bm25s.BM25:
    index = bm25s.BM25()
    index.index([d or [""] for d in docs], show_progress=False)
    return index


class Bm25:
    """A BM25 index over pre-tokenised documents, queried with tokens (unknown ones ignored)."""

    def __init__(self, docs: Sequence[list[str]] | bm25s.BM25) -> None:
        self._bm25 = docs if isinstance(docs, bm25s.BM25) else _indexed(docs)
        self._vocab = self._bm25.vocab_dict

    @classmethod
    def kept(cls, folder: Path | None, count: int, docs: Callable[[], Sequence[list[str]]]) -> Bm25:
        """The index of `count` documents kept in `folder` (see `bm25_store`), else built from `docs()`."""
        if folder is None:
            return cls(docs())
        return cls(load_or_build(folder, count, lambda: _indexed(docs())))

    def scores(self, query: list[str]) -> np.ndarray:
        known = [t for t in query if t in self._vocab]
        if not known:
            return np.zeros(self._bm25.scores["num_docs"], dtype=np.float32)
        return np.asarray(self._bm25.get_scores(known), dtype=np.float32)


class LexicalIndex:
    """The two BM25 indexes, aligned with the list of chunks."""

    def __init__(
        self, chunks: Sequence[Chunk], corpus: CorpusTokens, kept: Callable[[str], Path] | None = None
    ) -> None:
        """`kept` names the folder each index is kept in between starts (None: built every time)."""
        statute = lambda: [list(corpus.statute[c.key]) for c in chunks]  # noqa: E731
        enriched = lambda: [corpus.enrichment_of(c) for c in chunks]  # noqa: E731
        self.statute = Bm25.kept(kept("statute") if kept else None, len(chunks), statute)
        self.enriched = Bm25.kept(kept("enriched") if kept else None, len(chunks), enriched)

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
