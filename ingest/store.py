"""Reading the catalog and writing/reading act trees as deterministic JSON files."""

from __future__ import annotations

import hashlib
import os
import tempfile
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ingest.clean import clean, decode
from ingest.errors import IngestError
from ingest.markdown import clean_markdown
from ingest.model import Act, ActMeta, OfficialText, OfficialTextMeta
from ingest.parse import parse
from ingest.parse_ru import parse_ru

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SOURCES_DIR = PROJECT_ROOT / "knowledge" / "sources"
ACTS_DIR = PROJECT_ROOT / "knowledge" / "acts"
CATALOG = "catalog.toml"
_END_OF_TEXT = (".", ";", ":", "!", "?", '"', "»", ")")


def _read_catalog(sources_dir: Path) -> dict[str, Any]:
    """The catalog's TOML; an unreadable catalog is an IngestError naming the file."""
    path = sources_dir / CATALOG
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise IngestError(str(path), 1, f"cannot read the catalog: {err}") from None


def load_catalog(sources_dir: Path = SOURCES_DIR) -> list[ActMeta]:
    """The acts listed in the sources folder's catalog, in catalog order."""
    return [ActMeta(**entry) for entry in _read_catalog(sources_dir).get("act", [])]


def load_official_catalog(sources_dir: Path = SOURCES_DIR) -> list[OfficialTextMeta]:
    """The official texts in other languages that the catalog lists, in catalog order."""
    return [OfficialTextMeta(**entry) for entry in _read_catalog(sources_dir).get("official", [])]


def build_official(meta: OfficialTextMeta, source: Path) -> OfficialText:
    """Read, clean and parse one official Markdown text; raise IngestError naming file and line."""
    try:
        data = source.read_bytes()
    except OSError as err:
        raise IngestError(str(source), 0, f"cannot read: {err.strerror}") from None
    cleaned, fields = clean_markdown(decode(data, str(source)), str(source))
    version = fields.get("version_date")
    if version is not None and version != meta.edition:
        raise IngestError(str(source), 1, f"version_date {version} is not the catalog's edition {meta.edition}")
    tree = parse_ru(cleaned, meta, hashlib.sha256(data).hexdigest())
    last = cleaned.blocks[-1]
    if not tree.signature or not tree.signature.endswith(last.text):
        raise IngestError(str(source), last.line, "the text does not end with the signature: is it truncated?")
    return tree


def official_json_name(meta: OfficialTextMeta) -> str:
    """`volunteer.ru.json` beside `volunteer.json`."""
    return f"{meta.act}.{meta.lang}.json"


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


def act_json(act: Act | OfficialText) -> str:
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
    trees: list[tuple[str, Act | OfficialText]] = [(f"{a.meta.id}.json", a) for a in acts]
    known = {a.meta.id for a in acts}
    for official in load_official_catalog(sources_dir):
        if official.act not in known:
            raise IngestError(str(sources_dir / CATALOG), 1, f"official text of unknown act {official.act!r}")
        trees.append((official_json_name(official), build_official(official, sources_dir / official.file)))
    acts_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, tree in trees:
        path = acts_dir / name
        _write_atomic(path, act_json(tree))
        written.append(path)
    return written


def act_paths(acts_dir: Path = ACTS_DIR) -> list[Path]:
    """The act tree files in `acts_dir`, by name (not the translations, `volunteer.ru.json`)."""
    return sorted(p for p in acts_dir.glob("*.json") if "." not in p.stem)


def load_acts(acts_dir: Path = ACTS_DIR) -> list[Act]:
    """The act trees in `acts_dir` (oldest act first)."""
    acts = [Act.model_validate_json(p.read_text(encoding="utf-8")) for p in act_paths(acts_dir)]
    return sorted(acts, key=lambda a: a.meta.date)


def load_official_texts(acts_dir: Path = ACTS_DIR) -> list[OfficialText]:
    """The official texts in other languages in `acts_dir` (`<act>.<lang>.json`), by file name."""
    paths = sorted(p for p in acts_dir.glob("*.*.json"))
    return [OfficialText.model_validate_json(p.read_text(encoding="utf-8")) for p in paths]
