"""Act trees are rebuilt deterministically, and a bad source never touches the existing ones."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ingest.errors import IngestError
from ingest.model import Act
from ingest.store import ACTS_DIR, SOURCES_DIR, act_json, build_all, load_acts


def test_committed_trees_are_up_to_date(acts: dict[str, Act]) -> None:
    for key, act in acts.items():
        committed = (ACTS_DIR / f"{key}.json").read_text(encoding="utf-8")
        assert act_json(act) == committed, f"run `python -m ingest`: {key}.json is stale"


def test_rebuild_is_byte_identical(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    build_all(SOURCES_DIR, first)
    build_all(SOURCES_DIR, second)
    names = sorted(p.name for p in first.iterdir())
    assert names == [
        "assembly.json",
        "assembly.ru.json",
        "prevention.json",
        "prevention.ru.json",
        "protocol-report.json",
        "volunteer.json",
        "volunteer.ru.json",
    ]
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes()
    assert [a.meta.id for a in load_acts(first)] == ["protocol-report", "assembly", "volunteer", "prevention"]


def _sources_with(tmp_path: Path, name: str, data: bytes) -> Path:
    folder = tmp_path / "sources"
    shutil.copytree(SOURCES_DIR, folder)
    target = folder / name
    target.chmod(0o644)
    target.write_bytes(data)
    return folder


def _truncated() -> bytes:
    lines = (SOURCES_DIR / "assembly.txt").read_bytes().splitlines(keepends=True)
    return b"".join(lines[: len(lines) // 2])


def _no_articles() -> bytes:
    return "Қазақстан халқы Ассамблеясы туралы\n\nЗаң\n      Кіріспе мәтін ғана.\n".encode()


def _not_utf8() -> bytes:
    data = (SOURCES_DIR / "assembly.txt").read_bytes()
    return data[:500] + b"\xff\xfe" + data[500:]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (_no_articles(), "no articles"),
        (_truncated(), "truncated"),
        (_not_utf8(), "not UTF-8"),
    ],
)
def test_bad_source_leaves_acts_untouched(tmp_path: Path, data: bytes, message: str) -> None:
    out = tmp_path / "acts"
    build_all(SOURCES_DIR, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    sources = _sources_with(tmp_path, "assembly.txt", data)
    with pytest.raises(IngestError, match=message) as err:
        build_all(sources, out)
    assert err.value.file.endswith("assembly.txt")
    assert str(err.value).startswith(f"{err.value.file}:{err.value.line}: ")
    if data:
        assert 1 <= err.value.line <= data.count(b"\n") + 1
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_not_utf8_names_the_line(tmp_path: Path) -> None:
    sources = _sources_with(tmp_path, "assembly.txt", _not_utf8())
    with pytest.raises(IngestError) as err:
        build_all(sources, tmp_path / "acts")
    assert err.value.line == _not_utf8()[:500].count(b"\n") + 1
