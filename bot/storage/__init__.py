"""Storage shared by bot replicas: SQLite under DATA_DIR by default, PostgreSQL with DATABASE_URL.

`Storage.open(...)` migrates the schema (Alembic) and returns the facade: `users` (language),
`feedback` (answer tokens, votes), `limits` (per-user question limit), `updates` (claims that make
each Telegram update handled once across replicas, and the replies each has sent), `forget`,
`totals`, `purge`.
"""

from bot.storage.feedback import AnswerRecord
from bot.storage.files import StorageError
from bot.storage.storage import Forgotten, Storage
from bot.storage.updates import Claim

__all__ = ["AnswerRecord", "Claim", "Forgotten", "Storage", "StorageError"]
