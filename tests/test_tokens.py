"""Kazakh stemmer, tokens, language detection, transliteration and glossary expansion."""

from __future__ import annotations

import pytest

from knowledge.glossary import expand, load_glossary
from knowledge.language import detect
from knowledge.stem_kk import stem
from knowledge.tokens import fold_word, tokens
from knowledge.vocabulary import restore


@pytest.mark.parametrize(
    "forms",
    [
        ["көмекші", "көмекшілердің", "көмекшіге", "көмекшілер", "көмекшілерге"],
        ["волонтер", "волонтерлерді", "волонтерлер", "волонтерге", "волонтердің"],
        ["құқық", "құқығы", "құқықтары", "құқықтарын"],
        ["міндет", "міндеттері", "міндеттерін"],
        ["күш", "күшін", "күші"],
        ["жас", "жасқа", "жасына"],
    ],
)
def test_inflected_forms_meet_at_one_stem(forms: list[str]) -> None:
    assert len({stem(f) for f in forms}) == 1, {f: stem(f) for f in forms}


def test_stems_stay_distinct_for_different_words() -> None:
    assert stem("волонтерлерді") != stem("көмекшілердің")
    assert stem("ассамблеяның") != stem("атқарушы")


def test_every_form_of_the_statute_vocabulary_keeps_a_stem() -> None:
    for word in ("ақы", "жол", "бап", "тыйым", "ұйым"):
        assert len(stem(word)) >= min(3, len(word))


def test_lookalike_folding_only_inside_cyrillic_words() -> None:
    assert fold_word("мiндеттерi") == "міндеттері"
    assert fold_word("Police") == "police"


def test_tokens_per_language() -> None:
    assert tokens("Мне 17, могу стать общественным помощником?", "ru") == [
        "17",
        "мог",
        "стат",
        "обществен",
        "помощник",
    ]
    assert tokens("Can I use physical force?", "en") == ["use", "physic", "forc"]
    kk = tokens("Қоғамдық көмекшілердің іс-шараларға қатысуы", "kk")
    assert stem("көмекші") in kk
    assert "шар" in kk  # the part of a hyphenated word


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Волонтерге жол ақысын кім төлейді?", "kk"),
        ("облыстық ассамблеяны кім басқарады", "kk"),
        ("Могу ли я отказаться от задания?", "ru"),
        ("Can I use force to hold a thief?", "en"),
        ("Qogamdyq komekshi bola alamyn ba?", "kk"),
        ("Volonterge jol aqysyn kim töleidi?", "kk"),
    ],
)
def test_language_detection(text: str, lang: str) -> None:
    assert detect(text) == lang


def test_latin_kazakh_is_restored() -> None:
    assert restore("Qogamdyq komekshi").text == "Қоғамдық көмекші"
    assert restore("Volonterge jol aqysyn kim töleidi").text == "Волонтерге жол ақысын кім төлейді"


def test_glossary_expands_russian_and_english_terms() -> None:
    glossary = load_glossary()
    assert "қоғамдық көмекші" in expand("Может ли общественный помощник применять силу?", "ru", glossary)
    assert any("дене күші" in t for t in expand("Can I use physical force?", "en", glossary))
    assert any("кәмелетке толмаған" in t for t in expand("Я несовершеннолетний", "ru", glossary))
    assert expand("Қоғамдық көмекші кім?", "kk", glossary) == []


def test_every_glossary_term_occurs_in_a_statute(acts: dict[str, object]) -> None:
    from ingest.model import Act

    statute = " ".join(
        " ".join(tokens(p.search_text, "kk")) for act in acts.values() if isinstance(act, Act) for p in act.walk()
    )
    for term in load_glossary():
        first = tokens(term.kk, "kk")[0]
        assert first in statute.split(), term.kk
