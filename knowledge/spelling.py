"""Kazakh as people type it: one folded key for every spelling of a word, and the alphabets.

People write Kazakh in proper Cyrillic, in Cyrillic without ә ғ қ ң ө ұ ү һ і (a Russian
keyboard), and in Latin: the apostrophe alphabet of 2017, the acute-accent one of 2018, the
2021 one (ä ğ ñ ö ū ü ı ş ç) and plain ASCII (sh, ch, zh, q, gh). `fold_keys` maps a word in
any of them to the same key by dropping exactly the distinctions some spelling drops (and
ы/і/и/й, which the Latin alphabets assign differently). `respell` writes proper Cyrillic in
each spelling; `latin_to_cyrillic` is the best guess for a Latin word no vocabulary knows.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Literal

Spelling = Literal["simplified", "latin2017", "latin2018", "latin2021", "ascii"]
SPELLINGS: tuple[Spelling, ...] = ("simplified", "latin2017", "latin2018", "latin2021", "ascii")

KAZAKH_LETTERS = frozenset("әғқңөұүһі")
APOSTROPHES = "'’ʼ‘`"
_APOSTROPHE_RE = re.compile(f"[{APOSTROPHES}]")
# Words of any script; an apostrophe after a letter belongs to the word (2017 alphabet).
WORD = re.compile(rf"(?:[^\W\d_]|(?<=[^\W\d_])[{APOSTROPHES}])+")
_CYRILLIC = re.compile(r"[а-яёәғқңөұүһі]", re.IGNORECASE)
_LOOKALIKES = str.maketrans("aceiopxy", "асеіорху")

_KEY_CYRILLIC = str.maketrans(
    {
        "ә": "а",
        "ғ": "г",
        "қ": "к",
        "ң": "н",
        "ө": "о",
        "ұ": "у",
        "ү": "у",
        "һ": "х",
        "і": "и",
        "ы": "и",
        "й": "и",
        "э": "е",
        "ё": "е",
        "ъ": "",
        "ь": "",
        "я": "иа",
        "ю": "иу",
        "ц": "тс",
        "щ": "ш",
    }
)
_KEY_LATIN_SINGLE = {
    **dict.fromkeys("aäáàâ", "а"),
    "b": "б",
    "c": "с",
    "ç": "ч",
    "d": "д",
    **dict.fromkeys("eéèê", "е"),
    "f": "ф",
    **dict.fromkeys("gğǵ", "г"),
    "h": "х",
    **dict.fromkeys("iıíìîï", "и"),
    "j": "ж",
    "k": "к",
    "l": "л",
    "m": "м",
    **dict.fromkeys("nñń", "н"),
    **dict.fromkeys("oöóòô", "о"),
    "p": "п",
    "q": "к",
    "r": "р",
    "s": "с",
    "ş": "ш",
    "t": "т",
    **dict.fromkeys("uūüúùûýw", "у"),
    "v": "в",
    "x": "х",
    "y": "и",
    "z": "з",
}
# 2017 letters with an apostrophe, then ASCII digraphs; "ng" is ң or н+г, so both keys are tried.
_KEY_LATIN_MULTI = {
    **{f"{c}'": k for c, k in zip("agnouyisc", "агноууишч", strict=True)},
    "sh": "ш",
    "ch": "ч",
    "zh": "ж",
    "kh": "х",
    "gh": "г",
}
_KEY_LATIN_RE = re.compile("|".join(map(re.escape, sorted(_KEY_LATIN_MULTI, key=len, reverse=True))) + "|.")


@lru_cache(maxsize=1 << 17)
def normalise(word: str) -> str:
    """Lower case, composed accents, one apostrophe; Latin look-alikes inside Cyrillic words (memoised)."""
    word = _APOSTROPHE_RE.sub("'", unicodedata.normalize("NFC", word).lower())
    return word.translate(_LOOKALIKES) if _CYRILLIC.search(word) else word


def is_cyrillic(word: str) -> bool:
    return bool(_CYRILLIC.search(word))


def fold_keys(word: str) -> list[str]:
    """The folded keys of a word in any spelling: one, or two when Latin "ng" is ambiguous."""
    word = normalise(word)
    if is_cyrillic(word):
        return [word.translate(_KEY_CYRILLIC)]
    key = "".join(_KEY_LATIN_MULTI.get(m, _KEY_LATIN_SINGLE.get(m, m)) for m in _KEY_LATIN_RE.findall(word))
    key = key.replace("'", "")
    return [key.replace("нг", "н"), key] if "нг" in key and "ng" in word else [key]


def fold_key(word: str) -> str:
    """The first folded key of a word (see `fold_keys`)."""
    return fold_keys(word)[0]


# ---------------------------------------------------------------- proper Cyrillic → a spelling

_COMMON_LATIN = dict(zip("абдефгклмнопрствз", "abdefgklmnoprstvz", strict=True)) | {
    "ё": "io",
    "ц": "ts",
    "ъ": "",
    "ь": "",
    "э": "e",
}
_RESPELL: dict[Spelling, dict[str, str]] = {
    "simplified": dict(zip("әғқңөұүһі", "агкноуухи", strict=True)),
    "latin2017": _COMMON_LATIN
    | {"ә": "a'", "ғ": "g'", "ң": "n'", "ө": "o'", "ұ": "y'", "ү": "u'", "і": "i", "и": "i'", "й": "i'"}
    | {"ы": "y", "ж": "j", "қ": "q", "х": "h", "һ": "h", "у": "u", "ш": "s'", "щ": "s'", "ч": "c'"}
    | {"ю": "i'u", "я": "i'a"},
    "latin2018": _COMMON_LATIN
    | {"ә": "á", "ғ": "ǵ", "ң": "ń", "ө": "ó", "ұ": "u", "ү": "ú", "і": "i", "и": "ı", "й": "ı"}
    | {"ы": "y", "ж": "j", "қ": "q", "х": "h", "һ": "h", "у": "ý", "ш": "sh", "щ": "sh", "ч": "ch"}
    | {"ю": "ıý", "я": "ıa"},
    "latin2021": _COMMON_LATIN
    | {"ә": "ä", "ғ": "ğ", "ң": "ñ", "ө": "ö", "ұ": "ū", "ү": "ü", "і": "i", "и": "y", "й": "y"}
    | {"ы": "ı", "ж": "j", "қ": "q", "х": "h", "һ": "h", "у": "u", "ш": "ş", "щ": "ş", "ч": "ç"}
    | {"ю": "iu", "я": "ia"},
    "ascii": _COMMON_LATIN
    | {"ә": "a", "ғ": "gh", "ң": "ng", "ө": "o", "ұ": "u", "ү": "u", "і": "i", "и": "i", "й": "i"}
    | {"ы": "y", "ж": "zh", "қ": "q", "х": "kh", "һ": "h", "у": "u", "ш": "sh", "щ": "sh", "ч": "ch"}
    | {"ю": "yu", "я": "ya"},
}


def respell(text: str, spelling: Spelling) -> str:
    """Proper Cyrillic Kazakh written the way `spelling` writes it (other characters kept)."""
    table = _RESPELL[spelling]
    out = []
    for i, ch in enumerate(text):
        rep = table.get(ch.lower())
        if rep is None:
            out.append(ch)
        elif not ch.isupper():
            out.append(rep)
        else:  # a capital: the whole replacement in an all-capital word, else its first letter
            all_caps = text[i + 1 : i + 2].isupper() or text[i - 1 : i].isupper()
            out.append(rep.upper() if all_caps else rep[:1].upper() + rep[1:])
    return "".join(out)


# ---------------------------------------------------------------- a Latin word → Cyrillic

LatinSpelling = Literal["latin2017", "latin2018", "latin2021", "ascii"]
_VOWELS = set("аәеиоөұүыіэюяу")
_LATIN_2021_MARKS = set("äğñöūüışç")
_LATIN_2018_MARKS = set("áǵńóúý")
_LATIN_2017_MARK = re.compile(r"[agnouyisc]'")
_TO_CYRILLIC_COMMON = {
    "sh": "ш",
    "ch": "ч",
    "zh": "ж",
    "kh": "х",
    "gh": "ғ",
    "yu": "ю",
    "ya": "я",
    "iu": "ю",
    "ia": "я",
} | dict(zip("abcdefghjklmnopqrstuvwxz", "абсдефгхжклмнопқрстувухз", strict=True))
_TO_CYRILLIC: dict[LatinSpelling, dict[str, str]] = {
    "latin2021": _TO_CYRILLIC_COMMON
    | dict(zip("äğñöūüışç", "әғңөұүышч", strict=True))
    | {"i": "і", "y": "й", "u": "у"},
    "latin2018": _TO_CYRILLIC_COMMON
    | dict(zip("áǵńóúý", "әғңөүу", strict=True))
    | {"i": "і", "ı": "й", "y": "ы", "u": "ұ"},
    "latin2017": _TO_CYRILLIC_COMMON
    | {f"{c}'": k for c, k in zip("agnouyisc", "әғңөүұйшч", strict=True)}
    | {"i": "і", "y": "ы", "u": "у"},
    "ascii": _TO_CYRILLIC_COMMON | {"i": "і", "y": "ы", "u": "у", "ñ": "ң"},
}


def latin_spelling(text: str) -> LatinSpelling:
    """Which Latin alphabet a text uses, from the letters only one of them has."""
    low = normalise(text)
    if _LATIN_2018_MARKS.intersection(low):
        return "latin2018"
    if _LATIN_2021_MARKS.intersection(low):
        return "latin2021"
    return "latin2017" if _LATIN_2017_MARK.search(low) else "ascii"


@lru_cache(maxsize=4)
def _patterns(spelling: LatinSpelling) -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, sorted(_TO_CYRILLIC[spelling], key=len, reverse=True))) + "|.")


def latin_to_cyrillic(word: str, spelling: LatinSpelling) -> str:
    """A Latin-script Kazakh word in Cyrillic letters, by the rules of its alphabet."""
    table = _TO_CYRILLIC[spelling]
    pattern = _patterns(spelling)
    word = normalise(word)
    if spelling == "ascii":  # "ng" before a consonant or at the end is ң
        word = re.sub(r"ng(?![aeiouy])", "ñ", word)
    out = "".join(table.get(m, m) for m in pattern.findall(word)).replace("'", "")
    # и and й share a Latin letter (2018 ı, 2021 y, ASCII i), and many type i for й whatever
    # the alphabet: after a vowel (not у, which is half a consonant) it is й, else и.
    out = re.sub(r"(?<=[аәеоөұүыі])[иі]", "й", out)
    return re.sub(r"(?<![аәеоөұүыіу])й(?![аәеоөұүыіу])", "и", out)


def harmonise(word: str) -> str:
    """Restore the special letters of a simplified Cyrillic word by vowel harmony.

    Front vowels (е, и typed for і, or a special ә ө ү і) without a back one (ы ұ) give
    і for и, and ө ү for о у in the first syllable; back vowels (ы ұ, or а о alone) give
    қ ғ for к г. Mixed words (loans) stay.
    """
    vowels = [c for c in word if c in _VOWELS]
    back = any(c in "ыұ" for c in vowels) or (bool(vowels) and set(vowels) <= set("ао"))
    front = not back and any(c in "еәөүіи" for c in vowels)
    if front:  # о and ө, у and ү differ only in a first syllable; и is і everywhere
        first = next((i for i, c in enumerate(word) if c in _VOWELS), 0)
        head = word[: first + 1].translate(str.maketrans("оу", "өү"))
        return (head + word[first + 1 :]).replace("и", "і")
    if back and not any(c in "еәөүі" for c in vowels):
        return word.translate(str.maketrans("кг", "қғ"))
    return word
