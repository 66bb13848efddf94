"""The answer engine: one object, opened once, that every front end asks."""

from __future__ import annotations

import logging
import threading
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from typing import Protocol

from bot.answer.compose import Composer, RelatedKind
from bot.answer.llm import Explainer
from bot.answer.model import Answer, Language, Outcome
from bot.present.texts import text as texts
from knowledge.answerability.judge import Judge
from knowledge.index import KnowledgeBase, open_knowledge
from knowledge.language import detect
from knowledge.retriever import HybridRetriever, Search
from knowledge.settings import AnswerSettings, Calibration, Settings

log = logging.getLogger(__name__)


def clean_question(raw: str) -> str:
    """The question without control and format characters (zero-width, NUL) or surrounding space."""
    kept = (ch for ch in raw if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    return " ".join("".join(kept).split())


def has_words(text: str, min_letter_share: float = 0.5) -> bool:
    """True if the message is mostly letters (not emoji, digits, punctuation or binary junk)."""
    visible = [ch for ch in text if not ch.isspace()]
    letters = sum(ch.isalpha() for ch in visible)
    return letters > 0 and letters >= min_letter_share * len(visible)


@dataclass(frozen=True)
class Decision:
    """What to do with a search: answer it, list related provisions (with the kind), or decline."""

    outcome: Outcome
    kind: RelatedKind = "other"  # for "related": what kind of question the statutes do not answer


class Decider(Protocol):
    """Decides the outcome of a search; replaceable (e.g. by a trained classifier)."""

    def decide(self, search: Search) -> Decision: ...


@dataclass(frozen=True)
class ThresholdDecider:
    """Declines on weak evidence or when an out-of-scope prototype is about as close as the law.

    Thresholds per embedder (`Settings.answer.calibration`); BM25-only mode declines only when
    no word of the question is in the statutes.
    """

    calibration: Calibration
    dense: bool = True  # False when there are no vectors (EMBEDDER=none)

    def decide(self, search: Search) -> Decision:
        if not search.hits:
            return Decision("decline")
        if not self.dense:
            return Decision("answer" if search.hits[0].lexical > 0 else "decline")
        top = search.top_dense
        weak = top < self.calibration.floor or search.scope >= top - self.calibration.scope_margin
        return Decision("decline" if weak else "answer")


# The answerability model names kinds by its cues; the composer's names for them.
KIND_OF_CUE: dict[str, RelatedKind] = {
    "opinion": "opinion",
    "statistic": "statistic",
    "price": "price",
    "address": "contact",
    "news": "news",
    "history": "history",
    "prediction": "prediction",
    "judgment": "judgment",
}


@dataclass(frozen=True)
class ModelDecider:
    """The trained answerability model (`knowledge/answerability`), the default with vectors."""

    judge: Judge

    def decide(self, search: Search) -> Decision:
        decision = self.judge.decide(search)
        return Decision(decision.outcome, KIND_OF_CUE.get(decision.kind, "other"))


def default_decider(kb: KnowledgeBase, calibration: Calibration) -> Decider:
    """The trained model when there are vectors; BM25-only mode keeps the lexical rule."""
    if kb.vectors is None:
        return ThresholdDecider(calibration, dense=False)
    return ModelDecider(Judge.for_knowledge(kb))


@dataclass
class Engine:
    """Retrieval plus composition; thread-safe for reads, cheap to call."""

    kb: KnowledgeBase
    retriever: HybridRetriever
    composer: Composer
    explainer: Explainer | None = None
    decider: Decider | None = None  # None: the answerability model (the lexical rule without vectors)
    settings: AnswerSettings = field(default_factory=AnswerSettings)
    _cache: OrderedDict[str, Answer] = field(default_factory=OrderedDict, repr=False)
    _cache_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        if self.decider is None:
            self.decider = default_decider(self.kb, self.settings.calibration_for("e5"))

    @classmethod
    def open(cls, settings: Settings, build: bool = True) -> Engine:
        """Load the knowledge base (building the vector index on first use); LLM mode if configured."""
        kb = open_knowledge(settings, build=build)
        explainer = None
        if settings.llm_base_url and settings.llm_model:
            explainer = Explainer(
                settings.llm_base_url,
                settings.llm_model,
                settings.llm_api_key.get_secret_value(),
                settings.llm_timeout,
                settings.answer.llm_max_provisions,
            )
        decider = default_decider(kb, settings.calibration)
        retriever = HybridRetriever(kb, settings.retrieval)
        return cls(kb, retriever, Composer(kb, settings.answer), explainer, decider, settings.answer)

    def decide(self, search: Search) -> Decision:
        """The outcome for a search, by the replaceable decider."""
        assert self.decider is not None  # set in __post_init__
        return self.decider.decide(search)

    def ask(self, question: str, qid: str | None = None, lang: Language | None = None) -> Answer:
        """Answer one question (cached by its cleaned text); bad input gets a clear message.

        `lang` answers in that language whatever the question's (`ask --lang ru`).
        """
        key = f"{lang or ''}|{clean_question(question)}"
        with self._cache_lock:
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
        if cached is None:
            cached = self._answer(question, lang)
            with self._cache_lock:
                self._cache[key] = cached
                while len(self._cache) > self.settings.cache_size:
                    self._cache.popitem(last=False)
        return cached.model_copy(update={"id": qid, "question": question}, deep=True)

    def _answer(self, question: str, forced: Language | None = None) -> Answer:
        text = clean_question(question)
        lang = forced or detect(text)
        t = texts(lang)
        if not text:
            return self.composer.notice(question, lang, t.empty)
        if len(text) > self.settings.max_question:
            return self.composer.notice(
                question, lang, t.too_long.format(length=len(text), limit=self.settings.max_question)
            )
        if not has_words(text, self.settings.min_letter_share):
            return self.composer.notice(question, lang, t.no_words)
        search = self.retriever.search(text)
        if forced is not None:
            search = replace(search, lang=forced)
        decision = self.decide(search)
        if decision.outcome == "decline":
            return self.composer.decline(question, search.lang)
        if decision.outcome == "related":
            return self.composer.related(question, search, decision.kind)
        answer = self.composer.compose(question, search)
        if self.explainer is not None and answer.answered:  # never explains a decline into an answer
            explained = self.explainer.explain(question, answer.language, self.composer.cited_chunks(answer))
            if explained is not None:
                answer = self.composer.explained(answer, *explained)
        return answer
