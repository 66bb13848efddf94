"""False refusals on plain questions: ordinary in-scope questions and off-domain ones, answered.

`refusals.jsonl` holds questions written for this check (never training data, never taken from
an evaluation set): in-scope questions as people type them — Kazakh proper, without its
letters and in Latin, Russian, English; "ерікті" and "волонтер", rights, duties, who may
become one, force, age, documents, expenses, refusing a task — each with the articles that
answer it; questions the statutes are silent on ("unanswerable": anything but an answer is
right); and off-domain ones, some naming the subject. Prints the false refusals, the
off-domain questions not declined, the unanswerable ones answered and how often one of the
top three hits is in an answering article, and lists every miss.

    python benches/refusals.py [--file benches/refusals.jsonl] [--max-false-refusals N]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

os.environ["ANONYMIZED_TELEMETRY"] = "False"  # before anything imports chromadb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_FILE = Path(__file__).resolve().parent / "refusals.jsonl"
RIGHT = {"answer": {"answer"}, "decline": {"decline"}, "unanswerable": {"related", "decline"}}


def article_of(key: str) -> str:
    """'volunteer/art_12__para_3' → 'volunteer/12'."""
    act, _, rest = key.partition("/")
    return f"{act}/{rest.split('__')[0].removeprefix('art_')}"


def run(rows: list[dict[str, object]]) -> tuple[dict[str, list[str]], list[bool]]:
    """Misses by expectation, and per in-scope question whether a top-three hit answers it."""
    from bot.engine import Engine
    from knowledge.settings import get_settings

    engine = Engine.open(get_settings())
    misses: dict[str, list[str]] = {k: [] for k in RIGHT}
    found = []
    for row in rows:
        question, expect = str(row["question"]), str(row["expect"])
        outcome = engine.ask(question).outcome
        if outcome not in RIGHT[expect]:
            misses[expect].append(f"{outcome:8s} {question}")
        if expect == "answer":
            hits = engine.retriever.search(question).hits[:3]
            found.append(any(article_of(h.chunk.key) in row["articles"] for h in hits))  # type: ignore[operator]
    return misses, found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--max-false-refusals", type=int, default=None, help="fail above this many")
    args = parser.parse_args(argv)
    rows = [json.loads(line) for line in args.file.read_text(encoding="utf-8").splitlines() if line.strip()]
    misses, found = run(rows)
    count = {k: sum(r["expect"] == k for r in rows) for k in RIGHT}
    print(
        f"false refusals {len(misses['answer'])}/{count['answer']}; "
        f"off-domain not declined {len(misses['decline'])}/{count['decline']}; "
        f"unanswerable answered {len(misses['unanswerable'])}/{count['unanswerable']}; "
        f"an answering article in the top three {sum(found)}/{len(found)}"
    )
    for expect, lines in misses.items():
        for line in lines:
            print(f"  expected {expect}: {line}")
    if args.max_false_refusals is not None and len(misses["answer"]) > args.max_false_refusals:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
