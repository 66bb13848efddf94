"""Answers quote the law in the asker's language: official Russian only where current, labelled otherwise."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from bot.answer.model import Answer, Quote, RelatedProvision
from bot.engine import Engine
from bot.present.html import answer_messages
from bot.present.replies import answer_reply, article_reply
from bot.present.text import render_text
from ingest.store import SOURCES_DIR, load_official_catalog

STALE = {"volunteer": {"9"}, "assembly": {"7", "9", "10", "14", "18"}}
LOOKALIKES = str.maketrans("aceiopxyABCEHIKMOPTXY", "асеіорхуАВСЕНІКМОРТХУ")


def fold(text: str) -> str:
    """Whitespace out, lower case, look-alikes folded: how quotes are compared with the sources."""
    return re.sub(r"\s+", "", text.translate(LOOKALIKES)).lower()


@pytest.fixture(scope="module")
def russian_sources() -> dict[str, str]:
    """Each act's official Russian text without its Markdown markup, folded, by act id."""
    out = {}
    for meta in load_official_catalog():
        raw = (SOURCES_DIR / meta.file).read_text(encoding="utf-8")
        raw = re.sub(r"<a id=[^>]*></a>", "", raw)
        raw = re.sub(r"^[ \t]*(?:#+|>)[ \t]*", "", raw, flags=re.M).replace("*", "")
        out[meta.act] = fold(raw)
    return out


def _official_verbatim(text: str, source: str) -> bool:
    pieces = [fold(p) for p in re.split(r"…|\.\.\.", text) if fold(p)]
    return bool(pieces) and all(p in source for p in pieces if len(p) >= 4)


def test_every_official_russian_quote_verifies(engine: Engine, russian_sources: dict[str, str]) -> None:
    official = 0
    for chunk in engine.kb.chunks:
        for tr in engine.composer.translator.translations(chunk):
            if tr.official:
                official += 1
                assert tr.lang == "ru" and tr.edition, chunk.key
                assert _official_verbatim(tr.text, russian_sources[chunk.act_id]), chunk.key
    assert official > 1000  # nearly every provision of the three laws has a current official text


def test_out_of_date_article_is_never_shown_as_official(engine: Engine) -> None:
    stale_chunks = [c for c in engine.kb.chunks if c.citation.article in STALE.get(c.act_id, set())]
    assert len(stale_chunks) >= 10
    for chunk in stale_chunks:
        for lang in ("ru", "en", "kk"):
            quote = engine.composer.quote(chunk, lang)  # type: ignore[arg-type]
            assert not any(tr.official for tr in quote.translations), chunk.key
            assert quote.shown is None or not quote.shown.official
        ru = engine.composer.quote(chunk, "ru")
        assert ru.shown is not None and ru.shown_label is not None
        assert ru.shown_label.startswith("Неофициальный перевод") and "устарел" in ru.shown_label
        assert f"«{chunk.quote}»" in render_text([ru])  # the Kazakh text stays the quoted law


def test_out_of_date_article_in_a_russian_answer(engine: Engine) -> None:
    answer = engine.ask("Ведёт ли уполномоченный орган реестр учёта волонтерской деятельности?")
    cited = [c for c in answer.citations if c.article == "9" and c.act == "Волонтерлік қызмет туралы"]
    assert cited, [c.article for c in answer.citations]
    for c in cited:
        assert [(t.lang, t.official) for t in c.translations] == [("ru", False), ("en", False)]
    assert "Неофициальный перевод" in answer.answer


def test_russian_question_quotes_the_official_russian_first(engine: Engine) -> None:
    answer = engine.ask("Кто оплачивает волонтёру проживание и питание?")
    first = next(b for b in answer.blocks if isinstance(b, Quote))
    assert first.shown is not None and first.shown.official and first.shown.edition == "2024-01-01"
    assert first.text == answer.citations[0].quote  # the Kazakh quote stays in the JSON
    shown_at = answer.answer.index(first.shown.text)
    assert first.text not in answer.answer  # the Kazakh text is one tap away, not in the message
    assert shown_at < answer.answer.index("официальный текст на русском языке")
    reply = answer_reply(engine, answer, "ru", "Tok3n-of-22-characters")
    labels = [b.label for row in reply.buttons for b in row]
    assert "Текст на казахском" in labels


def test_english_question_gets_kazakh_plus_unofficial_english(engine: Engine) -> None:
    answer = engine.ask("Who reimburses a volunteer's travel and accommodation costs?")
    first = next(b for b in answer.blocks if isinstance(b, Quote))
    assert first.shown is not None and not first.shown.official and first.shown.lang == "en"
    assert f"«{first.text}»" in answer.answer
    assert f"Unofficial English translation: {first.shown.text}" in answer.answer
    assert any(t.official for c in answer.citations for t in c.translations)  # the JSON keeps the Russian


def test_kazakh_question_stays_kazakh(engine: Engine) -> None:
    answer = engine.ask("Волонтерге жол шығынын кім өтейді?")
    quotes = [b for b in answer.blocks if isinstance(b, Quote | RelatedProvision)]
    assert quotes and all(q.shown is None for q in quotes)
    assert all(c.translations for c in answer.citations)


def test_force_and_checklist_in_russian_quote_official_text(engine: Engine) -> None:
    force = engine.composer.force("/force", "ru")
    quotes = [b for b in force.blocks if isinstance(b, Quote)]
    assert quotes and all(q.shown is not None and q.shown.official for q in quotes)
    assert "физическую силу" in force.answer
    from bot.present.replies import checklist_reply

    outcome = "\n".join(checklist_reply(engine, "nyyyyy", "ru").messages)
    assert "официальный текст на русском языке" in outcome


def test_article_command_in_russian(engine: Engine) -> None:
    current = "\n".join(article_reply(engine.kb.acts, "профилактика", "46", "ru", engine.kb.official).messages)
    assert "Статья 46. Права и обязанности общественных помощников" in current
    assert "редакция от 30.12.2025" in current
    stale = "\n".join(article_reply(engine.kb.acts, "волонтер", "9", "ru", engine.kb.official).messages)
    assert "устарел" in stale and "Статья 9." not in stale and "9-бап." in stale


class _Balanced(HTMLParser):
    """Checks that a message opens only Telegram's tags and closes each one, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        assert tag in ("b", "i", "blockquote", "code"), tag
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack.pop() == tag, tag

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_long_bilingual_answers_split_into_valid_messages(engine: Engine) -> None:
    composer = engine.composer
    chunks = [c for c in engine.kb.chunks if c.act_id == "prevention" and c.citation.article in ("45", "46", "48")]
    for lang in ("ru", "en"):
        blocks = [composer.quote(c, lang) for c in chunks]  # type: ignore[arg-type]
        answer = Answer(question="?", language=lang, answered=True, outcome="answer", answer="", blocks=blocks)
        messages = answer_messages(answer)
        assert len(messages) > 3
        shown = []
        for message in messages:
            assert 0 < len(message) <= 4096
            parser = _Balanced()
            parser.feed(message)
            parser.close()
            assert parser.stack == []
            shown.append("".join(parser.text))
        everything = fold("".join(shown))
        for block in blocks:
            assert block.shown is not None
            assert fold(block.shown.text) in everything  # nothing lost in the split
            if not block.shown.official:
                assert fold(block.text) in everything  # the Kazakh beside the unofficial translation


def test_russian_questions_also_search_the_official_russian_text(engine: Engine) -> None:
    russian = engine.retriever.signals("Может ли общественный помощник применять физическую силу?")
    assert russian.official is not None and russian.rankings["official"]
    top = engine.kb.chunks[russian.rankings["official"][0]]
    assert (top.act_id, top.citation.article) == ("prevention", "46")  # the law's own words, the Kazakh id
    kazakh = engine.retriever.signals("Қоғамдық көмекші дене күшін қолдана ала ма?")
    assert kazakh.official is None and "official" not in kazakh.rankings


def test_ask_in_another_language(engine: Engine) -> None:
    answer = engine.ask("Волонтерге жол шығынын кім өтейді?", lang="ru")
    assert answer.language == "ru" and answer.answered
    first = next(b for b in answer.blocks if isinstance(b, Quote))
    assert first.shown is not None and first.shown.official
    assert engine.ask("Волонтерге жол шығынын кім өтейді?").language == "kk"  # cached apart


def test_eval_counts_official_translations_in_fidelity(engine: Engine) -> None:
    from bot.evaluate import load_ru_sources, load_sources, metrics

    gold = [{"id": "a", "question": "q", "gold": [], "key_phrase": None}]
    answer = engine.ask("Какие права есть у общественного помощника?", "a")
    assert any(t.official for c in answer.citations for t in c.translations)
    sources, ru_sources = load_sources(), load_ru_sources()
    assert metrics(gold, [answer], sources, ru_sources)["fidelity"] == 1.0
    forged = answer.model_copy(deep=True)
    official = next(t for c in forged.citations for t in c.translations if t.official)
    official.text = official.text.replace("помощник", "наблюдатель")  # no longer the law's words
    assert metrics(gold, [forged], sources, ru_sources)["fidelity"] < 1.0
