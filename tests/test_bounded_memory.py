"""What the bot keeps in memory per user is bounded in size and time (no growth with users)."""

from __future__ import annotations

import tracemalloc

from bot.telegram.debounce import InlineDebouncer


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_the_inline_debouncer_keeps_at_most_its_size() -> None:
    debouncer = InlineDebouncer(ttl=30, size=1000)
    tracemalloc.start()
    for user in range(20_000):
        debouncer.mark(user, f"query-{user}")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(debouncer) == 1000
    assert debouncer.is_latest(19_999, "query-19999") and not debouncer.is_latest(0, "query-0")  # oldest went
    assert peak < 2 * 1024 * 1024  # 20k users, yet about the memory of 1000


def test_the_inline_debouncer_forgets_after_its_ttl() -> None:
    clock = Clock()
    debouncer = InlineDebouncer(ttl=30, size=1000, timer=clock)
    debouncer.mark(1, "a")
    debouncer.mark(1, "b")
    assert debouncer.is_latest(1, "b") and not debouncer.is_latest(1, "a")
    clock.now = 31
    assert len(debouncer) == 0 and not debouncer.is_latest(1, "b")


def test_forget_drops_the_users_entry() -> None:
    debouncer = InlineDebouncer()
    debouncer.mark(7, "q")
    debouncer.forget(7)
    assert not debouncer.is_latest(7, "q") and len(debouncer) == 0
