"""Cleaning a PDF extraction into logical blocks, without changing a word of the statute.

The only repairs are whitespace (hard line wraps, page breaks, spaced-out letters), the
copyright footer, the "for users" boilerplate and the watermark broken into short lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.errors import IngestError

BOILERPLATE = frozenset(
    {
        "Қолданушылар назарына!",
        "Қолданушыларға ыңғайлы болуы үшін ЗҚАИ мазмұнды жасады.",
        "МАЗМҰНЫ",
    }
)
FOOTER_START = "©"
# A line starting a block even without indentation: headings and editor's notes.
HEADING_START = re.compile(
    r"^\s{0,3}(\d+(?:-\d+)?-бап\b|\d+-тарау\.|\d+-БӨЛІМ\.|ЗҚАИ-ның ескертпесі!|Ескерту\."
    r"|_( _)+\s*$|\d( \d)* - б а п )"
)
SIGNATURE_END = re.compile(r"^(Президенті|Премьер-Министрі)\b")
BLOCK_INDENT = 4  # body blocks start with ≥ 4 spaces; wrapped lines start at column 0-1
PAGE_BREAK_BLANKS = 2  # a longer blank run is a page break, not the end of a block
WATERMARK_PIECE = 6  # characters; the broken watermark's lines are this short or shorter
WATERMARK_RUN = 8  # short lines in a row before a run counts as a watermark
_SPACED = re.compile(r"(?<!\S)(?:\S ){2,}\S(?!\S)")
_LOOKALIKES = str.maketrans("aceiopxyABCEHIKMOPTXY", "асеіорхуАВСЕНІКМОРТХУ")


@dataclass(frozen=True)
class Block:
    """One logical line of the statute (a heading, a paragraph, a note) and where it starts."""

    line: int
    text: str


@dataclass(frozen=True)
class CleanedSource:
    """A source text after cleaning: its title, its header line and its body blocks."""

    file: str
    title: str
    header: str
    blocks: tuple[Block, ...]


def normalise(text: str) -> str:
    """The search copy of a text: Latin look-alikes folded to Cyrillic, whitespace collapsed."""
    return " ".join(text.translate(_LOOKALIKES).split())


def _spaced_segment(segment: str) -> str:
    """Close up one word of a letter-spaced line when enough of its pieces are single letters."""
    pieces = [t for t in segment.split(" ") if t.strip(".,;:-")]
    singles = sum(len(t) == 1 for t in pieces)
    return segment.replace(" ", "") if pieces and singles >= 0.4 * len(pieces) else segment


def repair_spacing(line: str) -> str:
    """Close up spaced-out letters ("д а й ы н д а д ы" → "дайындады"); collapse other runs.

    A line with two or more double-space gaps is letter-spaced throughout: there the double
    gaps separate words and single spaces split letters.
    """
    line = line.strip()
    if len(re.findall(r"\S {2,}\S", line)) >= 2:
        line = " ".join(_spaced_segment(seg) for seg in re.split(r" {2,}", line))
    line = _SPACED.sub(lambda m: m.group(0).replace(" ", ""), line)
    return " ".join(line.split())


def _join(left: str, right: str) -> str:
    """Join a wrapped line to the text before it, without inventing or dropping characters."""
    if not left:
        return right
    if left.endswith("(") or (left.endswith("-") and not left.endswith(" -")) or right[:1] in ",.;:)":
        return left + right
    return f"{left} {right}"


def decode(data: bytes, file: str) -> str:
    """UTF-8 text, or an error naming the line of the first undecodable byte."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise IngestError(file, line, f"not UTF-8 text (byte 0x{data[err.start]:02x})") from None


def _drop_watermark(lines: list[str]) -> list[str]:
    """Blank out runs of very short lines: a watermark the PDF extraction broke apart."""
    out = list(lines)
    i = 0
    while i < len(lines):
        j, short = i, 0
        while j < len(lines) and len(lines[j].strip()) <= WATERMARK_PIECE:
            short += bool(lines[j].strip())
            j += 1
        if short >= WATERMARK_RUN:
            out[i:j] = [""] * (j - i)
        i = max(j, i + 1)
    return out


def _drop_footer(lines: list[str]) -> list[str]:
    """Blank out the copyright footer: a line starting with © and the lines wrapped after it."""
    out = list(lines)
    for i, line in enumerate(lines):
        if line.lstrip().startswith(FOOTER_START):
            j = i
            while j < len(lines) and lines[j].strip():
                out[j] = ""
                j += 1
    return out


def clean(text: str, file: str) -> CleanedSource:
    """Turn a source text into title, header and blocks (pure; raises IngestError)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines = _drop_footer(_drop_watermark(lines))
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    if i == len(lines):
        raise IngestError(file, 1, "the file is empty")
    title_lines: list[str] = []
    while i < len(lines) and lines[i].strip():
        title_lines.append(lines[i].strip())
        i += 1
    while i < len(lines) and not lines[i].strip():
        i += 1
    if i == len(lines):
        raise IngestError(file, len(lines), "the file ends after its title: no header, no body")
    header_line, header = i + 1, lines[i].strip()
    blocks: list[Block] = []
    current: list[str] = []
    start = 0
    blanks = 0
    previous = ""

    def flush() -> None:
        if current:
            joined = ""
            for piece in current:
                joined = _join(joined, piece)
            blocks.append(Block(start, joined))
            current.clear()

    for n in range(i + 1, len(lines)):
        raw = lines[n].rstrip()
        stripped = raw.strip()
        if not stripped:
            blanks += 1
            continue
        if stripped in BOILERPLATE:
            blanks = 0
            continue
        indent = len(raw) - len(raw.lstrip(" "))
        new_block = (
            not current
            or indent >= BLOCK_INDENT
            or bool(HEADING_START.match(raw))
            or (blanks in range(1, PAGE_BREAK_BLANKS + 1) and not stripped[0].islower())
        )
        new_block = new_block or bool(SIGNATURE_END.match(previous))
        blanks, previous = 0, stripped
        if new_block:
            flush()
            start = n + 1
        current.append(repair_spacing(stripped))
    flush()
    if not blocks:
        raise IngestError(file, header_line, "no body text after the header")
    return CleanedSource(file, " ".join(title_lines), header, tuple(blocks))
