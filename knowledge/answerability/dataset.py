"""The training set: written out-of-scope questions and held-out enrichment questions, with
their features measured on a knowledge base that has never seen the held-out questions."""

from __future__ import annotations

import dataclasses
import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from knowledge.embedders import Embedder
from knowledge.enrichment import Enrichment
from knowledge.index import KnowledgeBase
from knowledge.lexical import CorpusTokens, LexicalIndex
from knowledge.retriever import HybridRetriever
from knowledge.scope import Example, load_examples

from .cues import Cues, load_cues
from .features import FEATURES, Vocabulary, features

log = logging.getLogger(__name__)
HELD_OUT_SHARE = 4  # one provision entry in this many has its sample questions held out
PER_ENTRY = 3  # held-out questions of each such entry used as "answer" examples


def _hash(text: str) -> int:
    return int(hashlib.sha1(text.encode()).hexdigest()[:8], 16)


def held_out_entries(enrichment: dict[str, Enrichment]) -> list[str]:
    """Enrichment keys whose sample questions are held out (fixed by a hash of the key)."""
    return sorted(k for k, e in enrichment.items() if e.questions and _hash(k) % HELD_OUT_SHARE == 0)


def in_scope_examples(enrichment: dict[str, Enrichment], held: list[str]) -> list[Example]:
    """`PER_ENTRY` questions of each held-out entry, topic = its article (held out together)."""
    out = []
    for key in held:
        picked = sorted(enrichment[key].questions, key=_hash)[:PER_ENTRY]
        out += [Example(q, "", key.split("__")[0], "answer") for q in picked]
    return out


def held_out_knowledge(kb: KnowledgeBase, held: list[str]) -> tuple[KnowledgeBase, frozenset[str]]:
    """The knowledge base without the held-out entries' questions, and their vector ids to hide."""
    enrichment = {k: dataclasses.replace(e, questions=()) if k in held else e for k, e in kb.enrichment.items()}
    corpus = CorpusTokens.of(kb.chunks, enrichment)
    lexical = LexicalIndex(kb.chunks, corpus)
    hidden = frozenset(f"{k}#q{i}" for k in held for i in range(len(kb.enrichment[k].questions)))
    return dataclasses.replace(kb, enrichment=enrichment, tokens=corpus, lexical=lexical), hidden


class _Remembered:
    """An embedder that embeds the training questions once, in batches, for search and gaps."""

    def __init__(self, embedder: Embedder, texts: list[str]) -> None:
        self.name = embedder.name
        self._inner = embedder
        self._known = dict(zip(texts, embedder.queries(texts), strict=True))

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        missing = [t for t in texts if t not in self._known]
        if missing:
            self._known.update(zip(missing, self._inner.queries(missing), strict=True))
        return np.stack([self._known[t] for t in texts])

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._inner.passages(texts)


@dataclass
class TrainingSet:
    """Examples (sorted), their features without the example-nearness gaps, and embeddings."""

    examples: list[Example]
    x: np.ndarray  # FEATURES columns; the gap columns are filled per fold
    embeddings: np.ndarray  # the examples' query embeddings as their search embeds them
    indexed: np.ndarray  # the examples' embeddings as the scope pseudo-act holds them (for the gaps)
    cues: Cues

    @property
    def labels(self) -> np.ndarray:
        return np.asarray([e.label for e in self.examples])

    @property
    def asks_kind(self) -> np.ndarray:
        """Whether each question matches a "related" kind cue (the gate of `model.decide`)."""
        return np.asarray([self.cues.kind(e.question) is not None for e in self.examples])

    @property
    def groups(self) -> np.ndarray:
        return np.asarray([f"{e.label}/{e.topic}" for e in self.examples])


def build_training_set(kb: KnowledgeBase) -> TrainingSet:
    """Search every example on the held-out knowledge base and measure its features."""
    assert kb.embedder is not None, "training needs the vector index"
    held = held_out_entries(kb.enrichment)
    examples = sorted(
        [*load_examples(), *in_scope_examples(kb.enrichment, held)], key=lambda e: (e.label, e.topic, e.question)
    )
    texts = [HybridRetriever(kb).dense_text(e.question) for e in examples]  # what the search embeds
    questions = [e.question for e in examples]  # what the scope index embeds
    embedder = _Remembered(kb.embedder, list(dict.fromkeys(texts + questions)))
    train_kb, hidden = held_out_knowledge(dataclasses.replace(kb, embedder=embedder), held)
    retriever = HybridRetriever(train_kb, hidden=hidden)
    vocab = Vocabulary.build(train_kb.chunks, train_kb.tokens, train_kb.glossary)
    cues = load_cues()
    rows = []
    for n, ex in enumerate(examples):
        rows.append(features(retriever.search(ex.question), vocab, train_kb.glossary, cues, nearest={}))
        if n % 200 == 0:
            log.info("features %d/%d", n, len(examples))
    embeddings, indexed = (np.asarray(embedder.queries(t), dtype=np.float64) for t in (texts, questions))
    return TrainingSet(examples, np.vstack(rows), embeddings, indexed, cues)


def with_gaps(ts: TrainingSet, reference: np.ndarray) -> np.ndarray:
    """Features with the gap columns filled: nearness to the `reference` out-of-scope examples
    of each label, never counting an example's own topic (so every topic is unseen)."""
    x = ts.x.copy()
    query = ts.embeddings / np.linalg.norm(ts.embeddings, axis=1, keepdims=True)
    held = ts.indexed[reference] / np.linalg.norm(ts.indexed[reference], axis=1, keepdims=True)
    sims = query @ held.T
    groups, labels = ts.groups, ts.labels
    for col, label in ((FEATURES.index("gap_decline"), "decline"), (FEATURES.index("gap_related"), "related")):
        usable = (labels[reference] == label)[None, :] & (groups[:, None] != groups[reference][None, :])
        nearest = np.where(usable, sims, -1.0).max(axis=1)
        x[:, col] = x[:, FEATURES.index("dense_top")] - nearest
    return x
