"""Property-based fuzzing of every text entry point: nothing escapes, output stays valid.

CI runs a small profile; `HYPOTHESIS_PROFILE=bench` runs 5,000 inputs per entry point.
"""

from __future__ import annotations

import os
import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.answer.verify import QuoteChecker
from bot.articles import ArticleNotFoundError, get_article
from bot.eligibility import STEPS
from bot.engine import Engine
from bot.present import buttons as b
from bot.present.split import MAX_MESSAGE, Span, pack
from bot.present.texts import text
from ingest.model import Act
from knowledge.language import detect
from knowledge.tokens import tokens
from knowledge.vocabulary import restore
from tests.fake_telegram import check_html

settings.register_profile("ci", max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("bench", max_examples=5000, deadline=None, suppress_health_check=list(HealthCheck))
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

KAZAKH = "әғқңөұүһіӘҒҚҢӨҰҮҺІ"
CYRILLIC = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"
# Mixed scripts, look-alikes, markup, control and format characters, emoji, huge runs.
messy_text = st.one_of(
    st.text(),
    st.text(alphabet=KAZAKH + CYRILLIC + string.ascii_letters + " -.,;:!?()«»\"'<>&/\n\t0123456789"),
    st.text(alphabet=st.characters(codec="utf-8")),
    st.builds(
        lambda w, n: (w + " ") * n, st.sampled_from(["волонтер", "помощник", "<b>", "&amp;", "😀"]), st.integers(0, 800)
    ),
)


@given(messy_text, st.sampled_from(["kk", "ru", "en"]))
def test_tokenizer_never_fails(text: str, lang: str) -> None:
    out = tokens(text, lang)  # type: ignore[arg-type]
    assert all(isinstance(tok, str) and tok for tok in out)


@given(messy_text)
def test_language_detection(text: str) -> None:
    assert detect(text) in ("kk", "ru", "en")


NOT_LATIN = KAZAKH + CYRILLIC + " -.,;:!?()«»0123456789\n"
LATIN_KAZAKH = string.ascii_letters + "äöüğşıñūÄÖÜĞŞÑŪ"


@given(st.text(alphabet=NOT_LATIN))
def test_restoration_changes_only_letters(text: str) -> None:
    out = restore(text).text
    assert [ch for ch in out if not ch.isalpha()] == [ch for ch in text if not ch.isalpha()]


@given(st.text(alphabet=LATIN_KAZAKH + " -.,'", min_size=1))
def test_restoration_turns_every_latin_letter_cyrillic(text: str) -> None:
    out = restore(text).text
    assert not any(ch in LATIN_KAZAKH for ch in out)  # nothing Latin is left behind
    kept = [ch for ch in text if not ch.isalpha() and ch != "'"]  # 2017 apostrophes belong to letters
    assert [ch for ch in out if not ch.isalpha() and ch != "'"] == kept


@given(
    st.lists(
        st.lists(st.builds(Span, messy_text, st.sampled_from([None, "blockquote", "i", "b", "code"])), max_size=4),
        max_size=5,
    )
)
def test_splitting_gives_valid_telegram_html(blocks: list[list[Span]]) -> None:
    messages = pack(blocks)
    for message in messages:
        assert 0 < len(message) <= MAX_MESSAGE
        check_html(message)  # raises on tags Telegram would reject
    if any(span.text.strip() for block in blocks for span in block):
        assert messages  # something to say is never dropped


@given(st.text(max_size=80), st.text(max_size=12))
def test_article_arguments(acts: dict[str, Act], act_query: str, number: str) -> None:
    try:
        act, article = get_article(list(acts.values()), act_query, number)
    except ArticleNotFoundError as err:
        message = str(err)
        act, article = None, None
    else:
        message = ""
    assert message or (act is not None and article is not None and article in act.articles())


LANG = st.sampled_from(["kk", "ru", "en"])
BUTTON_DATA = st.one_of(
    st.builds(b.ChooseLanguage, LANG),
    st.builds(b.AskExample, LANG, st.integers(0, b.EXAMPLES - 1)),
    st.builds(
        b.OpenArticle,
        st.from_regex(r"[a-z][a-z-]{0,39}", fullmatch=True),
        st.from_regex(r"[0-9]{1,3}(-[0-9]{1,2})?", fullmatch=True),
    ),
    st.builds(b.Vote, st.booleans(), st.from_regex(b.ANSWER_TOKEN, fullmatch=True)),
    st.builds(b.ShowKazakh, st.from_regex(b.ANSWER_TOKEN, fullmatch=True)),
    st.builds(b.Checklist, LANG, st.text(alphabet="ynu", max_size=len(STEPS))),
)


@given(BUTTON_DATA)
def test_button_data_round_trips(data: b.ButtonData) -> None:
    encoded = b.encode(data)
    assert len(encoded.encode()) <= 64  # Telegram's limit on callback data
    assert b.decode(encoded) == data


@given(st.one_of(st.text(max_size=70), st.from_regex(r"(lang|ex|art|fb|kk|el):[a-z0-9:+\-ynu²]{0,30}", fullmatch=True)))
def test_callback_data_decodes_only_what_the_encoder_makes(value: str) -> None:
    pressed = b.decode(value)  # never raises
    assert pressed is None or b.encode(pressed) == value


def test_forged_and_malformed_button_data_is_refused() -> None:
    for forged in (
        "ex:ru:²",
        "ex:ru:3",
        "ex:ru:01",
        "lang:de",
        "lang:ru\n",
        "fb:+:",
        "el:ru:yyyyyyy",
        "art:x:1²",
        "kk:",
        "kk:zz",
        "",
    ):
        assert b.decode(forged) is None, forged
    assert len(STEPS) == b.MAX_CHECKLIST and len(text("ru").examples) == b.EXAMPLES


@settings(suppress_health_check=list(HealthCheck))
@given(messy_text)
def test_composer_answers_or_declines_and_quotes_verify(engine: Engine, text: str) -> None:
    answer = engine.ask(text)
    assert answer.answer.strip()
    checker = QuoteChecker(engine.kb.acts)
    assert answer.answered == (answer.outcome == "answer")
    for cited in answer.citations:
        assert checker.verify(cited.act, cited.quote)
