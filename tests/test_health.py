"""`python -m bot health` checks the running bot (its heartbeat), not a freshly opened engine."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from bot.heartbeat import beat, check, heartbeat_path
from tests.fake_telegram import FakeBotApi

ROOT = Path(__file__).resolve().parent.parent


def health(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "health", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


class BrokenRetriever:
    def search(self, question: str) -> Any:
        raise RuntimeError("Collection provisions-x does not exist")


def test_health_fails_without_a_running_bot(tmp_path: Path) -> None:
    import os

    result = health(dict(os.environ, DATA_DIR=str(tmp_path)))
    assert result.returncode == 1
    assert "is the bot running?" in result.stderr


def test_a_failing_search_in_the_running_engine_turns_health_red(tmp_path: Path) -> None:
    path = heartbeat_path(tmp_path)
    assert beat(path, SimpleNamespace(retriever=BrokenRetriever())) is False  # type: ignore[arg-type]
    healthy, why = check(path)
    assert not healthy and "does not exist" in why
    assert beat(path, None) is False
    assert check(path) == (False, "the running bot's search fails: the knowledge base is unavailable")


@pytest.mark.processes
def test_health_follows_the_running_bot_process(index_env: dict[str, str]) -> None:
    async def main() -> None:
        async with FakeBotApi() as api:
            env = dict(index_env, TELEGRAM_BOT_TOKEN=api.token, TELEGRAM_BASE_URL=api.base_url)
            bot = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "run", cwd=ROOT, env=env, stderr=subprocess.DEVNULL
            )
            try:
                path = heartbeat_path(Path(env["DATA_DIR"]))
                deadline = time.monotonic() + 120
                while not (path.exists() and check(path)[0]):
                    assert bot.returncode is None and time.monotonic() < deadline, "the bot never beat"
                    await asyncio.sleep(0.2)
                result = await asyncio.to_thread(health, env)
                assert result.returncode == 0, result.stderr
                assert f"pid {bot.pid}" in result.stdout  # the running process, not a fresh engine
            finally:
                bot.kill()
                await bot.wait()
            await asyncio.sleep(1.5)
            stale = await asyncio.to_thread(health, env, "--max-age", "1")
            assert stale.returncode == 1 and "old" in stale.stderr

    asyncio.run(main())
