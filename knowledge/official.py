"""Official translations of the chunks: search in the law's own Russian words, quote where current.

Each Kazakh chunk whose provision also stands in the official Russian tree (same id, see
`ingest.align`) gets the Russian chunk built the same way (lead-in … provision). Search uses it
wherever it aligns; answers may show it as the official text only where the edition rule says it
is current, i.e. the article has no Kazakh amendment note dated after the Russian edition.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ingest.align import Alignment, align
from ingest.model import Act, OfficialText
from knowledge.chunks import Chunk, act_chunks
from knowledge.enrichment import Enrichment
from knowledge.lexical import Bm25
from knowledge.tokens import tokens


@dataclass(frozen=True)
class OfficialQuote:
    """A chunk's official translation and whether it may be shown as the law today."""

    lang: str
    quote: str  # lead-in … provision, verbatim from the official text
    heading: str | None  # the article heading in that language
    edition: str  # yyyy-mm-dd
    current: bool
    newer_kk: tuple[str, ...] = ()  # dates of Kazakh amendments the edition lacks (when not current)


@dataclass
class OfficialTexts:
    """The official translations of every act, keyed like the Kazakh chunks ("<act>/<provision>")."""

    quotes: dict[str, OfficialQuote] = field(default_factory=dict)
    alignments: dict[str, Alignment] = field(default_factory=dict)  # by act id
    trees: dict[str, OfficialText] = field(default_factory=dict)  # by act id

    @classmethod
    def build(cls, acts: Sequence[Act], texts: Sequence[OfficialText]) -> OfficialTexts:
        by_id = {a.meta.id: a for a in acts}
        out = cls()
        for text in texts:
            act = by_id.get(text.meta.act)
            if act is None:
                continue
            alignment = align(act, text)
            out.alignments[act.meta.id] = alignment
            out.trees[act.meta.id] = text
            aligned = set(alignment.aligned)
            for chunk in act_chunks(text):
                if chunk.provision_id not in aligned:
                    continue
                article = alignment.article_of(chunk.provision_id)
                out.quotes[chunk.key] = OfficialQuote(
                    lang=text.meta.lang,
                    quote=chunk.quote,
                    heading=chunk.heading,
                    edition=text.meta.edition,
                    current=alignment.is_current(chunk.provision_id),
                    newer_kk=alignment.out_of_date.get(article, ()),
                )
        return out

    def get(self, chunk_key: str, lang: str = "ru") -> OfficialQuote | None:
        """The official `lang` text of a chunk, current or not (None where there is none)."""
        found = self.quotes.get(chunk_key)
        return found if found is not None and found.lang == lang else None

    def out_of_date(self, chunk_key: str) -> tuple[str, tuple[str, ...]] | None:
        """(edition, later Kazakh amendment dates) where the chunk's article is out of date in translation."""
        act_id, _, provision_id = chunk_key.partition("/")
        alignment = self.alignments.get(act_id)
        if alignment is None:
            return None
        dates = alignment.out_of_date.get(alignment.article_of(provision_id))
        return (alignment.edition, dates) if dates else None

    def current(self, chunk_key: str, lang: str = "ru") -> OfficialQuote | None:
        """The official `lang` text of a chunk only where it may be shown as the law."""
        found = self.get(chunk_key, lang)
        return found if found is not None and found.current else None


@dataclass(frozen=True)
class Rendering:
    """A provision in another language: the official text (with its edition) or an unofficial rendering."""

    lang: str
    text: str
    official: bool
    edition: str | None  # yyyy-mm-dd of the official edition; None for an unofficial rendering


def renderings(chunk_key: str, official: OfficialTexts, enrichment: dict[str, Enrichment]) -> list[Rendering]:
    """Russian and English for a chunk: official Russian where current, else the reviewed rendering.

    An unofficial rendering is never marked official; English is always unofficial.
    """
    out: list[Rendering] = []
    entry = enrichment.get(chunk_key)
    ru = official.current(chunk_key, "ru")
    if ru is not None:
        out.append(Rendering("ru", ru.quote, True, ru.edition))
    elif entry is not None and entry.ru:
        out.append(Rendering("ru", entry.ru, False, None))
    if entry is not None and entry.en:
        out.append(Rendering("en", entry.en, False, None))
    return out


def official_tokens(quote: OfficialQuote | None) -> list[str]:
    """Russian search tokens of the official text: heading, lead-in and provision."""
    if quote is None:
        return []
    return tokens(" ".join(filter(None, (quote.heading, quote.quote))), "ru")


class OfficialLexical:
    """BM25 over the official Russian texts, aligned with the list of Kazakh chunks."""

    def __init__(self, chunks: Sequence[Chunk], official: OfficialTexts, folder: Path | None = None) -> None:
        """`folder` keeps the index between starts (None: built every time)."""
        docs = lambda: [official_tokens(official.get(c.key)) for c in chunks]  # noqa: E731
        self.index = Bm25.kept(folder, len(chunks), docs)

    def scores(self, question: str) -> np.ndarray:
        """Scores of every chunk for a Russian question (Snowball-stemmed)."""
        return self.index.scores(tokens(question, "ru"))
