"""Query expansion with the reviewed ru/en → kk glossary of legal terms (`glossary.toml`)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from knowledge.tokens import Lang, tokens

GLOSSARY_FILE = Path(__file__).resolve().parent / "glossary.toml"


@dataclass(frozen=True)
class Term:
    """A Kazakh statute term and the stems of the phrases users type for it."""

    kk: str
    phrases: tuple[tuple[str, ...], ...]  # stemmed ru/en phrases


def load_glossary(path: Path = GLOSSARY_FILE) -> list[Term]:
    """The glossary's terms with their user phrases stemmed once."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    terms = []
    for entry in data["term"]:
        phrases = [tuple(tokens(p, "ru")) for p in entry.get("ru", [])]
        phrases += [tuple(tokens(p, "en")) for p in entry.get("en", [])]
        terms.append(Term(kk=entry["kk"], phrases=tuple(p for p in phrases if p)))
    return terms


def _contains(haystack: list[str], needle: tuple[str, ...]) -> bool:
    n = len(needle)
    return any(tuple(haystack[i : i + n]) == needle for i in range(len(haystack) - n + 1))


def expand(question: str, lang: Lang, glossary: list[Term]) -> list[str]:
    """The Kazakh terms whose ru/en phrases occur in the question (empty for Kazakh questions)."""
    if lang == "kk":
        return []
    stems = tokens(question, lang)
    return [term.kk for term in glossary if any(_contains(stems, p) for p in term.phrases)]
