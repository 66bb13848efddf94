"""Chunks: the provisions that search returns, each with its act, citation and quote text.

A chunk is a leaf-level provision as a reader cites it: a paragraph without sub-paragraphs,
a sub-paragraph (with the lead-in of its paragraph), an article without paragraphs, or the
Protocol text that opens a section of the 2005 report. Unnumbered parts belong to the
chunk they continue.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ingest.citation import Citation
from ingest.model import Act, OfficialText, Provision

QUOTE_GAP = " … "  # between a lead-in and its sub-paragraph in a quote


@dataclass(frozen=True)
class Chunk:
    """One citable provision with everything an answer needs to quote and cite it."""

    key: str  # "<act id>/<provision id>", unique across acts
    act_id: str
    provision_id: str
    article_id: str | None
    citation: Citation
    heading: str | None  # the article heading
    lead_in: str | None  # the paragraph (or article) text that introduces a sub-paragraph
    text: str  # verbatim text of the provision and its unnumbered parts
    label: str  # "9)" or "2." as it stands in the statute

    @property
    def article_key(self) -> str | None:
        """The enrichment key of the chunk's article ("<act id>/<article id>"), if it has one."""
        return f"{self.act_id}/{self.article_id}" if self.article_id else None

    @property
    def quote(self) -> str:
        """The verbatim quote: lead-in … provision text (each piece occurs in the source)."""
        body = f"{self.label} {self.text}".strip() if self.label else self.text
        return f"{self.lead_in}{QUOTE_GAP}{body}" if self.lead_in else body


def _own_text(node: Provision) -> str:
    """The provision's text followed by its unnumbered parts (recursively)."""
    parts = [node.text] if node.text else []
    for child in node.children:
        if child.kind == "part":
            parts.append(_own_text(child))
    return "\n".join(parts)


def _lead_in(parent: Provision, item: Provision) -> str | None:
    """The text that introduces a sub-paragraph: the last unnumbered text before its list."""
    lead = parent.text or None
    for child in parent.children:
        if child.kind == "subparagraph":
            break
        if child.kind == "part" and child.text:
            lead = child.text
    return lead


def _has_numbered(node: Provision) -> bool:
    return any(c.kind in ("paragraph", "subparagraph", "point") for c in node.children)


def _label(node: Provision) -> str:
    if node.kind in ("paragraph", "point"):
        return f"{node.num}."
    return f"{node.num})" if node.kind == "subparagraph" else ""


def _is_repealed(text: str) -> bool:
    return text.lower().startswith(("алып тасталды", "алып тастау көзделген", "исключен"))


def act_chunks(act: Act | OfficialText) -> Iterator[Chunk]:
    """Every chunk of an act (or of its official translation, keyed like the Kazakh), in order."""
    act_id = act.meta.id if isinstance(act, Act) else act.meta.act

    def make(node: Provision, article: Provision | None, paragraph: Provision | None, lead: str | None) -> Chunk:
        para_num = paragraph.num if paragraph else (node.num if node.kind in ("paragraph", "point") else None)
        citation = Citation(
            article.num if article else None,
            para_num,
            node.num if node.kind == "subparagraph" else None,
        )
        return Chunk(
            key=f"{act_id}/{node.id}",
            act_id=act_id,
            provision_id=node.id,
            article_id=article.id if article else None,
            citation=citation,
            heading=article.heading if article and article.heading != f"{article.num}-бап" else None,
            lead_in=lead,
            text=_own_text(node),
            label=_label(node),
        )

    def visit(node: Provision, article: Provision | None, paragraph: Provision | None) -> Iterator[Chunk]:
        if node.kind == "article":
            article = node
        if node.kind in ("paragraph", "point"):
            paragraph = node
        own = _own_text(node)
        numbered = _has_numbered(node)
        if own and not _is_repealed(node.text):
            if node.kind == "subparagraph":
                parent = paragraph if paragraph is not None else article
                yield make(node, article, paragraph, _lead_in(parent, node) if parent else None)
            elif node.kind != "section" and (not numbered or node.kind == "article"):
                yield make(node, article, paragraph, None)
        for child in node.children:
            if child.kind != "part":
                yield from visit(child, article, paragraph)

    for top in act.children:
        yield from visit(top, None, None)


def all_chunks(acts: list[Act]) -> list[Chunk]:
    """The chunks of every act."""
    return [chunk for act in acts for chunk in act_chunks(act)]
