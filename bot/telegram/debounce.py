"""The inline-query debouncer's memory: each user's newest query id, bounded in time and size.

An entry only matters for the debounce pause (under a second), so entries expire after `ttl`
and at most `size` users are remembered; the least recently used go first.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from cachetools import TTLCache

TTL = 30.0  # seconds an inline query id is remembered
SIZE = 10_000  # users remembered at once


class InlineDebouncer:
    """Says whether an inline query is still its user's newest after the pause."""

    def __init__(self, ttl: float = TTL, size: int = SIZE, timer: Callable[[], float] = time.monotonic) -> None:
        self._latest: TTLCache[int, str] = TTLCache(maxsize=size, ttl=ttl, timer=timer)

    def mark(self, user_id: int, query_id: str) -> None:
        self._latest[user_id] = query_id

    def is_latest(self, user_id: int, query_id: str) -> bool:
        return self._latest.get(user_id) == query_id

    def forget(self, user_id: int) -> None:
        self._latest.pop(user_id, None)

    def __len__(self) -> int:
        self._latest.expire()
        return len(self._latest)
