"""Bot API retries that never deliver a message twice.

A call is repeated only where Telegram surely did not carry it out: no connection was made, or
Telegram answered with an error status (the Bot API carries out a method only when it answers
`ok`). A read or write timeout, or a connection dropped after the request went out, leaves it
open whether a message was sent; a send is not repeated then, because a repeat could be a
second message. Calls that are harmless to repeat (REPEATABLE) are retried on any network error;
a repeated answer to a query that Telegram refuses as answered already is done, not an error.
429s are the rate limiter's job; getUpdates has the updater's own retries.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import httpx
from telegram.error import BadRequest, NetworkError, TimedOut
from telegram.ext import ExtBot

log = logging.getLogger(__name__)
# Reading, setting the same value again, answering a query that can be answered only once,
# editing to the same text: a repeat changes nothing. Sends are not here.
REPEATABLE = frozenset(
    {
        "getMe",
        "getWebhookInfo",
        "setWebhook",
        "deleteWebhook",
        "setMyCommands",
        "sendChatAction",
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

    def __init__(self, *args: Any, retries: int = 3, backoff: float = 0.5, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._retries = retries  # attempts per call (`Settings.telegram.send_retries`)
        self._backoff = backoff  # seconds before the first retry, doubling (`Settings.telegram.send_backoff`)

    async def _do_post(self, endpoint: str, *args: Any, **kwargs: Any) -> Any:
        for attempt in range(self._retries):
            try:
                return await super()._do_post(endpoint, *args, **kwargs)
            except BadRequest as err:
                if answered_by_an_earlier_attempt(endpoint, attempt, err):
                    return True
                raise
            except NetworkError as err:
                if endpoint == "getUpdates" or attempt == self._retries - 1:
                    raise
                if endpoint not in REPEATABLE and not surely_not_delivered(err):
                    log.warning("%s may have reached Telegram (%s): not repeated", endpoint, type(err).__name__)
                    raise
                await asyncio.sleep(self._backoff * 2**attempt)
        raise AssertionError("unreachable")
