"""The typed bot_data every handler reads, and the context type that carries it."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from telegram.ext import CallbackContext, ExtBot

from bot.engine import Engine
from bot.telegram.limits import UserLimiter
from bot.telegram.replies import AnswerLog
from bot.telegram.store import Store
from ingest.model import Act
from knowledge.settings import Settings

WORKERS = 4  # threads answering at once: two cores, and searches wait on I/O part of the time


@dataclass
class BotData:
    """Dependencies of the handlers; filled in by `build_application`."""

    settings: Settings | None = None
    engine: Engine | None = None  # None while the knowledge base is unavailable
    engine_attempt: float = float("-inf")  # when reopening it was last tried (monotonic clock)
    acts: list[Act] = field(default_factory=list)
    store: Store | None = None
    limiter: UserLimiter = field(default_factory=UserLimiter)
    answers: AnswerLog = field(default_factory=AnswerLog)
    # answers are searched in this pool, several at once (the engine only reads)
    workers: ThreadPoolExecutor = field(default_factory=lambda: ThreadPoolExecutor(WORKERS, "answer"))
    heartbeat: asyncio.Task[None] | None = None  # writes the heartbeat file while the bot runs
    inline_latest: dict[int, str] = field(default_factory=dict)  # user → id of their newest inline query


Context = CallbackContext[ExtBot[None], dict[object, object], dict[object, object], BotData]
