"""A per-user question limit (sliding window); outgoing flood limits are PTB's AIORateLimiter."""

from __future__ import annotations

import time
from collections import defaultdict, deque


class UserLimiter:
    """Counts each user's questions in a sliding window and says how long to wait.

    The defaults are `Settings.telegram.questions_per_period` and `.period`'s.
    """

    def __init__(self, questions: int = 6, period: float = 60.0) -> None:
        self.questions = questions
        self.period = period
        self._seen: dict[int, deque[float]] = defaultdict(deque)

    def wait(self, user_id: int, now: float | None = None) -> float:
        """0 if the user may ask now (and counts it), else the seconds to wait."""
        now = time.monotonic() if now is None else now
        seen = self._seen[user_id]
        while seen and now - seen[0] >= self.period:
            seen.popleft()
        if len(seen) >= self.questions:
            return self.period - (now - seen[0])
        seen.append(now)
        return 0.0
