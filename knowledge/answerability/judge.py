"""The run-time answerability decision: a search in, "answer" / "related" / "decline" out."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from knowledge.glossary import Term
from knowledge.index import KnowledgeBase
from knowledge.retriever import Search

from .cues import Cues, load_cues
from .features import FEATURES, Vocabulary, features
from .model import MODEL_FILE, AnswerabilityModel, Outcome

DEFAULT_KIND = "other"  # a "related" question whose kind no cue names


@dataclass(frozen=True)
class Decision:
    """What to do with a question, what kind of thing it asks, and the model's probabilities."""

    outcome: Outcome
    kind: str
    p_domain: float
    p_answerable: float


class Judge:
    """Decides from the search with the fitted model (deterministic, no scikit-learn needed)."""

    def __init__(self, model: AnswerabilityModel, vocab: Vocabulary, glossary: list[Term], cues: Cues) -> None:
        if model.features != FEATURES:
            raise ValueError(f"the model was fitted on other features: {model.features}")
        self.model, self.vocab, self.glossary, self.cues = model, vocab, glossary, cues

    @classmethod
    def for_knowledge(cls, kb: KnowledgeBase, path: Path = MODEL_FILE) -> Judge:
        """The judge over a knowledge base with the committed model."""
        vocab = Vocabulary.build(kb.chunks, kb.tokens, kb.glossary)
        return cls(AnswerabilityModel.load(path), vocab, kb.glossary, load_cues())

    def decide(self, search: Search) -> Decision:
        """The outcome for one search; no hits at all is a decline."""
        asked = self.cues.kind(search.question)
        kind = asked or DEFAULT_KIND
        if not search.hits:
            return Decision("decline", kind, 0.0, 0.0)
        x = features(search, self.vocab, self.glossary, self.cues)
        outcome, p_domain, p_answer = self.model.outcome(x, asks_kind=asked is not None)
        return Decision(outcome, kind, p_domain, p_answer)
