"""Which language a question is in (kk / ru / en), and Latin-script Kazakh to Cyrillic."""

from __future__ import annotations

import re

from knowledge.tokens import KAZAKH_LETTERS, Lang

_CYRILLIC = re.compile(r"[а-яёәғқңөұүһі]", re.IGNORECASE)
_LATIN = re.compile(r"[a-zäöüğşçıñū]", re.IGNORECASE)
_KAZAKH_LATIN_LETTERS = set("äöüğşıñūÄÖÜĞŞIÑŪ") - {"I"}
# Common Kazakh words and endings as people type them in Latin letters.
_KAZAKH_LATIN_WORDS = frozenset(
    [
        "men",
        "sen",
        "ol",
        "biz",
        "siz",
        "olar",
        "jane",
        "zhane",
        "ushin",
        "úshin",
        "turaly",
        "bola",
        "ma",
        "me",
        "ba",
        "be",
        "pa",
        "pe",
        "qalay",
        "kalay",
        "kim",
        "ne",
        "nege",
        "qanday",
        "kandai",
        "kerek",
        "bar",
        "jok",
        "zhok",
        "joq",
        "volonter",
        "volonterler",
        "qogamdyq",
        "kogamdyk",
        "komekshi",
        "kómekshi",
        "komekshisi",
        "zan",
        "zang",
        "zany",
        "bap",
        "bala",
        "balalar",
        "jas",
        "zhas",
        "jasta",
        "zhasta",
        "tolmagan",
        "quqyq",
        "kukyk",
        "qukyq",
        "qyzmet",
        "kyzmet",
        "uiym",
        "uyim",
        "toleidi",
        "tóleidi",
        "alady",
        "bolady",
        "boluga",
        "mumkin",
        "múmkin",
    ]
)
# Russian words without Kazakh letters that also appear in Kazakh sentences are not evidence.
_RU_MARKERS = re.compile(r"\b(что|как|можно|ли|если|или|для|это|меня|мне|кто|какие|какой|нужно)\b", re.I)

# Latin (2021 alphabet and common informal spellings) → Cyrillic, longest patterns first.
_TRANSLIT = [
    ("sh", "ш"),
    ("ch", "ч"),
    ("zh", "ж"),
    ("kh", "х"),
    ("ng", "ң"),
    ("yu", "ю"),
    ("ya", "я"),
    ("ä", "ә"),
    ("ö", "ө"),
    ("ü", "ү"),
    ("ū", "ұ"),
    ("ğ", "ғ"),
    ("ş", "ш"),
    ("ç", "ч"),
    ("ñ", "ң"),
    ("ı", "ы"),
    ("a", "а"),
    ("b", "б"),
    ("c", "с"),
    ("d", "д"),
    ("e", "е"),
    ("f", "ф"),
    ("g", "г"),
    ("h", "һ"),
    ("i", "і"),
    ("j", "ж"),
    ("k", "к"),
    ("l", "л"),
    ("m", "м"),
    ("n", "н"),
    ("o", "о"),
    ("p", "п"),
    ("q", "қ"),
    ("r", "р"),
    ("s", "с"),
    ("t", "т"),
    ("u", "у"),
    ("v", "в"),
    ("w", "у"),
    ("x", "х"),
    ("y", "ы"),
    ("z", "з"),
]
_TRANSLIT_RE = re.compile("|".join(re.escape(a) for a, _ in _TRANSLIT), re.IGNORECASE)
_TRANSLIT_MAP = dict(_TRANSLIT)


def is_latin_kazakh(text: str) -> bool:
    """True for Kazakh typed in Latin letters (2021 alphabet or informal spelling)."""
    if _CYRILLIC.search(text) or not _LATIN.search(text):
        return False
    if _KAZAKH_LATIN_LETTERS.intersection(text):
        return True
    words = re.findall(r"[a-zA-Z']+", text.lower())
    hits = sum(w in _KAZAKH_LATIN_WORDS for w in words)
    return hits >= 2 or (hits >= 1 and len(words) <= 3)


def transliterate(text: str) -> str:
    """Latin-script Kazakh in Cyrillic letters ("Qogamdyq komekshi" → "Қогамдық комекші")."""

    def swap(m: re.Match[str]) -> str:
        src = m.group(0)
        out = _TRANSLIT_MAP[src.lower()]
        return out.upper() if src[0].isupper() and len(out) == 1 else out

    return _TRANSLIT_RE.sub(swap, text)


def detect(text: str) -> Lang:
    """The question's language: Kazakh letters → kk; other Cyrillic → ru; Latin → en or kk."""
    cyr = len(_CYRILLIC.findall(text))
    lat = len(_LATIN.findall(text))
    if cyr == 0 and lat == 0:
        return "kk"
    if cyr >= lat:
        if KAZAKH_LETTERS.intersection(text.lower()) and not len(_RU_MARKERS.findall(text)) >= 2:
            return "kk"
        return "ru"
    return "kk" if is_latin_kazakh(text) else "en"
