"""The real Application in webhook mode (WebhookService on 127.0.0.1) against the fake Bot API."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.engine import Engine
from bot.storage.updates import UpdateClaims
from bot.telegram.app import build_application
from bot.telegram.webhook import SECRET_HEADER, WebhookConfig, WebhookService
from knowledge.settings import Settings
from tests.fake_telegram import FakeBotApi

PUBLIC_URL = "https://bot.example.org/telegram"
SECRET = "test-secret_0123456789"


@dataclass
class Replica:
    """One bot process's webhook service, its address and what to send it."""

    service: WebhookService
    address: str  # http://127.0.0.1:port
    task: asyncio.Task[None]

    @property
    def url(self) -> str:
        return self.address + self.service.config.path

    def headers(self, secret: str | None = SECRET) -> dict[str, str]:
        return {SECRET_HEADER: secret} if secret is not None else {}


@asynccontextmanager
async def webhook_replica(
    api: FakeBotApi,
    engine: Engine | None,
    data_dir: Path,
    claims: UpdateClaims | None = None,
    **overrides: Any,
) -> AsyncIterator[Replica]:
    """A bot in webhook mode on an ephemeral port; drained and stopped afterwards."""
    settings = Settings(telegram_bot_token=api.token, data_dir=data_dir, telegram_base_url=api.base_url, **overrides)
    app = build_application(settings, engine=engine, block=True)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = WebhookConfig(url=PUBLIC_URL, listen="127.0.0.1", port=port, secret=SECRET, drain_timeout=10)
    service = WebhookService(app, config, claims)
    started = asyncio.Event()
    task = asyncio.create_task(service.serve(sock=sock, started=started))
    await asyncio.wait_for(started.wait(), 30)
    replica = Replica(service, f"http://127.0.0.1:{port}", task)
    try:
        yield replica
    finally:
        service.drain()
        await asyncio.wait_for(task, 30)
