"""The answerability features of one question, computed from its search (see the package doc)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

import numpy as np

from knowledge.chunks import Chunk
from knowledge.glossary import Term, matches
from knowledge.lexical import CorpusTokens
from knowledge.retriever import Search
from knowledge.scope import LABELS
from knowledge.spelling import fold_key
from knowledge.tokens import folded_token, is_term, stem_word, word_parts

from .cues import Cues, fold_plain

COVERAGE_DEPTH = 3  # hits whose vocabulary counts for `coverage_top3`
# A plain question (who may become one, what must one do, from what age) says what it asks in a
# few terms; below this many, its length says nothing of whether the statutes hold the answer.
# The in-scope training questions are situational and long, the off-domain ones short, so a
# length feature that saw every count would penalise plain questions for how the sets were written.
PLAIN_TERMS = 5
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
    "length",  # log(1 + number of question terms, at least PLAIN_TERMS)
    "subject_uncovered",  # naming the subject: share of its other terms none of the top three holds
    *(f"cue_{name}" for name in CUE_FEATURES),
)


@dataclass(frozen=True)
class Vocabulary:
    """Search tokens of every provision (statute text plus its enrichment), and every token known
    to the knowledge base: the provisions' and the glossary's (the words users type for its terms)."""

    by_chunk: dict[str, frozenset[str]]
    known: frozenset[str]

    @classmethod
    def build(cls, chunks: Sequence[Chunk], corpus: CorpusTokens, glossary: Sequence[Term] = ()) -> Vocabulary:
        by_chunk = {c.key: frozenset(corpus.statute[c.key]).union(corpus.enrichment_of(c)) for c in chunks}
        known = frozenset().union(*by_chunk.values(), *(glossary_tokens(t) for t in glossary))
        return cls(by_chunk, known)


def glossary_tokens(term: Term) -> frozenset[str]:
    """Every token of a glossary term: its statute words and the phrases users type for it."""
    phrases = (*term.phrases, *term.colloquial, *term.colloquial_folded)
    return term.kk_tokens.union(*(frozenset(p) for p in phrases))


def question_terms(search: Search, glossary: Sequence[Term]) -> list[frozenset[str]]:
    """The question's terms, each as the tokens that stand for it in a provision's vocabulary.

    A term is its search token; a Kazakh word spelling restoration could not place also stands
    as its folded token (any spelling); a word of a glossary phrase also stands as the statute
    term the phrase names, so "ерікті" (the statutes say "волонтер") is found where "волонтер"
    is, and is no unknown word.
    """
    unplaced = {fold_key(w) for w in search.unknown} if search.lang == "kk" else set()
    terms: list[set[str]] = []
    for part in word_parts(search.question):
        if is_term(part, search.lang):
            term = {stem_word(part, search.lang)}
            if fold_key(part) in unplaced:
                term.add(folded_token(part))
            terms.append(term)
    for glossary_term, spans in matches(search.question, search.lang, glossary, search.unknown):
        for term in terms:
            if term & spans:
                term |= glossary_term.kk_tokens
    return list(dict.fromkeys(frozenset(t) for t in terms))


def subject_tokens(search: Search, cues: Cues) -> frozenset[str]:
    """The search tokens of the question's words that name the statutes' subject (the `subject` cue)."""
    pattern = cues.patterns["subject"]
    return frozenset(
        stem_word(part, search.lang)
        for part in word_parts(search.question)
        if is_term(part, search.lang) and pattern.search(fold_plain(part))
    )


def subject_uncovered(terms: Sequence[frozenset[str]], subject: frozenset[str], seen: AbstractSet[str]) -> float:
    """For a question that names the subject, the share of its other terms that the top provisions
    do not hold (0 for one that does not name it, or names nothing else).

    A question on another law that names volunteers or public assistants (a volunteer's tax
    deduction, a loan for a public assistant) brings that law's own terms, which the provisions
    found for the subject do not hold; a question on these statutes is about what they hold.
    """
    other = [t for t in terms if t.isdisjoint(subject)]
    if not subject or not other:
        return 0.0
    return sum(seen.isdisjoint(t) for t in other) / len(other)


def features(
    search: Search, vocab: Vocabulary, glossary: Sequence[Term], cues: Cues, nearest: Mapping[str, float] | None = None
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
        coverage.append(sum(not seen.isdisjoint(t) for t in terms) / n)
    coverage += [coverage[-1] if coverage else 0.0] * (COVERAGE_DEPTH - len(coverage))
    unknown = sum(vocab.known.isdisjoint(t) for t in terms)
    flags = cues.flags(search.question)
    subject = subject_tokens(search, cues)
    values = [
        dense_top,
        dense_top - near["decline"],
        dense_top - near["related"],
        math.log1p(lexical_top),
        coverage[0],
        coverage[-1],
        unknown / n,
        math.log1p(unknown),
        math.log1p(max(len(terms), PLAIN_TERMS)),
        subject_uncovered(terms, subject, seen),
        *(float(flags[name]) for name in CUE_FEATURES),
    ]
    return np.asarray(values, dtype=np.float64)
