"""Question-type cues in kk/ru/en (`cues.toml`): what kind of thing a question asks for."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

CUES_FILE = Path(__file__).resolve().parent / "cues.toml"
_PLAIN = str.maketrans("әғқңөұүһі", "агкноуухи")


def fold_plain(text: str) -> str:
    """Lower case, ё→е, Kazakh letters as their plain look-alikes, single spaces."""
    return " ".join(text.lower().replace("ё", "е").translate(_PLAIN).split())


@dataclass(frozen=True)
class Cues:
    """Compiled cue patterns by name, and the "related" kinds in priority order."""

    patterns: dict[str, re.Pattern[str]]
    kinds: tuple[str, ...]

    def flags(self, question: str) -> dict[str, bool]:
        """Which cue groups the question matches."""
        folded = fold_plain(question)
        return {name: bool(p.search(folded)) for name, p in self.patterns.items()}

    def kind(self, question: str) -> str | None:
        """The first "related" kind the question matches (None when it names none)."""
        flags = self.flags(question)
        return next((k for k in self.kinds if flags[k]), None)


@lru_cache(maxsize=1)
def load_cues(path: Path = CUES_FILE) -> Cues:
    """The cue groups of `cues.toml`, compiled once."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    patterns = {
        name: re.compile("|".join(p if p.startswith("^") else rf"\b(?:{p})" for p in pats))
        for name, pats in data["cues"].items()
    }
    return Cues(patterns, tuple(data["kinds"]))
