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
from bot.engine import Engine
from bot.telegram.render import MAX_MESSAGE, answer_blocks, pack
from bot.telegram.replies import STEPS, Pressed, parse_button
from ingest.model import Act
from knowledge.language import detect, transliterate
from knowledge.tokens import tokens
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
def test_language_detection_and_transliteration(text: str) -> None:
    assert detect(text) in ("kk", "ru", "en")
    assert isinstance(transliterate(text), str)


@given(messy_text)
def test_splitting_gives_valid_telegram_html(text: str) -> None:
    for message in pack(answer_blocks(text)):
        assert 0 < len(message) <= MAX_MESSAGE
        check_html(message)  # raises on tags Telegram would reject


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


@given(st.one_of(st.text(max_size=70), st.from_regex(r"(lang|ex|art|fb|el):[a-z0-9:+\-ynu]{0,30}", fullmatch=True)))
def test_callback_data_decoding(value: str) -> None:
    pressed = parse_button(value)
    assert pressed is None or isinstance(pressed, Pressed)
    if pressed is not None and pressed.kind == "el":
        assert len(pressed.answers) <= len(STEPS)


@settings(suppress_health_check=list(HealthCheck))
@given(messy_text)
def test_composer_answers_or_declines_and_quotes_verify(engine: Engine, text: str) -> None:
    answer = engine.ask(text)
    assert answer.answer.strip()
    checker = QuoteChecker(engine.kb.acts)
    for cited in answer.citations:
        assert checker.verify(cited.act, cited.quote)
