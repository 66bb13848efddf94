"""Query expansion with the reviewed ru/en → kk glossary of legal terms (`glossary.toml`)."""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from knowledge.spelling import fold_key
from knowledge.tokens import FOLDED, Lang, folded_token, is_term, stem_word, tokens, word_parts

GLOSSARY_FILE = Path(__file__).resolve().parent / "glossary.toml"
# A folded stem this short stands for too many words ("кор": қор, көр-, Корея) to match alone.
MIN_FOLDED = len(FOLDED) + 3


@dataclass(frozen=True)
class Term:
    """A Kazakh statute term and the stems of the phrases users type for it."""

    kk: str
    phrases: tuple[tuple[str, ...], ...]  # stemmed ru/en phrases
    ru: tuple[tuple[str, ...], ...] = ()  # stemmed ru phrases (Russian loanwords in Kazakh questions)
    colloquial: tuple[tuple[str, ...], ...] = ()  # stemmed everyday Kazakh phrases
    colloquial_folded: tuple[tuple[str, ...], ...] = ()  # the same as folded tokens (any spelling)

    @cached_property
    def kk_tokens(self) -> frozenset[str]:
        """The search tokens of the statute term."""
        return frozenset(tokens(self.kk, "kk"))


def _folded_only(phrase: str) -> tuple[str, ...]:
    return tuple(t for t in tokens(phrase, "kk", folded=True) if t.startswith(FOLDED))


def load_glossary(path: Path = GLOSSARY_FILE) -> list[Term]:
    """The glossary's terms with their user phrases stemmed once."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    terms = []
    for entry in data["term"]:
        ru = [tuple(tokens(p, "ru")) for p in entry.get("ru", [])]
        phrases = ru + [tuple(tokens(p, "en")) for p in entry.get("en", [])]
        kept = [p for p in entry.get("colloquial", []) if tokens(p, "kk")]
        terms.append(
            Term(
                kk=entry["kk"],
                phrases=tuple(p for p in phrases if p),
                ru=tuple(p for p in ru if p),
                colloquial=tuple(tuple(tokens(p, "kk")) for p in kept),
                colloquial_folded=tuple(_folded_only(p) for p in kept),
            )
        )
    return terms


def _find(haystack: list[str], needle: tuple[str, ...]) -> int | None:
    n = len(needle)
    return next((i for i in range(len(haystack) - n + 1) if tuple(haystack[i : i + n]) == needle), None)


@dataclass(frozen=True)
class _Word:
    """One word (or hyphen part) of a Kazakh question as the Kazakh and the Russian phrases see it."""

    kk: str | None  # Kazakh stem (None: a Kazakh stop word)
    ru: str | None  # Russian stem (None: a Russian stop word)
    folded: str | None  # folded token, where restoration could not place the word


def _kazakh_words(question: str, unknown: Sequence[str]) -> list[_Word]:
    """A word spelling restoration could not place (`unknown`, as typed) may be any word of its
    spelling, so it also matches by its folded token (unless that is too short to tell words
    apart); a placed word is what it says."""
    unplaced = {fold_key(w) for w in unknown}
    out = []
    for part in word_parts(question):
        kk = stem_word(part, "kk") if is_term(part, "kk") else None
        ru = stem_word(part, "ru") if is_term(part, "ru") else None
        folded = folded_token(part) if kk is not None and fold_key(part) in unplaced else None
        out.append(_Word(kk, ru, folded if folded and len(folded) > MIN_FOLDED else None))
    return out


def _find_kazakh(words: list[_Word], stems: tuple[str, ...], folded: tuple[str, ...]) -> int | None:
    n = len(stems)
    for i in range(len(words) - n + 1):
        window = zip(words[i : i + n], stems, folded, strict=True)
        if all(w.kk == s or (w.folded is not None and w.folded == f) for w, s, f in window):
            return i
    return None


def matches(
    question: str, lang: Lang, glossary: Sequence[Term], unknown: Sequence[str] = ()
) -> list[tuple[Term, frozenset[str]]]:
    """Each glossary term a phrase of the question stands for, with the question's own tokens
    (`tokens(question, lang)`) that the phrase spans.

    A Kazakh question is matched on the everyday Kazakh phrases (its `unknown` words, those
    spelling restoration could not place, in any spelling) and, for the Russian words people mix
    into Kazakh, on the Russian ones; a Russian or English one on its language's.
    """
    out = []
    if lang == "kk":
        words = _kazakh_words(question, unknown)
        kk = [w for w in words if w.kk is not None]
        ru = [w for w in words if w.ru is not None]
        ru_stems = [str(w.ru) for w in ru]
        # a phrase can only match where its first word does: most are ruled out by a set lookup
        firsts = {w.kk for w in kk} | {w.folded for w in kk if w.folded is not None}
        ru_firsts = set(ru_stems)
        for term in glossary:
            spans: set[str] = set()
            for stems, folded in zip(term.colloquial, term.colloquial_folded, strict=True):
                if stems[0] not in firsts and not (folded and folded[0] in firsts):
                    continue
                if (i := _find_kazakh(kk, stems, folded)) is not None:
                    spans.update(str(w.kk) for w in kk[i : i + len(stems)])
            for phrase in term.ru:
                if phrase[0] in ru_firsts and (i := _find(ru_stems, phrase)) is not None:
                    spans.update(w.kk for w in ru[i : i + len(phrase)] if w.kk is not None)
            if spans:
                out.append((term, frozenset(spans)))
        return out
    own = tokens(question, lang)
    own_set = set(own)
    for term in glossary:
        spans = {t for p in term.phrases if p[0] in own_set and _find(own, p) is not None for t in p}
        if spans:
            out.append((term, frozenset(spans)))
    return out


def expand(question: str, lang: Lang, glossary: Sequence[Term], unknown: Sequence[str] = ()) -> list[str]:
    """The Kazakh terms whose phrases occur in the question (see `matches`)."""
    return [term.kk for term, _ in matches(question, lang, glossary, unknown)]
