"""Which language a question is in (kk / ru / en), whatever spelling its Kazakh uses.

Each word votes: Kazakh letters, a Kazakh-only Latin letter, or a statute word in any
spelling (`vocabulary`) vote Kazakh; Russian function words and the words of the Russian
renderings vote Russian; English function words and the words of the English renderings
vote English. So "Ким когамдык комекши бола алмайды?" and "kim qogamdyq komekshi bola
almaidy?" are Kazakh, and "Кто может стать помощником?" stays Russian.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.spelling import KAZAKH_LETTERS, WORD, harmonise, is_cyrillic, normalise
from knowledge.tokens import STOP_WORDS, Lang
from knowledge.vocabulary import Vocabulary, restore, ru_stem, vocabulary

_KAZAKH_LATIN = re.compile(r"[äğñöūüışçáǵńóúý]|[agnouyisc]'")
_RU_FUNCTION = STOP_WORDS["ru"] | frozenset(["ли", "какие", "какой", "могу", "может", "мой", "надо"])
_EN_FUNCTION = STOP_WORDS["en"] | frozenset(["am", "has", "have", "will", "should", "must", "would", "shall"])


def _cyrillic_vote(word: str, vocab: Vocabulary) -> Lang | None:
    if KAZAKH_LETTERS.intersection(word):
        return "kk"
    if word not in vocab.kk and (word in _RU_FUNCTION or word in vocab.ru):
        return "ru"
    if word in vocab.kk or vocab.lookup(word):
        return "kk"
    if len(word) > 3 and ru_stem(word) in vocab.ru_stems:
        return "ru"
    return "kk" if vocab.prefix_lookup(harmonise(word)) else None


def _latin_vote(word: str, vocab: Vocabulary) -> Lang | None:
    if _KAZAKH_LATIN.search(word):
        return "kk"
    if word in _EN_FUNCTION or word in vocab.en:
        return "en"
    return "kk" if vocab.lookup(word) else None


def votes(text: str, vocab: Vocabulary | None = None) -> dict[Lang, int]:
    """How many words of the text speak for each language."""
    vocab = vocab or vocabulary()
    tally: dict[Lang, int] = {"kk": 0, "ru": 0, "en": 0}
    for typed in WORD.findall(text):
        word = normalise(typed)
        vote = _cyrillic_vote(word, vocab) if is_cyrillic(word) else _latin_vote(word, vocab)
        if vote is not None:
            tally[vote] += 1
    return tally


def detect(text: str) -> Lang:
    """The question's language; Kazakh in any spelling is kk. Text without words counts as kk."""
    words = [normalise(w) for w in WORD.findall(text)]
    if not words:
        return "kk"
    tally = votes(text)
    cyrillic = sum(map(is_cyrillic, words))
    if cyrillic * 2 >= len(words):
        return "kk" if tally["kk"] > tally["ru"] else "ru"
    return "kk" if tally["kk"] > tally["en"] else "en"


@dataclass(frozen=True)
class Reading:
    """A question as search reads it: its language and its text in proper spelling."""

    lang: Lang
    text: str  # Kazakh restored to proper Cyrillic; Russian and English exactly as typed
    unknown: tuple[str, ...] = ()  # Kazakh words no statute form matched (searched folded)


def read(question: str) -> Reading:
    """Detect the language; restore Kazakh in any spelling, leave anything else untouched."""
    lang = detect(question)
    if lang != "kk":
        return Reading(lang, question)
    restored = restore(question)
    return Reading(lang, restored.text, restored.unknown)
