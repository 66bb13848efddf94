"""Renderers of the typed answer: Telegram HTML, inline card, text; splitting under 4096 characters.

The last tests render every provision of every act in each language, as an answer quote,
an inline card and a full article: every Telegram part must parse and fit.
"""

from __future__ import annotations

import pytest

from bot.answer.compose import Composer
from bot.answer.model import Block, Explanation, Lead, Note, Pointer, ProvisionRef, Quote, RelatedProvision
from bot.present.html import answer_html, answer_messages, inline_card
from bot.present.replies import article_reply
from bot.present.split import MAX_MESSAGE, Span, pack
from bot.present.text import render_text
from ingest.model import Act
from knowledge.chunks import all_chunks
from tests.fake_telegram import check_html

REF = ProvisionRef(act_id="volunteer", node_id="art_1")
LANGS = ("kk", "ru", "en")


def quote(text: str, place: str = "1-бап") -> Quote:
    return Quote(ref=REF, text=text, act_title="Act", place=place)


def test_blocks_escape_and_mark_quotes() -> None:
    blocks: list[Block] = [
        Lead(text="Lead <script> & co"),
        quote("Quote one"),
        Note(text="Related:", heading=True),
        RelatedProvision(ref=REF, text="Quote two", act_title="Act", place="2-бап"),
        Pointer(label="Full article:", command="/article x 1"),
    ]
    a = Composer.finish("q", "ru", "answer", blocks)
    html = ["\n".join(s.html() for s in b) for b in answer_html(a)]
    assert html[0] == "Lead &lt;script&gt; &amp; co"
    assert html[1] == "<blockquote>Quote one</blockquote>\n<i>— Act, 1-бап</i>"
    assert html[2] == "<b>Related:</b>"
    assert html[-1] == "Full article: /article x 1"
    short = ["\n".join(s.html() for s in b) for b in answer_html(a, short=True)]
    assert short == [html[0], html[1], html[-1]]
    assert a.answer.split("\n\n")[1] == "«Quote one»\n— Act, 1-бап"  # the text rendering keeps «» and —


def test_an_explanation_is_never_styled_as_a_statute_quote() -> None:
    a = Composer.finish("q", "ru", "answer", [Explanation(label="Пояснение:", text="«цитата» и текст"), quote("x")])
    first = "\n".join(s.html() for s in answer_html(a)[0])
    assert "<blockquote>" not in first and first.startswith("<i>Пояснение:</i>")


def test_a_6000_character_answer_arrives_as_valid_parts() -> None:
    quotes: list[Block] = [quote(f"{n}. " + "Қазақстан Республикасының заңдары & «шарттары» " * 40) for n in range(4)]
    a = Composer.finish("q", "ru", "answer", [Lead(text="Lead"), *quotes, Pointer(label="L", command="/article x 1")])
    messages = answer_messages(a)
    assert len(messages) >= 2
    assert all(len(m) <= MAX_MESSAGE for m in messages)
    for m in messages:
        check_html(m)
    joined = "".join(messages)
    for n in range(4):
        assert f"<blockquote>{n}. " in joined  # no provision lost
    assert joined.count("<blockquote>") == 4  # split between provisions, not inside them


def test_one_enormous_provision_is_split_inside_with_complete_tags() -> None:
    text = "сөз & " * 2000 + "x" * 5000
    messages = answer_messages(Composer.finish("q", "kk", "answer", [quote(text)]))
    assert len(messages) >= 4
    for m in messages:
        assert len(m) <= MAX_MESSAGE
        check_html(m)
    assert messages[-1].endswith("<i>— Act, 1-бап</i>")  # the citation follows the last part
    plain = "".join(check_html(m).replace("\n", " ") for m in messages)
    assert plain.replace(" ", "").count("x") == 5000  # nothing lost at the cuts


def test_three_outcomes_render_differently_and_inline_offers_no_card_for_a_decline() -> None:
    declined = Composer.finish("q", "en", "decline", [Lead(text="No."), Note(text="I answer…")])
    related = Composer.finish(
        "q",
        "en",
        "related",
        [Lead(text="Not answered directly."), RelatedProvision(ref=REF, text="T", act_title="A", place="Art. 1")],
    )
    assert not declined.answered and not related.answered and declined.outcome != related.outcome
    assert inline_card(declined, 0) is None
    card = inline_card(related, 0)
    assert card is not None and card.startswith("Not answered directly.") and "<i>— A, Art. 1</i>" in card


def test_an_inline_card_of_a_huge_provision_stays_balanced_and_keeps_its_citation() -> None:
    a = Composer.finish(
        "q", "ru", "answer", [Lead(text="Lead & more " * 10), quote("сөз & <b> " * 900, "ст. 6, п. 18")]
    )
    card = inline_card(a, 0)
    assert card is not None and len(card) <= MAX_MESSAGE
    check_html(card)
    assert card.endswith("<i>— Act, ст. 6, п. 18</i>")


def test_an_error_reply_with_a_4000_character_act_name_is_split(acts: dict[str, Act]) -> None:
    reply = article_reply(list(acts.values()), "ъ" * 4000, "1", "ru")  # no act matches
    assert reply.messages and all(0 < len(m) <= MAX_MESSAGE for m in reply.messages)
    assert "ъ" * 100 in reply.messages[0]


def test_pack_never_sends_an_empty_message() -> None:
    assert pack([[Span("")], [Span("  ")]]) == []
    assert pack([[Span("a")], [Span("")], [Span("b")]]) == ["a\n\nb"]


def test_text_rendering_is_the_answer_field() -> None:
    blocks: list[Block] = [Lead(text="L"), quote("Q"), Pointer(label="P:", command="/article a 1")]
    assert render_text(blocks) == "L\n\n«Q»\n— Act, 1-бап\n\nP: /article a 1"


@pytest.mark.parametrize("lang", LANGS)
def test_every_provision_renders_as_valid_telegram_parts(acts: dict[str, Act], lang: str) -> None:
    by_id = {a.meta.id: a for a in acts.values()}
    longest = 0
    for chunk in all_chunks(list(acts.values())):
        meta = by_id[chunk.act_id].meta
        q = Quote(ref=REF, text=chunk.quote, act_title=meta.title_in(lang), place=chunk.citation.format(lang))
        a = Composer.finish("q", lang, "answer", [Lead(text="Lead"), q])  # type: ignore[arg-type]
        for m in answer_messages(a):
            assert 0 < len(m) <= MAX_MESSAGE
            check_html(m)
        card = inline_card(a, 0)
        assert card is not None and len(card) <= MAX_MESSAGE and card.endswith(f"{q.place}</i>")
        check_html(card)
        longest = max(longest, len(chunk.quote))
    assert longest > MAX_MESSAGE  # the report's art. 6 p. 18 really needs the split


@pytest.mark.parametrize("lang", LANGS)
def test_every_article_renders_as_valid_telegram_parts(acts: dict[str, Act], lang: str) -> None:
    for act in acts.values():
        for article in act.articles():
            for m in article_reply([act], act.meta.id, article.num or "", lang).messages:  # type: ignore[arg-type]
                assert 0 < len(m) <= MAX_MESSAGE
                check_html(m)
