"""Hybrid retrieval: BM25 over statute text and enrichment + e5 vectors, fused by weighted RRF."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from knowledge.chunks import Chunk
from knowledge.fusion import rrf
from knowledge.glossary import expand
from knowledge.index import KnowledgeBase, article_key
from knowledge.language import detect, is_latin_kazakh, transliterate
from knowledge.tokens import Lang

# Weights of the ranked lists in the fusion, tuned on the dev set (see README, "Evaluate").
WEIGHTS: dict[str, float] = {"statute": 1.0, "enriched": 1.0, "dense": 1.5, "dense_article": 0.5}
LIST_DEPTH = 50  # how deep each ranked list goes into the fusion
DENSE_NEIGHBOURS = 120  # vectors fetched per query (several per chunk: text, renderings, questions)


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk with its fused score and the raw signals behind it."""

    chunk: Chunk
    score: float
    dense: float  # best cosine similarity of any of the chunk's vectors (0 without vectors)
    lexical: float  # best BM25 score of the chunk (statute or enrichment index)


@dataclass(frozen=True)
class Search:
    """What a query found: the normalised question, its language and the ranked hits."""

    question: str  # after transliteration of Latin-script Kazakh
    lang: Lang
    hits: list[Hit] = field(default_factory=list)

    @property
    def top_dense(self) -> float:
        return max((h.dense for h in self.hits[:5]), default=0.0)

    @property
    def top_lexical(self) -> float:
        return max((h.lexical for h in self.hits[:5]), default=0.0)


@dataclass(frozen=True)
class Signals:
    """The ranked lists (chunk indexes) and raw scores behind one search."""

    question: str
    lang: Lang
    rankings: dict[str, list[int]]
    dense: np.ndarray
    statute: np.ndarray
    enriched: np.ndarray

    @property
    def lexical(self) -> np.ndarray:
        return np.maximum(self.statute, self.enriched)


def _ranking(scores: np.ndarray) -> list[int]:
    order = np.argsort(-scores, kind="stable")[:LIST_DEPTH]
    return [int(i) for i in order if scores[i] > 0]


class HybridRetriever:
    """Searches the knowledge base; one instance serves every query of the process."""

    def __init__(self, kb: KnowledgeBase, weights: dict[str, float] | None = None) -> None:
        self.kb = kb
        self.weights = dict(WEIGHTS if weights is None else weights)
        self._index = {c.key: i for i, c in enumerate(kb.chunks)}

    def search(self, question: str, k: int = 10) -> Search:
        """The best `k` chunks for a question in Kazakh, Russian or English."""
        signals = self.signals(question)
        return self.fuse(signals, k)

    def signals(self, question: str) -> Signals:
        """Every ranked list and raw score for a question, before fusion."""
        text = transliterate(question) if is_latin_kazakh(question) else question
        lang = detect(text)
        expansion = expand(text, lang, self.kb.glossary)
        statute, enriched = self.kb.lexical.search(text, lang, expansion)
        rankings: dict[str, list[int]] = {"statute": _ranking(statute), "enriched": _ranking(enriched)}
        dense = np.zeros(len(self.kb.chunks), dtype=np.float32)
        if self.kb.vectors is not None and self.kb.embedder is not None:
            rankings.update(self._dense(text, dense))
        return Signals(text, lang, rankings, dense, statute, enriched)

    def fuse(self, signals: Signals, k: int = 10, weights: dict[str, float] | None = None) -> Search:
        """Fuse the ranked lists of `signals` into the best `k` hits."""
        fused = rrf(signals.rankings, self.weights if weights is None else weights)[:k]
        hits = [
            Hit(self.kb.chunks[i], s, float(signals.dense[i]), float(signals.lexical[i])) for i, s in fused
        ]
        return Search(signals.question, signals.lang, hits)

    def _dense(self, text: str, dense: np.ndarray) -> dict[str, list[int]]:
        assert self.kb.vectors is not None and self.kb.embedder is not None
        vector = self.kb.embedder.queries([text])[0]
        chunk_order: list[int] = []
        article_order: list[str] = []
        article_sim: dict[str, float] = {}
        for target, sim in self.kb.vectors.search(vector, DENSE_NEIGHBOURS):
            i = self._index.get(target)
            if i is not None:
                if i not in chunk_order:
                    chunk_order.append(i)
                dense[i] = max(dense[i], sim)
            elif target in self.kb.by_article and target not in article_sim:
                article_order.append(target)
                article_sim[target] = sim
        by_article: list[int] = []
        for art in article_order:
            members = sorted(self.kb.by_article[art], key=lambda j: -dense[j])
            by_article += members
            for j in members:
                dense[j] = max(dense[j], article_sim[art] * 0.98)
        return {"dense": chunk_order[:LIST_DEPTH], "dense_article": by_article[:LIST_DEPTH]}


def article_of(chunk: Chunk) -> str | None:
    """The "<act>/<article id>" key of a chunk's article."""
    return article_key(chunk)
