"""The typed bot_data every handler reads, and the context type that carries it."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from telegram.ext import CallbackContext, ExtBot

from bot.engine import Engine
from bot.storage import Storage
from bot.telegram.debounce import InlineDebouncer
from ingest.model import Act
from knowledge.settings import Settings


@dataclass
class BotData:
    """Dependencies of the handlers, all set by `build_application` before the first update.

    Only the engine may be None: while the knowledge base is unavailable the bot still runs
    and says so, and `engine_of` reopens it. The storage is started by the application's
    post-init hook, before any update is handled.
    """

    settings: Settings
    storage: Storage
    engine: Engine | None
    acts: list[Act]
    engine_attempt: float = float("-inf")  # when reopening it was last tried (monotonic clock)
    # answers are searched in this pool, several at once (the engine only reads)
    workers: ThreadPoolExecutor = field(default_factory=lambda: ThreadPoolExecutor(thread_name_prefix="answer"))
    inline: InlineDebouncer = field(default_factory=InlineDebouncer)  # each user's newest inline query

    @classmethod
    def create(cls, settings: Settings, engine: Engine | None) -> BotData:
        """Bot data with the storage and limits the settings name."""
        tg = settings.telegram
        storage = Storage(
            settings.database_url.get_secret_value() if settings.database_url else None,
            settings.data_dir,
            settings.user_hash_salt.get_secret_value() if settings.user_hash_salt else None,
            questions=tg.questions_per_period,
            period=tg.period,
            lease=tg.claim_lease,
        )
        return cls(
            settings=settings,
            storage=storage,
            engine=engine,
            acts=engine.kb.acts if engine else [],
            workers=ThreadPoolExecutor(tg.answer_workers, "answer"),
        )


Context = CallbackContext[ExtBot[None], dict[object, object], dict[object, object], BotData]
