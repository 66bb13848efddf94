"""Parsing cleaned blocks into an act tree (pure: blocks in, `Act` out).

Laws: section (БӨЛІМ) → chapter (тарау) → article (N-бап) → paragraph (N.) → sub-paragraph
(N)) → unnumbered parts. The 2005 resolution: its own points, then the report it approves:
front matter, the introduction and one section per Protocol article ("N-бап"), with the
report's paragraphs numbered straight through.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.clean import CleanedSource, normalise
from ingest.errors import IngestError
from ingest.model import Act, ActMeta, Kind, OfficialText, Provision, provision_id
from ingest.notes import is_note
from ingest.numbering import can_follow

_NUM = r"\d+(?:-\d+)?"
SECTION = re.compile(r"^(\d+)-БӨЛІМ\.\s*(.*)$")
CHAPTER = re.compile(r"^(\d+)-тарау\.\s*(.*)$")
ARTICLE = re.compile(rf"^({_NUM})-бап\.\s*(.*)$")
REPORT_ARTICLE = re.compile(r"^(\d+)-бап$")  # a report section titled by a Protocol article
PARAGRAPH = re.compile(rf"^({_NUM})\.\s+(.*)$")
SUBPARAGRAPH = re.compile(rf"^({_NUM})\)\s*(.*)$")
SIGNATURE = re.compile(r"^Қазақстан Республикасының(\s+(Президенті|Премьер-Министрі)(\s+\S\.\s*\S+)?)?$")
SIGNATURE_HEAD = "Қазақстан Республикасының"
INTRODUCTION = "Кіріспе"
REPORT_ID = "report"


def new_node(parent: Provision | None, kind: Kind, num: str | None, text: str = "") -> Provision:
    siblings = parent.children if parent else []
    ordinal = sum(1 for c in siblings if c.kind == kind) + 1
    node_id = provision_id(parent.id if parent else None, kind, num, ordinal)
    return Provision(id=node_id, kind=kind, num=num, text=text, search_text=normalise(text))


@dataclass
class ParseState:
    """Where the parser stands: the open provision at each level and the running numbering."""

    act: Act | OfficialText
    report: bool
    container: Provision | None = None  # the section or chapter receiving articles
    section: Provision | None = None  # the open БӨЛІМ, which receives chapters
    article: Provision | None = None  # or the report's introduction
    paragraph: Provision | None = None
    subparagraph: Provision | None = None
    last_paragraph: str | None = None
    last_subparagraph: str | None = None
    signature_open: bool = False
    points: list[Provision] = field(default_factory=list)

    def close_below_container(self) -> None:
        self.article = self.paragraph = self.subparagraph = None
        self.last_subparagraph = None


def parse(source: CleanedSource, meta: ActMeta, sha256: str) -> Act:
    """Build the act tree from cleaned blocks; every block lands in exactly one place."""
    if normalise(source.title) != normalise(meta.title):
        raise IngestError(source.file, 1, f"title {source.title!r} is not {meta.title!r}")
    act = Act(meta=meta, source_sha256=sha256, header=source.header)
    st = ParseState(act=act, report=meta.kind == "government_resolution")
    blocks = source.blocks
    for i, block in enumerate(blocks):
        text = block.text
        following = blocks[i + 1].text if i + 1 < len(blocks) else None
        if st.signature_open:
            act.signature = f"{act.signature} {text}"
            st.signature_open = False
            if st.report:
                _open_report(st)
        elif is_note(text):
            (st.article or st.container or _ActNotes(act)).notes.append(text)
        elif SIGNATURE.match(text) and act.signature is None and (st.article or st.report):
            act.signature = text
            st.signature_open = text == SIGNATURE_HEAD
        elif not (_structure(st, text) or add_numbered(st, text)):
            add_unnumbered(st, text, following)
    if not act.articles():
        last = blocks[-1].line if blocks else 1
        raise IngestError(source.file, last, "no articles found (expected lines like '1-бап. …')")
    return act


class _ActNotes:
    """Adapter so that notes before any article land in the act's own notes."""

    def __init__(self, act: Act) -> None:
        self.notes = act.notes


def _open_report(st: ParseState) -> None:
    """After the resolution's signature comes the report it approves."""
    report = Provision(id=REPORT_ID, kind="section")
    st.act.children.append(report)
    st.container = report
    st.close_below_container()
    st.last_paragraph = None


def start_article(st: ParseState, num: str, heading: str | None) -> None:
    article = Provision(id=provision_id(None, "article", num, 0), kind="article", num=num)
    article.heading = heading
    (st.container.children if st.container else st.act.children).append(article)
    st.close_below_container()
    st.article = article
    if not st.report:  # the report numbers its paragraphs straight through
        st.last_paragraph = None


def _structure(st: ParseState, text: str) -> bool:
    """Sections, chapters, articles and the report's own headings."""
    if st.report:
        if st.container is None or st.container.id != REPORT_ID:
            return False
        if normalise(text) == INTRODUCTION:
            intro = Provision(id="intro", kind="section", heading=text)
            st.container.children.append(intro)
            st.close_below_container()
            st.article = intro
            return True
        if m := REPORT_ARTICLE.match(text):
            start_article(st, m[1], text)
            return True
        return False
    return open_structure(st, text, SECTION, CHAPTER, ARTICLE)


def open_structure(
    st: ParseState, text: str, section: re.Pattern[str], chapter: re.Pattern[str], article: re.Pattern[str]
) -> bool:
    """Open a section, chapter or article whose heading matches the language's patterns."""
    if m := section.match(text):
        node = Provision(id=f"sec_{m[1]}", kind="section", num=m[1], heading=m[2])
        st.act.children.append(node)
        st.section = st.container = node
        st.close_below_container()
        return True
    if m := chapter.match(text):
        node = Provision(id=f"ch_{m[1]}", kind="chapter", num=m[1], heading=m[2])
        (st.section.children if st.section else st.act.children).append(node)
        st.container = node
        st.close_below_container()
        return True
    if m := article.match(text):
        start_article(st, m[1], m[2] or None)
        return True
    return False


def add_numbered(st: ParseState, text: str) -> bool:
    """Paragraphs ("N.") and sub-paragraphs ("N)") that fit the expected numbering."""
    m = PARAGRAPH.match(text)
    if m and can_follow(st.last_paragraph, m[1]):
        if st.article is not None:
            node = new_node(st.article, "paragraph", m[1], m[2])
            st.article.children.append(node)
        elif st.report and st.container is None:  # the resolution's own points
            node = new_node(None, "point", m[1], m[2])
            st.act.children.append(node)
        else:
            return False
        st.paragraph, st.subparagraph = node, None
        st.last_paragraph, st.last_subparagraph = m[1], None
        return True
    m = SUBPARAGRAPH.match(text)
    parent = st.paragraph or st.article
    if m and parent is not None and can_follow(st.last_subparagraph, m[1]):
        node = new_node(parent, "subparagraph", m[1], m[2])
        parent.children.append(node)
        st.subparagraph, st.last_subparagraph = node, m[1]
        return True
    return False


def add_unnumbered(st: ParseState, text: str, following: str | None) -> None:
    """An unnumbered block: the lead text or a part of the open sub-paragraph, paragraph or article.

    After a sub-paragraph, the block still belongs to it while the list goes on (it ends
    with ";" or another sub-paragraph follows); otherwise it belongs to the level above.
    """
    if st.subparagraph is not None:
        if text.endswith(";") or (following is not None and SUBPARAGRAPH.match(following)):
            st.subparagraph.children.append(new_node(st.subparagraph, "part", None, text))
            return
        st.subparagraph = None
    owner = st.paragraph or st.article or st.container
    if owner is None:
        st.act.preamble.append(text)
    elif not owner.text and not owner.children:
        owner.text, owner.search_text = text, normalise(text)
    else:
        owner.children.append(new_node(owner, "part", None, text))
