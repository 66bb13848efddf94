"""A fake Telegram Bot API server, so the real python-telegram-bot stack can be tested end to end.

The bot under test talks real HTTP to 127.0.0.1 (``ApplicationBuilder().base_url(api.base_url)``),
so its request encoding, response parsing, long polling, offsets and error handling all run for real;
only Telegram itself is replaced.  Every call is recorded with its decoded parameters, updates are
queued with ``push_update`` (the builders produce Update JSON shaped like Telegram's), and
``fail_next``/``delay_next`` inject the errors and slowness a production bot has to survive.

How PTB v22 sends parameters (``telegram/request/_requestdata.py``, ``_httpxrequest.py``): always a
POST to ``{base_url}{token}/{method}`` with the parameters as form fields -
``application/x-www-form-urlencoded`` or, when a file is uploaded, ``multipart/form-data`` (files as
extra parts, attached ones referenced as ``attach://<name>``).  Each field is ``json.dumps(value)``
EXCEPT plain strings, which are sent raw.  So ``text="123"`` and ``chat_id=123`` both arrive as the
characters ``123``; like Telegram, this server resolves that with the schema: parameters that are
strings in the Bot API are kept raw, every other one is JSON-decoded.  A JSON request body (which
Telegram also accepts, though PTB never sends one) and query-string parameters are understood too.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import random
import re
import socket
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Self
from urllib.parse import urlsplit

import aiohttp
from aiohttp import web

JSON = dict[str, Any]

HOST = "127.0.0.1"
WEBHOOK_CONNECTIONS = 40  # Telegram's default max_connections of a webhook

# Bot API parameters whose type is String: PTB sends them unquoted, so they must never be JSON-decoded
# (a text "123", a callback_query_id "4242" or a next_offset "10" would otherwise turn into ints).
STRING_PARAMS = frozenset(
    {
        "action",
        "address",
        "animation",
        "audio",
        "business_connection_id",
        "callback_query_id",
        "caption",
        "currency",
        "custom_emoji_id",
        "custom_title",
        "description",
        "document",
        "emoji",
        "error_message",
        "explanation",
        "explanation_parse_mode",
        "file_id",
        "first_name",
        "foursquare_id",
        "foursquare_type",
        "game_short_name",
        "google_place_id",
        "google_place_type",
        "icon_custom_emoji_id",
        "inline_message_id",
        "inline_query_id",
        "invite_link",
        "ip_address",
        "language_code",
        "last_name",
        "message_effect_id",
        "name",
        "next_offset",
        "parse_mode",
        "payload",
        "phone_number",
        "photo",
        "pre_checkout_query_id",
        "provider_data",
        "provider_token",
        "question",
        "question_parse_mode",
        "secret_token",
        "shipping_query_id",
        "short_description",
        "start_parameter",
        "sticker",
        "sticker_set_name",
        "switch_pm_parameter",
        "switch_pm_text",
        "text",
        "text_parse_mode",
        "thumbnail",
        "title",
        "url",
        "vcard",
        "video",
        "video_note",
        "voice",
        "web_app_query_id",
    }
)

# The descriptions Telegram puts in its error answers, by HTTP status.
ERROR_DESCRIPTIONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}

# Tags Telegram accepts with parse_mode=HTML (anything else is a 400 "Unsupported start tag").
HTML_TAGS = frozenset(
    {"a", "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "tg-emoji"}
    | {"code", "pre", "blockquote", "tg-time"}
)
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)([^<>]*)>")
_COMMAND = re.compile(r"(?<!\S)/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?")
_MENTION = re.compile(r"(?<![\w@/])@[A-Za-z][A-Za-z0-9_]{3,31}")
_SEND_LIMIT = 4096
_CAPTION_LIMIT = 1024


class ApiError(Exception):
    """An answer of ``{"ok": false, ...}``; raised inside method implementations to reject a call."""

    def __init__(self, status: int, description: str | None = None, parameters: JSON | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description or ERROR_DESCRIPTIONS.get(status, "Error")
        self.parameters = parameters

    def payload(self) -> JSON:
        body: JSON = {"ok": False, "error_code": self.status, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


@dataclass
class UploadedFile:
    """A file part of a multipart request, kept whole so tests can look at what the bot uploaded."""

    filename: str | None
    content_type: str
    data: bytes


@dataclass
class Call:
    """One request the bot made (``time`` is time.monotonic()); ``failed``: not carried out.

    ``hung``: an injected hang, "before" the call was carried out (it never is: failed) or
    "after" (carried out, but its answer never reached the bot).
    """

    method: str
    params: JSON
    time: float = field(default_factory=time.monotonic)
    failed: bool = False
    hung: str | None = None


@dataclass
class Delivery:
    """One webhook delivery attempt: the update, the replica it went to, the HTTP status (0: no connection)."""

    update_id: int
    target: str
    status: int
    time: float = field(default_factory=time.monotonic)


@dataclass
class _Fault:
    status: int
    retry_after: int | None
    description: str | None
    times: int


@dataclass
class _Delay:
    seconds: float
    times: int


def utf16_len(text: str) -> int:
    """Entity offsets and lengths count UTF-16 code units, as Telegram's do."""
    return len(text.encode("utf-16-le")) // 2


def text_entities(text: str) -> list[JSON]:
    """The bot_command and mention entities Telegram attaches to a typed message."""
    found: list[tuple[int, str, str]] = []
    for match in _COMMAND.finditer(text):
        found.append((match.start(), match.group(), "bot_command"))
    for match in _MENTION.finditer(text):
        found.append((match.start(), match.group(), "mention"))
    found.sort()
    return [
        {"offset": utf16_len(text[:start]), "length": utf16_len(chunk), "type": kind} for start, chunk, kind in found
    ]


def _reject_constant(name: str) -> Any:
    raise ValueError(name)


def decode_param(name: str, raw: str) -> Any:
    """Undo PTB's encoding of one form field: raw for Bot API strings, JSON for everything else."""
    if name in STRING_PARAMS:
        return raw
    try:
        return json.loads(raw, parse_constant=_reject_constant)
    except ValueError:
        return raw  # e.g. chat_id="@channelname"


async def read_params(request: web.Request) -> JSON:
    """The decoded parameters of a Bot API request, whichever of Telegram's encodings it used."""
    params: JSON = {name: decode_param(name, value) for name, value in request.query.items()}
    if request.content_type == "application/json":
        raw = await request.read()
        body = json.loads(raw) if raw.strip() else {}
        if isinstance(body, dict):
            params.update(body)
    elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.post()
        for name, value in form.items():
            if isinstance(value, web.FileField):
                params[name] = UploadedFile(value.filename, value.content_type, value.file.read())
            elif isinstance(value, bytes | bytearray):
                params[name] = decode_param(name, bytes(value).decode("utf-8"))
            else:
                params[name] = decode_param(name, value)
    return params


def check_html(text: str) -> str:
    """Raise Telegram's 400 for HTML it refuses (unknown or unbalanced tags); return the plain text."""
    stack: list[str] = []
    for match in _TAG.finditer(text):
        closing, tag = match.group(1) == "/", match.group(2).lower()
        at = len(text[: match.start()].encode())
        if not closing:
            if tag not in HTML_TAGS:
                raise ApiError(
                    400,
                    f'Bad Request: can\'t parse entities: Unsupported start tag "{tag}" at byte offset {at}',
                )
            stack.append(tag)
        elif not stack or stack[-1] != tag:
            expected = f'expected "</{stack[-1]}>", ' if stack else ""
            raise ApiError(
                400,
                f"Bad Request: can't parse entities: Unmatched end tag at byte offset {at}, "
                f'{expected}found "</{tag}>"',
            )
        else:
            stack.pop()
    if stack:
        raise ApiError(
            400,
            f"Bad Request: can't parse entities: Can't find end tag corresponding to start tag \"{stack[-1]}\"",
        )
    plain = _TAG.sub("", text)
    for entity, char in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&amp;", "&")):
        plain = plain.replace(entity, char)
    return plain


def _chat_id(value: Any) -> int | str:
    """chat_id as Telegram reads it: an int, or an "@username" string."""
    if isinstance(value, str) and value.lstrip("-").isdigit():
        return int(value)
    if isinstance(value, int | str):
        return value
    raise ApiError(400, "Bad Request: chat_id is empty" if value is None else "Bad Request: chat not found")


Handler = Callable[[JSON], Awaitable[Any]]


class FakeBotApi:
    """An in-process Bot API on 127.0.0.1 that records calls and serves queued updates by long polling."""

    TARGET_DOWN = 5.0  # seconds a webhook target that refused a connection is skipped

    def __init__(self, token: str = "123456:TEST-TOKEN", username: str = "statute_test_bot") -> None:
        self.token = token
        self.username = username
        self.bot_id = int(token.split(":", 1)[0]) if token.split(":", 1)[0].isdigit() else 123456
        self.first_name = "Statute Test Bot"
        self.calls: list[Call] = []
        self.webhook_url = ""
        self.webhook_secret: str | None = None
        self.webhook_max_connections = WEBHOOK_CONNECTIONS
        self.webhook_targets: list[str] = []
        self.deliveries: list[Delivery] = []
        self._delivery_task: asyncio.Task[None] | None = None
        self._down_until: dict[str, float] = {}  # webhook target → until when it is skipped
        self.commands: dict[tuple[str, str], list[JSON]] = {}
        self._updates: list[JSON] = []
        self._next_update_id = 1
        self._allowed_updates: set[str] | None = None
        self._poll_generation = 0
        self._message_ids: dict[int | str, int] = {}
        self._messages: dict[tuple[int | str, int], JSON] = {}
        self._chats: dict[int | str, JSON] = {}
        self._last_incoming: dict[int | str, int] = {}
        self._files: dict[str, JSON] = {}  # file_id -> File object plus its "content"
        self._file_counter = 0
        self._query_counter = 0
        self._faults: dict[str, list[_Fault]] = {}
        self._random_faults: tuple[float, float, float, float, frozenset[str], float] | None = None
        self._rng = random.Random(0)
        self._delays: dict[str, list[_Delay]] = {}
        self._changed = asyncio.Event()
        self._stopping = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        self._handlers: dict[str, Handler] = {
            "getme": self._get_me,
            "getupdates": self._get_updates,
            "deletewebhook": self._delete_webhook,
            "setwebhook": self._set_webhook,
            "getwebhookinfo": self._get_webhook_info,
            "setmycommands": self._set_my_commands,
            "getmycommands": self._get_my_commands,
            "deletemycommands": self._delete_my_commands,
            "sendmessage": self._send_message,
            "editmessagetext": self._edit_message_text,
            "editmessagecaption": self._edit_message_caption,
            "editmessagereplymarkup": self._edit_message_reply_markup,
            "deletemessage": self._delete_message,
            "copymessage": self._copy_message,
            "getchat": self._get_chat,
            "getfile": self._get_file,
        }
        for method in ("sendChatAction", "logOut", "close"):
            self._handlers[method.lower()] = self._true
        self._answered_queries: set[tuple[str, str]] = set()
        self._handlers["answercallbackquery"] = self._answer_query("callback_query_id")
        self._handlers["answerinlinequery"] = self._answer_query("inline_query_id")
        for method, kind in _MEDIA_METHODS.items():
            self._handlers[method.lower()] = self._media_sender(kind)

    # --- lifecycle -------------------------------------------------------------------------------

    async def start(self) -> None:
        """Serve on an ephemeral port of 127.0.0.1 (bound before returning, so base_url is final)."""
        if self._runner is not None:
            raise RuntimeError("FakeBotApi is already running")
        self._changed = asyncio.Event()
        self._stopping = asyncio.Event()
        app = web.Application(client_max_size=50 * 1024 * 1024)  # Telegram's upload limit
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_route("GET", "/file/bot{token}/{path:.+}", self._download)
        # handler_cancellation: a long poll whose client hung up (PTB cancels it on stop) ends at once
        runner = web.AppRunner(app, access_log=None, handler_cancellation=True, shutdown_timeout=2.0)
        await runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((HOST, 0))
        self._port = sock.getsockname()[1]
        await web.SockSite(runner, sock).start()
        self._runner = runner

    async def stop(self) -> None:
        """Release held long polls and delayed answers at once, then close the server."""
        self._stopping.set()
        self._notify()
        if self._delivery_task is not None:
            self._delivery_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._delivery_task
            self._delivery_task = None
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.stop()

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("FakeBotApi is not started")
        return self._port

    @property
    def base_url(self) -> str:
        """What ``ApplicationBuilder().base_url(...)`` / ``Bot(base_url=...)`` take; PTB appends the token."""
        return f"http://{HOST}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """What ``ApplicationBuilder().base_file_url(...)`` takes, for downloads of getFile paths."""
        return f"http://{HOST}:{self.port}/file/bot"

    @property
    def bot_user(self) -> JSON:
        """The bot's User object, as getMe returns it and as ``from`` of its messages."""
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.first_name,
            "username": self.username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": True,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    @property
    def sender(self) -> JSON:
        """The bot as ``from`` of its own messages (a User without the getMe-only fields)."""
        return {"id": self.bot_id, "is_bot": True, "first_name": self.first_name, "username": self.username}

    # --- recording -------------------------------------------------------------------------------

    def _notify(self) -> None:
        """Wake every waiter (long polls, wait_for); each re-checks its own condition."""
        self._changed.set()
        self._changed = asyncio.Event()

    def calls_to(self, method: str) -> list[JSON]:
        """The params of every recorded call of ``method`` (case-insensitive), failed ones included."""
        key = method.lower()
        return [call.params for call in self.calls if call.method.lower() == key]

    async def wait_for(self, method: str, count: int = 1, timeout: float = 10.0) -> list[JSON]:
        """Wait until ``count`` calls of ``method`` are recorded; raise TimeoutError otherwise."""
        async with asyncio.timeout(timeout):
            while True:
                changed = self._changed
                found = self.calls_to(method)
                if len(found) >= count:
                    return found
                await changed.wait()

    def sent_texts(self, chat_id: int | None = None) -> list[str]:
        """Texts of the successful sendMessage/editMessageText calls (to ``chat_id`` if given), as sent."""
        texts = []
        for call in self.calls:
            if call.failed or call.method.lower() not in ("sendmessage", "editmessagetext"):
                continue
            if chat_id is not None and call.params.get("chat_id") != chat_id:
                continue
            texts.append(str(call.params.get("text", "")))
        return texts

    def sent_messages(self, chat_id: int | str | None = None) -> list[JSON]:
        """The Message objects the bot has sent and not deleted (current state, after edits)."""
        return [
            msg
            for msg in self._messages.values()
            if msg.get("from", {}).get("id") == self.bot_id and chat_id in (None, msg["chat"]["id"])
        ]

    @property
    def pending_updates(self) -> list[JSON]:
        """Updates queued and not yet confirmed by a getUpdates offset."""
        return list(self._updates)

    # --- fault injection ---------------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        status: int = 429,
        retry_after: int | None = 1,
        times: int = 1,
        description: str | None = None,
    ) -> None:
        """Answer the next ``times`` calls of ``method`` with a Telegram error (429 carries retry_after)."""
        self._faults.setdefault(method.lower(), []).append(_Fault(status, retry_after, description, times))

    def inject_faults(
        self,
        rate_429: float = 0.0,
        rate_502: float = 0.0,
        rate_timeout: float = 0.0,
        timeout_seconds: float = 3.0,
        seed: int = 0,
        skip: frozenset[str] = frozenset({"getme", "setmycommands", "deletewebhook"}),
        hung_after: float = 0.5,
    ) -> None:
        """From now on, answer a random share of calls with 429 (retry_after 1), 502, or a hang.

        A hang holds the answer for ``timeout_seconds``. A share ``hung_after`` of hangs come
        after the call was carried out (the message is delivered; only the answer is late), the
        rest before it (the server stalls and never carries it out, then answers 504). A client
        that times out cannot tell the two apart: a read timeout means the request arrived.
        """
        self._random_faults = (rate_429, rate_502, rate_timeout, timeout_seconds, skip, hung_after)
        self._rng = random.Random(seed)

    def _random_fault(self, method: str) -> str | None:
        """Raise an injected 429/502; or say whether to hang "before" or "after" carrying the call out."""
        if self._random_faults is None or method.lower() in self._random_faults[4]:
            return None
        rate_429, rate_502, rate_timeout, _, _, hung_after = self._random_faults
        roll = self._rng.random()
        if roll < rate_429:
            raise ApiError(429, "Too Many Requests: retry after 1", {"retry_after": 1})
        if roll < rate_429 + rate_502:
            raise ApiError(502, "Bad Gateway")
        if roll < rate_429 + rate_502 + rate_timeout:
            return "after" if self._rng.random() < hung_after else "before"
        return None

    def delay_next(self, method: str, seconds: float, times: int = 1) -> None:
        """Hold the answer to the next ``times`` calls of ``method`` for ``seconds`` (to provoke timeouts)."""
        self._delays.setdefault(method.lower(), []).append(_Delay(seconds, times))

    @staticmethod
    def _take(queue: dict[str, list[Any]], method: str) -> Any:
        entries = queue.get(method.lower())
        if not entries:
            return None
        entry = entries[0]
        entry.times -= 1
        if entry.times <= 0:
            entries.pop(0)
        return entry

    @staticmethod
    def _fault_error(fault: _Fault) -> ApiError:
        if fault.status == 429:
            wait = fault.retry_after
            description = fault.description or (
                f"Too Many Requests: retry after {wait}" if wait is not None else "Too Many Requests"
            )
            return ApiError(429, description, {"retry_after": wait} if wait is not None else None)
        return ApiError(fault.status, fault.description)

    # --- HTTP ------------------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        try:
            params = await read_params(request)
        except ValueError:
            params = {}
        call = Call(method, params)
        self.calls.append(call)
        self._notify()
        try:
            if request.match_info["token"] != self.token:
                raise ApiError(401, "Unauthorized")
            delay = self._take(self._delays, method)
            if delay is not None:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), delay.seconds)
            fault = self._take(self._faults, method)
            if fault is not None:
                raise self._fault_error(fault)
            call.hung = self._random_fault(method)
            if call.hung == "before":  # stalled before carrying it out; the client gives up meanwhile
                await asyncio.sleep(self._random_faults[3] if self._random_faults else 0.0)
                raise ApiError(504, "Gateway Timeout")
            handler = self._handlers.get(method.lower(), self._true)
            result = await handler(params)
            if call.hung == "after":  # carried out; the answer is what hangs (and the client may give up)
                await asyncio.sleep(self._random_faults[3] if self._random_faults else 0.0)
        except ApiError as err:
            call.failed = True
            return web.json_response(err.payload(), status=err.status)
        except asyncio.CancelledError:  # the client gave up: no effect, unless it was carried out already
            call.failed = call.hung != "after"
            raise
        return web.json_response({"ok": True, "result": result})

    async def _download(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response(ApiError(401).payload(), status=401)
        path = request.match_info["path"]
        for file in self._files.values():
            if file["file_path"] == path:
                return web.Response(body=file["content"])
        return web.json_response(ApiError(404).payload(), status=404)

    # --- updates ---------------------------------------------------------------------------------

    def push_update(self, update: JSON) -> int:
        """Queue a raw Update (``update_id`` assigned if missing) and wake a held getUpdates."""
        if "update_id" not in update:
            update = {"update_id": self._next_update_id, **update}
        update_id = int(update["update_id"])
        self._next_update_id = max(self._next_update_id, update_id + 1)
        self._updates.append(update)
        self._updates.sort(key=lambda u: u["update_id"])
        self._notify()
        return update_id

    def _confirm(self, offset: int | None) -> None:
        if offset is None or offset == 0:
            return
        if offset < 0:  # "-N": keep only the last N, forget the rest
            self._updates = self._updates[offset:]
        else:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]

    def _deliverable(self, limit: int) -> list[JSON]:
        if self._allowed_updates is not None:
            allowed = self._allowed_updates
            self._updates = [u for u in self._updates if next(k for k in u if k != "update_id") in allowed]
        return self._updates[:limit]

    async def _get_updates(self, params: JSON) -> list[JSON]:
        if self.webhook_url:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        self._confirm(params.get("offset"))
        if "allowed_updates" in params:
            self._allowed_updates = set(params["allowed_updates"] or []) or None
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        hold = max(float(params.get("timeout") or 0), 0.0)
        self._poll_generation += 1
        generation = self._poll_generation
        self._notify()  # an older held poll learns it was superseded
        loop = asyncio.get_running_loop()
        deadline = loop.time() + hold
        while True:
            changed = self._changed
            if generation != self._poll_generation:
                raise ApiError(409)
            ready = self._deliverable(limit)
            remaining = deadline - loop.time()
            if ready or remaining <= 0 or self._stopping.is_set():
                return ready
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), remaining)

    # --- webhook delivery ----------------------------------------------------------------------

    def deliver_webhooks(self, targets: list[str], concurrency: int | None = None, retry_after: float = 0.5) -> None:
        """Deliver queued updates as Telegram does once a webhook is set.

        Each update is POSTed (JSON, with the secret token header from setWebhook) to the webhook
        URL's path on one of ``targets`` in turn, as a round-robin proxy in front of replicas
        would (one that refused a connection is skipped for TARGET_DOWN seconds); anything but a
        200 (an error status, no connection) means delivering it again, ``retry_after`` seconds
        later, to the next target. At most ``concurrency`` at once: by default the
        ``max_connections`` of the last setWebhook (Telegram's default 40 when it gave none).
        """
        self.webhook_targets = list(targets)
        if self._delivery_task is None:
            self._delivery_task = asyncio.create_task(self._deliver(concurrency, retry_after))

    async def _deliver(self, concurrency: int | None, retry_after: float) -> None:
        sending: set[int] = set()
        turn = itertools.count()
        limit = asyncio.Semaphore(concurrency or self.webhook_max_connections)
        tasks: set[asyncio.Task[None]] = set()
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=120)) as session:
            try:
                while not self._stopping.is_set():
                    changed = self._changed
                    if self.webhook_url and self.webhook_targets:
                        for update in [u for u in self._updates if u["update_id"] not in sending]:
                            sending.add(update["update_id"])
                            task = asyncio.create_task(
                                self._deliver_one(session, limit, update, turn, sending, retry_after)
                            )
                            tasks.add(task)
                            task.add_done_callback(tasks.discard)
                    with contextlib.suppress(TimeoutError):  # (wait_for could swallow a cancellation)
                        async with asyncio.timeout(0.5):
                            await changed.wait()
            finally:
                for task in list(tasks):
                    task.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)

    def _next_target(self, turn: itertools.count[int]) -> str:
        """The next target in turn, skipping those that refused a connection lately (as a proxy does)."""
        now = time.monotonic()
        up = [t for t in self.webhook_targets if self._down_until.get(t, 0.0) <= now] or self.webhook_targets
        return up[next(turn) % len(up)]

    async def _deliver_one(
        self,
        session: aiohttp.ClientSession,
        limit: asyncio.Semaphore,
        update: JSON,
        turn: itertools.count[int],
        sending: set[int],
        retry_after: float,
    ) -> None:
        update_id = int(update["update_id"])
        headers = {"X-Telegram-Bot-Api-Secret-Token": self.webhook_secret} if self.webhook_secret else {}
        async with limit:
            target = self._next_target(turn)  # chosen when a connection is free, as a proxy does
            try:
                url = target + urlsplit(self.webhook_url).path
                async with session.post(url, json=update, headers=headers) as response:
                    status = response.status
            except (aiohttp.ClientError, TimeoutError):
                status = 0
        self.deliveries.append(Delivery(update_id, target, status))
        if status == 0:
            self._down_until[target] = time.monotonic() + self.TARGET_DOWN
        if status == 200:
            self._updates = [u for u in self._updates if u["update_id"] != update_id]
        else:
            await asyncio.sleep(retry_after)
        sending.discard(update_id)
        self._notify()

    # --- builders of incoming updates ------------------------------------------------------------

    def _new_message_id(self, chat_id: int | str) -> int:
        """Message ids count per chat, shared by both sides, as in private chats and supergroups."""
        self._message_ids[chat_id] = self._message_ids.get(chat_id, 0) + 1
        return self._message_ids[chat_id]

    def _new_file(self, prefix: str, content: bytes | None, suffix: str) -> JSON:
        self._file_counter += 1
        n = self._file_counter
        file_id = f"{prefix}AxkBAAI{n:08d}Fake{n * 7919:010d}"
        unique = f"AQAD{n:08d}"
        data = content if content is not None else f"fake file {n}".encode()
        ids = {"file_id": file_id, "file_unique_id": unique, "file_size": len(data)}
        path = f"{suffix}/file_{n}.{_EXTENSIONS.get(suffix, 'bin')}"
        self._files[file_id] = {**ids, "file_path": path, "content": data}
        return ids

    def add_file(self, content: bytes, kind: str = "documents") -> JSON:
        """Register downloadable bytes; returns {file_id, file_unique_id, file_size} for getFile."""
        return self._new_file("BQACAgIAA", content, kind)

    @staticmethod
    def _user(user_id: int, username: str | None, first_name: str, language_code: str | None) -> JSON:
        user: JSON = {"id": user_id, "is_bot": False, "first_name": first_name}
        if username:
            user["username"] = username
        if language_code:
            user["language_code"] = language_code
        return user

    def _chat(self, chat_id: int | None, chat_type: str, user_id: int, username: str | None, first_name: str) -> JSON:
        if chat_type == "private":
            chat: JSON = {
                "id": user_id if chat_id is None else chat_id,
                "type": "private",
                "first_name": first_name,
            }
            if username:
                chat["username"] = username
        else:
            default = {"group": -4012345678, "supergroup": -1001234567890, "channel": -1009876543210}
            cid = default.get(chat_type, -1001234567890) if chat_id is None else chat_id
            title = {"channel": "Test Channel"}.get(chat_type, "Test Group")
            chat = {"id": cid, "type": chat_type, "title": title}
        self._chats.setdefault(chat["id"], chat)
        return chat

    def _incoming(self, chat: JSON, sender: JSON | None, content: JSON) -> JSON:
        message: JSON = {"message_id": self._new_message_id(chat["id"])}
        if sender is not None:
            message["from"] = sender
        else:
            message["sender_chat"] = chat
        message.update({"chat": chat, "date": int(time.time()), **content})
        self._messages[(chat["id"], message["message_id"])] = message
        self._last_incoming[chat["id"]] = message["message_id"]
        return message

    @staticmethod
    def _text_content(text: str, entities: list[JSON] | None, key: str = "text") -> JSON:
        content: JSON = {key: text}
        found = text_entities(text) if entities is None else entities
        if found:
            content["entities" if key == "text" else "caption_entities"] = found
        return content

    def message_update(
        self,
        text: str,
        chat_id: int | None = None,
        user_id: int = 1001,
        chat_type: str = "private",
        username: str | None = "tester",
        first_name: str = "Тест",
        entities: list[JSON] | None = None,
        reply_to_message: JSON | None = None,
        language_code: str | None = "ru",
    ) -> JSON:
        """{"message": ...} for a user typing ``text``; bot_command/mention entities added when None."""
        chat = self._chat(chat_id, chat_type, user_id, username, first_name)
        content = self._text_content(text, entities)
        if reply_to_message is not None:
            content = {"reply_to_message": reply_to_message, **content}
        message = self._incoming(chat, self._user(user_id, username, first_name, language_code), content)
        return {"message": message}

    def edited_message_update(
        self,
        text: str,
        message_id: int | None = None,
        chat_id: int | None = None,
        user_id: int = 1001,
        chat_type: str = "private",
        username: str | None = "tester",
        first_name: str = "Тест",
        entities: list[JSON] | None = None,
        language_code: str | None = "ru",
    ) -> JSON:
        """{"edited_message": ...}: the user's message ``message_id`` (default: their last) with new text."""
        chat = self._chat(chat_id, chat_type, user_id, username, first_name)
        if message_id is None:
            message_id = self._last_incoming.get(chat["id"]) or self._new_message_id(chat["id"])
        original = self._messages.get((chat["id"], message_id), {})
        message: JSON = {
            "message_id": message_id,
            "from": self._user(user_id, username, first_name, language_code),
            "chat": chat,
            "date": original.get("date", int(time.time()) - 60),
            "edit_date": int(time.time()),
            **self._text_content(text, entities),
        }
        self._messages[(chat["id"], message_id)] = message
        return {"edited_message": message}

    def callback_update(
        self,
        data: str,
        message: JSON | None,
        user_id: int = 1001,
        username: str | None = "tester",
        first_name: str = "Тест",
        language_code: str | None = "ru",
        inline_message_id: str | None = None,
    ) -> JSON:
        """{"callback_query": ...} for a press of an inline button on ``message`` (a Message dict)."""
        self._query_counter += 1
        chat_id = message["chat"]["id"] if message else user_id
        query: JSON = {
            "id": str(4_000_000_000_000_000_000 + self._query_counter),
            "from": self._user(user_id, username, first_name, language_code),
            "chat_instance": str(abs(int(chat_id)) * 7919 + 1_000_000_000_000_000),
            "data": data,
        }
        if message is not None:
            query["message"] = message
        if inline_message_id is not None:
            query["inline_message_id"] = inline_message_id
        return {"callback_query": query}

    def inline_update(
        self,
        query: str,
        user_id: int = 1001,
        offset: str = "",
        username: str | None = "tester",
        first_name: str = "Тест",
        language_code: str | None = "ru",
        chat_type: str | None = "sender",
    ) -> JSON:
        """{"inline_query": ...} for a user typing "@bot ``query``"."""
        self._query_counter += 1
        inline: JSON = {
            "id": str(5_000_000_000_000_000_000 + self._query_counter),
            "from": self._user(user_id, username, first_name, language_code),
            "query": query,
            "offset": offset,
        }
        if chat_type is not None:
            inline["chat_type"] = chat_type
        return {"inline_query": inline}

    def channel_post_update(self, text: str, chat_id: int = -1009876543210, entities: list[JSON] | None = None) -> JSON:
        """{"channel_post": ...}: no ``from``, the channel itself is ``sender_chat``."""
        chat = self._chat(chat_id, "channel", 0, None, "")
        return {"channel_post": self._incoming(chat, None, self._text_content(text, entities))}

    def _media_update(
        self,
        content: JSON,
        chat_id: int | None,
        user_id: int,
        chat_type: str,
        username: str | None,
        first_name: str,
        language_code: str | None,
    ) -> JSON:
        chat = self._chat(chat_id, chat_type, user_id, username, first_name)
        sender = self._user(user_id, username, first_name, language_code)
        return {"message": self._incoming(chat, sender, content)}

    def sticker_update(
        self,
        emoji: str = "👍",
        chat_id: int | None = None,
        user_id: int = 1001,
        chat_type: str = "private",
        username: str | None = "tester",
        first_name: str = "Тест",
        language_code: str | None = "ru",
        set_name: str | None = "TestStickers",
        content: bytes | None = None,
    ) -> JSON:
        """{"message": {"sticker": ...}} with a regular static 512x512 sticker."""
        sticker: JSON = {
            **self._new_file("CAACAgIAA", content, "stickers"),
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
        }
        if set_name:
            sticker["set_name"] = set_name
        return self._media_update(
            {"sticker": sticker}, chat_id, user_id, chat_type, username, first_name, language_code
        )

    def photo_update(
        self,
        caption: str | None = None,
        chat_id: int | None = None,
        user_id: int = 1001,
        chat_type: str = "private",
        username: str | None = "tester",
        first_name: str = "Тест",
        language_code: str | None = "ru",
        content: bytes | None = None,
    ) -> JSON:
        """{"message": {"photo": [...]}}: three PhotoSizes, smallest first; ``content`` is the largest."""
        sizes = []
        for side in (90, 320, 1280):
            data = content if side == 1280 else None
            sizes.append({**self._new_file("AgACAgIAA", data, "photos"), "width": side, "height": side * 3 // 4})
        body: JSON = {"photo": sizes}
        if caption is not None:
            body.update(self._text_content(caption, None, key="caption"))
        return self._media_update(body, chat_id, user_id, chat_type, username, first_name, language_code)

    def voice_update(
        self,
        duration: int = 3,
        chat_id: int | None = None,
        user_id: int = 1001,
        chat_type: str = "private",
        username: str | None = "tester",
        first_name: str = "Тест",
        language_code: str | None = "ru",
        content: bytes | None = None,
    ) -> JSON:
        """{"message": {"voice": ...}}: an OGG/Opus voice note."""
        voice = {
            **self._new_file("AwACAgIAA", content, "voice"),
            "duration": duration,
            "mime_type": "audio/ogg",
        }
        return self._media_update({"voice": voice}, chat_id, user_id, chat_type, username, first_name, language_code)

    # --- Bot API methods ---------------------------------------------------------------------------

    async def _true(self, params: JSON) -> bool:
        return True

    def _answer_query(self, field: str) -> Handler:
        """A query can be answered once, as in Telegram: a repeat is refused, and shows nothing twice."""

        async def answer(params: JSON) -> bool:
            key = (field, str(params.get(field)))
            if key in self._answered_queries:
                raise ApiError(400, "Bad Request: query is too old and response timeout expired or query ID is invalid")
            self._answered_queries.add(key)
            return True

        return answer

    async def _get_me(self, params: JSON) -> JSON:
        return self.bot_user

    async def _delete_webhook(self, params: JSON) -> bool:
        self.webhook_url = ""
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    async def _set_webhook(self, params: JSON) -> bool:
        self.webhook_url = str(params.get("url") or "")
        self.webhook_secret = params.get("secret_token")
        self.webhook_max_connections = int(params.get("max_connections") or WEBHOOK_CONNECTIONS)
        if params.get("drop_pending_updates"):
            self._updates.clear()
        self._notify()
        return True

    async def _get_webhook_info(self, params: JSON) -> JSON:
        return {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }

    @staticmethod
    def _commands_key(params: JSON) -> tuple[str, str]:
        scope = params.get("scope") or {"type": "default"}
        return json.dumps(scope, sort_keys=True), str(params.get("language_code") or "")

    async def _set_my_commands(self, params: JSON) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise ApiError(400, 'Bad Request: parameter "commands" is required')
        self.commands[self._commands_key(params)] = commands
        return True

    async def _get_my_commands(self, params: JSON) -> list[JSON]:
        return self.commands.get(self._commands_key(params), [])

    async def _delete_my_commands(self, params: JSON) -> bool:
        self.commands.pop(self._commands_key(params), None)
        return True

    def _chat_for(self, chat_id: int | str) -> JSON:
        known = self._chats.get(chat_id)
        if known is not None:
            return known
        if isinstance(chat_id, str):  # "@channelname"
            return {"id": -1001000000000 - len(self._chats), "type": "channel", "username": chat_id[1:]}
        if chat_id > 0:
            return {"id": chat_id, "type": "private", "first_name": "User"}
        return {"id": chat_id, "type": "supergroup", "title": "Group"}

    def _outgoing(self, params: JSON, content: JSON) -> JSON:
        """A Message the bot sends to ``params["chat_id"]``, stored so it can be edited later."""
        chat = self._chat_for(_chat_id(params.get("chat_id")))
        message: JSON = {
            "message_id": self._new_message_id(chat["id"]),
            "from": self.sender,
            "chat": chat,
            "date": int(time.time()),
        }
        reply = params.get("reply_parameters") or {}
        reply_id = reply.get("message_id") if isinstance(reply, dict) else None
        if reply_id is not None and (chat["id"], reply_id) in self._messages:
            message["reply_to_message"] = self._messages[(chat["id"], reply_id)]
        if params.get("message_thread_id"):
            message["message_thread_id"] = params["message_thread_id"]
        message.update(content)
        markup = params.get("reply_markup")
        if isinstance(markup, dict) and "inline_keyboard" in markup:  # only inline keyboards come back
            message["reply_markup"] = markup
        self._messages[(chat["id"], message["message_id"])] = message
        return message

    @staticmethod
    def _formatted(params: JSON, key: str, limit: int) -> JSON:
        """``text``/``caption`` after Telegram's checks: not empty, not too long, parsable HTML."""
        text = params.get(key)
        if text is None or text == "":
            if key == "caption":
                return {}
            raise ApiError(400, "Bad Request: message text is empty")
        text = str(text)
        mode = str(params.get("parse_mode") or "").lower()
        plain = check_html(text) if mode == "html" else text
        if utf16_len(plain) > limit:
            raise ApiError(
                400,
                "Bad Request: message is too long" if key == "text" else "Bad Request: message caption is too long",
            )
        content: JSON = {key: plain}
        entities = params.get("entities" if key == "text" else "caption_entities")
        if entities:
            content["entities" if key == "text" else "caption_entities"] = entities
        return content

    async def _send_message(self, params: JSON) -> JSON:
        content = self._formatted(params, "text", _SEND_LIMIT)
        link_preview = params.get("link_preview_options")
        if isinstance(link_preview, dict) and link_preview:
            content["link_preview_options"] = link_preview
        return self._outgoing(params, content)

    def _media_sender(self, kind: str) -> Handler:
        async def send(params: JSON) -> JSON:
            content = self._formatted(params, "caption", _CAPTION_LIMIT)
            upload = params.get(kind)
            data = upload.data if isinstance(upload, UploadedFile) else None
            if kind in ("location", "contact", "dice"):
                content[kind] = _simple_media(kind, params)
            elif kind == "photo":
                content["photo"] = [{**self._new_file("AgACAgIAA", data, "photos"), "width": 1280, "height": 960}]
            else:
                content[kind] = {
                    **self._new_file("BQACAgIAA", data, kind + "s"),
                    **_MEDIA_FIELDS.get(kind, {}),
                }
            return self._outgoing(params, content)

        return send

    def _find(self, params: JSON) -> tuple[tuple[int | str, int], JSON]:
        chat = self._chat_for(_chat_id(params.get("chat_id")))
        key = (chat["id"], int(params.get("message_id") or 0))
        if key not in self._messages:  # a message from before the fake started: take it on trust
            self._messages[key] = {
                "message_id": key[1],
                "from": self.sender,
                "chat": chat,
                "date": int(time.time()) - 60,
            }
        return key, self._messages[key]

    def _edit(self, params: JSON, content: JSON) -> JSON | bool:
        if params.get("inline_message_id"):
            return True
        key, old = self._find(params)
        markup = params.get("reply_markup")
        new_markup = markup if isinstance(markup, dict) and "inline_keyboard" in markup else None
        if all(old.get(k) == v for k, v in content.items()) and old.get("reply_markup") == new_markup:
            raise ApiError(
                400,
                "Bad Request: message is not modified: specified new message content and reply markup are "
                "exactly the same as a current content and reply markup of the message",
            )
        edited = {k: v for k, v in old.items() if k not in ("reply_markup", "entities", "caption_entities")}
        edited.update(content)
        edited["edit_date"] = int(time.time())
        if new_markup is not None:
            edited["reply_markup"] = new_markup
        self._messages[key] = edited
        return edited

    async def _edit_message_text(self, params: JSON) -> JSON | bool:
        return self._edit(params, self._formatted(params, "text", _SEND_LIMIT))

    async def _edit_message_caption(self, params: JSON) -> JSON | bool:
        return self._edit(params, self._formatted(params, "caption", _CAPTION_LIMIT))

    async def _edit_message_reply_markup(self, params: JSON) -> JSON | bool:
        return self._edit(params, {})

    async def _delete_message(self, params: JSON) -> bool:
        chat = self._chat_for(_chat_id(params.get("chat_id")))
        self._messages.pop((chat["id"], int(params.get("message_id") or 0)), None)
        return True

    async def _copy_message(self, params: JSON) -> JSON:
        source = self._chat_for(_chat_id(params.get("from_chat_id")))
        original = self._messages.get((source["id"], int(params.get("message_id") or 0)))
        if original is None:
            raise ApiError(400, "Bad Request: message to copy not found")
        keep = {k: v for k, v in original.items() if k not in ("message_id", "from", "chat", "date", "sender_chat")}
        return {"message_id": self._outgoing(params, keep)["message_id"]}

    async def _get_chat(self, params: JSON) -> JSON:
        chat = self._chat_for(_chat_id(params.get("chat_id")))
        gifts = dict.fromkeys(
            (
                "unlimited_gifts",
                "limited_gifts",
                "unique_gifts",
                "premium_subscription",
                "gifts_from_channels",
            ),
            True,
        )
        return {**chat, "accent_color_id": 0, "max_reaction_count": 11, "accepted_gift_types": gifts}

    async def _get_file(self, params: JSON) -> JSON:
        file_id = str(params.get("file_id") or "")
        if file_id not in self._files:
            raise ApiError(400, "Bad Request: invalid file_id")
        return {k: v for k, v in self._files[file_id].items() if k != "content"}


_EXTENSIONS = {"photos": "jpg", "voice": "oga", "stickers": "webp", "documents": "bin", "videos": "mp4"}

# send<Media> method -> the Message field its result carries.
_MEDIA_METHODS = {
    "sendPhoto": "photo",
    "sendDocument": "document",
    "sendAudio": "audio",
    "sendVoice": "voice",
    "sendVideo": "video",
    "sendAnimation": "animation",
    "sendVideoNote": "video_note",
    "sendSticker": "sticker",
    "sendLocation": "location",
    "sendContact": "contact",
    "sendDice": "dice",
}

# Required fields of each media object besides the file ids.
_MEDIA_FIELDS: dict[str, JSON] = {
    "audio": {"duration": 1},
    "voice": {"duration": 1, "mime_type": "audio/ogg"},
    "video": {"width": 640, "height": 360, "duration": 1},
    "animation": {"width": 320, "height": 240, "duration": 1},
    "video_note": {"length": 240, "duration": 1},
    "sticker": {"type": "regular", "width": 512, "height": 512, "is_animated": False, "is_video": False},
}


def _simple_media(kind: str, params: JSON) -> JSON:
    if kind == "location":
        return {"latitude": params.get("latitude", 0.0), "longitude": params.get("longitude", 0.0)}
    if kind == "contact":
        return {"phone_number": params.get("phone_number", ""), "first_name": params.get("first_name", "")}
    return {"emoji": params.get("emoji", "🎲"), "value": 1}
