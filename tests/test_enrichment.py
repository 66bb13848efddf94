"""Enrichment data stays in step with the act trees and covers what users ask about."""

from __future__ import annotations

from ingest.model import Act
from knowledge.chunks import all_chunks
from knowledge.enrichment import load_enrichment


def test_every_key_exists_in_the_trees(acts: dict[str, Act]) -> None:
    ids = {f"{key}/{p.id}" for key, act in acts.items() for p in act.walk()}
    stale = [k for k in load_enrichment() if k not in ids]
    assert stale == [], "enrichment for provisions that no longer exist"


def test_entries_are_complete() -> None:
    for key, entry in load_enrichment().items():
        assert entry.ru.strip() and entry.en.strip(), key
        assert len(entry.questions) >= 2, key
        assert len(set(entry.questions)) == len(entry.questions), key


def test_coverage_of_what_users_ask(acts: dict[str, Act]) -> None:
    enrichment = load_enrichment()
    chunks = all_chunks(list(acts.values()))
    wanted = [
        c
        for c in chunks
        if c.act_id in ("volunteer", "assembly", "protocol-report")
        or (c.act_id == "prevention" and c.citation.article in {"1", "6", "45", "46", "47"})
    ]
    missing = [c.key for c in wanted if c.key not in enrichment]
    assert missing == []
    articles = {f"{key}/{a.id}" for key, act in acts.items() for a in act.articles()}
    assert [a for a in articles if a not in enrichment and not a.startswith("protocol-report/")] == []


def test_questions_mix_languages() -> None:
    from knowledge.language import detect

    entries = list(load_enrichment().values())
    langs = {detect(q) for e in entries for q in e.questions}
    assert langs == {"kk", "ru", "en"}
