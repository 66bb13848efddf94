"""The terminal chat on the real engine: the same answers, rendered as text."""

from __future__ import annotations

import io

from bot.console import chat
from bot.engine import Engine


def _run(engine: Engine, lines: str) -> str:
    out = io.StringIO()
    assert chat(engine, io.StringIO(lines), out) == 0
    return out.getvalue()


def test_a_question_gets_quotes_with_their_sources(engine: Engine) -> None:
    out = _run(engine, "Кто оплачивает проезд волонтёра?\n\n")
    assert "bot> Ответ даёт Закон «О волонтерской деятельности»" in out
    assert "\n— О волонтерской деятельности, ст. " in out and "/article волонтер " in out


def test_commands_and_the_checklist_work_in_the_terminal(engine: Engine) -> None:
    out = _run(engine, "/lang en\n/eligibility\nn\n/article volunteer 12\n\n")
    assert "1/6. Are you 18 or older?" in out
    assert "From your answers you cannot become a public assistant now." in out
    assert "Волонтерлік қызмет туралы" in out and "12-бап" in out
