"""Several processes on one index: rebuilds while others read, builds serialised, a Chroma server.

Each replica is a real process (`tests/replica.py`) on real Chroma: an embedded store in a
temp dir, or a Chroma server this test starts itself (`chroma run`). Builds are serialised by
the lock file, or by a PostgreSQL advisory lock when a database is given.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.processes
ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 180.0


def _spawn(role: str, data: Path, out: Path, *extra: str) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "tests.replica", role, "--dir", str(data), "--out", str(out), *extra]
    return subprocess.Popen(cmd, cwd=ROOT, stderr=subprocess.PIPE)


def _result(proc: subprocess.Popen[bytes], out: Path) -> dict:  # type: ignore[type-arg]
    _, err = proc.communicate(timeout=TIMEOUT)
    assert proc.returncode == 0, err.decode()[-2000:]
    result: dict = json.loads(out.read_text(encoding="utf-8"))  # type: ignore[type-arg]
    return result


def _build(data: Path, variant: int, *extra: str) -> dict:  # type: ignore[type-arg]
    out = data / f"build-{variant}-{time.monotonic_ns()}.json"
    return _result(_spawn("build", data, out, "--variant", str(variant), *extra), out)


def _searches(log: Path) -> list[dict]:  # type: ignore[type-arg]
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines() if line.endswith("}")]


def _wait(log: Path, done: object, what: str) -> None:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        rows = _searches(log)
        if rows and done(rows):  # type: ignore[operator]
            return
        time.sleep(0.1)
    raise TimeoutError(f"the reader never {what}")


def _reader_survives_two_rebuilds(data: Path, *extra: str) -> None:
    """A reader keeps answering while other processes rebuild twice, then uses the newest collection."""
    first = _build(data, 0, *extra)
    log, stop, out = data / "reader.log", data / "stop", data / "reader.json"
    reader = _spawn("read", data, out, "--variant", "0", "--log", str(log), "--stop", str(stop), *extra)
    try:
        _wait(log, lambda rows: rows[-1]["searches"] >= 5, "searched")
        second = _build(data, 1, *extra)  # the reader's collection is kept for it...
        third = _build(data, 2, *extra)  # ...until a second rebuild drops it
        assert second["built"] and third["built"]
        _wait(log, lambda rows: rows[-1]["collection"] == third["collection"], "moved to the newest collection")
        before = _searches(log)[-1]["searches"]
        _wait(log, lambda rows: rows[-1]["searches"] >= before + 5, "went on searching")
    finally:
        stop.touch()
    result = _result(reader, out)
    assert result["errors"] == []
    assert result["collections"] == [first["collection"], third["collection"]]


def _one_of_two_builds(data: Path, *extra: str) -> None:
    """Two processes that need the same new index at once: one builds it, the other waits and opens it."""
    outs = [data / "a.json", data / "b.json"]
    procs = [_spawn("build", data, out, "--variant", "7", *extra) for out in outs]
    results = [_result(p, o) for p, o in zip(procs, outs, strict=True)]
    assert sorted(r["built"] for r in results) == [False, True]
    assert [r["embedded"] for r in results if not r["built"]] == [0]
    assert results[0]["collection"] == results[1]["collection"]
    assert results[0]["count"] == results[1]["count"] > 1000


def test_embedded_reader_survives_rebuilds_by_other_processes(tmp_path: Path) -> None:
    _reader_survives_two_rebuilds(tmp_path)


def test_embedded_builds_are_serialised_by_the_lock_file(tmp_path: Path) -> None:
    _one_of_two_builds(tmp_path)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[tuple[str, int]]:
    """A Chroma server of the installed chromadb package, on a free port, stopped afterwards."""
    port = _free_port()
    chroma = Path(sys.executable).parent / "chroma"
    log = (tmp_path / "chroma.log").open("wb")
    cmd = [str(chroma), "run", "--path", str(tmp_path / "server"), "--host", "127.0.0.1", "--port", str(port)]
    server = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError((tmp_path / "chroma.log").read_text()[-2000:]) from None
                time.sleep(0.2)
        yield "127.0.0.1", port
    finally:
        server.terminate()
        server.wait(30)
        log.close()


@pytest.fixture
def database_url(postgres_database: str) -> str:
    """This run's fresh PostgreSQL database (see tests/postgres.py: never skipped in CI)."""
    return postgres_database


def test_chroma_server_replicas_switch_to_the_new_collection(tmp_path: Path, chroma_server: tuple[str, int]) -> None:
    host, port = chroma_server
    _reader_survives_two_rebuilds(tmp_path, "--host", host, "--port", str(port))


def test_chroma_server_replicas_build_once_under_a_postgres_lock(
    tmp_path: Path, chroma_server: tuple[str, int], database_url: str
) -> None:
    host, port = chroma_server
    # separate data dirs: replicas on other machines share no lock file, only the database
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
    outs = [tmp_path / "a" / "out.json", tmp_path / "b" / "out.json"]
    extra = ("--host", host, "--port", str(port), "--database-url", database_url, "--variant", "7")
    procs = [_spawn("build", out.parent, out, *extra) for out in outs]
    results = [_result(p, o) for p, o in zip(procs, outs, strict=True)]
    assert sorted(r["built"] for r in results) == [False, True]
    assert results[0]["collection"] == results[1]["collection"]
    assert results[0]["count"] == results[1]["count"] > 1000


def test_chroma_server_without_a_database_uses_the_lock_file(tmp_path: Path, chroma_server: tuple[str, int]) -> None:
    host, port = chroma_server
    _one_of_two_builds(tmp_path, "--host", host, "--port", str(port))
