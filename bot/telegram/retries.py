"""Bot API retries that never deliver a message twice.

A call is repeated only where Telegram surely did not carry it out: no connection was made, or
Telegram answered with an error status (the Bot API carries out a method only when it answers
`ok`): a 429 is repeated after its retry_after, a 5xx after a back-off. A read or write timeout,
or a connection dropped after the request went out, leaves it open whether a message was sent;
a send is not repeated then, because a repeat could be a second message. Calls that are
harmless to repeat (REPEATABLE) are retried on any network error. getUpdates has the updater's
own retries; a typing action is tried once. Waiting for Telegram's message limits is
`bot.telegram.flood`'s job.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Any

import httpx
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut
from telegram.ext import ExtBot

log = logging.getLogger(__name__)
BACKOFF_CAP = 4.0  # seconds: the longest back-off between two attempts after a 5xx
# "typing…": best effort. Tried once (late is worse than none), not held back by the message
# limits (it is no message), not a reply that `bot.telegram.resume` records.
BEST_EFFORT = frozenset({"sendChatAction"})
# Reading, setting the same value again, answering a query that can be answered only once,
# editing to the same text: a repeat changes nothing. Sends are not here.
REPEATABLE = frozenset(
    {
        "getMe",
        "getWebhookInfo",
        "setWebhook",
        "deleteWebhook",
        "setMyCommands",
        "answerCallbackQuery",
        "answerInlineQuery",
        "editMessageText",
        "editMessageReplyMarkup",
    }
)
QUERY_ANSWERS = frozenset({"answerCallbackQuery", "answerInlineQuery"})
ANSWERED_ALREADY = "query is too old"  # Telegram's refusal of a second answer to a query


def answered_by_an_earlier_attempt(endpoint: str, attempt: int, err: BadRequest) -> bool:
    """A repeated query answer refused as "too old": the attempt that timed out had answered it.

    (Or the query expired meanwhile; either way nothing is left to do, and it is no error to report.)
    """
    return attempt > 0 and endpoint in QUERY_ANSWERS and ANSWERED_ALREADY in err.message.lower()


def surely_not_delivered(err: NetworkError) -> bool:
    """True when Telegram certainly did not carry out the call, so a retry cannot duplicate it."""
    cause = err.__cause__
    if isinstance(cause, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout):
        return True  # nothing was sent
    if isinstance(err, TimedOut):
        return False  # sent, answer not heard: it may have been carried out
    # PTB raises a cause-less NetworkError for an error status answered by Telegram (5xx)
    return not isinstance(cause, httpx.HTTPError | OSError) and "Unknown error in HTTP" not in err.message


class RetryingBot(ExtBot[None]):
    """Retries Bot API calls with back-off, only where a retry cannot deliver a message twice."""

    def __init__(self, *args: Any, retries: int = 9, backoff: float = 0.5, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._retries = retries  # attempts per call (`Settings.telegram.send_retries`)
        self._backoff = backoff  # seconds before the first retry, doubling (`Settings.telegram.send_backoff`)

    async def _do_post(self, endpoint: str, *args: Any, **kwargs: Any) -> Any:
        for attempt in range(self._retries):
            last = endpoint == "getUpdates" or endpoint in BEST_EFFORT or attempt == self._retries - 1
            try:
                return await super()._do_post(endpoint, *args, **kwargs)
            except BadRequest as err:
                if answered_by_an_earlier_attempt(endpoint, attempt, err):
                    return True
                raise
            except RetryAfter as err:  # refused, not carried out: repeat once Telegram allows it
                if last:
                    raise
                wait = retry_after(err)
            except NetworkError as err:
                if last:
                    raise
                if endpoint not in REPEATABLE and not surely_not_delivered(err):
                    log.warning("%s may have reached Telegram (%s): not repeated", endpoint, type(err).__name__)
                    raise
                wait = min(self._backoff * 2**attempt, BACKOFF_CAP)
            await asyncio.sleep(wait)
        raise AssertionError("unreachable")


def retry_after(err: RetryAfter) -> float:
    """The seconds Telegram asks to wait (read as PTB's own rate limiter reads it, without a warning)."""
    wait = getattr(err, "_retry_after", None)
    return wait.total_seconds() if isinstance(wait, timedelta) else 1.0
