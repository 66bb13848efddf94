"""Robustness to the ways people type Kazakh: every Kazakh gold question in four more spellings.

From each Kazakh question of the gold file it derives, at run time, simplified Cyrillic (no
ә ғ қ ң ө ұ ү һ і), 2018 Latin (acute accents), 2021 Latin (ä ğ ñ ö ū ü ı ş) and plain ASCII
(sh, ch, zh, q, gh, ng); answers every version with the engine and prints article@1 and
point@3 per spelling beside proper Cyrillic. With `--max-gap`, exits 1 when a spelling's
article@1 is more than that below proper Cyrillic's.

    python benches/spelling.py [--gold ../shared/eval/dev.jsonl] [--max-gap 0.05]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from knowledge.spelling import Spelling

os.environ["ANONYMIZED_TELEMETRY"] = "False"  # before anything imports chromadb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_GOLD = ROOT.parent / "shared" / "eval" / "dev.jsonl"
DERIVED: tuple[Spelling, ...] = ("simplified", "latin2018", "latin2021", "ascii")
SHOWN = ("article@1", "point@3", "false_refusal")


def variants(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """The Kazakh gold rows as typed properly and in each derived spelling."""
    from knowledge.spelling import respell

    kazakh = [r for r in rows if r.get("lang") == "kk"]
    out = {"cyrillic": kazakh}
    for spelling in DERIVED:
        out[spelling] = [{**r, "question": respell(r["question"], spelling)} for r in kazakh]
    return out


def run(gold: Path) -> dict[str, dict[str, float]]:
    """The metrics of every spelling, answered by one engine."""
    from bot.engine import Engine
    from bot.evaluate import load_ru_sources, load_sources, metrics, read_jsonl
    from knowledge.settings import get_settings

    engine = Engine.open(get_settings())
    sources, ru_sources = load_sources(), load_ru_sources()
    results = {}
    for spelling, rows in variants(read_jsonl(gold)).items():
        answers = [engine.ask(r["question"], r["id"]) for r in rows]
        results[spelling] = metrics(rows, answers, sources, ru_sources)
    return results


def table(results: dict[str, dict[str, float]]) -> str:
    """A Markdown table: one row per spelling, with its gap to proper Cyrillic in article@1."""
    base = results["cyrillic"]["article@1"]
    lines = ["| spelling | questions | " + " | ".join(SHOWN) + " | gap article@1 |", "|---" * (len(SHOWN) + 3) + "|"]
    for spelling, m in results.items():
        cells = " | ".join(f"{m[k]:.3f}" for k in SHOWN)
        lines.append(f"| {spelling} | {int(m['questions'])} | {cells} | {base - m['article@1']:+.3f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    parser.add_argument("--max-gap", type=float, default=None, help="fail above this article@1 gap")
    args = parser.parse_args(argv)
    if not args.gold.is_file():
        print(f"no gold file at {args.gold}", file=sys.stderr)
        return 2
    results = run(args.gold)
    print(table(results))
    if args.max_gap is None:
        return 0
    base = results["cyrillic"]["article@1"]
    failed = [s for s, m in results.items() if base - m["article@1"] > args.max_gap + 1e-9]
    if failed:
        print(f"article@1 more than {args.max_gap} below proper Cyrillic: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
