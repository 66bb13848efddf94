"""Resuming an update another replica began: the replies it had sent are not sent again.

In webhook mode a claimed update is handled inside `journal_of(...)`, which makes the update's
journal current (a context variable, so it follows every call the handlers make). Each Bot API
call that shows the user something takes the next reply number, and once Telegram confirms it,
the number is recorded in the shared storage. A replica that resumes an update whose holder
died does not make the calls whose numbers are recorded: the handler gets back what Telegram
answered the first time (the message id; the rest of the Message is rebuilt from the call) and
goes on to the replies that are missing.

The replies of one update are sent one after another, so the n-th reply of the second run is
the n-th of the first. Left open: a reply that Telegram carried out while the dying replica had
not yet written its record (the milliseconds between the two); that one is sent again.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from bot.storage.updates import UpdateClaims
from bot.telegram.retries import BEST_EFFORT, RetryingBot

log = logging.getLogger(__name__)
# Bot API methods that change what a user sees, by the start of their names ("typing…" aside).
SHOWN = ("send", "copy", "forward", "edit", "delete", "answer", "stop", "pin", "unpin")


def shows_the_user(endpoint: str) -> bool:
    """Whether a call is a reply: a send, edit or deletion, or the answer to a query."""
    return endpoint.startswith(SHOWN) and endpoint not in BEST_EFFORT


@dataclass
class Journal:
    """One update's replies: those recorded before (number → message id), and the count so far."""

    update_id: int
    claims: UpdateClaims
    sent: dict[int, int | None] = field(default_factory=dict)
    replies: int = 0

    def next_reply(self) -> int:
        self.replies += 1
        return self.replies - 1

    async def record(self, seq: int, result: Any) -> None:
        """Write down that Telegram confirmed reply `seq` (a failed write only widens the open window)."""
        message_id = result.get("message_id") if isinstance(result, dict) else None
        try:
            await self.claims.record(self.update_id, seq, message_id if isinstance(message_id, int) else None)
        except Exception as err:  # the reply is out; not recording it must not fail the update
            log.warning("reply %d of update %d not recorded (%s)", seq, self.update_id, type(err).__name__)


CURRENT: ContextVar[Journal | None] = ContextVar("current_update_journal", default=None)


@asynccontextmanager
async def journal_of(claims: UpdateClaims, update_id: int, resumed: bool) -> AsyncIterator[Journal]:
    """Make the update's journal current while its handlers run; a resumed one starts from storage."""
    journal = Journal(update_id, claims, await claims.sent(update_id) if resumed else {})
    if journal.sent:
        log.info("update %d resumed: %d replies were sent before", update_id, len(journal.sent))
    token = CURRENT.set(journal)
    try:
        yield journal
    finally:
        CURRENT.reset(token)


def as_sent(data: dict[str, Any], message_id: int | None) -> bool | dict[str, Any]:
    """What Telegram answered to a reply sent before: True, or the Message (its id and chat)."""
    if message_id is None:
        return True
    chat_id = data.get("chat_id")
    if isinstance(chat_id, str) and chat_id.lstrip("-").isdigit():
        chat_id = int(chat_id)
    kind = "private" if isinstance(chat_id, int) and chat_id > 0 else "supergroup"
    return {"message_id": message_id, "date": int(time.time()), "chat": {"id": chat_id, "type": kind}}


class ResumingBot(RetryingBot):
    """The bot: retries where safe, and within an update's handling, never repeats a recorded reply."""

    async def _do_post(self, endpoint: str, data: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        journal = CURRENT.get()
        if journal is None or not shows_the_user(endpoint):
            return await super()._do_post(endpoint, data, *args, **kwargs)
        seq = journal.next_reply()
        if seq in journal.sent:
            log.info("update %d: reply %d was sent before it was resumed; not sent again", journal.update_id, seq)
            return as_sent(data, journal.sent[seq])
        result = await super()._do_post(endpoint, data, *args, **kwargs)
        await journal.record(seq, result)
        return result
