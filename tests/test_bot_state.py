"""The bot's own state: SQLite store, per-user limits and the eligibility checklist logic."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bot.eligibility import STEPS, evaluate, next_step, result_blocks
from bot.engine import Engine
from bot.present.text import render_text
from bot.telegram.limits import UserLimiter
from bot.telegram.store import Store


def test_store_hashes_users_and_forgets(tmp_path: Path) -> None:
    store = Store(tmp_path / "bot.sqlite3")
    store.set_language(42, "kk")
    store.add_feedback(42, "Кто платит за проезд?", ["act|12|3|5"], 1)
    store.add_feedback(7, "Другой вопрос", ["act|1|None|3"], -1)
    assert store.language(42) == "kk"
    assert store.feedback_count(42) == 1
    db = sqlite3.connect(tmp_path / "bot.sqlite3")
    stored = [row[0] for row in db.execute("SELECT user_hash FROM users UNION SELECT user_hash FROM feedback")]
    assert "42" not in stored and all(len(h) == 64 for h in stored)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.forget(42) == 2
    assert store.language(42) is None and store.feedback_count(42) == 0
    assert store.feedback_count(7) == 1
    again = Store(tmp_path / "bot.sqlite3")  # the salt survives a restart
    assert again.user_key(7) == store.user_key(7)


def test_limiter_counts_a_sliding_window() -> None:
    limiter = UserLimiter(questions=2, period=10)
    assert limiter.wait(1, now=0) == 0 and limiter.wait(1, now=1) == 0
    assert limiter.wait(1, now=2) == 8
    assert limiter.wait(2, now=2) == 0  # other users are not affected
    assert limiter.wait(1, now=10.5) == 0


def test_checklist_outcomes(engine: Engine) -> None:
    kb = engine.kb
    all_clear = {"age": "yes", "citizen": "yes", **{s.key: "no" for s in STEPS[2:]}}
    result = evaluate(kb, all_clear)  # type: ignore[arg-type]
    assert result.outcome == "eligible"
    assert [c.citation.paragraph for c in result.apply] == ["2", "3", "4"]
    minor = evaluate(kb, {"age": "no"})
    assert minor.outcome == "not_eligible"
    assert minor.deciding[0].provision_id == "art_45__para_5__subpara_1"
    assert next_step({"age": "no"}) is None  # decided: no more questions
    unsure = evaluate(kb, {**all_clear, "penalty": "unsure"})  # type: ignore[dict-item]
    assert unsure.outcome == "check"
    assert unsure.deciding[0].citation.subparagraph == "4"
    text = render_text(result_blocks(engine.composer, minor, "en"))
    assert "On the Prevention of Offences, Art. 45(5), item 1)" in text or "Art. 45(5)(1)" in text
    assert "кәмелет жасына толмаған" in text
