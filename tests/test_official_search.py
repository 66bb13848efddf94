"""The official Russian texts are searched in their own words and offered only where current."""

from __future__ import annotations

import pytest

from bot.articles import article_view
from ingest.model import Act
from ingest.store import load_official_texts
from knowledge.chunks import Chunk, all_chunks
from knowledge.enrichment import load_enrichment
from knowledge.index import fingerprints, vector_docs
from knowledge.official import OfficialLexical, OfficialTexts, renderings
from tests.fakes import FakeEmbedder


@pytest.fixture(scope="module")
def kk_chunks(acts: dict[str, Act]) -> list[Chunk]:
    return all_chunks(list(acts.values()))


@pytest.fixture(scope="module")
def official(acts: dict[str, Act]) -> OfficialTexts:
    return OfficialTexts.build(list(acts.values()), load_official_texts())


def _top(lexical: OfficialLexical, chunks: list[Chunk], question: str) -> str:
    scores = lexical.scores(question)
    return chunks[int(scores.argmax())].key


def test_russian_words_find_the_kazakh_provision(kk_chunks: list[Chunk], official: OfficialTexts) -> None:
    lexical = OfficialLexical(kk_chunks, official)
    # inflected forms of the statute's own words: Snowball stemming meets them
    assert _top(lexical, kk_chunks, "положена ли волонтеру спецодежда и средства индивидуальной защиты") == (
        "volunteer/art_12__para_3__subpara_5"
    )
    assert _top(lexical, kk_chunks, "задержание правонарушителей с применением физической силы помощником") == (
        "prevention/art_46__para_2__subpara_9"
    )
    assert lexical.scores("where is the nearest police station").max() == 0.0


def test_out_of_date_articles_are_never_current(official: OfficialTexts, kk_chunks: list[Chunk]) -> None:
    stale = {"volunteer": {"9"}, "assembly": {"7", "9", "10", "14", "18"}}
    seen_stale = 0
    for chunk in kk_chunks:
        quote = official.get(chunk.key)
        if quote is None:
            continue
        if chunk.citation.article in stale.get(chunk.act_id, set()):
            seen_stale += 1
            assert official.current(chunk.key) is None, chunk.key
            assert quote.newer_kk, chunk.key
        else:
            assert official.current(chunk.key) is quote, chunk.key
    assert seen_stale >= 10
    assert official.get("protocol-report/report__art_6__para_18") is None  # no Russian text of the 2005 report


def test_vectors_embed_the_official_text_for_the_kazakh_chunk(kk_chunks: list[Chunk], official: OfficialTexts) -> None:
    docs = vector_docs(kk_chunks, load_enrichment(), official)
    russian = [d for d in docs if d.id.endswith("#official-ru")]
    assert len(russian) == sum(1 for c in kk_chunks if official.get(c.key) is not None)
    force = next(d for d in russian if d.target == "prevention/art_46__para_2__subpara_9")
    assert "физическую силу" in force.text
    assert not force.as_query
    # the Russian texts are their own unit of reuse: adding them leaves the Kazakh acts' vectors valid
    assert force.act == "prevention.ru"
    _, without = fingerprints(kk_chunks, load_enrichment(), FakeEmbedder())
    _, with_official = fingerprints(kk_chunks, load_enrichment(), FakeEmbedder(), official)
    assert {k: v for k, v in with_official.items() if "." not in k} == without
    assert sorted(k for k in with_official if "." in k) == ["assembly.ru", "prevention.ru", "volunteer.ru"]


def test_renderings_mark_only_current_official_texts(official: OfficialTexts, kk_chunks: list[Chunk]) -> None:
    enrichment = load_enrichment()
    current = renderings("volunteer/art_12__para_3__subpara_5", official, enrichment)
    assert [(r.lang, r.official, r.edition) for r in current] == [("ru", True, "2024-01-01"), ("en", False, None)]
    assert current[0].text.startswith("Волонтер имеет право на: … 5) получение спецодежды")
    stale = renderings("volunteer/art_9__subpara_1", official, enrichment)
    assert [(r.lang, r.official, r.edition) for r in stale] == [("ru", False, None), ("en", False, None)]
    assert stale[0].text == enrichment["volunteer/art_9__subpara_1"].ru
    report = renderings("protocol-report/intro__para_1", official, enrichment)
    assert [r.official for r in report] == [False, False]
    for chunk in kk_chunks:
        for r in renderings(chunk.key, official, enrichment):
            if r.official:
                assert r.text == official.get(chunk.key).quote  # type: ignore[union-attr]
                assert official.current(chunk.key) is not None


def test_article_view_official_only_where_current(acts: dict[str, Act], official: OfficialTexts) -> None:
    volunteer, assembly = acts["volunteer"], acts["assembly"]
    art12 = volunteer.article("12")
    assert art12 is not None
    current = article_view(volunteer, art12, "ru", official)
    assert current[:2] == ["О волонтерской деятельности", "Официальный текст на русском языке, редакция от 01.01.2024."]
    assert current[3] == "Статья 12. Волонтер"
    for act, num in ((volunteer, "9"), (assembly, "7"), (assembly, "18")):
        article = act.article(num)
        assert article is not None
        stale = article_view(act, article, "ru", official)
        assert "устарел" in stale[0]
        assert not any(line.startswith(f"Статья {num}.") for line in stale)
        assert f"{num}-бап. {article.heading}" in stale
    assert article_view(volunteer, art12, "kk", official)[2].startswith("12-бап.")
