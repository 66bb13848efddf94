"""The answer engine: one object, opened once, that every front end asks."""

from __future__ import annotations

import asyncio
import logging
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Iterable
from concurrent.futures import Executor
from dataclasses import dataclass, field, replace
from typing import Protocol

from bot.answer.compose import Composer, RelatedKind
from bot.answer.llm import Explainer
from bot.answer.model import Answer, Language, Outcome
from bot.present.texts import text as texts
from knowledge.answerability.judge import Judge
from knowledge.chunks import Chunk
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
        answer = self._recall(key)
        if answer is None:
            answer, composed = self._extractive(question, lang)
            if composed and self.explainer is not None:
                cited = self.composer.cited_chunks(answer)
                answer = self._explained(answer, self.explainer.explain(question, answer.language, cited))
            self._remember(key, answer)
        return answer.model_copy(update={"id": qid, "question": question}, deep=True)

    async def ask_async(
        self, question: str, qid: str | None = None, lang: Language | None = None, pool: Executor | None = None
    ) -> Answer:
        """As `ask`, for an event loop: search in `pool` (no lock: the engine only reads), the LLM awaited."""
        key = f"{lang or ''}|{clean_question(question)}"
        recalled = self._recall(key)
        if recalled is None:
            loop = asyncio.get_running_loop()
            answer, composed = await loop.run_in_executor(pool, self._extractive, question, lang)
            if composed and self.explainer is not None:
                cited = self.composer.cited_chunks(answer)
                answer = self._explained(answer, await self.explainer.aexplain(question, answer.language, cited))
            self._remember(key, answer)
        else:
            answer = recalled
        return answer.model_copy(update={"id": qid, "question": question}, deep=True)

    def _recall(self, key: str) -> Answer | None:
        with self._cache_lock:
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
            return cached

    def forget(self, questions: Iterable[str]) -> None:
        """Drop these questions' answers from the cache (a cached answer holds its first asker's text)."""
        cleaned = {clean_question(q) for q in questions}
        with self._cache_lock:
            for key in [k for k in self._cache if k.partition("|")[2] in cleaned]:  # keys are "<lang>|<question>"
                del self._cache[key]

    def _remember(self, key: str, answer: Answer) -> None:
        with self._cache_lock:
            self._cache[key] = answer
            while len(self._cache) > self.settings.cache_size:
                self._cache.popitem(last=False)

    def _explained(self, answer: Answer, explained: tuple[str, list[Chunk]] | None) -> Answer:
        return answer if explained is None else self.composer.explained(answer, *explained)

    def _extractive(self, question: str, forced: Language | None = None) -> tuple[Answer, bool]:
        """The extractive answer, and whether it answers from provisions (so an LLM may explain it)."""
        text = clean_question(question)
        lang = forced or detect(text)
        t = texts(lang)
        if not text:
            return self.composer.notice(question, lang, t.empty), False
        if len(text) > self.settings.max_question:
            too_long = t.too_long.format(length=len(text), limit=self.settings.max_question)
            return self.composer.notice(question, lang, too_long), False
        if not has_words(text, self.settings.min_letter_share):
            return self.composer.notice(question, lang, t.no_words), False
        search = self.retriever.search(text)
        if forced is not None:
            search = replace(search, lang=forced)
        decision = self.decide(search)
        if decision.outcome == "decline":
            return self.composer.decline(question, search.lang), False
        if decision.outcome == "related":
            return self.composer.related(question, search, decision.kind), False
        return self.composer.compose(question, search), True
