"""Composing answers as typed blocks: lead, verbatim quotes with citations, a pointer.

Three outcomes (DESIGN §2): `compose` answers from the best provisions, `related` says the
statutes do not answer this kind of question and lists the closest provisions as related,
`decline` says what the bot can answer. Two questions get walks over every condition because
the bot exists for them (`knowledge/topics.toml`): may I become a public assistant (art. 45)
and what force may a public assistant use (art. 46).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from bot.answer.model import (
    Answer,
    Block,
    CitedProvision,
    Explanation,
    Language,
    Lead,
    Note,
    Outcome,
    Pointer,
    ProvisionRef,
    Quote,
    RelatedProvision,
)
from bot.answer.translate import Translator
from bot.answer.verify import QuoteChecker
from bot.present.text import render_text
from bot.present.texts import text
from knowledge.chunks import Chunk
from knowledge.index import KnowledgeBase
from knowledge.retriever import Hit, Search
from knowledge.settings import AnswerSettings
from knowledge.topics import Topic, load_topics

# Kinds of question the statutes never answer although their subject is the statutes'.
RelatedKind = Literal["opinion", "statistic", "price", "contact", "news", "history", "prediction", "judgment", "other"]


def ref_of(chunk: Chunk) -> ProvisionRef:
    """The typed reference of a chunk."""
    return ProvisionRef(act_id=chunk.act_id, node_id=chunk.provision_id)


def in_article(hits: list[Hit], topic: Topic) -> bool:
    """True when one of the three best hits is in the topic's article."""
    return any(h.chunk.act_id == topic.act and h.chunk.citation.article == topic.article for h in hits[:3])


class Composer:
    """Builds answers from searches; verifies every quote against the act texts."""

    def __init__(self, kb: KnowledgeBase, settings: AnswerSettings | None = None) -> None:
        self.kb = kb
        self.settings = settings or AnswerSettings()
        self.topics = load_topics()
        self.checker = QuoteChecker(kb.acts, self.settings.min_quote_piece)
        self.translator = Translator(kb, self.settings.min_quote_piece)
        self._meta = {a.meta.id: a.meta for a in kb.acts}

    # references ------------------------------------------------------------------------
    def chunk(self, ref: ProvisionRef) -> Chunk:
        """The chunk a reference names (KeyError for an unknown provision)."""
        return self.kb.by_key[ref.key]

    def cited_chunks(self, answer: Answer) -> list[Chunk]:
        """The chunks an answer cites, in its citation order."""
        return [self.kb.by_key[c.ref.key] for c in answer.citations if c.ref and c.ref.key in self.kb.by_key]

    # blocks ----------------------------------------------------------------------------
    def quote(self, chunk: Chunk, lang: Language, translate: bool = True) -> Quote:
        """A verbatim quote with its act and citation in the user's language, and its translations.

        With `translate`, a Russian reader sees the official Russian text where it is current,
        and Russian and English readers see an unofficial translation beside the Kazakh elsewhere.
        """
        meta = self._meta[chunk.act_id]
        translations = self.translator.translations(chunk)
        display = self.translator.display(chunk, translations, lang) if translate else None
        return Quote(
            ref=ref_of(chunk),
            text=chunk.quote,
            act_title=meta.title_in(lang),
            place=chunk.citation.format(lang),
            translations=translations,
            shown=display.shown if display else None,
            source_note=display.source_note if display else None,
            shown_label=display.shown_label if display else None,
        )

    def related_provision(self, chunk: Chunk, lang: Language) -> RelatedProvision:
        """A verbatim quote of a provision shown as related, not as the answer."""
        q = self.quote(chunk, lang)
        return RelatedProvision(**q.model_dump(exclude={"kind"}))

    def pointer(self, chunk: Chunk, lang: Language) -> Pointer | None:
        """`/article <word> <n>` for the chunk's article; None where the act has no command."""
        command = self._meta[chunk.act_id].command
        if chunk.citation.article is None or command is None:
            return None
        return Pointer(label=text(lang).full_article, command=f"/article {command} {chunk.citation.article}")

    def _lead(self, chunk: Chunk, lang: Language) -> Lead:
        meta = self._meta[chunk.act_id]
        t = text(lang)
        return Lead(
            text=t.lead.format(
                act=meta.title_in(lang), kind=t.act_kind[meta.kind], citation=chunk.citation.format(lang)
            )
        )

    def _cite(self, chunk: Chunk, score: float) -> CitedProvision | None:
        meta = self._meta[chunk.act_id]
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
            translations=self.translator.translations(chunk),
            ref=ref_of(chunk),
        )

    def _verified(self, hits: Iterable[Hit]) -> list[tuple[Chunk, CitedProvision]]:
        """The best distinct provisions whose quotes verify, at most `max_quotes`."""
        return [
            (hit.chunk, cited)
            for hit in hits_by_key(hits)[: self.settings.max_quotes]
            if (cited := self._cite(hit.chunk, hit.score))
        ]

    @staticmethod
    def finish(
        question: str,
        lang: Language,
        outcome: Outcome,
        blocks: list[Block],
        citations: list[CitedProvision] | None = None,
    ) -> Answer:
        """An answer from its blocks; the text field is their plain-text rendering."""
        return Answer(
            question=question,
            language=lang,
            answered=outcome == "answer",
            outcome=outcome,
            answer=render_text(blocks),
            blocks=blocks,
            citations=citations or [],
        )

    # the three outcomes ----------------------------------------------------------------
    def decline(self, question: str, lang: Language) -> Answer:
        """The honest "the statutes do not answer this" with what the bot can answer."""
        t = text(lang)
        return self.finish(question, lang, "decline", [Lead(text=t.cannot_answer), Note(text=t.can_answer)])

    def notice(self, question: str, lang: Language, message: str) -> Answer:
        """A declined message that is not a question (empty, too long, no words)."""
        return self.finish(question, lang, "decline", [Lead(text=message)])

    def related(self, question: str, search: Search, kind: RelatedKind) -> Answer:
        """The statutes cover the subject but not this kind of question: the closest provisions."""
        lang = search.lang
        verified = self._verified(search.hits)
        if not verified:
            return self.decline(question, lang)
        t = text(lang)
        blocks: list[Block] = [Lead(text=t.related_lead.format(kind=t.related_kinds[kind]))]
        blocks += [self.related_provision(chunk, lang) for chunk, _ in verified]
        blocks += [p for p in (self.pointer(verified[0][0], lang),) if p]
        blocks.append(Note(text=t.disclaimer))
        return self.finish(question, lang, "related", blocks, [c for _, c in verified])

    def compose(self, question: str, search: Search) -> Answer:
        """The best answer for the search: a walk over a topic or the general answer."""
        hits = search.hits
        force, eligibility = self.topics.force, self.topics.eligibility
        if force.cued(search.question) and in_article(hits, force):
            return self._walk(question, search, force)
        if eligibility.cued(search.question) and in_article(hits, eligibility):
            return self._walk(question, search, eligibility)
        return self._general(question, search)

    def force(self, question: str, lang: Language) -> Answer:
        """The use-of-force answer without a search (the /force command)."""
        return self._walk(question, Search(question, lang), self.topics.force)

    def explained(self, answer: Answer, explanation: str, cited: list[Chunk]) -> Answer:
        """The answer with a verified explanation, then the quotes of exactly what it cites."""
        lang = answer.language
        t = text(lang)
        blocks: list[Block] = [Explanation(label=t.explanation_label, text=explanation)]
        blocks += [self.quote(chunk, lang) for chunk in cited]
        blocks.append(Note(text=t.disclaimer))
        update = {"answer": render_text(blocks), "blocks": blocks, "mode": "llm", "explanation": explanation}
        return answer.model_copy(update=update)

    # composers -------------------------------------------------------------------------
    def _general(self, question: str, search: Search) -> Answer:
        """Lead, the best provisions quoted (only those whose quote verifies), a pointer."""
        lang = search.lang
        verified = self._verified(search.hits)
        if not verified:
            return self.decline(question, lang)
        best = verified[0][0]
        blocks: list[Block] = [self._lead(best, lang), self.quote(best, lang)]
        if len(verified) > 1:
            blocks.append(Note(text=text(lang).also, heading=True))
            blocks += [self.related_provision(chunk, lang) for chunk, _ in verified[1:]]
        blocks += [p for p in (self.pointer(best, lang),) if p]
        blocks.append(Note(text=text(lang).disclaimer))
        return self.finish(question, lang, "answer", blocks, [c for _, c in verified])

    def _walk(self, question: str, search: Search, topic: Topic) -> Answer:
        """Walk every condition of the topic's provisions; retrieved ones are cited first."""
        lang = search.lang
        wanted = topic.keys()
        ranked = [h.chunk.key for h in search.hits if h.chunk.key in wanted]
        order = ranked + [k for k in wanted if k not in ranked]
        score_of = {h.chunk.key: h.score for h in search.hits}
        citations = [c for key in order if (c := self._cite(self.kb.by_key[key], score_of.get(key, 0.0)))]
        blocks: list[Block] = [Lead(text=topic.lead[lang])]
        for section in topic.section:
            if title := section.title.get(lang):
                blocks.append(Note(text=title, heading=True))
            blocks += [self.quote(self.kb.by_key[f"{topic.act}/{pid}"], lang) for pid in section.provisions]
        blocks += [p for p in (self.pointer(self.kb.by_key[order[0]], lang),) if p]
        blocks.append(Note(text=text(lang).disclaimer))
        return self.finish(question, lang, "answer", blocks, citations)


def hits_by_key(hits: Iterable[Hit]) -> list[Hit]:
    """Hits without repeats of the same provision, best first."""
    seen: set[str] = set()
    out = []
    for hit in hits:
        if hit.chunk.key not in seen:
            seen.add(hit.chunk.key)
            out.append(hit)
    return out
