"""Webhook mode for replicas: a small Starlette app in front of the PTB Application.

PTB's own `run_webhook` cannot add health routes, refuse updates while draining or claim an
update before handling it, so this follows PTB's "custom webhook server" pattern: our web
server receives the update and hands it to `Application.process_update`.

- `POST <path>`: an update from Telegram. Without the secret token header: 403, nothing done.
  While draining: 503, so Telegram delivers it again (to another replica). Otherwise the update
  is claimed (exactly once across replicas), handled to the end, and only then answered 200; an update another
  replica is handling gets 503, one already handled gets 200 without a second answer. The claim
  is renewed while the update is handled; once a killed replica's claim has run out, the next
  delivery resumes the update elsewhere, without the replies already sent (`bot.telegram.resume`).
- `GET /healthz`: liveness, 200 while the process serves.
- `GET /readyz`: readiness, 200 when the knowledge base and the storage answer and the process
  is not draining; else 503 with the reasons.
On SIGTERM/SIGINT the server drains: refuses new updates, finishes those in flight (at most
`drain_timeout` seconds), then stops. A second signal stops at once.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import secrets
import signal
import socket
from dataclasses import dataclass, field
from types import FrameType
from urllib.parse import urlsplit, urlunsplit

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from telegram import Update
from telegram.ext import Application

from bot.storage.updates import Claim, UpdateClaims
from bot.telegram.app import allowed_updates
from bot.telegram.health import readiness
from bot.telegram.resume import journal_of

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
DRAIN_TIMEOUT = 30.0  # seconds to finish in-flight updates after a stop signal
MAX_CONNECTIONS = 40  # concurrent deliveries Telegram may make (its default; more only adds contention)


def webhook_secret(configured: str | None) -> str:
    """The configured secret, or a fresh random one (valid for Telegram: [A-Za-z0-9_-], ≤256)."""
    return configured or secrets.token_urlsafe(32)


def public_url(base: str, secret: str) -> str:
    """`base` plus a path segment derived from the secret: unguessable, equal on every replica."""
    parts = urlsplit(base)
    segment = hashlib.sha256(f"webhook-path:{secret}".encode()).hexdigest()[:32]
    return urlunsplit((parts.scheme, parts.netloc, f"{parts.path.rstrip('/')}/{segment}", "", ""))


@dataclass
class Gate:
    """Whether the process takes updates, how many requests it is serving, which updates it holds."""

    draining: bool = False
    in_flight: int = 0
    handling: set[int] = field(default_factory=set)  # claimed update ids whose handlers run now


@dataclass
class WebhookConfig:
    """Where the bot listens and what it tells Telegram."""

    url: str  # the public HTTPS base URL (the proxy's); the secret path segment is appended
    listen: str = "127.0.0.1"
    port: int = 8443
    secret: str = field(default_factory=lambda: webhook_secret(None))
    drain_timeout: float = DRAIN_TIMEOUT

    @property
    def public_url(self) -> str:
        return public_url(self.url, self.secret)

    @property
    def path(self) -> str:
        return urlsplit(self.public_url).path


def web_app(
    application: Application,  # type: ignore[type-arg]
    config: WebhookConfig,
    gate: Gate,
    claims: UpdateClaims | None = None,
) -> Starlette:
    """The routes: the secret webhook path, /healthz and /readyz.

    Updates are claimed in the bot's storage (shared by replicas on PostgreSQL) unless `claims` is given.
    """
    expected = config.secret.encode()

    async def receive(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, expected):
            log.warning("webhook request without the secret token refused")
            return PlainTextResponse("forbidden", status_code=403)
        if gate.draining:
            return PlainTextResponse("draining", status_code=503, headers={"Retry-After": "1"})
        try:
            body = await request.json()
            update = Update.de_json(body, application.bot)
        except Exception:  # not JSON, or not an update: Telegram never sends that
            return PlainTextResponse("bad update", status_code=400)
        gate.in_flight += 1
        try:
            updates = claims or application.bot_data.storage.updates
            claim = await updates.claim(update.update_id)
            if claim is Claim.BUSY:
                return PlainTextResponse("being handled elsewhere", status_code=503, headers={"Retry-After": "5"})
            if claim is not Claim.DONE:
                gate.handling.add(update.update_id)  # its lease is renewed while it is handled
                try:
                    async with journal_of(updates, update.update_id, resumed=claim is Claim.RESUMED):
                        await application.process_update(update)
                except BaseException:  # cancelled on a forced stop: let the next delivery resume it
                    await asyncio.shield(updates.release(update.update_id))
                    raise
                finally:
                    gate.handling.discard(update.update_id)
                await updates.finish(update.update_id)
            return PlainTextResponse("ok")
        finally:
            gate.in_flight -= 1

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "alive", "in_flight": gate.in_flight})

    async def readyz(request: Request) -> Response:
        problems = await readiness(application)
        if gate.draining:
            problems.append("draining")
        return JSONResponse({"ready": not problems, "problems": problems}, status_code=503 if problems else 200)

    return Starlette(
        routes=[
            Route(config.path, receive, methods=["POST"]),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"]),
        ]
    )


class DrainingServer(uvicorn.Server):
    """Uvicorn that, on the first stop signal, refuses new updates and waits for in-flight ones."""

    def __init__(self, config: uvicorn.Config, gate: Gate, drain_timeout: float) -> None:
        super().__init__(config)
        self.gate = gate
        self.drain_timeout = drain_timeout
        self._drain_started: float | None = None

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        """First signal: drain. Second: stop now. (Not re-raised: shutdown finishes cleanly.)"""
        if self.gate.draining:
            self.should_exit = self.force_exit = True
            return
        log.info("signal %s: draining (%d updates in flight)", signal.Signals(sig).name, self.gate.in_flight)
        self.gate.draining = True

    async def on_tick(self, counter: int) -> bool:
        if self.gate.draining and not self.should_exit:
            loop = asyncio.get_running_loop()
            self._drain_started = self._drain_started or loop.time()
            timed_out = loop.time() - self._drain_started > self.drain_timeout
            if self.gate.in_flight == 0 or timed_out:
                if timed_out:
                    log.warning("drain timed out with %d updates in flight", self.gate.in_flight)
                self.should_exit = True
        return await super().on_tick(counter)


class WebhookService:
    """The bot in webhook mode: the web app, the draining server and the PTB Application's lifecycle."""

    def __init__(
        self,
        application: Application,  # type: ignore[type-arg]
        config: WebhookConfig,
        claims: UpdateClaims | None = None,
    ) -> None:
        self.application = application
        self.config = config
        self.claims = claims
        self.gate = Gate()
        app = web_app(application, config, self.gate, claims)
        uv_config = uvicorn.Config(
            app, host=config.listen, port=config.port, log_config=None, lifespan="off", access_log=False
        )
        self.server = DrainingServer(uv_config, self.gate, config.drain_timeout)

    async def serve(self, sock: socket.socket | None = None, started: asyncio.Event | None = None) -> None:
        """Register the webhook with Telegram and serve until a stop signal has drained the process."""
        application = self.application
        async with application:
            if application.post_init:
                await application.post_init(application)
            await application.bot.set_webhook(
                url=self.config.public_url,
                secret_token=self.config.secret,
                allowed_updates=allowed_updates(),
                max_connections=MAX_CONNECTIONS,
            )
            await application.start()
            log.info("webhook mode: listening on %s:%s", self.config.listen, self.config.port)
            serving = asyncio.create_task(self.server.serve(sockets=[sock] if sock else None))
            renewing = asyncio.create_task(self.renew_leases())
            while started is not None and not self.server.started and not serving.done():
                await asyncio.sleep(0.02)
            if started is not None:
                started.set()
            try:
                await serving
            finally:
                renewing.cancel()
            await application.stop()
        if application.post_shutdown:  # as PTB's own run_* methods do
            await application.post_shutdown(application)

    async def renew_leases(self) -> None:
        """Every quarter of the lease, renew the claims of the updates in hand, so none is taken over.

        A killed replica renews nothing: another takes its updates over once the lease has run out.
        """
        claims = self.claims or self.application.bot_data.storage.updates
        while True:
            await asyncio.sleep(claims.lease / 4)
            if self.gate.handling:
                try:
                    await claims.renew(set(self.gate.handling))
                except Exception as err:  # the storage is unreachable: the next round tries again
                    log.warning(
                        "could not renew the claims of %d updates: %s", len(self.gate.handling), type(err).__name__
                    )

    def drain(self) -> None:
        """What a stop signal does: refuse new updates, stop once those in flight are done."""
        self.server.handle_exit(signal.SIGTERM, None)


def run_webhook(application: Application, config: WebhookConfig, claims: UpdateClaims | None = None) -> None:  # type: ignore[type-arg]
    """Serve in webhook mode until stopped (blocking)."""
    asyncio.run(WebhookService(application, config, claims).serve())
