"""Exactly-once handling of webhook updates: a claim on each update id before it is handled.

Telegram re-delivers a webhook update until some replica answers 200, so the same update can
reach two replicas. The first to claim it handles it; a claim expires after `lease` seconds
unless finished, so an update whose replica died mid-way is handled by the next delivery.
Replicas share the ledger through the store (PostgreSQL); one process can use `MemoryLedger`.
"""

from __future__ import annotations

import threading
import time
from enum import Enum
from typing import Protocol

LEASE = 60.0  # seconds a claim holds before another replica may take the update over


class Claim(Enum):
    """What to do with a delivered update."""

    HANDLE = "handle"  # this process claimed it: handle it, then finish it
    DONE = "done"  # already handled: acknowledge without handling again
    BUSY = "busy"  # another process is handling it now: refuse, Telegram delivers it again


class UpdateLedger(Protocol):
    """Claims and finishes update ids; shared between replicas when backed by the database."""

    def claim_update(self, update_id: int, owner: str, lease: float = LEASE) -> Claim: ...

    def finish_update(self, update_id: int, owner: str) -> None: ...


class MemoryLedger:
    """The ledger of one process (polling, or a single webhook replica); ids kept for `keep` s."""

    def __init__(self, keep: float = 24 * 3600.0) -> None:
        self.keep = keep
        self._lock = threading.Lock()
        self._claims: dict[int, tuple[str, float, bool]] = {}  # id → owner, when, finished
        self._sweep_at = 1024  # size at which old ids are swept next

    def claim_update(self, update_id: int, owner: str, lease: float = LEASE) -> Claim:
        now = time.monotonic()
        with self._lock:
            self._expire(now)
            held = self._claims.get(update_id)
            if held is not None:
                holder, when, finished = held
                if finished:
                    return Claim.DONE
                if holder != owner and now - when < lease:
                    return Claim.BUSY
            self._claims[update_id] = (owner, now, False)
            return Claim.HANDLE

    def finish_update(self, update_id: int, owner: str) -> None:
        with self._lock:
            self._claims[update_id] = (owner, time.monotonic(), True)

    def _expire(self, now: float) -> None:
        """Telegram keeps an update for 24 hours at most: older ids can be forgotten."""
        if len(self._claims) < self._sweep_at:
            return
        old = [k for k, (_, when, _) in self._claims.items() if now - when > self.keep]
        for key in old:
            del self._claims[key]
        self._sweep_at = max(1024, 2 * len(self._claims))
