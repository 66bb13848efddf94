"""Answers behind feedback buttons, and one 👍/👎 per (voter, answer).

A button carries only a random token. The question and the cited provisions are stored once,
under the asker; a vote row holds the voter, the token and the vote, never the question.
"""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.storage.database import Database
from bot.storage.schema import answers, votes

TOKEN_BYTES = 16  # 128 random bits (22 URL-safe characters, short enough for callback data): not guessable


@dataclass(frozen=True)
class AnswerRecord:
    """What a feedback button refers to."""

    token: str
    question: str
    provisions: tuple[str, ...]
    chunks: tuple[str, ...] = ()  # the cited chunks' keys (for the Kazakh-text button)


class Feedback:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def save_answer(
        self, asker_id: int, question: str, provisions: list[str], chunks: list[str] | None = None
    ) -> str:
        """Store an answer under its asker; returns the token its buttons carry."""
        token = secrets.token_urlsafe(TOKEN_BYTES)
        row = {
            "token": token,
            "asker_hash": self.db.user_key(asker_id),
            "question": question,
            "provisions": json.dumps(provisions, ensure_ascii=False),
            "chunks": json.dumps(chunks or [], ensure_ascii=False),
            "created": time.time(),
        }
        await self.db.write(lambda conn: conn.execute(answers.insert().values(row)))
        return token

    async def answer(self, token: str) -> AnswerRecord | None:
        async with self.db.reading() as conn:
            row = (
                await conn.execute(
                    select(answers.c.question, answers.c.provisions, answers.c.chunks).where(answers.c.token == token)
                )
            ).one_or_none()
        return (
            None
            if row is None
            else AnswerRecord(token, row.question, tuple(json.loads(row.provisions)), tuple(json.loads(row.chunks)))
        )

    async def vote(self, voter_id: int, token: str, vote: int) -> bool:
        """Record +1/-1; pressing again replaces the voter's vote. False if the answer is unknown."""
        if vote not in (1, -1):
            raise ValueError(f"a vote is +1 or -1, not {vote}")
        row = {"token": token, "voter_hash": self.db.user_key(voter_id), "vote": vote, "created": time.time()}
        statement = self.db.insert(votes).values(row)
        statement = statement.on_conflict_do_update(
            index_elements=[votes.c.token, votes.c.voter_hash], set_={"vote": vote, "created": row["created"]}
        )

        async def record(conn: AsyncConnection) -> bool:
            if await conn.scalar(select(answers.c.token).where(answers.c.token == token)) is None:
                return False
            await conn.execute(statement)
            return True

        try:
            return await self.db.write(record)
        except IntegrityError:  # the answer was forgotten in between
            return False

    async def vote_count(self, voter_id: int | None = None) -> int:
        query = select(func.count()).select_from(votes)
        if voter_id is not None:
            query = query.where(votes.c.voter_hash == self.db.user_key(voter_id))
        async with self.db.reading() as conn:
            return int(await conn.scalar(query) or 0)

    async def answer_count(self, asker_id: int | None = None) -> int:
        query = select(func.count()).select_from(answers)
        if asker_id is not None:
            query = query.where(answers.c.asker_hash == self.db.user_key(asker_id))
        async with self.db.reading() as conn:
            return int(await conn.scalar(query) or 0)
