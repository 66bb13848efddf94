"""Numbering sequences: a numbered line is a new item only if its number can come next."""

from __future__ import annotations


def _split(num: str) -> tuple[int, int]:
    main, _, sub = num.partition("-")
    return int(main), int(sub or 0)


def can_follow(previous: str | None, num: str) -> bool:
    """True if item `num` may follow item `previous` (None: the list has not started).

    Inserted items carry a dash: after "2" may come "2-1" or "3"; after "2-1", "2-2" or "3".
    A list starts at 1 (or at an inserted "1-1" only after 1).
    """
    n_main, n_sub = _split(num)
    if previous is None:
        return (n_main, n_sub) == (1, 0)
    p_main, p_sub = _split(previous)
    return (n_main, n_sub) in {(p_main + 1, 0), (p_main, p_sub + 1)}
