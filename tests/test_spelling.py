"""Kazakh as people type it: folding, restoration from the statutes, detection, folded search."""

from __future__ import annotations

import pytest

from knowledge.glossary import expand, load_glossary
from knowledge.language import detect, read
from knowledge.lexical import Bm25
from knowledge.spelling import SPELLINGS, Spelling, fold_key, fold_keys, latin_spelling, respell
from knowledge.tokens import folded_token, tokens
from knowledge.vocabulary import restore, vocabulary

# Statute words, in proper Cyrillic, that every spelling must restore.
STATUTE_WORDS = [
    "қоғамдық",
    "көмекші",
    "құқық",
    "бұзушылық",
    "өтініш",
    "жергілікті",
    "қолдануға",
    "тыйым",
    "кәмелетке",
    "үйлестіруші",
    "сыйақы",
    "міндетті",
]

# The same words as people type them by hand, one list per spelling.
TYPED = {
    "simplified": {"когамдык": "қоғамдық", "комекши": "көмекші", "кукык": "құқық", "отиниш": "өтініш"},
    "latin2017": {"qog'amdyq": "қоғамдық", "ko'meks'i": "көмекші", "qu'qyq": "құқық", "o'tinis'": "өтініш"},
    "latin2018": {"Qoǵamdyq": "Қоғамдық", "kómekshi": "көмекші", "quqyq": "құқық", "tyıym": "тыйым"},
    "latin2021": {"qoğamdıq": "қоғамдық", "kömekşi": "көмекші", "ötiniş": "өтініш", "tyiym": "тыйым"},
    "ascii": {"qogamdyq": "қоғамдық", "komekshi": "көмекші", "zhergilikti": "жергілікті", "kameletke": "кәмелетке"},
}


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_every_spelling_of_statute_words_is_restored(spelling: Spelling) -> None:
    typed = [respell(w, spelling) for w in STATUTE_WORDS]
    assert typed != STATUTE_WORDS
    assert restore(" ".join(typed)).text.split() == STATUTE_WORDS


@pytest.mark.parametrize("spelling", sorted(TYPED))
def test_hand_typed_words_are_restored(spelling: str) -> None:
    for typed, proper in TYPED[spelling].items():
        assert restore(typed).text == proper, typed


def test_every_spelling_folds_to_the_same_key() -> None:
    for word in ["Қоғамдық", "көмекшілердің", "жасөспірімдерге", "ұйымдастырушы", "шешім"]:
        keys = {fold_key(word)} | {k for s in SPELLINGS for k in fold_keys(respell(word, s))}
        assert fold_key(word) in {k for s in SPELLINGS for k in fold_keys(respell(word, s))}
        assert len({fold_key(respell(word, s)) for s in ("simplified", "latin2018", "latin2021")}) == 1, keys


def test_which_latin_alphabet() -> None:
    assert latin_spelling("Qoğamdıq kömekşi") == "latin2021"
    assert latin_spelling("Qoǵamdyq kómekshi") == "latin2018"
    assert latin_spelling("qog'amdyq ko'meks'i") == "latin2017"
    assert latin_spelling("qogamdyq komekshi") == "ascii"


def test_sentence_keeps_case_punctuation_and_numbers() -> None:
    assert restore("Когамдык комекши 17 жаста бола ма?").text == "Қоғамдық көмекші 17 жаста бола ма?"


def test_unknown_words_are_reported_and_harmonised() -> None:
    restored = restore("тызгырзык")  # no such word: back vowels, so к and г become қ and ғ
    assert restored.unknown == ("тызгырзык",)
    assert restored.text == "тызғырзық"


@pytest.mark.parametrize(
    "question",
    [
        "Ким когамдык комекши бола алмайды?",
        "Волонтерге жол акысын ким толейди?",
        "Мен он жети жастамын, комекши бола аламын ба?",
        "Когамдык комекшиге кушти колдануга бола ма",
        "kim qogamdyq komekshi bola almaidy?",
        "Volonterge jol aqysyn kim töleidi?",
        "Qoǵamdyq kómekshi kúsh qoldana ala ma?",
    ],
)
def test_kazakh_without_its_letters_or_in_latin_is_kazakh(question: str) -> None:
    assert detect(question) == "kk"


@pytest.mark.parametrize(
    ("question", "lang"),
    [
        ("Кто может стать общественным помощником полиции?", "ru"),
        ("Мне 17 лет, можно ли мне стать волонтером?", "ru"),
        ("Может ли кол быть орудием самообороны?", "ru"),
        ("Can a volunteer be paid by a fund?", "en"),
        ("Is a public assistant allowed to use handcuffs on me?", "en"),
        ("Who pays for my bus ticket to the event?", "en"),
    ],
)
def test_restoration_never_changes_russian_or_english(question: str, lang: str) -> None:
    reading = read(question)
    assert reading.lang == lang
    assert reading.text == question and reading.unknown == ()


def test_proper_kazakh_is_left_as_it_is() -> None:
    question = "Қоғамдық көмекшілердің құқықтары мен міндеттері қандай?"
    assert read(question).text == question


def test_vocabulary_comes_from_the_statutes() -> None:
    vocab = vocabulary()
    assert vocab.best[fold_key("көмекші")] == "көмекші"
    assert "помощник" in vocab.ru and "volunteer" in vocab.en


def test_folded_tokens_meet_every_spelling() -> None:
    word = "көмекшілеріміздің"
    assert {folded_token(respell(word, s)) for s in SPELLINGS} == {folded_token(word)}


def test_folded_forms_do_not_change_proper_scores() -> None:
    docs = ["Қоғамдық көмекшілер құқықтық даярлықтан өтуге міндетті", "Волонтер өтініш береді", "Бала құқықтары"]
    plain = Bm25([tokens(d, "kk") for d in docs])
    folded = Bm25([tokens(d, "kk", folded=True) for d in docs])
    query = tokens("көмекші даярлық", "kk")
    assert plain.scores(query).tolist() == folded.scores(query).tolist()
    assert folded.scores([folded_token("komekshilerdin")]).argmax() == 0


def test_colloquial_kazakh_reaches_statute_terms() -> None:
    glossary = load_glossary()
    assert any("тәртіптің" in t for t in expand("Түнгі рейдке шықсам не істеймін?", "kk", glossary))
    assert any("даярлық" in t for t in expand("Көмекшілерге арналған курс қай жерде өтеді?", "kk", glossary))
    assert any("шығарады" in t for t in expand("Мені тізімнен шығарып тастай ма?", "kk", glossary))
    assert "әкімшілік жаза" in expand("Маған штраф салынған, бола ма?", "kk", glossary)


def test_russian_loanwords_keep_their_letters_and_take_kazakh_endings() -> None:
    assert restore("Маган штрафка жазды").text == "Маған штрафқа жазды"
    assert restore("справка керек пе").text == "справка керек пе"


def test_unknown_front_words_change_o_and_u_only_in_the_first_syllable() -> None:
    assert restore("тусинбеймин").text == "түсінбеймін"


@pytest.mark.parametrize(
    "question",
    [
        "Когамдык комекши урыны устау ушин куш колдана ала ма?",
        "qogamdyq komekshi uryny ustau ushin kush qoldana ala ma?",
        "Qoğamdıq kömekşi ūrını ūstau üşin küş qoldana ala ma?",
    ],
)
def test_kazakh_in_any_spelling_is_answered_in_kazakh(engine, question: str) -> None:  # type: ignore[no-untyped-def]
    answer = engine.ask(question)
    assert answer.answered and answer.language == "kk"
    assert ("46", "2", "9") in [(c.article, c.paragraph, c.subparagraph) for c in answer.citations[:3]]
    assert "46-бап" in answer.answer
