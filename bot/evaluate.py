"""Metrics of answers against a gold file, with the definitions of the shared scorer."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bot.answer.model import Answer
from ingest.store import SOURCES_DIR, load_catalog, load_official_catalog

_LOOKALIKES = str.maketrans("aceiopxyABCEHIKMOPTXY", "асеіорхуАВСЕНІКМОРТХУ")
MIN_QUOTE = 12


def fold(text: str | None) -> str:
    return re.sub(r"\s+", "", (text or "").translate(_LOOKALIKES)).lower()


def _num(value: Any) -> str | None:
    if value is None:
        return None
    m = re.match(r"\s*(\d+(?:-\d+)?)", str(value))
    return m.group(1) if m else str(value).strip() or None


def _same_act(gold: str, act: str) -> bool:
    g, a = fold(gold), fold(act)
    return bool(g) and bool(a) and (g in a or a in g)


def _matches(gold: dict[str, Any], cit: dict[str, Any], level: str) -> bool:
    if not _same_act(gold["law"], cit.get("act", "")) or _num(gold["article"]) != _num(cit.get("article")):
        return False
    if level == "point":
        return all(
            gold.get(key) is None or _num(gold[key]) == _num(cit.get(key)) for key in ("paragraph", "subparagraph")
        )
    return True


def _quote_ok(cit: dict[str, Any], sources: dict[str, str]) -> bool:
    text = next((t for title, t in sources.items() if _same_act(title, cit.get("act", ""))), None)
    if text is None:
        return False
    parts = [p for p in (fold(x) for x in re.split(r"…|\.\.\.|\[\.\.\.\]", cit.get("quote") or "")) if p]
    if not parts or sum(len(p) for p in parts) < MIN_QUOTE:
        return False
    return all(p in text for p in parts if len(p) >= 4)


def _official_texts(cit: dict[str, Any]) -> list[str]:
    return [t.get("text") or "" for t in cit.get("translations") or [] if t.get("official")]


def metrics(
    gold_rows: list[dict[str, Any]],
    answers: Iterable[Answer],
    sources: dict[str, str],
    ru_sources: dict[str, str],
) -> dict[str, float]:
    """article@1/@3, mrr, point@3, key_phrase, fidelity, oos_refused, false_refusal.

    Fidelity counts the Kazakh quotes and every translation marked official, which must be
    verbatim in the official Russian text of its act (`ru_sources`, by Kazakh title).
    """
    by_id = {a.id: a.model_dump() for a in answers}
    m = dict.fromkeys(("article@1", "article@3", "mrr", "point@3", "key_phrase", "oos_refused", "false_refusal"), 0.0)
    n_in = n_point = n_oos = n_quotes = n_good = 0
    for q in gold_rows:
        ans = by_id.get(q["id"]) or {"answered": False, "citations": [], "answer": ""}
        cits = ans.get("citations") or []
        n_quotes += len(cits)
        n_good += sum(_quote_ok(c, sources) for c in cits)
        for c in cits:
            for official in _official_texts(c):
                n_quotes += 1
                n_good += _quote_ok({"act": c.get("act", ""), "quote": official}, ru_sources)
        if not q["gold"]:
            n_oos += 1
            m["oos_refused"] += not ans["answered"]
            continue
        n_in += 1
        m["false_refusal"] += not ans["answered"]
        ranks = [i for i, c in enumerate(cits[:10]) if any(_matches(g, c, "article") for g in q["gold"])]
        if ranks:
            m["article@1"] += ranks[0] == 0
            m["article@3"] += ranks[0] < 3
            m["mrr"] += 1 / (ranks[0] + 1)
        if any(g.get("paragraph") is not None or g.get("subparagraph") is not None for g in q["gold"]):
            n_point += 1
            m["point@3"] += any(_matches(g, c, "point") for g in q["gold"] for c in cits[:3])
        if q.get("key_phrase"):
            said = fold(ans.get("answer", "") + "".join(c.get("quote") or "" for c in cits))
            m["key_phrase"] += fold(q["key_phrase"]) in said
    for key in ("article@1", "article@3", "mrr", "key_phrase", "false_refusal"):
        m[key] /= max(n_in, 1)
    m["point@3"] /= max(n_point, 1)
    m["oos_refused"] /= max(n_oos, 1)
    m["fidelity"] = n_good / n_quotes if n_quotes else 0.0
    m["questions"] = float(len(gold_rows))
    return m


def load_sources() -> dict[str, str]:
    """Each act's folded source text by Kazakh title, as the scorer checks quotes against."""
    return {m.title: fold((SOURCES_DIR / m.file).read_text(encoding="utf-8")) for m in load_catalog()}


def strip_markdown(text: str) -> str:
    """A Markdown text without its markup (anchors, emphasis, heading and quote marks), as the scorer reads it."""
    text = re.sub(r"<a id=[^>]*></a>", "", text)
    text = re.sub(r"^[ \t]*(?:#+|>)[ \t]*", "", text, flags=re.M)
    return text.replace("*", "")


def load_ru_sources() -> dict[str, str]:
    """Each act's folded official Russian text, keyed by the act's Kazakh title (as citations name it)."""
    titles = {m.id: m.title for m in load_catalog()}
    return {
        titles[o.act]: fold(strip_markdown((SOURCES_DIR / o.file).read_text(encoding="utf-8")))
        for o in load_official_catalog()
    }


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def format_metrics(m: dict[str, float]) -> str:
    return " ".join(f"{k} {v:.3f}" if k != "questions" else f"{k} {int(v)}" for k, v in m.items())
