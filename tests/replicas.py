"""Bot processes in webhook mode (`python -m bot run --webhook ...`), as replicas would run.

Each replica is a real process on 127.0.0.1 talking to the fake Bot API server; the fake server
delivers updates to them round robin (`FakeBotApi.deliver_webhooks`), as a proxy would.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.fake_telegram import FakeBotApi

PROJECT = Path(__file__).resolve().parent.parent
PUBLIC_URL = "https://bot.example.org/telegram"
SECRET = "replica-secret_0123456789"
READY_TIMEOUT = 300.0  # seconds for a replica to open the knowledge base (slow on a busy machine)


@dataclass
class ReplicaProcess:
    """One bot process: its address, its process and where its log goes."""

    address: str
    process: subprocess.Popen[bytes]
    log: Path

    def kill(self) -> None:
        """Die at once (SIGKILL): no draining, in-flight updates are never acknowledged."""
        self.process.kill()
        self.process.wait(10)

    def stop(self, timeout: float = 60) -> int:
        """Stop as `docker stop` does: SIGTERM (drain), then SIGKILL if it is still there."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        return self.process.returncode


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_replica(api: FakeBotApi, data_dir: Path, env: dict[str, str], name: str) -> ReplicaProcess:
    """Start `python -m bot run --webhook` on a free port of 127.0.0.1 (not waiting for it)."""
    port = free_port()
    environment = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": api.token,
        "TELEGRAM_BASE_URL": api.base_url,
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "DATA_DIR": str(data_dir),
        "ANONYMIZED_TELEMETRY": "False",
        **env,
    }
    log = data_dir / f"{name}.log"
    command = [sys.executable, "-m", "bot", "run", "--webhook", PUBLIC_URL, "--listen", "127.0.0.1"]
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*command, "--port", str(port)], cwd=PROJECT, env=environment, stdout=out, stderr=subprocess.STDOUT
        )
    return ReplicaProcess(f"http://127.0.0.1:{port}", process, log)


async def wait_ready(replica: ReplicaProcess, timeout: float = READY_TIMEOUT) -> None:
    """Until its /readyz answers 200; fails with the replica's log if it exits or takes too long."""
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient(timeout=2) as client:
        while time.monotonic() < deadline:
            if replica.process.poll() is not None:
                raise RuntimeError(f"replica exited: {replica.log.read_text(errors='replace')[-3000:]}")
            try:
                if (await client.get(replica.address + "/readyz")).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.5)
    raise TimeoutError(f"replica not ready: {replica.log.read_text(errors='replace')[-3000:]}")


@asynccontextmanager
async def replicas(
    api: FakeBotApi, count: int, data_dir: Path, env: dict[str, str] | None = None
) -> AsyncIterator[list[ReplicaProcess]]:
    """`count` ready replicas fed round robin by the fake server; all stopped afterwards."""
    started = [start_replica(api, data_dir, env or {}, f"replica{i}") for i in range(count)]
    try:
        await asyncio.gather(*(wait_ready(r) for r in started))
        api.deliver_webhooks([r.address for r in started])
        yield started
    finally:
        for replica in started:
            await asyncio.to_thread(replica.stop)
