"""Out-of-scope examples: questions these statutes never answer, indexed to measure nearness.

They are the answerability model's training questions (`answerability/questions/*.jsonl`):
off-domain ones (label "decline") and in-domain ones the statutes cannot answer ("related").
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

QUESTIONS_DIR = Path(__file__).resolve().parent / "answerability" / "questions"
SCOPE_ACT = "scope"  # the pseudo-act their vectors are filed under
LABELS = ("decline", "related")


@dataclass(frozen=True)
class Example:
    """One written question with its language, topic and the outcome it should get."""

    question: str
    lang: str
    topic: str
    label: str


def load_examples(folder: Path = QUESTIONS_DIR) -> list[Example]:
    """Every example, in file and line order (files by name)."""
    out: list[Example] = []
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                out.append(Example(row["question"], row["lang"], row["topic"], row["label"]))
    return out


def load_scope(folder: Path = QUESTIONS_DIR) -> dict[str, list[str]]:
    """ "<label>/<topic>" → example questions (the vector targets of the scope pseudo-act)."""
    out: dict[str, list[str]] = {}
    for ex in load_examples(folder):
        out.setdefault(f"{ex.label}/{ex.topic}", []).append(ex.question)
    return out
