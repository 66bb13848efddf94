"""Alignment of an official translation with the Kazakh tree, and the edition rule.

Both trees use path-derived ids, so aligning is comparing the ids of articles, paragraphs and
sub-paragraphs. Edition rule: a translated provision is the official text only where its
article carries no Kazakh amendment note dated after the translation's edition (the Kazakh
source may be a newer edition); elsewhere the translation is out of date and is not the law.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ingest.model import Act, OfficialText, Provision
from ingest.notes import note_dates

COMPARED = ("article", "paragraph", "subparagraph")


def iso(date: str) -> str:
    """dd.mm.yyyy → yyyy-mm-dd."""
    return f"{date[6:]}-{date[3:5]}-{date[:2]}"


@dataclass(frozen=True)
class Alignment:
    """How one official translation lines up with its Kazakh act."""

    act: str
    lang: str
    edition: str  # yyyy-mm-dd
    aligned: tuple[str, ...]  # ids present in both trees, Kazakh order
    only_kk: tuple[str, ...]
    only_translation: tuple[str, ...]
    out_of_date: dict[str, tuple[str, ...]] = field(default_factory=dict)  # article id → later note dates

    def article_of(self, provision_id: str) -> str:
        return provision_id.split("__", 1)[0]

    def is_current(self, provision_id: str) -> bool:
        """True where the translation of this provision may be shown as the official text."""
        base = provision_id.split("__part_", 1)[0]
        return base in set(self.aligned) and self.article_of(base) not in self.out_of_date

    @property
    def mismatches(self) -> tuple[str, ...]:
        return self.only_kk + self.only_translation


def _compared_ids(nodes: list[Provision]) -> list[str]:
    return [p.id for top in nodes for p in top.walk() if p.kind in COMPARED]


def _later_dates(notes: list[str], edition: str) -> list[str]:
    return sorted({d for note in notes for d in note_dates(note) if iso(d) > edition}, key=iso)


def _article_notes(act: Act) -> dict[str, list[str]]:
    """Each article's notes together with those of the chapters and sections around it."""
    out: dict[str, list[str]] = {}

    def visit(node: Provision, inherited: list[str]) -> None:
        notes = [*inherited, *node.notes]
        if node.kind == "article":
            out[node.id] = notes
        for child in node.children:
            visit(child, notes)

    for top in act.children:
        visit(top, list(act.notes))
    return out


def align(act: Act, translation: OfficialText) -> Alignment:
    """Compare the trees and apply the edition rule."""
    kk = _compared_ids(act.children)
    tr = _compared_ids(translation.children)
    tr_set, kk_set = set(tr), set(kk)
    edition = translation.meta.edition
    out_of_date = {}
    for article_id, notes in _article_notes(act).items():
        later = _later_dates(notes, edition)
        if later:
            out_of_date[article_id] = tuple(later)
    return Alignment(
        act=act.meta.id,
        lang=translation.meta.lang,
        edition=edition,
        aligned=tuple(i for i in kk if i in tr_set),
        only_kk=tuple(i for i in kk if i not in tr_set),
        only_translation=tuple(i for i in tr if i not in kk_set),
        out_of_date=out_of_date,
    )


def report(alignment: Alignment) -> str:
    """The alignment as a few human-readable lines."""
    a = alignment
    lines = [
        f"{a.act} ({a.lang}, edition {a.edition}): {len(a.aligned)} aligned, "
        f"{len(a.mismatches)} mismatches, {len(a.out_of_date)} out-of-date articles"
    ]
    if a.only_kk:
        lines.append(f"  only in Kazakh: {', '.join(a.only_kk)}")
    if a.only_translation:
        lines.append(f"  only in {a.lang}: {', '.join(a.only_translation)}")
    for article_id, dates in a.out_of_date.items():
        lines.append(f"  out of date: {article_id} (Kazakh amendment notes of {', '.join(dates)})")
    return "\n".join(lines)
