"""Cleaning an official text kept as Markdown into logical blocks, without changing a word.

The Russian texts come from a public mirror of the state legal database as Markdown. The only
changes are markup: YAML front matter, `<a id>` anchors, heading and block-quote marks, emphasis
asterisks, and the mirror's own table of parts ("Части документа"), which is navigation, not law.
Every other non-blank line is one block: the mirror writes each paragraph on one line.
"""

from __future__ import annotations

import re

from ingest.clean import Block, CleanedSource
from ingest.errors import IngestError

FRONT_MATTER = "---"
PARTS_HEADING = "Части документа"  # the mirror's list of the files a long act is split into
_ANCHOR = re.compile(r"<a id=[^>]*></a>")
_MARKS = re.compile(r"^[ \t]*(?:#+|>)[ \t]*")
_HEADING = re.compile(r"^#+\s")
_FIELD = re.compile(r"^([A-Za-z_]+):\s*(.*)$")


def strip_markup(line: str) -> str:
    """A Markdown line without anchors, heading or quote marks and emphasis asterisks."""
    return _MARKS.sub("", _ANCHOR.sub("", line)).replace("*", "").strip()


def _front_matter(lines: list[str], start: int, file: str, fields: dict[str, str]) -> int:
    """Read a front matter block opening at `start`; its top-level fields go into `fields`."""
    for n in range(start + 1, len(lines)):
        if lines[n].rstrip() == FRONT_MATTER:
            return n + 1
        if m := _FIELD.match(lines[n]):
            fields.setdefault(m[1], m[2].strip("'\""))
    raise IngestError(file, start + 1, "front matter opened with '---' is never closed")


def _skip_parts_table(lines: list[str], start: int) -> int:
    """The line after the mirror's table of parts: the next front matter, or the end."""
    n = start + 1
    while n < len(lines) and lines[n].rstrip() != FRONT_MATTER:
        n += 1
    return n


def clean_markdown(text: str, file: str) -> tuple[CleanedSource, dict[str, str]]:
    """Title and body blocks of a Markdown act, and the fields of its front matter (pure)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    fields: dict[str, str] = {}
    title: str | None = None
    title_line = 0
    blocks: list[Block] = []
    n = 0
    while n < len(lines):
        raw = lines[n].rstrip()
        if raw == FRONT_MATTER:
            n = _front_matter(lines, n, file, fields)
            continue
        if _HEADING.match(raw) and strip_markup(raw) == PARTS_HEADING:
            n = _skip_parts_table(lines, n)
            continue
        body = strip_markup(raw)
        if body and title is None:
            if not raw.startswith("# "):
                raise IngestError(file, n + 1, f"expected the act's title as '# …', found {body[:40]!r}")
            title, title_line = body, n + 1
        elif body:
            blocks.append(Block(n + 1, " ".join(body.split())))
        n += 1
    if title is None:
        raise IngestError(file, max(len(lines), 1), "the file is empty: no '# title' line")
    if not blocks:
        raise IngestError(file, title_line, "no body text after the title")
    return CleanedSource(file, title, "", tuple(blocks)), fields
