"""Checks on an LLM explanation: what a model may not slip past the reader.

Every rule fails closed: a sentence that cannot be checked is dropped, and a reply with a link,
a domain, an @-name or a phone number is dropped whole (it means the model was steered).
- quotations in any quote-mark style (« » “ ” „ " ' ‘ ’ ‚ ‹ ›, and unbalanced ones) must be
  verbatim in the provisions the sentence cites;
- numbers (digits or number words in kk/ru/en) must occur in those provisions or their citation;
- a negation (not, не, емес, -майды…) needs a negation in those provisions.
"""

from __future__ import annotations

import re

from knowledge.chunks import Chunk

QUOTE_MARKS = "«»“”„‟\"'‘’‚‹›「」"
_APOSTROPHE = re.compile(r"(?<=\w)['’](?=\w)")  # don't, O'Brien: not quote marks
_MARK = re.compile(f"[{re.escape(QUOTE_MARKS)}]")
LINK = re.compile(
    r"(?i)(?:https?://|www\.|tg://|\b[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}\b|(?<!\w)@\w{4,}|\+?\d[\d\s()\-]{7,}\d)"
)
_NUMBER_WORDS = {
    "en": "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty",
    "ru": "ноль один два три четыре пять шесть семь восемь девять десять одиннадцать двенадцать тринадцать "
    "четырнадцать пятнадцать шестнадцать семнадцать восемнадцать девятнадцать двадцать",
    "kk": "нөл бір екі үш төрт бес алты жеті сегіз тоғыз он",
}
_TENS = {
    "en": {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90},
    "ru": {"тридцать": 30, "сорок": 40, "пятьдесят": 50, "шестьдесят": 60, "семьдесят": 70, "восемьдесят": 80},
    "kk": {"жиырма": 20, "отыз": 30, "қырық": 40, "елу": 50, "алпыс": 60, "жетпіс": 70, "сексен": 80, "тоқсан": 90},
}
# Russian case forms that are not the nominative plus "и" (which is added for every word below).
_RU_FORMS = {
    "одна": 1, "одного": 1, "одной": 1, "две": 2, "двух": 2, "трех": 3, "трёх": 3, "четырех": 4, "четырёх": 4,
    "восьми": 8, "сорока": 40, "ста": 100, "сто": 100, "тысяча": 1000, "тысячи": 1000,
}  # fmt: skip


def _number_words() -> dict[str, int]:
    words: dict[str, int] = {}
    for lang, listing in _NUMBER_WORDS.items():
        for value, word in enumerate(listing.split()):
            words[word] = value
        words.update(_TENS[lang])
    for word, value in list(words.items()):
        if re.fullmatch(r"[а-я]+ь", word):  # пять → пяти, двадцать → двадцати
            words[word[:-1] + "и"] = value
    words.update(_RU_FORMS)
    words.update({"hundred": 100, "thousand": 1000, "жүз": 100, "мың": 1000})
    return words


NUMBER_WORDS = _number_words()
# Kazakh case and ordinal endings on number words ("жетінші", "сегізге"); stems of 3+ letters only,
# so that "үшін" (for) and "онда" (there) are not read as numbers.
_KK_ENDINGS = ("ыншы", "інші", "ншы", "нші", "ге", "ке", "ға", "қа", "ден", "тен", "дан", "тан", "нан", "нен", "ден")
# "one" / "один" / "бір" mostly mean "a": not checked when written as a word.
_ARTICLE_LIKE = {"one", "один", "одна", "одного", "одной", "бір"}
NEGATION = re.compile(
    r"(?i)\b(?:not|no|never|cannot|nobody|none|nothing|without|neither|nor|prohibit\w*|forbid\w*|"
    r"не|нет|ни|нельзя|никто|ничего|никогда|запрещ\w*|"
    r"емес|жоқ|тыйым\w*|ешкім\w*|ешқандай|ешқашан)\b|n't\b|"
    r"\b\w+(?:ма|ме|ба|бе|па|пе)(?:йды|йді|уға|уге|ған|ген|йтын|йтін|у|й|с)\b"
)


def has_link(text: str) -> bool:
    """True if the text holds a URL, a domain, an @-name or a phone number (Telegram links them)."""
    return LINK.search(text) is not None


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text).lower()


def quoted_spans(claim: str) -> list[str] | None:
    """The spans between quote marks of any style; None when the marks do not pair up."""
    text = _APOSTROPHE.sub("", claim)
    parts = _MARK.split(text)
    if len(parts) % 2 == 0:  # an odd number of marks: an unclosed quotation
        return None
    return parts[1::2]


def _word_value(word: str) -> int | None:
    if word in NUMBER_WORDS:
        return NUMBER_WORDS[word]
    for ending in _KK_ENDINGS:
        stem = word[: -len(ending)]
        if word.endswith(ending) and len(stem) >= 3 and stem in NUMBER_WORDS:
            return NUMBER_WORDS[stem]
    return None


_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")


def sentences(reply: str) -> list[str]:
    """The reply split into sentences, never inside a quotation ("«7. Волонтер…»" stays whole)."""
    marks = [m.start() for m in _MARK.finditer(reply) if not _APOSTROPHE.fullmatch(reply, m.start(), m.end())]
    out, start = [], 0
    for end in _SENTENCE_END.finditer(reply):
        if sum(pos < end.start() for pos in marks) % 2 == 0:  # outside any quotation
            out.append(reply[start : end.start()])
            start = end.end()
    out.append(reply[start:])
    return [s.strip() for s in out if s.strip()]


def outside_quotes(claim: str) -> str:
    """The claim without its quotations: the words the model wrote itself."""
    parts = _MARK.split(_APOSTROPHE.sub("", claim))
    return " ".join(parts[0::2])


def numbers(text: str) -> set[int]:
    """Numbers written as digits or as number words ("он сегіз" = 18, "twenty one" = 21)."""
    found = {int(n) for n in re.findall(r"\d+", text)}
    run = 0
    for word in [*re.findall(r"[^\W\d_]+", text.lower()), ""]:
        value = _word_value(word)
        if value is None or (word in _ARTICLE_LIKE and run == 0):
            if run:
                found.add(run)
            run = 0
            continue
        run = run * value if value >= 100 and run else run + value
    return found


def has_negation(text: str) -> bool:
    return NEGATION.search(text) is not None


def sentence_passes(claim: str, cited: list[Chunk], places: str) -> bool:
    """True if the quotations, numbers and negations of `claim` are backed by the cited provisions."""
    source = " ".join(c.quote for c in cited)
    spans = quoted_spans(claim)
    if spans is None or any(not _squash(s) or _squash(s) not in _squash(source) for s in spans):
        return False
    allowed = numbers(source) | numbers(places)
    if not numbers(claim) <= allowed:
        return False
    return not has_negation(claim) or has_negation(source)
