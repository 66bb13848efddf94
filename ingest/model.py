"""The act tree: one recursive provision node, shared by every later stage."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

from ingest.notes import note_dates

Kind = Literal["section", "chapter", "article", "paragraph", "subparagraph", "part", "point"]
ActKind = Literal["law", "government_resolution"]

ID_PREFIX: dict[str, str] = {
    "section": "sec",
    "chapter": "ch",
    "article": "art",
    "paragraph": "para",
    "subparagraph": "subpara",
    "part": "part",
    "point": "point",
}


class Provision(BaseModel):
    """A node of an act: its verbatim text for quoting and a normalised copy for search."""

    model_config = ConfigDict(extra="forbid")

    id: str
    kind: Kind
    num: str | None = None
    heading: str | None = None
    text: str = ""
    search_text: str = ""
    notes: list[str] = Field(default_factory=list)
    children: list[Provision] = Field(default_factory=list)

    def walk(self) -> Iterator[Provision]:
        """This node and all its descendants, in document order."""
        yield self
        for child in self.children:
            yield from child.walk()


class ActMeta(BaseModel):
    """What the catalog says about an act (title, number, date, kind, status)."""

    model_config = ConfigDict(extra="forbid")

    id: str
    file: str
    kind: ActKind
    title: str
    title_ru: str
    title_en: str
    number: str
    date: str
    status: str
    cues: list[str] = Field(default_factory=list)  # word stems that route a question to this act
    # The word `/article <command> <n>` uses for this act; None where the act's "articles" are
    # not its own (the 2005 report discusses the Protocol's articles), so no full article is offered.
    command: str | None = None

    def title_in(self, lang: str) -> str:
        """The act's title in "kk", "ru" or "en"."""
        return {"ru": self.title_ru, "en": self.title_en}.get(lang, self.title)


class ProvisionTree:
    """Lookups shared by every tree of provisions (the Kazakh act and its official translations)."""

    if TYPE_CHECKING:  # a field of each model; declared here for the type checker only
        children: list[Provision]

    def walk(self) -> Iterator[Provision]:
        """Every provision of the tree, in document order."""
        for child in self.children:
            yield from child.walk()

    def articles(self) -> list[Provision]:
        """The article nodes, wherever they sit (under sections, chapters or the act)."""
        return [p for p in self.walk() if p.kind == "article"]

    def find(self, provision_id: str) -> Provision | None:
        """The provision with this id, if any."""
        return next((p for p in self.walk() if p.id == provision_id), None)

    def article(self, num: str) -> Provision | None:
        """The article numbered `num` ("46", "6-1")."""
        return next((a for a in self.articles() if a.num == num), None)


class Act(ProvisionTree, BaseModel):
    """One statute: catalog metadata, the lines around the body, and its provision tree."""

    model_config = ConfigDict(extra="forbid")

    meta: ActMeta
    source_sha256: str
    header: str
    preamble: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    signature: str | None = None
    children: list[Provision] = Field(default_factory=list)

    def amendment_dates(self) -> list[str]:
        """Every dd.mm.yyyy date that an amendment note mentions, oldest first."""
        dates: set[str] = set()
        for note in [*self.notes, *(n for p in self.walk() for n in p.notes)]:
            dates.update(note_dates(note))
        return sorted(dates, key=lambda d: (d[6:], d[3:5], d[:2]))


class OfficialTextMeta(BaseModel):
    """What the catalog says about an official text of an act in another language."""

    model_config = ConfigDict(extra="forbid")

    act: str  # the catalog id of the Kazakh act it translates
    lang: Literal["ru"]
    file: str
    title: str
    edition: str  # YYYY-MM-DD: the date the edition is in force from
    origin: str  # where the text was taken from (repository, path, commit)


class OfficialText(ProvisionTree, BaseModel):
    """An act's official text in another language: a provision tree with the Kazakh tree's ids."""

    model_config = ConfigDict(extra="forbid")

    meta: OfficialTextMeta
    source_sha256: str
    preamble: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    signature: str | None = None
    children: list[Provision] = Field(default_factory=list)


def provision_id(parent_id: str | None, kind: Kind, num: str | None, ordinal: int) -> str:
    """A stable id derived from the path, e.g. `art_46__para_2__subpara_9`."""
    label = f"{ID_PREFIX[kind]}_{num if num is not None else ordinal}"
    return f"{parent_id}__{label}" if parent_id else label
