"""The three outcomes on the real index: answer, related, decline; and a replaceable decision."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from bot.answer.model import Answer, Lead, Note, Pointer, Quote, RelatedProvision
from bot.engine import Decision, Engine
from bot.present.html import answer_messages, inline_card
from bot.present.replies import answer_reply
from knowledge.retriever import Search


@dataclass(frozen=True)
class AlwaysRelated:
    """A decider that calls every question an opinion: stands in for a trained classifier."""

    def decide(self, search: Search) -> Decision:
        return Decision("related", "opinion")


def test_an_answer_is_built_of_typed_blocks_that_reference_its_citations(engine: Engine) -> None:
    answer = engine.ask("Кто оплачивает проезд волонтёра?")
    assert answer.outcome == "answer" and answer.answered
    kinds = [type(b) for b in answer.blocks]
    assert kinds[:2] == [Lead, Quote] and Pointer in kinds and kinds[-1] is Note
    quote = answer.blocks[1]
    assert isinstance(quote, Quote) and quote.ref == answer.citations[0].ref
    assert engine.composer.chunk(quote.ref).quote == quote.text == answer.citations[0].quote
    assert Answer.model_validate_json(answer.model_dump_json()) == answer  # the JSON round-trips


def test_related_lists_the_closest_provisions_and_never_calls_them_the_answer(engine: Engine) -> None:
    question = "Что вы думаете о волонтёрах, хорошие ли это люди?"
    related = engine.composer.related(question, engine.retriever.search(question), "opinion")
    assert related.outcome == "related" and not related.answered
    assert related.citations and not any(isinstance(b, Quote) for b in related.blocks)
    assert all(isinstance(b, RelatedProvision) for b in related.blocks if isinstance(b, Quote | RelatedProvision))
    assert "мнение" in related.answer and "не ответ" in related.answer
    card = inline_card(related, 0)
    assert card is not None and card.startswith(related.blocks[0].text)  # type: ignore[union-attr]
    assert answer_reply(engine, related, "ru", "Tok3n-of-22-characters").buttons  # related provisions can be opened


def test_the_decision_is_replaceable(engine: Engine) -> None:
    custom = Engine(engine.kb, engine.retriever, engine.composer, decider=AlwaysRelated())
    answer = custom.ask("Who pays a volunteer's travel costs?")
    assert answer.outcome == "related" and answer.language == "en" and "an opinion" in answer.answer


def test_a_decline_offers_no_card_and_no_buttons(engine: Engine) -> None:
    declined = engine.ask("Какая погода завтра в Астане?")
    assert declined.outcome == "decline" and not declined.answered and not declined.citations
    assert inline_card(declined, 0) is None
    assert answer_reply(engine, declined, "ru", "Tok3n-of-22-characters").buttons == []
    assert answer_messages(declined)


def test_an_answer_object_without_an_outcome_takes_it_from_answered() -> None:
    legacy = {"question": "q", "language": "ru", "answer": "a", "citations": []}
    assert Answer.model_validate({**legacy, "answered": True}).outcome == "answer"
    assert Answer.model_validate({**legacy, "answered": False}).outcome == "decline"
    with pytest.raises(ValueError, match="contradicts"):
        Answer.model_validate({**legacy, "answered": True, "outcome": "related"})
