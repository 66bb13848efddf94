"""Reading the catalog and writing/reading act trees as deterministic JSON files."""

from __future__ import annotations

import hashlib
import os
import tempfile
import tomllib
from collections.abc import Callable
from pathlib import Path

from ingest.clean import clean, decode
from ingest.errors import IngestError
from ingest.model import Act, ActMeta
from ingest.parse import parse

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SOURCES_DIR = PROJECT_ROOT / "knowledge" / "sources"
ACTS_DIR = PROJECT_ROOT / "knowledge" / "acts"
CATALOG = "catalog.toml"
_END_OF_TEXT = (".", ";", ":", "!", "?", '"', "»", ")")


def load_catalog(sources_dir: Path = SOURCES_DIR) -> list[ActMeta]:
    """The acts listed in the sources folder's catalog, in catalog order."""
    path = sources_dir / CATALOG
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise IngestError(str(path), 1, f"cannot read the catalog: {err}") from None
    return [ActMeta(**entry) for entry in data.get("act", [])]


def build_act(meta: ActMeta, source: Path) -> Act:
    """Read, clean and parse one source text; raise IngestError naming file and line."""
    try:
        data = source.read_bytes()
    except OSError as err:
        raise IngestError(str(source), 0, f"cannot read: {err.strerror}") from None
    text = decode(data, str(source))
    cleaned = clean(text, str(source))
    act = parse(cleaned, meta, hashlib.sha256(data).hexdigest())
    last = cleaned.blocks[-1]
    if act.signature is None:
        raise IngestError(str(source), last.line, "no signature at the end: is the file truncated?")
    if last.text != act.signature and not last.text.endswith(_END_OF_TEXT):
        raise IngestError(str(source), last.line, "the text stops mid-sentence: is it truncated?")
    return act


def act_json(act: Act) -> str:
    """The act tree as JSON; the same act always gives the same bytes."""
    return act.model_dump_json(indent=1) + "\n"


def _write_atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def build_all(
    sources_dir: Path = SOURCES_DIR,
    acts_dir: Path = ACTS_DIR,
    on_act: Callable[[ActMeta], None] | None = None,
) -> list[Path]:
    """Rebuild every act; nothing in `acts_dir` changes unless every act parses."""
    acts = []
    for meta in load_catalog(sources_dir):
        if on_act:
            on_act(meta)
        acts.append(build_act(meta, sources_dir / meta.file))
    acts_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for act in acts:
        path = acts_dir / f"{act.meta.id}.json"
        _write_atomic(path, act_json(act))
        written.append(path)
    return written


def load_acts(acts_dir: Path = ACTS_DIR) -> list[Act]:
    """The act trees in `acts_dir` (oldest act first)."""
    paths = sorted(acts_dir.glob("*.json"))
    acts = [Act.model_validate_json(p.read_text(encoding="utf-8")) for p in paths]
    return sorted(acts, key=lambda a: a.meta.date)
