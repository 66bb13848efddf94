"""The statutes' own words, and Kazakh typed in any spelling restored to them.

Made from the act trees and the enrichment kept in the repository, and kept in the data dir
between starts (`open_vocabulary`; making it takes a third of a second): every
folded key (`spelling.fold_keys`) maps to its most frequent proper Kazakh form, so
"komekshi", "kómekshi" and "комекши" all become "көмекші" and the dense embedder reads
proper Kazakh. The Russian and English words of the renderings tell a Russian or English
word apart from Kazakh typed without its letters.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import Stemmer

from ingest.store import ACTS_DIR, act_paths, load_acts
from knowledge import spelling
from knowledge.enrichment import ENRICHMENT_DIR, load_enrichment
from knowledge.spelling import (
    KAZAKH_LETTERS,
    WORD,
    LatinSpelling,
    fold_key,
    fold_keys,
    harmonise,
    is_cyrillic,
    latin_spelling,
    latin_to_cyrillic,
    normalise,
)
from knowledge.stored import read_stored, write_stored

KEEP_SHARE = 0.2  # a typed form that is itself a statute word stays unless its key's best form is 5x as common
MIN_PREFIX = 4  # letters of a known beginning needed to restore an unknown inflected word
MAX_SUFFIX = 8  # letters of ending that may follow a known beginning
MIN_RU_PREFIX = 5  # letters of a Russian word or stem that mark a loanword with a Kazakh ending
FILE_NAME = "vocabulary.json"
_FRONT = set("еәөүі")
_BACK = set("аоұы")


@lru_cache(maxsize=1)
def _russian() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("russian")


def ru_stem(word: str) -> str:
    return str(_russian().stemWord(word))


@dataclass(frozen=True)
class Vocabulary:
    """Word forms by language; `best` maps a folded key to its most frequent Kazakh form."""

    kk: Counter[str]
    best: dict[str, str]
    ru: frozenset[str]
    ru_stems: frozenset[str]
    en: frozenset[str]

    def lookup(self, word: str) -> str | None:
        """The proper Kazakh form whose folded key the word has (most frequent first)."""
        found = [self.best[k] for k in fold_keys(word) if k in self.best]
        return max(found, key=lambda w: self.kk[w]) if found else None

    def is_russian(self, word: str) -> bool:
        return word in self.ru or (len(word) > 3 and ru_stem(word) in self.ru_stems)

    def prefix_lookup(self, cyrillic: str) -> str | None:
        """An unknown inflected word: its longest known beginning restored, the ending harmonised.

        The beginning is a Kazakh statute word in any spelling, else a Russian word or stem
        kept as typed (a loanword with a Kazakh ending: "штрафка" → "штрафқа").
        """
        cuts = range(len(cyrillic) - 1, max(MIN_PREFIX, len(cyrillic) - MAX_SUFFIX) - 1, -1)
        for cut in cuts:
            stem = self.best.get(fold_key(cyrillic[:cut]))
            if stem is not None:
                return stem + _harmonised_ending(stem, cyrillic[cut:])
        for cut in cuts:
            stem = cyrillic[:cut]
            if cut >= MIN_RU_PREFIX and (stem in self.ru or stem in self.ru_stems):
                return stem + _harmonised_ending(stem, cyrillic[cut:])
        return None


def _harmonised_ending(stem: str, ending: str) -> str:
    """A Kazakh ending typed without its letters, in the harmony of the stem's last vowel."""
    vowels = [c for c in stem if c in _FRONT | _BACK | {"и", "у", "э", "ю", "я"}]
    front = bool(vowels) and vowels[-1] in _FRONT | {"и", "э", "ю"}
    ending = ending.translate(str.maketrans("иы", "іі") if front else str.maketrans("ікги", "ықғы"))
    return re.sub("(?<=[нд][ыі])н$", "ң", ending)  # the genitive -ның/-дың


def _words(texts: Iterable[str]) -> Counter[str]:
    """Normalised words and their counts (each distinct word is normalised once)."""
    out: Counter[str] = Counter()
    for word, n in Counter(w for t in texts for w in WORD.findall(t)).items():
        out[normalise(word)] += n
    return out


def build_vocabulary(kk_texts: Iterable[str], ru_texts: Iterable[str], en_texts: Iterable[str]) -> Vocabulary:
    """Count the Kazakh forms and pick the most frequent per key (ties: alphabetical)."""
    kk = Counter({w: n for w, n in _words(kk_texts).items() if is_cyrillic(w) and len(w) > 1})
    ru = frozenset(w for w in _words(ru_texts) if is_cyrillic(w))
    en = frozenset(w for w in _words(en_texts) if not is_cyrillic(w))
    return Vocabulary(kk, _best_forms(kk), ru, frozenset(ru_stem(w) for w in ru if len(w) > 3), en)


def _best_forms(kk: Counter[str]) -> dict[str, str]:
    """Each folded key's most frequent Kazakh form (ties: alphabetical)."""
    by_key: dict[str, str] = {}
    for word, count in sorted(kk.items()):
        key = fold_key(word)
        if key not in by_key or count > kk[by_key[key]]:
            by_key[key] = word
    return by_key


def statute_vocabulary(acts_dir: Path = ACTS_DIR, enrichment_dir: Path = ENRICHMENT_DIR) -> Vocabulary:
    """The vocabulary of the act trees (Kazakh) and the enrichment (all three languages)."""
    kk: list[str] = []
    ru: list[str] = []
    en: list[str] = []
    for act in load_acts(acts_dir):
        kk += [act.meta.title, *act.preamble]
        for p in act.walk():
            kk += [p.heading or "", p.search_text or p.text]
        ru.append(act.meta.title_ru)
        en.append(act.meta.title_en)
    for entry in load_enrichment(enrichment_dir).values():
        ru.append(entry.ru)
        en.append(entry.en)
        for q in entry.questions:
            if KAZAKH_LETTERS.intersection(q.lower()):
                kk.append(q)
            elif is_cyrillic(q):
                ru.append(q)
            else:
                en.append(q)
    return build_vocabulary(kk, ru, en)


_process: Vocabulary | None = None


def vocabulary() -> Vocabulary:
    """The process-wide vocabulary: the one `open_vocabulary` read, else made once from the repository."""
    global _process
    if _process is None:
        _process = statute_vocabulary()
    return _process


def source_digest(acts_dir: Path = ACTS_DIR, enrichment_dir: Path = ENRICHMENT_DIR) -> str:
    """A digest of the files the vocabulary is made from and of the code that makes it."""
    h = hashlib.sha256(Stemmer.version().encode())
    for path in [*act_paths(acts_dir), *sorted(enrichment_dir.glob("*.json")), Path(__file__), Path(spelling.__file__)]:
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def _encode(vocab: Vocabulary) -> dict[str, Any]:
    return {"kk": dict(vocab.kk), "ru": sorted(vocab.ru), "ru_stems": sorted(vocab.ru_stems), "en": sorted(vocab.en)}


def _decode(data: dict[str, Any]) -> Vocabulary:
    kk = Counter({str(w): int(n) for w, n in data["kk"].items()})
    return Vocabulary(kk, _best_forms(kk), *(frozenset(map(str, data[k])) for k in ("ru", "ru_stems", "en")))


def open_vocabulary(data_dir: Path) -> Vocabulary:
    """Make the vocabulary stored in `data_dir` the process's, if it was made from the same files
    by the same code; else make it afresh and store it."""
    global _process
    path, digest = data_dir / FILE_NAME, source_digest()
    vocab = read_stored(path, digest, _decode)
    if vocab is None:
        vocab = statute_vocabulary()
        write_stored(path, digest, _encode(vocab))
    _process = vocab
    return vocab


@dataclass(frozen=True)
class Restored:
    """A Kazakh question in proper spelling, and the typed words no statute form matched."""

    text: str
    unknown: tuple[str, ...]


def restore_word(word: str, vocab: Vocabulary, latin: LatinSpelling = "ascii") -> tuple[str, bool]:
    """A word's proper Kazakh form (lower case) and whether the vocabulary knew it."""
    low = normalise(word)
    cyrillic = is_cyrillic(low)
    best = vocab.lookup(low)
    if cyrillic and vocab.kk[low] and (best is None or vocab.kk[low] >= KEEP_SHARE * vocab.kk[best]):
        return low, True
    if best is not None:
        return best, True
    if cyrillic and (KAZAKH_LETTERS.intersection(low) or vocab.is_russian(low)):
        return low, False  # proper Kazakh the statutes lack, or a Russian word: left as typed
    typed = low if cyrillic else latin_to_cyrillic(low, latin)
    return vocab.prefix_lookup(typed) or harmonise(typed), False


def _like(typed: str, out: str) -> str:
    if len(typed) > 1 and typed.isupper():
        return out.upper()
    return out[:1].upper() + out[1:] if typed[:1].isupper() else out


def restore(text: str, vocab: Vocabulary | None = None) -> Restored:
    """Every word of a Kazakh question in its proper Cyrillic spelling; other characters kept."""
    vocab = vocab or vocabulary()
    latin = latin_spelling(text)
    unknown: list[str] = []

    def swap(match: re.Match[str]) -> str:
        typed = match.group(0)
        out, known = restore_word(typed, vocab, latin)
        if not known:
            unknown.append(typed)
        return _like(typed, out)

    return Restored(WORD.sub(swap, text), tuple(unknown))
