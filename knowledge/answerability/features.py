"""The answerability features of one question, computed from its search (see the package doc)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from knowledge.chunks import Chunk
from knowledge.glossary import Term, expand
from knowledge.lexical import CorpusTokens
from knowledge.retriever import Search
from knowledge.scope import LABELS
from knowledge.tokens import tokens

from .cues import Cues

COVERAGE_DEPTH = 3  # hits whose vocabulary counts for `coverage_top3`
CUE_FEATURES = (
    "subject",
    "chat",
    "price",
    "address",
    "statistic",
    "news",
    "history",
    "prediction",
    "judgment",
    "opinion",
)
FEATURES: tuple[str, ...] = (
    "dense_top",  # best dense similarity among the top hits
    "gap_decline",  # dense_top minus the similarity of the nearest off-domain example
    "gap_related",  # dense_top minus the similarity of the nearest in-domain-unanswerable example
    "lexical_top",  # log(1 + best BM25 score among the top hits)
    "coverage_top",  # share of the question's terms found in the top provision and its enrichment
    "coverage_top3",  # ... in the top three provisions and their enrichment
    "unknown_share",  # share of the question's terms found nowhere in the statutes or enrichment
    "unknown_count",  # log(1 + number of such terms): a question on another law names its own terms
    "length",  # log(1 + number of question terms)
    *(f"cue_{name}" for name in CUE_FEATURES),
)


@dataclass(frozen=True)
class Vocabulary:
    """Search tokens of every provision (statute text plus its enrichment) and of all of them."""

    by_chunk: dict[str, frozenset[str]]
    known: frozenset[str]

    @classmethod
    def build(cls, chunks: Sequence[Chunk], corpus: CorpusTokens) -> Vocabulary:
        by_chunk = {c.key: frozenset(corpus.statute[c.key]).union(corpus.enrichment_of(c)) for c in chunks}
        known = frozenset().union(*by_chunk.values()) if by_chunk else frozenset()
        return cls(by_chunk, known)


def question_terms(search: Search, glossary: list[Term]) -> set[str]:
    """The question's search tokens plus the Kazakh tokens of its glossary expansion."""
    terms = set(tokens(search.question, search.lang))
    if search.lang != "kk":
        terms |= set(tokens(" ".join(expand(search.question, search.lang, glossary)), "kk"))
    return terms


def features(
    search: Search, vocab: Vocabulary, glossary: list[Term], cues: Cues, nearest: Mapping[str, float] | None = None
) -> np.ndarray:
    """The feature vector (in `FEATURES` order); `nearest` overrides the search's own."""
    near = {label: (nearest if nearest is not None else search.nearest).get(label, 0.0) for label in LABELS}
    top = search.hits[:5]
    dense_top = max((h.dense for h in top), default=0.0)
    lexical_top = max((h.lexical for h in top), default=0.0)
    terms = question_terms(search, glossary)
    n = max(len(terms), 1)
    seen: set[str] = set()
    coverage: list[float] = []
    for hit in search.hits[:COVERAGE_DEPTH]:
        seen |= vocab.by_chunk.get(hit.chunk.key, frozenset())
        coverage.append(len(terms & seen) / n)
    coverage += [coverage[-1] if coverage else 0.0] * (COVERAGE_DEPTH - len(coverage))
    flags = cues.flags(search.question)
    values = [
        dense_top,
        dense_top - near["decline"],
        dense_top - near["related"],
        math.log1p(lexical_top),
        coverage[0],
        coverage[-1],
        len(terms - vocab.known) / n,
        math.log1p(len(terms - vocab.known)),
        math.log1p(len(terms)),
        *(float(flags[name]) for name in CUE_FEATURES),
    ]
    return np.asarray(values, dtype=np.float64)
