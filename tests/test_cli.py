"""The command lines, run as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], capture_output=True, text=True, cwd=ROOT, timeout=120, check=False
    )


def test_article_as_text() -> None:
    result = run("bot", "article", "Құқық бұзушылық профилактикасы", "46")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Құқық бұзушылық профилактикасы туралы"
    assert lines[2] == "46-бап. Қоғамдық көмекшілердің құқықтары мен міндеттері"
    assert any(line.startswith("  9) құқық бұзушылықтың жолын кесу") for line in lines)


def test_article_as_json_matched_by_a_russian_word() -> None:
    result = run("bot", "article", "волонтерской", "6-1", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"act", "article", "heading", "text", "notes", "children"}
    assert (data["act"], data["article"], data["heading"]) == (
        "Волонтерлік қызмет туралы",
        "6-1",
        "Корпоративтік волонтерлік",
    )
    assert [c["num"] for c in data["children"]] == ["1", "2", "3"]
    assert set(data["children"][0]) == {"kind", "num", "text", "children"}
    assert data["notes"][0].startswith("Ескерту. 1-тарау 6-1-баппен толықтырылды")


def test_unknown_act_or_article_is_a_clear_message() -> None:
    missing_act = run("bot", "article", "налоговый", "1")
    assert missing_act.returncode == 1
    assert "«налоговый» деген акт табылмады" in missing_act.stderr
    assert "Traceback" not in missing_act.stderr
    missing_article = run("bot", "article", "Ассамблея", "99")
    assert missing_article.returncode == 1
    assert "99-бап жоқ" in missing_article.stderr


def test_ingest_prints_one_tree() -> None:
    result = run("ingest", "--json", "volunteer")
    assert result.returncode == 0, result.stderr
    tree = json.loads(result.stdout)
    assert tree["meta"]["title"] == "Волонтерлік қызмет туралы"
    assert tree["children"][0]["id"] == "ch_1"


def test_ingest_reports_a_bad_source(tmp_path: Path) -> None:
    (tmp_path / "catalog.toml").write_text(
        '[[act]]\nid="x"\nfile="x.txt"\nkind="law"\ntitle="X"\ntitle_ru="X"\ntitle_en="X"\n'
        'number="1"\ndate="2020-01-01"\nstatus="test"\n',
        encoding="utf-8",
    )
    (tmp_path / "x.txt").write_bytes(b"")
    result = run("ingest", "--sources", str(tmp_path), "--out", str(tmp_path / "acts"))
    assert result.returncode == 1
    assert "x.txt:1: the file is empty" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "acts").exists()


def run_with_stdout_closed(args: list[str], env: dict[str, str] | None = None, stdin: bytes = b"") -> tuple[int, str]:
    """Run `python -m ARGS` whose reader closes stdout before any output (`| head -0`): status, stderr."""
    with subprocess.Popen(
        [sys.executable, "-m", *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        env=env,
    ) as process:
        assert process.stdout is not None
        process.stdout.close()
        _, err = process.communicate(stdin, timeout=300)
    return process.returncode, err.decode()


def test_a_closed_stdout_ends_the_command_quietly() -> None:
    status, err = run_with_stdout_closed(["bot", "article", "Құқық бұзушылық профилактикасы", "46"])
    assert err == "" and status == 141  # as a Unix tool ended by SIGPIPE, without a traceback
