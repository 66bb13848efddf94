"""The answer engine: one object, opened once, that every front end asks."""

from __future__ import annotations

import logging
import threading
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Protocol

from bot.answer import messages as msg
from bot.answer.compose import Composer
from bot.answer.llm import Explainer
from bot.answer.model import Answer
from knowledge.answerability.judge import Decision, Judge
from knowledge.index import KnowledgeBase, open_knowledge
from knowledge.language import detect
from knowledge.retriever import HybridRetriever, Search
from knowledge.settings import Settings

log = logging.getLogger(__name__)
MAX_QUESTION = 1500  # characters; longer messages are asked to be shortened
CACHE_SIZE = 2048  # recent answers kept: groups and briefings repeat the same questions


def clean_question(raw: str) -> str:
    """The question without control and format characters (zero-width, NUL) or surrounding space."""
    kept = (ch for ch in raw if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    return " ".join("".join(kept).split())


MIN_LETTER_SHARE = 0.5  # below this share of letters a message is noise, not a question


def has_words(text: str) -> bool:
    """True if the message is mostly letters (not emoji, digits, punctuation or binary junk)."""
    visible = [ch for ch in text if not ch.isspace()]
    letters = sum(ch.isalpha() for ch in visible)
    return letters > 0 and letters >= MIN_LETTER_SHARE * len(visible)


class Decider(Protocol):
    """The answerability decision hook: answer, related (with the kind asked) or decline."""

    def decide(self, search: Search) -> Decision: ...


@dataclass(frozen=True)
class LexicalDecider:
    """Without vectors (embedder "none"): answer whenever a provision shares a term."""

    def decide(self, search: Search) -> Decision:
        found = bool(search.hits) and search.hits[0].lexical > 0
        return Decision("answer" if found else "decline", "other", float(found), float(found))


@dataclass
class Engine:
    """Retrieval plus composition; thread-safe for reads, cheap to call."""

    kb: KnowledgeBase
    retriever: HybridRetriever
    composer: Composer
    explainer: Explainer | None = None
    decider: Decider = field(default_factory=LexicalDecider)
    _cache: OrderedDict[str, Answer] = field(default_factory=OrderedDict, repr=False)
    _cache_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def open(cls, settings: Settings, build: bool = True) -> Engine:
        """Load the knowledge base (building the vector index on first use); LLM mode if configured."""
        kb = open_knowledge(settings, build=build)
        explainer = None
        if settings.llm_base_url and settings.llm_model:
            explainer = Explainer(
                settings.llm_base_url, settings.llm_model, settings.llm_api_key.get_secret_value(), settings.llm_timeout
            )
        decider: Decider = Judge.for_knowledge(kb) if kb.vectors is not None else LexicalDecider()
        return cls(kb, HybridRetriever(kb), Composer(kb), explainer, decider)

    def ask(self, question: str, qid: str | None = None) -> Answer:
        """Answer one question (cached by its cleaned text); bad input gets a clear message."""
        key = clean_question(question)
        with self._cache_lock:
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
        if cached is None:
            cached = self._answer(question)
            with self._cache_lock:
                self._cache[key] = cached
                while len(self._cache) > CACHE_SIZE:
                    self._cache.popitem(last=False)
        return cached.model_copy(update={"id": qid, "question": question}, deep=True)

    def _answer(self, question: str) -> Answer:
        text = clean_question(question)
        lang = detect(text)
        if not text:
            answer = Answer(question=question, language=lang, answered=False, answer=msg.EMPTY[lang])
        elif len(text) > MAX_QUESTION:
            reply = msg.TOO_LONG[lang].format(length=len(text), limit=MAX_QUESTION)
            answer = Answer(question=question, language=lang, answered=False, answer=reply)
        elif not has_words(text):
            answer = Answer(question=question, language=lang, answered=False, answer=msg.NOT_TEXT[lang])
        else:
            search = self.retriever.search(text)
            decision = self.decider.decide(search)
            if decision.outcome == "decline":
                answer = self.composer.decline(question, search.lang)
            elif decision.outcome == "related":
                answer = self.composer.related(question, search, decision.kind)
            else:
                answer = self.composer.compose(question, search)
                if self.explainer is not None and answer.answered:  # never explains a decline into an answer
                    cited = self.composer.cited_chunks(answer)
                    answer = self.explainer.explain(answer, cited, self.composer.quote_block)
        return answer
