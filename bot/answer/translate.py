"""Translations of quoted provisions, and which one a reader sees (DESIGN §2, "Answers").

Every citation carries the official Russian text where the edition rule says it is current
(verified verbatim against the official text, like the Kazakh quotes), otherwise the reviewed
Russian rendering marked unofficial, and the English rendering, always unofficial. A Russian
reader sees the official Russian instead of the Kazakh where there is one (the Kazakh stays in
the JSON and one tap away in Telegram), else the Kazakh with the unofficial rendering beside it;
an English reader sees the Kazakh with the English rendering; a Kazakh reader, the Kazakh.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.answer.model import Language, Translation
from bot.answer.verify import QuoteChecker
from bot.present.texts import text
from knowledge.chunks import Chunk
from knowledge.index import KnowledgeBase
from knowledge.official import renderings


def dotted(iso: str) -> str:
    """yyyy-mm-dd → dd.mm.yyyy, as the statutes write dates."""
    return f"{iso[8:]}.{iso[5:7]}.{iso[:4]}"


@dataclass(frozen=True)
class Display:
    """What a quote block shows beside (or instead of) the Kazakh text, and how it is labelled."""

    shown: Translation | None = None
    source_note: str | None = None
    shown_label: str | None = None


class Translator:
    """Builds the translations of a chunk and chooses the one shown in each language."""

    def __init__(self, kb: KnowledgeBase, min_piece: int = 4) -> None:
        self.kb = kb
        self.checker = QuoteChecker(list(kb.official.trees.values()), min_piece)

    def translations(self, chunk: Chunk) -> list[Translation]:
        """Official Russian where current and verified, else the unofficial rendering; then English."""
        out: list[Translation] = []
        for r in renderings(chunk.key, self.kb.official, self.kb.enrichment):
            if r.official:
                tree = self.kb.official.trees[chunk.act_id]
                if not self.checker.verify(tree.meta.title, r.text):
                    entry = self.kb.enrichment.get(chunk.key)
                    if entry is not None and entry.ru:
                        out.append(Translation(lang="ru", text=entry.ru, official=False))
                    continue
            lang: Language = "ru" if r.lang == "ru" else "en"
            out.append(Translation(lang=lang, text=r.text, official=r.official, edition=r.edition))
        return out

    def display(self, chunk: Chunk, translations: list[Translation], lang: Language) -> Display:
        """The translation a reader of `lang` sees, with its labels (nothing extra for Kazakh)."""
        if lang == "kk":
            return Display()
        t = text(lang)
        mine = [tr for tr in translations if tr.lang == lang]
        official = next((tr for tr in mine if tr.official), None)
        if official is not None:
            return Display(official, t.official_text.format(edition=dotted(official.edition or "")))
        unofficial = next((tr for tr in mine if not tr.official), None)
        if unofficial is None:
            return Display()
        label = t.unofficial
        stale = self.kb.official.out_of_date(chunk.key) if lang == "ru" else None
        if stale is not None:
            edition, dates = stale
            label = f"{label} ({t.stale_official.format(edition=dotted(edition), dates=', '.join(dates))})"
        return Display(unofficial, t.official_kazakh, label)
