"""The answer contract shared by the CLI, the eval and the Telegram bot (DESIGN §3)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Language = Literal["kk", "ru", "en"]


class CitedProvision(BaseModel):
    """One cited provision: the act's Kazakh title, its numbers and a verbatim quote."""

    act: str
    article: str | None
    paragraph: str | None
    subparagraph: str | None
    quote: str
    score: float


class Answer(BaseModel):
    """What the bot says to one question."""

    id: str | None = None
    question: str
    language: Language
    answered: bool
    answer: str
    citations: list[CitedProvision] = Field(default_factory=list)
    mode: Literal["extractive", "llm"] = "extractive"
    explanation: str | None = None
