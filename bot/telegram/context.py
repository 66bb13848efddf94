"""The typed bot_data every handler reads, and the context type that carries it."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from telegram.ext import CallbackContext, ExtBot

from bot.engine import Engine
from bot.present.replies import AnswerLog
from bot.telegram.limits import UserLimiter
from bot.telegram.store import Store
from ingest.model import Act
from knowledge.settings import Settings


@dataclass
class BotData:
    """Dependencies of the handlers, all set by `build_application` before the first update.

    Only the engine may be None: while the knowledge base is unavailable the bot still runs
    and says so, and `engine_of` reopens it.
    """

    settings: Settings
    store: Store
    engine: Engine | None
    acts: list[Act]
    limiter: UserLimiter
    answers: AnswerLog
    engine_attempt: float = float("-inf")  # when reopening it was last tried (monotonic clock)
    engine_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    inline_latest: dict[int, str] = field(default_factory=dict)  # user → id of their newest inline query

    @classmethod
    def create(cls, settings: Settings, store: Store, engine: Engine | None) -> BotData:
        """Bot data with limits and memories sized by the settings."""
        tg = settings.telegram
        return cls(
            settings=settings,
            store=store,
            engine=engine,
            acts=engine.kb.acts if engine else [],
            limiter=UserLimiter(tg.questions_per_period, tg.period),
            answers=AnswerLog(tg.answer_memory),
        )


Context = CallbackContext[ExtBot[None], dict[object, object], dict[object, object], BotData]
