"""Exactly-once handling of webhook updates: a claim on each update id before it is handled.

Telegram re-delivers a webhook update until some replica answers 200, so the same update can
reach two replicas. The first to claim it handles it; a claim expires after `lease` seconds
unless finished, so an update whose replica died mid-way is handled by the next delivery.
Replicas share claims through the storage (PostgreSQL), which has the same interface;
`MemoryClaims` serves one process.
"""

from __future__ import annotations

import time
from enum import Enum
from typing import Protocol

LEASE = 60.0  # seconds a claim holds before another delivery may take the update over
KEEP = 24 * 3600.0  # Telegram keeps an update for 24 hours at most: older claims are forgotten


class Claim(Enum):
    """What to do with a delivered update."""

    CLAIMED = "claimed"  # this process claimed it: handle it, then finish it
    DONE = "done"  # already handled: acknowledge without handling again
    BUSY = "busy"  # being handled now: refuse, Telegram delivers it again


class UpdateClaims(Protocol):
    """Claims, finishes and releases update ids."""

    async def claim(self, update_id: int) -> Claim: ...

    async def finish(self, update_id: int) -> None: ...

    async def release(self, update_id: int) -> None: ...


class MemoryClaims:
    """The claims of one process (a single webhook replica without a shared database)."""

    def __init__(self, lease: float = LEASE) -> None:
        self.lease = lease
        self._claims: dict[int, tuple[float, bool]] = {}  # id → claimed at, finished
        self._sweep_at = 1024  # size at which old ids are swept next

    async def claim(self, update_id: int) -> Claim:
        now = time.monotonic()
        self._sweep(now)
        held = self._claims.get(update_id)
        if held is not None:
            when, finished = held
            if finished:
                return Claim.DONE
            if now - when < self.lease:
                return Claim.BUSY
        self._claims[update_id] = (now, False)
        return Claim.CLAIMED

    async def finish(self, update_id: int) -> None:
        self._claims[update_id] = (time.monotonic(), True)

    async def release(self, update_id: int) -> None:
        held = self._claims.get(update_id)
        if held is not None and not held[1]:
            del self._claims[update_id]

    def _sweep(self, now: float) -> None:
        if len(self._claims) < self._sweep_at:
            return
        for key in [k for k, (when, _) in self._claims.items() if now - when > KEEP]:
            del self._claims[key]
        self._sweep_at = max(1024, 2 * len(self._claims))
