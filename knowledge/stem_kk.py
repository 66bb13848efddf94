"""A light Kazakh suffix stemmer (no maintained offline one exists).

Kazakh is agglutinative: "көмекшілердің" = көмекші + лер (plural) + дің (genitive). The
stemmer strips case, possessive, plural and common verb/derivation endings, longest first,
a few rounds, never below a minimal stem. It aims at recall for search, not at linguistics:
the same word in different forms must meet at the same stem.
"""

from __future__ import annotations

from collections.abc import Sequence

MIN_STEM = 3  # characters a stem keeps after any suffix is removed
ROUNDS = 4
_VOICED_FINAL = {"ғ": "қ", "г": "к", "б": "п"}  # құқығы → құқық: stems end unvoiced

SUFFIXES = sorted(
    {
        # plural
        "лар",
        "лер",
        "дар",
        "дер",
        "тар",
        "тер",
        # possessive
        "ымыз",
        "іміз",
        "мыз",
        "міз",
        "ыңыз",
        "іңіз",
        "ңыз",
        "ңіз",
        "сы",
        "сі",
        "ым",
        "ім",
        "ың",
        "ің",
        # genitive, accusative, dative, locative, ablative, instrumental, equative
        "ның",
        "нің",
        "дың",
        "дің",
        "тың",
        "тің",
        "ны",
        "ні",
        "ды",
        "ді",
        "ты",
        "ті",
        "ға",
        "ге",
        "қа",
        "ке",
        "на",
        "не",
        "да",
        "де",
        "та",
        "те",
        "нда",
        "нде",
        "дан",
        "ден",
        "тан",
        "тен",
        "нан",
        "нен",
        "мен",
        "бен",
        "пен",
        "ша",
        "ше",
        "дай",
        "дей",
        # derivation: -лық/-лік (abstract nouns), -сыз/-сіз (without), -лы/-лі (with)
        "лық",
        "лік",
        "дық",
        "дік",
        "тық",
        "тік",
        "сыз",
        "сіз",
        "лы",
        "лі",
        # verbs: gerund, participles, past, infinitive of purpose, converbs, modality
        "уға",
        "уге",
        "уы",
        "уі",
        "атын",
        "етін",
        "йтын",
        "йтін",
        "ған",
        "ген",
        "қан",
        "кен",
        "ады",
        "еді",
        "йды",
        "йді",
        "ылды",
        "ілді",
        "лды",
        "лді",
        "ынды",
        "інді",
        "мақ",
        "мек",
        "пақ",
        "пек",
        "уші",
        "ушы",
        "ып",
        "іп",
        "у",
        # single vowels and consonants of case/possessive endings
        "ы",
        "і",
        "а",
        "е",
        "н",
        "м",
        "ң",
    },
    key=len,
    reverse=True,
)
_VOWELS = set("аәеиоөұүыіэюя")


def stem(word: str, suffixes: Sequence[str] = SUFFIXES) -> str:
    """The stem of a lower-case Kazakh word ("көмекшілердің" → "көмекш")."""
    for _ in range(ROUNDS):
        for suffix in suffixes:
            if not word.endswith(suffix):
                continue
            rest = word[: -len(suffix)]
            if len(rest) >= MIN_STEM and any(c in _VOWELS for c in rest):
                word = rest
                break
        else:
            break
    return word[:-1] + _VOICED_FINAL[word[-1]] if word[-1:] in _VOICED_FINAL else word
