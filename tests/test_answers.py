"""End to end on the real index: retrieval, the composers, the quote check, declining."""

from __future__ import annotations

import pytest

from bot.answer.verify import QuoteChecker
from bot.engine import Engine
from ingest.model import Act
from knowledge.lc import StatuteRetriever

PREVENTION = "Құқық бұзушылық профилактикасы туралы"
VOLUNTEER = "Волонтерлік қызмет туралы"


def _places(answer) -> list[tuple[str | None, str | None, str | None]]:  # type: ignore[no-untyped-def]
    return [(c.article, c.paragraph, c.subparagraph) for c in answer.citations]


def test_quote_check_rejects_fabrication(acts: dict[str, Act]) -> None:
    checker = QuoteChecker(list(acts.values()))
    real = "Волонтерлік қызметті он сегіз жасқа толған жеке тұлғалар жүзеге асыра алады."
    assert checker.verify(VOLUNTEER, real)
    assert checker.verify(VOLUNTEER, "Волонтердің: … 6) волонтерлік қызметті ұйымдастырушыдан")
    assert not checker.verify(VOLUNTEER, "Волонтерлік қызметті он алты жасқа толған жеке тұлғалар жүзеге асыра алады.")
    assert not checker.verify(PREVENTION, real)  # right words, wrong act
    assert not checker.verify("Жоқ акт", real)
    assert not checker.verify(VOLUNTEER, "   ")


def test_eligibility_walks_every_condition(engine: Engine) -> None:
    answer = engine.ask("Мне 17 лет. Могу ли я стать общественным помощником полиции?")
    assert answer.answered and answer.language == "ru"
    places = _places(answer)
    assert ("45", "5", "1") in places[:3]  # the point that decides, among the first three
    for sp in "12345":
        assert ("45", "5", sp) in places
    assert {("45", "2", None), ("45", "3", None), ("45", "4", None)} <= set(places)
    assert all(c.act == PREVENTION for c in answer.citations)
    assert "в течение семи рабочих дней" in answer.answer  # the official Russian text of art. 45 p. 4
    assert "Кого не допускают" in answer.answer


def test_force_composer(engine: Engine) -> None:
    answer = engine.ask("Can a public assistant use physical force to hold a thief?")
    assert answer.answered and answer.language == "en"
    assert set(_places(answer)) == {("46", "2", "9"), ("46", "4", "6"), ("46", "4", "7")}
    assert "Art. 46(2)(9)" in answer.answer
    assert "дене күшін және басқа да құралдарды қолдануға құқығы бар" in answer.answer


@pytest.mark.xfail(
    strict=True,
    reason="known miss: every volunteer word gets the glossary note 'волонтерлік қызмет' (the Kazakh stemmer "
    "reads волонтер and волонтерлік alike), which with 'міндет' ranks art. 4(2), the tasks of volunteer "
    "activity, above art. 12(4), the volunteer's duties",
)
def test_general_answer_in_kazakh(engine: Engine) -> None:
    answer = engine.ask("Волонтердің міндеттері қандай?")
    assert answer.answered and answer.language == "kk"
    assert answer.citations[0].act == VOLUNTEER
    assert answer.citations[0].article == "12"
    assert "12-бап, 4-тармақ" in answer.answer
    assert "/article волонтер 12" in answer.answer


def test_russian_users_see_russian_act_titles(engine: Engine) -> None:
    answer = engine.ask("Кто возглавляет Ассамблею народа Казахстана?")
    assert answer.answered
    assert "Об Ассамблее народа Казахстана" in answer.answer
    assert answer.citations[0].act == "Қазақстан халқы Ассамблеясы туралы"


@pytest.mark.parametrize(
    "question",
    [
        "Какой курс евро сегодня в обменниках Алматы?",
        "Write a limerick about penguins, please.",
        "Ертең Астанада қар жауа ма?",
    ],
)
def test_declines_what_the_statutes_do_not_answer(engine: Engine, question: str) -> None:
    answer = engine.ask(question)
    assert not answer.answered
    assert answer.citations == []
    assert any(s in answer.answer for s in ("ответа на этот вопрос нет", "do not answer", "жауап табылмады"))


def test_langchain_retriever(engine: Engine) -> None:
    docs = StatuteRetriever(retriever=engine.retriever, k=3).invoke("Кто платит за проезд волонтёра?")
    assert len(docs) == 3
    assert docs[0].metadata["act"] == VOLUNTEER
    assert {"article", "paragraph", "subparagraph", "score"} <= set(docs[0].metadata)
    assert docs[0].page_content
