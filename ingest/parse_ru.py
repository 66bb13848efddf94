"""Parsing an official Russian text into a tree with the same node ids as the Kazakh one.

Only the headings, notes and signature differ from Kazakh: "РАЗДЕЛ N." → section, "Глава N."
→ chapter, "Статья N." → article, "Сноска. …" → an amendment note (metadata of its article).
Paragraphs ("N."), sub-paragraphs ("N)") and unnumbered parts go through the Kazakh parser's
own steps, so the same structure gets the same ids (`art_46__para_2__subpara_9`).
"""

from __future__ import annotations

import re

from ingest.clean import CleanedSource, normalise
from ingest.errors import IngestError
from ingest.model import OfficialText, OfficialTextMeta
from ingest.parse import ParseState, add_numbered, add_unnumbered, open_structure

_NUM = r"\d+(?:-\d+)?"
SECTION = re.compile(r"^РАЗДЕЛ (\d+)\.\s*(.*)$")
CHAPTER = re.compile(r"^Глава (\d+)\.\s*(.*)$")
ARTICLE = re.compile(rf"^Статья ({_NUM})\.\s*(.*)$")
NOTE_START = re.compile(r"^Сноска\.")
SIGNATURE_HEAD = "Президент Республики Казахстан"


def is_note_ru(block: str) -> bool:
    """True for an editor's note ("Сноска. …"), which is metadata, never statute text."""
    return bool(NOTE_START.match(normalise(block)))


def _structure(st: ParseState, text: str) -> bool:
    """Sections, chapters and articles (matched on the look-alike-folded text)."""
    folded = normalise(text)
    return open_structure(st, folded, SECTION, CHAPTER, ARTICLE)


def parse_ru(source: CleanedSource, meta: OfficialTextMeta, sha256: str) -> OfficialText:
    """Build the Russian tree from cleaned blocks; every block lands in exactly one place."""
    if normalise(source.title) != normalise(meta.title):
        raise IngestError(source.file, 1, f"title {source.title!r} is not {meta.title!r}")
    text_tree = OfficialText(meta=meta, source_sha256=sha256)
    st = ParseState(act=text_tree, report=False)
    blocks = source.blocks
    for i, block in enumerate(blocks):
        text = block.text
        following = blocks[i + 1].text if i + 1 < len(blocks) else None
        if st.signature_open:
            text_tree.signature = f"{text_tree.signature} {text}"
            st.signature_open = False
        elif text_tree.signature is not None:
            raise IngestError(source.file, block.line, "text after the signature")
        elif is_note_ru(text):
            owner = st.article or st.container
            (owner.notes if owner else text_tree.notes).append(text)
        elif text == SIGNATURE_HEAD and st.article is not None:
            text_tree.signature = text
            st.signature_open = True
        elif not (_structure(st, text) or add_numbered(st, text)):
            add_unnumbered(st, text, following)
    last = blocks[-1].line if blocks else 1
    if not text_tree.articles():
        raise IngestError(source.file, last, "no articles found (expected headings like 'Статья 1. …')")
    if text_tree.signature is None or st.signature_open:
        raise IngestError(source.file, last, "no signature at the end: is the file truncated?")
    return text_tree
