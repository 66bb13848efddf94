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
    ru: tuple[tuple[str, ...], ...] = ()  # stemmed ru phrases (Russian loanwords in Kazakh questions)
    colloquial: tuple[tuple[str, ...], ...] = ()  # stemmed everyday Kazakh phrases


def load_glossary(path: Path = GLOSSARY_FILE) -> list[Term]:
    """The glossary's terms with their user phrases stemmed once."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    terms = []
    for entry in data["term"]:
        ru = [tuple(tokens(p, "ru")) for p in entry.get("ru", [])]
        phrases = ru + [tuple(tokens(p, "en")) for p in entry.get("en", [])]
        colloquial = [tuple(tokens(p, "kk")) for p in entry.get("colloquial", [])]
        terms.append(
            Term(
                kk=entry["kk"],
                phrases=tuple(p for p in phrases if p),
                ru=tuple(p for p in ru if p),
                colloquial=tuple(p for p in colloquial if p),
            )
        )
    return terms


def _contains(haystack: list[str], needle: tuple[str, ...]) -> bool:
    n = len(needle)
    return any(tuple(haystack[i : i + n]) == needle for i in range(len(haystack) - n + 1))


def expand(question: str, lang: Lang, glossary: list[Term]) -> list[str]:
    """The Kazakh terms whose phrases occur in the question.

    A Kazakh question is matched on the everyday Kazakh phrases and, for the Russian words
    people mix into Kazakh, on the Russian ones; a Russian or English one on its language's.
    """
    if lang == "kk":
        kk, ru = tokens(question, "kk"), tokens(question, "ru")
        return [
            term.kk
            for term in glossary
            if any(_contains(kk, p) for p in term.colloquial) or any(_contains(ru, p) for p in term.ru)
        ]
    stems = tokens(question, lang)
    return [term.kk for term in glossary if any(_contains(stems, p) for p in term.phrases)]
