"""Each user's chosen language, shared by every replica."""

from __future__ import annotations

import time

from sqlalchemy import select

from bot.storage.database import Database
from bot.storage.schema import users


class Users:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def language(self, user_id: int) -> str | None:
        async with self.db.reading() as conn:
            lang = await conn.scalar(select(users.c.lang).where(users.c.user_hash == self.db.user_key(user_id)))
        return str(lang) if lang else None

    async def set_language(self, user_id: int, lang: str) -> None:
        row = {"user_hash": self.db.user_key(user_id), "lang": lang, "updated": time.time()}
        statement = self.db.insert(users).values(row)
        statement = statement.on_conflict_do_update(
            index_elements=[users.c.user_hash], set_={"lang": lang, "updated": row["updated"]}
        )
        await self.db.write(lambda conn: conn.execute(statement))
