"""Cleaning is a pure function: whitespace, footer, boilerplate and watermark go; words stay."""

from __future__ import annotations

import pytest

from ingest.clean import CleanedSource, clean, normalise, repair_spacing
from ingest.errors import IngestError
from tests.conftest import no_space


def test_spaced_out_letters_are_closed_up() -> None:
    assert repair_spacing("ҚР БҒМ) д а й ы н д а д ы .") == "ҚР БҒМ) дайындады."
    assert repair_spacing("т о л ы қ  д е ң г е й д е  м а ғ л ұ м а т  а л у ы н ;") == (
        "толық деңгейде мағлұмат алуын;"
    )


def test_ordinary_text_keeps_its_spaces() -> None:
    line = "1) және 2) тармақтарының негізінде өздеріне қатысты"
    assert repair_spacing(line) == line
    assert repair_spacing("осы Заңның  сәйкес 4-бабына") == "осы Заңның сәйкес 4-бабына"


def test_search_copy_folds_latin_lookalikes() -> None:
    assert normalise("Үкiмет  i") == "Үкімет і"
    assert normalise("epeжeлepi") == "ережелері"


def test_wrapped_lines_and_page_breaks_are_joined() -> None:
    text = (
        "Title\n\nHeader\n1-бап. Бап\n      1. Бірінші сөйлем \nжалғасы (\nжоба) мен\n\n\n\nбағдарламаларын\n, ақыры.\n"
    )
    src = clean(text, "t.txt")
    assert [b.text for b in src.blocks] == [
        "1-бап. Бап",
        "1. Бірінші сөйлем жалғасы (жоба) мен бағдарламаларын, ақыры.",
    ]
    assert src.blocks[1].line == 5


def test_footer_boilerplate_and_watermark_are_dropped(cleaned: dict[str, CleanedSource]) -> None:
    for src in cleaned.values():
        body = "\n".join(b.text for b in src.blocks)
        assert "©" not in body
        assert "ШЖҚ РМК" not in body
        assert "Қолданушылар назарына!" not in body
        assert "МАЗМҰНЫ" not in body
    prevention = [b.text for b in cleaned["prevention"].blocks]
    start = prevention.index("2. Уәкілетті мемлекеттік органдар:")
    assert prevention[start + 1] == "1) қорғау нұсқамасы шығарылған адамды;"
    assert prevention[start + 2] == "2) мінез-құлқына ерекше талаптар белгіленген адамды;"
    assert not any("Отд" in t or "Дон" in t for t in prevention[start : start + 3])


def test_report_letter_spacing_is_repaired(cleaned: dict[str, CleanedSource]) -> None:
    body = " ".join(b.text for b in cleaned["protocol-report"].blocks)
    assert "(бұдан әрi - ҚР БҒМ) дайындады." in body
    assert "семинарлар мен тренингтерде таратылды." in body
    assert "д а й" not in body


def test_amendment_notes_stay_as_blocks(cleaned: dict[str, CleanedSource]) -> None:
    notes = [b for b in cleaned["volunteer"].blocks if b.text.startswith("Ескерту.")]
    assert len(notes) == 13
    six = next(b.text for b in notes if b.text.startswith("Ескерту. 6-бапқа"))
    assert six.endswith("20.04.2023 № 226-VII (01.07.2023 бастап қолданысқа енгізіледі) Заңдарымен.")


def test_cleaning_only_changes_whitespace(cleaned: dict[str, CleanedSource], raw_sources: dict[str, str]) -> None:
    for key, src in cleaned.items():
        raw = no_space(raw_sources[key])
        for block in src.blocks:
            assert no_space(block.text) in raw, (key, block.line)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("\n\n  \n", "empty"),
        ("Title only\n", "ends after its title"),
        ("T\n\nHeader\n", "no body"),
    ],
)
def test_bad_input_names_the_problem(text: str, message: str) -> None:
    with pytest.raises(IngestError, match=message) as err:
        clean(text, "bad.txt")
    assert err.value.file == "bad.txt"
    assert err.value.line >= 1
