"""The eligibility checklist logic (stored state is tested in test_storage.py)."""

from __future__ import annotations

from bot.eligibility import STEPS, evaluate, next_step, result_blocks
from bot.engine import Engine
from bot.present.text import render_text


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
