"""Citations as values: they print in Kazakh, Russian and English and parse back."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Lang = Literal["kk", "ru", "en"]
_NUM = r"\d+(?:-\d+)?"

_PATTERNS: dict[Lang, re.Pattern[str]] = {
    "kk": re.compile(rf"^(?:(?P<a>{_NUM})-бап)?(?:,?\s*(?P<p>{_NUM})-тармақ)?(?:,?\s*(?P<s>{_NUM})\)\s*тармақша)?$"),
    "ru": re.compile(rf"^(?:ст\.\s*(?P<a>{_NUM}))?(?:,?\s*п\.\s*(?P<p>{_NUM}))?(?:,?\s*пп\.\s*(?P<s>{_NUM})\))?$"),
    "en": re.compile(
        rf"^(?:Art\.\s*(?P<a>{_NUM}))?(?:\((?P<p>{_NUM})\)|,?\s*para\.\s*(?P<p2>{_NUM}))?"
        rf"(?:\((?P<s>{_NUM})\)|,?\s*item\s*(?P<s2>{_NUM})\))?$"
    ),
}


@dataclass(frozen=True, order=True)
class Citation:
    """A place in an act: article, paragraph and sub-paragraph numbers (any may be absent)."""

    article: str | None = None
    paragraph: str | None = None
    subparagraph: str | None = None

    def format(self, lang: Lang = "kk") -> str:
        """The citation as a lawyer writes it in `lang`."""
        a, p, s = self.article, self.paragraph, self.subparagraph
        parts: list[str] = []
        if lang == "kk":
            parts += [f"{a}-бап"] if a else []
            parts += [f"{p}-тармақ"] if p else []
            parts += [f"{s}) тармақша"] if s else []
            return ", ".join(parts)
        if lang == "ru":
            parts += [f"ст. {a}"] if a else []
            parts += [f"п. {p}"] if p else []
            parts += [f"пп. {s})"] if s else []
            return ", ".join(parts)
        if a is None:
            head = ", ".join([f"para. {p}"] if p else [])
            return ", ".join(x for x in (head, f"item {s})" if s else "") if x)
        text = f"Art. {a}"
        if p:
            text += f"({p})"
            return text + (f"({s})" if s else "")
        return text + (f", item {s})" if s else "")

    @classmethod
    def parse(cls, text: str) -> Citation:
        """Read a citation printed by `format` in any of the three languages."""
        cleaned = " ".join(text.split())
        for pattern in _PATTERNS.values():
            m = pattern.match(cleaned)
            if m and any(m.groupdict().values()):
                g = m.groupdict()
                return cls(g.get("a"), g.get("p") or g.get("p2"), g.get("s") or g.get("s2"))
        raise ValueError(f"not a citation: {text!r}")

    def __str__(self) -> str:
        return self.format("kk")
