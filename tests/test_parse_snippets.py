"""The parser on small made-up statutes: each shows one rule without reading a whole act.

The real-statute tests (`test_parse.py`) show the rules hold on the sources; these show
what each rule is, and fail with a short diff when one breaks.
"""

from __future__ import annotations

import pytest

from ingest.clean import clean
from ingest.errors import IngestError
from ingest.model import Act, ActMeta
from ingest.parse import parse

META = ActMeta(
    id="sample",
    file="sample.txt",
    kind="law",
    title="Үлгі туралы",
    title_ru="Об образце",
    title_en="On a Sample",
    number="1-I",
    date="2020-01-01",
    status="made up for tests",
)
HEAD = "Үлгі туралы\n\nҚазақстан Республикасының Заңы 2020 жылғы 1 қаңтардағы № 1-I.\n"
SIGN = "      Қазақстан Республикасының\nПрезиденті А. Бекұлы\n"


def act(body: str) -> Act:
    """Parse a made-up act: the title and header above, the signature below the body."""
    text = HEAD + body + SIGN
    return parse(clean(text, "sample.txt"), META, "0" * 64)


def test_an_article_with_paragraphs_and_subparagraphs() -> None:
    tree = act(
        "1-бап. Негізгі ұғымдар\n"
        "      1. Бірінші тармақ мәтіні.\n"
        "      2. Екінші тармақ мынадай:\n"
        "      1) бірінші тармақша;\n"
        "      2) екінші тармақша.\n"
    )
    (article,) = tree.articles()
    assert (article.num, article.heading) == ("1", "Негізгі ұғымдар")
    assert [(p.id, p.text) for p in article.children] == [
        ("art_1__para_1", "Бірінші тармақ мәтіні."),
        ("art_1__para_2", "Екінші тармақ мынадай:"),
    ]
    assert [s.id for s in article.children[1].children] == ["art_1__para_2__subpara_1", "art_1__para_2__subpara_2"]


def test_wrapped_lines_are_joined_and_the_words_kept() -> None:
    tree = act("1-бап. Мақсат\n      Бұл заң ұзын сөйлемді \nкелесі жолға жалғастырады.\n")
    assert tree.articles()[0].text == "Бұл заң ұзын сөйлемді келесі жолға жалғастырады."


def test_an_amendment_note_is_metadata_not_text() -> None:
    tree = act(
        "1-бап. Мақсат\n      Ескерту. 1-бапқа өзгеріс енгізілді - ҚР 01.02.2021 № 2-II Заңымен.\n      Мәтін.\n"
    )
    article = tree.articles()[0]
    assert article.notes and article.notes[0].startswith("Ескерту.")
    assert "Ескерту" not in article.text
    assert tree.amendment_dates() == ["01.02.2021"]


def test_a_chapter_groups_its_articles_and_a_hyphenated_number_is_an_article() -> None:
    tree = act("1-тарау. ЖАЛПЫ ЕРЕЖЕЛЕР\n1-бап. Бірінші\n      Мәтін бір.\n6-1-бап. Қосылған бап\n      Мәтін екі.\n")
    (chapter,) = tree.children
    assert chapter.kind == "chapter" and [a.num for a in chapter.children] == ["1", "6-1"]
    assert tree.article("6-1") is not None and tree.article("6-1").id == "art_6-1"  # type: ignore[union-attr]


def test_a_reference_to_subparagraphs_inside_a_sentence_stays_text() -> None:
    tree = act("1-бап. Сілтеме\n      1. Осы баптың\n1) және 2) тармақшаларында көзделген жағдайлар.\n")
    para = tree.articles()[0].children[0]
    assert para.children == [] and "1) және 2) тармақшаларында" in para.text


def test_a_title_that_is_not_the_catalogs_is_refused() -> None:
    with pytest.raises(IngestError, match="title"):
        parse(clean("Басқа атау\n\nМәтін.\n1-бап. Бап\n      Мәтін.\n" + SIGN, "sample.txt"), META, "0" * 64)
