"""Citations print in three languages and parse back to the same value."""

from __future__ import annotations

import pytest

from ingest.citation import Citation

CASES = [
    (Citation("46", "2", "9"), "46-бап, 2-тармақ, 9) тармақша", "ст. 46, п. 2, пп. 9)", "Art. 46(2)(9)"),
    (Citation("6-1"), "6-1-бап", "ст. 6-1", "Art. 6-1"),
    (Citation("13", None, "10"), "13-бап, 10) тармақша", "ст. 13, пп. 10)", "Art. 13, item 10)"),
    (Citation(None, "2"), "2-тармақ", "п. 2", "para. 2"),
    (
        Citation("12", "2-1", "2"),
        "12-бап, 2-1-тармақ, 2) тармақша",
        "ст. 12, п. 2-1, пп. 2)",
        "Art. 12(2-1)(2)",
    ),
]


@pytest.mark.parametrize(("citation", "kk", "ru", "en"), CASES)
def test_prints_in_each_language(citation: Citation, kk: str, ru: str, en: str) -> None:
    assert (citation.format("kk"), citation.format("ru"), citation.format("en")) == (kk, ru, en)


@pytest.mark.parametrize("citation", [c[0] for c in CASES])
@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_round_trips(citation: Citation, lang: str) -> None:
    assert Citation.parse(citation.format(lang)) == citation  # type: ignore[arg-type]


def test_every_combination_round_trips() -> None:
    nums = [None, "1", "7-2"]
    for a in nums:
        for p in nums:
            for s in nums:
                if a is p is s is None:
                    continue
                c = Citation(a, p, s)
                for lang in ("kk", "ru", "en"):
                    assert Citation.parse(c.format(lang)) == c, (c, lang)  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["", "бап", "ст. x", "Art. (2)(3)x", "46"])
def test_rejects_non_citations(text: str) -> None:
    with pytest.raises(ValueError, match="not a citation"):
        Citation.parse(text)
