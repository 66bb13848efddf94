"""Composing the extractive answer: lead, verbatim quotes with citations, a pointer.

Two questions get their own composers because the bot exists for them: may I become a
public assistant (Law on prevention of offences, art. 45) and what force may a public
assistant use (art. 46 p. 2 sp. 9, p. 4 sp. 6-7).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.answer import messages as msg
from bot.answer.model import Answer, CitedProvision, Language
from bot.answer.verify import QuoteChecker
from knowledge.chunks import Chunk
from knowledge.index import KnowledgeBase
from knowledge.retriever import Hit, Search

MAX_QUOTES = 3
PREVENTION = "prevention"
ELIGIBILITY_KEYS = {
    "apply": ["art_45__para_2"],
    "bars": [f"art_45__para_5__subpara_{n}" for n in range(1, 6)],
    "check": ["art_45__para_3", "art_45__para_4"],
    "end": [f"art_45__para_7__subpara_{n}" for n in range(1, 6)],
}
FORCE_KEYS = ["art_46__para_2__subpara_9", "art_46__para_4__subpara_6", "art_46__para_4__subpara_7"]
_ASSISTANT = re.compile(r"көмекш|помощник|помощниц|дружинник|assistant|helper", re.I)
_ELIGIBILITY = re.compile(
    r"стать|становл|могу ли|можно ли мне|возьмут|принимают|не примут|допуска|требовани|услови|кто может|"
    r"become|eligib|qualif|can i be|who can|allowed to join|join|"
    r"бола ал|болуға|боламын|бола ма|кім бола|алмайды|жіберілмейді|қабылда|шарт|талап",
    re.I,
)
_FORCE = re.compile(
    r"сил[уаыео]|силой|задерж|скрут|удар|force|restrain|detain|hold|grab|tackle|"
    r"күш|ұстап|ұстау|ұстай",
    re.I,
)


def is_eligibility_question(question: str, hits: list[Hit]) -> bool:
    """A question about becoming a public assistant, answered from art. 45."""
    in_45 = any(h.chunk.act_id == PREVENTION and h.chunk.citation.article == "45" for h in hits[:3])
    return bool(_ASSISTANT.search(question) and _ELIGIBILITY.search(question) and in_45)


def is_force_question(question: str, hits: list[Hit]) -> bool:
    """A question about the force a public assistant may use, answered from art. 46."""
    in_46 = any(h.chunk.act_id == PREVENTION and h.chunk.citation.article == "46" for h in hits[:3])
    return bool(_FORCE.search(question) and in_46)


class Composer:
    """Builds answers from searches; verifies every quote against the act texts."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.checker = QuoteChecker(kb.acts)
        self._titles = {a.meta.id: a.meta for a in kb.acts}
        self._by_quote = {(self._titles[c.act_id].title, c.quote): c for c in kb.chunks}

    def cited_chunks(self, answer: Answer) -> list[Chunk]:
        """The chunks an answer quotes, in its citation order."""
        return [c for cit in answer.citations if (c := self._by_quote.get((cit.act, cit.quote)))]

    def quote_block(self, chunk: Chunk, lang: Language) -> str:
        """A verbatim quote with its act and citation in the user's language."""
        return self._quote_block(chunk, lang)

    # building blocks -------------------------------------------------------------------
    def _cite(self, chunk: Chunk, score: float) -> CitedProvision | None:
        meta = self._titles[chunk.act_id]
        if not self.checker.verify(meta.title, chunk.quote):
            return None
        c = chunk.citation
        return CitedProvision(
            act=meta.title,
            article=c.article,
            paragraph=c.paragraph,
            subparagraph=c.subparagraph,
            quote=chunk.quote,
            score=round(score, 4),
        )

    def _act_name(self, act_id: str, lang: Language) -> str:
        meta = self._titles[act_id]
        return meta.title_in(lang)

    def _quote_block(self, chunk: Chunk, lang: Language) -> str:
        place = chunk.citation.format(lang)
        return f"«{chunk.quote}»\n— {self._act_name(chunk.act_id, lang)}, {place}"

    def _pointer(self, chunk: Chunk, lang: Language) -> str:
        if chunk.citation.article is None or chunk.act_id == "protocol-report":
            return ""
        word = {"volunteer": "волонтер", "prevention": "профилактика", "assembly": "Ассамблея"}.get(
            chunk.act_id, chunk.act_id
        )
        return msg.FULL_ARTICLE[lang].format(act_word=word, article=chunk.citation.article)

    def _lead(self, chunk: Chunk, lang: Language) -> str:
        meta = self._titles[chunk.act_id]
        kinds = msg.ACT_KIND[meta.kind]
        return msg.LEAD[lang].format(
            act=self._act_name(chunk.act_id, lang),
            kind=kinds["kk"],
            kind_ru=kinds["ru"],
            kind_en=kinds["en"],
            citation=chunk.citation.format(lang),
        )

    # answers ---------------------------------------------------------------------------
    def decline(self, question: str, lang: Language) -> Answer:
        """The honest "the statutes do not answer this" with what the bot can answer."""
        return Answer(
            question=question,
            language=lang,
            answered=False,
            answer=f"{msg.CANNOT_ANSWER[lang]}\n\n{msg.CAN_ANSWER[lang]}",
        )

    def related(self, question: str, search: Search, kind: str) -> Answer:
        """In the statutes' subject but not answered by them: say so and what kind of thing was
        asked, then quote the closest provisions as related ones, never as the answer."""
        lang = search.lang
        verified = [
            (hit.chunk, cited)
            for hit in hits_by_key(search.hits)[:MAX_QUOTES]
            if (cited := self._cite(hit.chunk, hit.score))
        ]
        asked = msg.ASKED_KIND.get(kind, msg.ASKED_KIND["other"])[lang]
        parts = [msg.NOT_IN_STATUTES[lang].format(kind=asked)]
        if verified:
            parts.append(msg.RELATED_HEAD[lang])
            parts += [self._quote_block(chunk, lang) for chunk, _ in verified]
        parts.append(msg.DISCLAIMER[lang])
        return Answer(
            question=question,
            language=lang,
            answered=False,
            outcome="related",
            answer="\n\n".join(parts),
            citations=[cited for _, cited in verified],
        )

    def compose(self, question: str, search: Search) -> Answer:
        """The best answer for the search: a dedicated composer or the general one."""
        hits = search.hits
        if is_force_question(search.question, hits):
            return self._grouped(question, search, {"force": FORCE_KEYS}, msg.FORCE_LEAD)
        if is_eligibility_question(search.question, hits):
            return self._grouped(question, search, ELIGIBILITY_KEYS, msg.ELIGIBILITY_LEAD)
        return self._general(question, search)

    def _general(self, question: str, search: Search) -> Answer:
        """Lead, the best provisions quoted (only those whose quote verifies), a pointer."""
        lang = search.lang
        verified = [
            (hit.chunk, cited)
            for hit in hits_by_key(search.hits)[:MAX_QUOTES]
            if (cited := self._cite(hit.chunk, hit.score))
        ]
        if not verified:
            return self.decline(question, lang)
        shown = [chunk for chunk, _ in verified]
        citations = [cited for _, cited in verified]
        best = shown[0]
        parts = [self._lead(best, lang), self._quote_block(best, lang)]
        if len(shown) > 1:
            parts.append(msg.ALSO[lang])
            parts += [self._quote_block(chunk, lang) for chunk in shown[1:]]
        pointer = self._pointer(best, lang)
        parts += [p for p in (pointer, msg.DISCLAIMER[lang]) if p]
        return Answer(question=question, language=lang, answered=True, answer="\n\n".join(parts), citations=citations)

    def force(self, question: str, lang: Language) -> Answer:
        """The use-of-force answer without a search (the /force command)."""
        return self._grouped(question, Search(question, lang), {"force": FORCE_KEYS}, msg.FORCE_LEAD)

    def _grouped(self, question: str, search: Search, groups: dict[str, list[str]], lead: dict[str, str]) -> Answer:
        """Walk every condition of the relevant points; retrieved ones are cited first."""
        lang = search.lang
        wanted = [f"{PREVENTION}/{pid}" for keys in groups.values() for pid in keys]
        ranked = [h.chunk.key for h in search.hits if h.chunk.key in wanted]
        order = ranked + [k for k in wanted if k not in ranked]
        score_of = {h.chunk.key: h.score for h in search.hits}
        citations = [c for key in order if (c := self._cite(self.kb.by_key[key], score_of.get(key, 0.0)))]
        parts = [lead[lang]]
        for name, keys in groups.items():
            blocks = [self._quote_block(self.kb.by_key[f"{PREVENTION}/{k}"], lang) for k in keys]
            title = msg.ELIGIBILITY_SECTIONS.get(name, {}).get(lang)
            parts += ([title] if title else []) + blocks
        parts.append(self._pointer(self.kb.by_key[order[0]], lang))
        parts.append(msg.DISCLAIMER[lang])
        return Answer(question=question, language=lang, answered=True, answer="\n\n".join(parts), citations=citations)


def hits_by_key(hits: Iterable[Hit]) -> list[Hit]:
    """Hits without repeats of the same provision, best first."""
    seen: set[str] = set()
    out = []
    for hit in hits:
        if hit.chunk.key not in seen:
            seen.add(hit.chunk.key)
            out.append(hit)
    return out
