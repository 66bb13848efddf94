"""The answer engine: one object, opened once, that every front end asks."""

from __future__ import annotations

import asyncio
import logging
import threading
import unicodedata
from collections import OrderedDict
from concurrent.futures import Executor
from dataclasses import dataclass, field

from bot.answer import messages as msg
from bot.answer.compose import Composer
from bot.answer.llm import Explainer
from bot.answer.model import Answer
from knowledge.index import KnowledgeBase, open_knowledge
from knowledge.language import detect
from knowledge.retriever import HybridRetriever, Search
from knowledge.settings import Settings

log = logging.getLogger(__name__)
MAX_QUESTION = 1500  # characters; longer messages are asked to be shortened
CACHE_SIZE = 2048  # recent answers kept: groups and briefings repeat the same questions
# Declining, calibrated on the dev set: below FLOOR nothing is close enough; a question whose
# nearest out-of-scope prototype is within SCOPE_MARGIN of its best provision is declined too.
FLOOR = 0.86
SCOPE_MARGIN = 0.01


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


@dataclass
class Engine:
    """Retrieval plus composition; thread-safe for reads, cheap to call."""

    kb: KnowledgeBase
    retriever: HybridRetriever
    composer: Composer
    explainer: Explainer | None = None
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
        return cls(kb, HybridRetriever(kb), Composer(kb), explainer)

    def declines(self, search: Search) -> bool:
        """True when the statutes do not answer: weak evidence or closer to out-of-scope."""
        if not search.hits:
            return True
        if self.kb.vectors is None:
            return search.hits[0].lexical <= 0
        top = search.top_dense
        return top < FLOOR or search.scope >= top - SCOPE_MARGIN

    def ask(self, question: str, qid: str | None = None) -> Answer:
        """Answer one question (cached by its cleaned text); bad input gets a clear message."""
        key = clean_question(question)
        answer = self._recall(key)
        if answer is None:
            answer, composed = self._extractive(question)
            if composed and self.explainer is not None:
                answer = self.explainer.explain(answer, self.composer.cited_chunks(answer), self.composer.quote_block)
            self._remember(key, answer)
        return answer.model_copy(update={"id": qid, "question": question}, deep=True)

    async def ask_async(self, question: str, qid: str | None = None, pool: Executor | None = None) -> Answer:
        """As `ask`, for an event loop: search in `pool` (no lock: the engine only reads), the LLM awaited."""
        key = clean_question(question)
        recalled = self._recall(key)
        if recalled is None:
            loop = asyncio.get_running_loop()
            answer, composed = await loop.run_in_executor(pool, self._extractive, question)
            if composed and self.explainer is not None:
                cited = self.composer.cited_chunks(answer)
                answer = await self.explainer.aexplain(answer, cited, self.composer.quote_block)
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

    def _remember(self, key: str, answer: Answer) -> None:
        with self._cache_lock:
            self._cache[key] = answer
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)

    def _extractive(self, question: str) -> tuple[Answer, bool]:
        """The extractive answer, and whether it was composed from provisions (an LLM may explain it)."""
        text = clean_question(question)
        lang = detect(text)
        if not text:
            return Answer(question=question, language=lang, answered=False, answer=msg.EMPTY[lang]), False
        if len(text) > MAX_QUESTION:
            reply = msg.TOO_LONG[lang].format(length=len(text), limit=MAX_QUESTION)
            return Answer(question=question, language=lang, answered=False, answer=reply), False
        if not has_words(text):
            return Answer(question=question, language=lang, answered=False, answer=msg.NOT_TEXT[lang]), False
        search = self.retriever.search(text)
        if self.declines(search):
            return self.composer.decline(question, search.lang), False
        return self.composer.compose(question, search), True
