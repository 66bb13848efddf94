"""Tokens for lexical search: look-alike folding, stop words and per-language stemming."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

import Stemmer

from knowledge.spelling import KAZAKH_LETTERS, fold_key
from knowledge.stem_kk import SUFFIXES
from knowledge.stem_kk import stem as stem_kk

Lang = Literal["kk", "ru", "en"]

_CYRILLIC = re.compile(r"[а-яёәғқңөұүһі]")
_LATIN_TO_CYRILLIC = str.maketrans("aceiopxy", "асеіорху")
_WORD = re.compile(r"[0-9]+(?:-[0-9]+)?|[^\W\d_]+(?:-[^\W\d_]+)*")

STOP_WORDS: dict[Lang, frozenset[str]] = {
    "kk": frozenset(
        [
            "және",
            "немесе",
            "не",
            "мен",
            "да",
            "де",
            "та",
            "те",
            "бен",
            "пен",
            "осы",
            "сол",
            "бұл",
            "ол",
            "олар",
            "оның",
            "бар",
            "жоқ",
            "ма",
            "ме",
            "ба",
            "бе",
            "па",
            "пе",
            "үшін",
            "туралы",
            "бойынша",
            "сияқты",
            "ғана",
            "тиіс",
            "қандай",
            "кім",
            "не",
            "неше",
            "қай",
            "қалай",
            "маған",
            "мен",
            "менің",
            "біз",
            "біздің",
            "сен",
            "сіз",
            "ал",
            "бірақ",
            "егер",
            "онда",
            "тек",
            "әлде",
            "деген",
            "болып",
            "табылады",
            "сондай-ақ",
            "өзге",
            "басқа",
        ]
    ),
    "ru": frozenset(
        [
            "и",
            "в",
            "во",
            "не",
            "на",
            "с",
            "со",
            "о",
            "об",
            "от",
            "до",
            "по",
            "за",
            "из",
            "у",
            "к",
            "ко",
            "а",
            "но",
            "же",
            "ли",
            "бы",
            "что",
            "как",
            "это",
            "этот",
            "эта",
            "эти",
            "то",
            "так",
            "для",
            "при",
            "или",
            "мне",
            "меня",
            "мой",
            "моя",
            "я",
            "мы",
            "нас",
            "наш",
            "вы",
            "вас",
            "ваш",
            "он",
            "она",
            "они",
            "его",
            "её",
            "их",
            "ее",
            "там",
            "тут",
            "где",
            "когда",
            "кто",
            "чем",
            "чтобы",
            "если",
            "ещё",
            "еще",
            "уже",
            "можно",
            "нужно",
            "ли",
            "ни",
            "да",
            "нет",
            "вот",
            "есть",
            "быть",
            "был",
            "была",
        ]
    ),
    "en": frozenset(
        [
            "a",
            "an",
            "the",
            "and",
            "or",
            "of",
            "to",
            "in",
            "on",
            "at",
            "for",
            "by",
            "with",
            "from",
            "is",
            "are",
            "was",
            "were",
            "be",
            "been",
            "can",
            "could",
            "may",
            "might",
            "i",
            "me",
            "my",
            "we",
            "our",
            "you",
            "your",
            "he",
            "she",
            "it",
            "they",
            "them",
            "their",
            "this",
            "that",
            "these",
            "those",
            "do",
            "does",
            "did",
            "what",
            "who",
            "whom",
            "which",
            "how",
            "when",
            "where",
            "if",
            "as",
            "about",
            "into",
            "than",
            "then",
            "there",
            "here",
            "so",
            "not",
            "no",
            "yes",
        ]
    ),
}


@lru_cache(maxsize=2)
def _snowball(lang: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer("russian" if lang == "ru" else "english")


@lru_cache(maxsize=1 << 17)
def fold_word(word: str) -> str:
    """Lower-case; in a Cyrillic word, Latin look-alikes become Cyrillic ("мiндет" → "міндет")."""
    word = word.lower().replace("ё", "е")
    return word.translate(_LATIN_TO_CYRILLIC) if _CYRILLIC.search(word) else word


def words(text: str) -> list[str]:
    """The folded words of a text (hyphenated words stay whole, numbers stay as they are)."""
    return [fold_word(w) for w in _WORD.findall(text)]


@lru_cache(maxsize=1 << 17)
def stem_word(word: str, lang: Lang) -> str:
    """The search stem of a folded word: Kazakh suffix stemmer or Snowball (ru/en); memoised, words repeat."""
    if word[:1].isdigit():
        return word
    if _CYRILLIC.search(word):
        if lang == "kk" or KAZAKH_LETTERS.intersection(word):
            return stem_kk(word)
        return str(_snowball("ru").stemWord(word))
    return str(_snowball("en").stemWord(word))


FOLDED = "~"  # marks a token of the spelling-folded form, so it never meets a proper one
_FOLDED_SUFFIXES = sorted({fold_key(s) for s in SUFFIXES}, key=len, reverse=True)


@lru_cache(maxsize=1 << 17)
def folded_token(word: str) -> str:
    """The token of a word's folded key (any spelling of it), stemmed with folded suffixes; memoised."""
    key = fold_key(word)
    return FOLDED + (key if key[:1].isdigit() else stem_kk(key, _FOLDED_SUFFIXES))


def word_parts(text: str) -> list[str]:
    """The folded words of a text in order, a hyphenated word followed by its parts ("іс-шара", "іс", "шара")."""
    out: list[str] = []
    for word in words(text):
        out += [word, *word.split("-")] if "-" in word and not word[:1].isdigit() else [word]
    return out


def is_term(part: str, lang: Lang) -> bool:
    """Whether a word part yields a search token in `lang` (not empty, a stop word or a lone letter)."""
    return bool(part) and part not in STOP_WORDS[lang] and not (len(part) == 1 and not part.isdigit())


def tokens(text: str, lang: Lang, folded: bool = False) -> list[str]:
    """Search tokens of `text` written in `lang`: folded, stop words out, stemmed.

    Hyphenated words also yield their parts, so "іс-шара" meets "шара". With `folded`,
    each token is followed by its `folded_token`, so a document matches a word in any
    spelling while its length relative to the others, and so every proper score, stays.
    """
    out: list[str] = []
    for part in word_parts(text):
        if is_term(part, lang):
            out.append(stem_word(part, lang))
            if folded:
                out.append(folded_token(part))
    return out
