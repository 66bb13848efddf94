"""Telegram's message limits, kept by each process: 30 messages a second, 20 a minute per group.

PTB's AIORateLimiter keeps the same limits, but also repeats a call refused with 429 and, while
it waits, holds back every other call of the process: one refused call delayed every answer in
flight. Here a refused call is repeated by `RetryingBot` after its own retry_after, and the other
calls go on. A typing action is not a message: it is not held back (and it is only best effort).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from contextlib import nullcontext
from typing import Any

from aiolimiter import AsyncLimiter
from cachetools import TTLCache
from telegram.constants import FloodLimit
from telegram.ext import BaseRateLimiter

from bot.telegram.retries import BEST_EFFORT

GROUPS = 10_000  # groups whose recent messages are remembered (a group unused for a minute is forgotten)

Result = bool | dict[str, Any] | list[dict[str, Any]]


class FloodLimits(BaseRateLimiter[None]):
    """Waits, before a call that sends to a chat, until Telegram's message limits allow it."""

    def __init__(
        self,
        per_second: int = FloodLimit.MESSAGES_PER_SECOND,
        per_group_minute: int = FloodLimit.MESSAGES_PER_MINUTE_PER_GROUP,
    ) -> None:
        self._overall = AsyncLimiter(per_second, 1)
        self._per_group = per_group_minute
        self._groups: TTLCache[int | str, AsyncLimiter] = TTLCache(maxsize=GROUPS, ttl=60)

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    def _group(self, chat_id: object) -> AsyncLimiter | None:
        """The limiter of a group chat (negative ids, or a @username), None for a private chat."""
        if isinstance(chat_id, str) and chat_id.lstrip("-").isdigit():
            chat_id = int(chat_id)
        if not (isinstance(chat_id, str) or (isinstance(chat_id, int) and chat_id < 0)):
            return None
        limiter = self._groups.get(chat_id) or AsyncLimiter(self._per_group, 60)
        self._groups[chat_id] = limiter  # (re)set: a group in use is not forgotten
        return limiter

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Result]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: None,
    ) -> Result:
        chat_id = data.get("chat_id")
        if chat_id is None or endpoint in BEST_EFFORT:
            return await callback(*args, **kwargs)
        group = self._group(chat_id)
        async with group or nullcontext(), self._overall:
            return await callback(*args, **kwargs)
