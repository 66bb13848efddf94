"""Hybrid retrieval: BM25 over statute text and enrichment + e5 vectors in Chroma.

Reciprocal rank fusion of the ranked lists picks a candidate pool; a weighted blend of
dense similarity and scaled BM25 scores orders it. The similarity of the nearest
out-of-scope example of each label ("decline", "related") is reported beside the hits for
the answerability decision.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from knowledge.chunks import Chunk
from knowledge.fusion import blend, rrf
from knowledge.glossary import expand
from knowledge.index import KnowledgeBase
from knowledge.language import read
from knowledge.scope import LABELS, SCOPE_ACT
from knowledge.settings import RetrievalSettings
from knowledge.tokens import Lang


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk with its final score and the raw signals behind it."""

    chunk: Chunk
    score: float
    dense: float  # best cosine similarity of the chunk's vectors (0 without vectors)
    lexical: float  # best BM25 score of the chunk (statute or enrichment index)


@dataclass(frozen=True)
class Signals:
    """The ranked lists (chunk indexes) and raw scores behind one search."""

    question: str
    lang: Lang
    rankings: dict[str, list[int]]
    dense: np.ndarray
    statute: np.ndarray
    enriched: np.ndarray
    nearest: dict[str, float]  # label → similarity of the nearest out-of-scope example
    acts: frozenset[str] = frozenset()  # acts the question names by a cue word
    official: np.ndarray | None = None  # BM25 over the official Russian texts (Russian questions)
    unknown: tuple[str, ...] = ()  # Kazakh words spelling restoration could not place, as typed


@dataclass(frozen=True)
class Search:
    """What a query found: the normalised question, its language and the ranked hits."""

    question: str  # Kazakh in any spelling restored to proper Cyrillic
    lang: Lang
    hits: list[Hit] = field(default_factory=list)
    nearest: dict[str, float] = field(default_factory=dict)  # label → nearest out-of-scope example
    unknown: tuple[str, ...] = ()  # Kazakh words spelling restoration could not place, as typed

    @property
    def scope(self) -> float:
        """Similarity of the nearest out-of-scope example of any label."""
        return max(self.nearest.values(), default=0.0)

    @property
    def top_dense(self) -> float:
        return max((h.dense for h in self.hits[:5]), default=0.0)


def dense_query(text: str, lang: Lang, expansion: list[str]) -> str:
    """The text the embedder reads: a Kazakh question with the statute terms of its everyday
    words appended. The embedder reads "ерікті" as "voluntary", the statutes' sense of the word,
    not as the volunteer the asker means; the terms say what the words stand for. A Russian or
    English question is read by the multilingual embedder as it is. A question typed without its
    question mark is read with one, like the sample questions it is compared with (without it,
    the nearest texts differed)."""
    if not text.rstrip().endswith(("?", ".", "!", "…")):
        text = text.rstrip() + "?"
    return f"{text} ({', '.join(expansion)})" if expansion and lang == "kk" else text


def _ranking(scores: np.ndarray, depth: int) -> list[int]:
    order = np.argsort(-scores, kind="stable")[:depth]
    return [int(i) for i in order if scores[i] > 0]


class HybridRetriever:
    """Searches the knowledge base; one instance serves every query of the process."""

    def __init__(
        self, kb: KnowledgeBase, settings: RetrievalSettings | None = None, hidden: frozenset[str] = frozenset()
    ) -> None:
        self.kb = kb
        self.settings = settings or RetrievalSettings()
        self.hidden = hidden  # vector ids left out of dense search (held-out sample questions)
        self._index = {c.key: i for i, c in enumerate(kb.chunks)}
        self._examples = self._scope_examples()

    def _scope_examples(self) -> dict[str, np.ndarray]:
        """Label → unit vectors of its out-of-scope examples, held in memory."""
        if self.kb.vectors is None:
            return {}
        targets, matrix = self.kb.vectors.vectors_of(SCOPE_ACT)
        labels = np.asarray([t.removeprefix(f"{SCOPE_ACT}/").split("/", 1)[0] for t in targets])
        return {label: matrix[labels == label] for label in LABELS if (labels == label).any()}

    def search(self, question: str, k: int = 10) -> Search:
        """The best `k` chunks for a question in Kazakh, Russian or English."""
        return self.fuse(self.signals(question), k)

    def signals(self, question: str) -> Signals:
        """Every ranked list and raw score for a question, before fusion."""
        reading = read(question)
        text, lang = reading.text, reading.lang
        expansion = expand(text, lang, self.kb.glossary, reading.unknown)
        statute, enriched = self.kb.lexical.search(text, lang, expansion, reading.unknown)
        rankings: dict[str, list[int]] = {
            "statute": _ranking(statute, self.settings.list_depth),
            "enriched": _ranking(enriched, self.settings.list_depth),
        }
        official = None
        if lang == "ru" and self.kb.official_lexical is not None:
            official = self.kb.official_lexical.scores(text)
            rankings["official"] = _ranking(official, self.settings.list_depth)
        dense = np.zeros(len(self.kb.chunks), dtype=np.float32)
        nearest: dict[str, float] = {}
        if self.kb.vectors is not None and self.kb.embedder is not None:
            dense_rankings, nearest = self._dense(dense_query(text, lang, expansion), dense)
            rankings.update(dense_rankings)
        acts = self.cued_acts(text)
        return Signals(text, lang, rankings, dense, statute, enriched, nearest, acts, official, reading.unknown)

    def dense_text(self, question: str) -> str:
        """What the embedder reads for a question (as `signals` embeds it)."""
        reading = read(question)
        expansion = expand(reading.text, reading.lang, self.kb.glossary, reading.unknown)
        return dense_query(reading.text, reading.lang, expansion)

    def fuse(
        self,
        signals: Signals,
        k: int = 10,
        rrf_weights: dict[str, float] | None = None,
        blend_weights: dict[str, float] | None = None,
    ) -> Search:
        """Fuse the signals into the best `k` hits."""
        cfg = self.settings
        pool = [i for i, _ in rrf(signals.rankings, rrf_weights or cfg.rrf_weights, cfg.rrf_k)[: cfg.pool]]
        if blend_weights is None:
            blend_weights = cfg.blend_weights if self.kb.vectors is not None else cfg.lexical_only_blend
        scores = {
            "dense": {i: float(signals.dense[i]) for i in pool},
            "enriched": {i: float(signals.enriched[i]) for i in pool},
            "statute": {i: float(signals.statute[i]) for i in pool},
            "act": {i: float(self.kb.chunks[i].act_id in signals.acts) for i in pool},
        }
        lexical = np.maximum(signals.statute, signals.enriched)
        if signals.official is not None:
            scores["official"] = {i: float(signals.official[i]) for i in pool}
            lexical = np.maximum(lexical, signals.official)
        ordered = blend(pool, scores, blend_weights, {"enriched": True, "statute": True, "official": True})[:k]
        hits = [Hit(self.kb.chunks[i], s, float(signals.dense[i]), float(lexical[i])) for i, s in ordered]
        return Search(signals.question, signals.lang, hits, signals.nearest, signals.unknown)

    def cued_acts(self, text: str) -> frozenset[str]:
        """The acts whose cue words the question contains (empty when it names none)."""
        folded = text.lower().replace("ё", "е")
        return frozenset(a.meta.id for a in self.kb.acts if any(cue.replace("ё", "е") in folded for cue in a.meta.cues))

    def _dense(self, text: str, dense: np.ndarray) -> tuple[dict[str, list[int]], dict[str, float]]:
        assert self.kb.vectors is not None and self.kb.embedder is not None
        vector = self.kb.embedder.queries([text])[0]
        chunk_order: list[int] = []
        article_order: list[str] = []
        article_sim: dict[str, float] = {}
        for target, sim in self.kb.vectors.search(vector, self.settings.dense_neighbours, skip=self.hidden):
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
                dense[j] = max(dense[j], article_sim[art] * self.settings.article_share)
        depth = self.settings.list_depth
        return {"dense": chunk_order[:depth], "dense_article": by_article[:depth]}, self._nearest(vector)

    def _nearest(self, vector: np.ndarray) -> dict[str, float]:
        """Label → cosine similarity of its nearest out-of-scope example (exact, as in training)."""
        unit = vector / (np.linalg.norm(vector) or 1.0)
        return {label: float((m @ unit).max()) for label, m in self._examples.items()}
