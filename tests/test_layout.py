"""The structure the code promises: one-way dependencies, small modules, statute facts that exist."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from bot.articles import find_act
from ingest.model import Act
from knowledge.settings import Settings
from knowledge.topics import load_topics

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("ingest", "knowledge", "bot")


def _imports(path: Path) -> set[str]:
    """The top-level packages a module imports (at any depth in the module)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize(("package", "forbidden"), [("ingest", {"knowledge", "bot"}), ("knowledge", {"bot"})])
def test_dependencies_run_one_way(package: str, forbidden: set[str]) -> None:
    offenders = {str(p.relative_to(ROOT)): _imports(p) & forbidden for p in (ROOT / package).rglob("*.py")}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_settings_do_not_import_the_ingest_stage() -> None:
    assert "ingest" not in _imports(ROOT / "knowledge" / "settings.py")


def test_no_module_is_over_300_lines() -> None:
    sizes = {
        str(p.relative_to(ROOT)): len(p.read_text().splitlines())
        for pkg in PACKAGES
        for p in (ROOT / pkg).rglob("*.py")
    }
    assert {k: n for k, n in sizes.items() if n > 300} == {}


def test_every_provision_of_the_topics_exists(acts: dict[str, Act]) -> None:
    topics = load_topics()
    for topic in (topics.eligibility, topics.force):
        ids = {p.id for p in acts[topic.act].walk()}
        wanted = [*topic.provision_ids(), *topic.how_to_apply, *(s.provision for s in topic.step)]
        wanted += [topic.changed] if topic.changed else []
        assert [pid for pid in wanted if pid not in ids] == []
        assert all(s.title.keys() in ({"kk", "ru", "en"}, set()) for s in topic.section)


def test_the_topic_cues_recognise_their_questions() -> None:
    topics = load_topics()
    assert topics.eligibility.cued("Кто может стать общественным помощником?")
    assert topics.force.cued("Can a public assistant use force?")
    assert not topics.eligibility.cued("Кто оплачивает проезд волонтёра?")


def test_each_acts_command_word_finds_that_act(acts: dict[str, Act]) -> None:
    commands = {a.meta.id: a.meta.command for a in acts.values()}
    assert commands["protocol-report"] is None  # the report's "articles" are the Protocol's
    for act_id, word in commands.items():
        if word is not None:
            found = find_act(list(acts.values()), word)
            assert found is not None and found.meta.id == act_id


def test_nested_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RETRIEVAL__POOL", "17")
    monkeypatch.setenv("ANSWER__MAX_QUOTES", "2")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.retrieval.pool == 17 and settings.answer.max_quotes == 2
    assert settings.retrieval.rrf_weights["enriched"] == 1.0  # the other knobs keep their defaults


def test_an_uncalibrated_embedder_gets_e5s_thresholds() -> None:
    settings = Settings(_env_file=None, embedder="sentence-transformers")  # type: ignore[call-arg]
    assert settings.calibration == settings.answer.calibration["e5"]
