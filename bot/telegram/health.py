"""Is the running bot fit to answer? Readiness for the webhook server's /readyz."""

from __future__ import annotations

import logging

from telegram.ext import Application

from bot.telegram.context import BotData

log = logging.getLogger(__name__)


async def readiness(application: Application) -> list[str]:  # type: ignore[type-arg]
    """What keeps the process from serving questions (empty when ready)."""
    bd: BotData = application.bot_data
    problems = []
    if bd.engine is None:
        problems.append("knowledge base unavailable")
    try:
        await bd.storage.users.language(0)
    except Exception as err:  # any driver error (or storage not started) means it cannot be used now
        problems.append(f"storage unavailable: {type(err).__name__}")
    return problems
