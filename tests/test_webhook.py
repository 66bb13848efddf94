"""Webhook mode over real HTTP: the secret token, health and readiness, draining, exactly-once.

The bot runs as in production (WebhookService: Starlette + uvicorn on 127.0.0.1, the real PTB
Application) and talks to the fake Bot API server; updates are POSTed as Telegram would.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.__main__ import build_parser
from bot.engine import Engine
from bot.telegram.webhook import SECRET_HEADER, public_url, webhook_secret
from tests.fake_telegram import FakeBotApi
from tests.webhook_harness import PUBLIC_URL, SECRET, Replica, webhook_replica

ADMIN = 7
_ids = itertools.count(1000)


def _no_kb(tmp_path: Path) -> dict[str, Any]:
    """Settings for a bot whose knowledge base is missing (starts at once, nothing to build)."""
    empty = tmp_path / "no-acts"
    empty.mkdir(exist_ok=True)
    return {"acts_dir": empty, "admin_ids": [ADMIN]}


def run(body: Callable[[], Awaitable[None]]) -> None:
    asyncio.run(body())


async def post(replica: Replica, update: dict[str, Any], secret: str | None = SECRET) -> httpx.Response:
    update = {"update_id": next(_ids), **update}
    async with httpx.AsyncClient(timeout=30) as client:
        return await client.post(replica.url, json=update, headers=replica.headers(secret))


def test_forged_updates_without_the_secret_get_403_and_no_reply(tmp_path: Path) -> None:
    async def body() -> None:
        async with FakeBotApi() as api, webhook_replica(api, None, tmp_path, **_no_kb(tmp_path)) as replica:
            stats = api.message_update("/stats", user_id=ADMIN, chat_id=ADMIN)
            for secret in (None, "", "wrong-secret", SECRET[:-1]):
                response = await post(replica, stats, secret)
                assert response.status_code == 403
            await asyncio.sleep(0.5)
            assert api.calls_to("sendMessage") == []
            # the same update with the secret is answered: the 403s were the secret check
            assert (await post(replica, stats)).status_code == 200
            assert "provisions" in api.sent_texts(ADMIN)[-1]

    run(body)


def test_set_webhook_sends_the_secret_and_an_unguessable_path(tmp_path: Path) -> None:
    async def body() -> None:
        async with FakeBotApi() as api, webhook_replica(api, None, tmp_path, **_no_kb(tmp_path)) as replica:
            call = api.calls_to("setWebhook")[-1]
            assert call["secret_token"] == SECRET
            assert call["url"] == public_url(PUBLIC_URL, SECRET) == PUBLIC_URL + replica.service.config.path[9:]
            segment = call["url"].rsplit("/", 1)[1]
            assert len(segment) == 32 and SECRET not in call["url"]
            async with httpx.AsyncClient() as client:  # the bare base path is not the webhook
                response = await client.post(replica.address + "/telegram", json={}, headers=replica.headers())
                assert response.status_code == 404

    run(body)


def test_secret_is_random_per_start_unless_configured() -> None:
    assert webhook_secret(None) != webhook_secret(None)
    assert webhook_secret("from-env") == "from-env"
    assert public_url(PUBLIC_URL, "a") != public_url(PUBLIC_URL, "b")
    args = build_parser().parse_args(["run", "--webhook", PUBLIC_URL])
    assert args.listen == "127.0.0.1"


def test_health_and_readiness(engine: Engine, tmp_path: Path) -> None:
    async def body() -> None:
        async with FakeBotApi() as api, httpx.AsyncClient() as client:
            async with webhook_replica(api, engine, tmp_path / "a") as ready:
                assert (await client.get(ready.address + "/healthz")).status_code == 200
                response = await client.get(ready.address + "/readyz")
                assert response.status_code == 200 and response.json()["ready"] is True
            async with webhook_replica(api, None, tmp_path / "b", **_no_kb(tmp_path)) as unready:
                assert (await client.get(unready.address + "/healthz")).status_code == 200
                response = await client.get(unready.address + "/readyz")
                assert response.status_code == 503
                assert "knowledge base unavailable" in response.json()["problems"]

    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    run(body)


def test_draining_finishes_in_flight_updates_and_refuses_new_ones(engine: Engine, tmp_path: Path) -> None:
    async def body() -> None:
        async with FakeBotApi() as api, httpx.AsyncClient(timeout=30) as client:
            api.delay_next("sendMessage", 2.0)  # the answer to the first update is slow to send
            async with webhook_replica(api, engine, tmp_path) as replica:
                question = api.message_update("Кто оплачивает проезд волонтёра?", user_id=31)
                in_flight = asyncio.create_task(post(replica, question))
                await api.wait_for("sendChatAction")
                replica.service.drain()
                late = await post(replica, api.message_update("Какие права у волонтёра?", user_id=32))
                assert late.status_code == 503  # Telegram will deliver it again (to another replica)
                ready = await client.get(replica.address + "/readyz")
                assert ready.status_code == 503 and "draining" in ready.json()["problems"]
                assert (await in_flight).status_code == 200  # finished, then acknowledged
            assert len(api.sent_texts(31)) == 1 and api.sent_texts(32) == []

    run(body)


def test_an_update_delivered_twice_is_answered_once(engine: Engine, tmp_path: Path) -> None:
    async def body() -> None:
        async with FakeBotApi() as api, webhook_replica(api, engine, tmp_path) as replica:
            update = {"update_id": 777, **api.message_update("Какие права у волонтёра?", user_id=41)}
            first, second = await asyncio.gather(post(replica, update), post(replica, update))
            third = await post(replica, update)
            statuses = sorted([first.status_code, second.status_code])
            assert statuses in ([200, 200], [200, 503]) and third.status_code == 200
            await asyncio.sleep(0.5)
            assert len(api.sent_texts(41)) == 1

    run(body)


def test_webhook_requests_hold_no_secret_in_the_url(tmp_path: Path) -> None:
    """The header carries the secret; a request with the secret in the query string is refused."""

    async def body() -> None:
        async with FakeBotApi() as api, webhook_replica(api, None, tmp_path, **_no_kb(tmp_path)) as replica:
            update = {"update_id": next(_ids), **api.message_update("/stats", user_id=ADMIN)}
            async with httpx.AsyncClient() as client:
                response = await client.post(replica.url, params={SECRET_HEADER: SECRET}, json=update)
            assert response.status_code == 403

    run(body)


@pytest.mark.parametrize("body", [b"not json", b'{"no": "update"}', b"[]"])
def test_malformed_bodies_with_the_secret_get_400(tmp_path: Path, body: bytes) -> None:
    async def main() -> None:
        async with FakeBotApi() as api, webhook_replica(api, None, tmp_path, **_no_kb(tmp_path)) as replica:
            async with httpx.AsyncClient() as client:
                response = await client.post(replica.url, content=body, headers=replica.headers())
            assert response.status_code == 400
            assert api.calls_to("sendMessage") == []

    run(main)
