"""The answer contract shared by the CLI, the eval and the Telegram bot (DESIGN §3)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, model_validator

Language = Literal["kk", "ru", "en"]
Outcome = Literal["answer", "related", "decline"]


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
    answered: bool  # true only for the outcome "answer"
    answer: str
    citations: list[CitedProvision] = Field(default_factory=list)
    mode: Literal["extractive", "llm"] = "extractive"
    explanation: str | None = None
    outcome: Outcome = "decline"  # answer: a provision answers it; related: in the statutes' subject, not in them

    @model_validator(mode="before")
    @classmethod
    def _outcome_of_answered(cls, data: object) -> object:
        """An answer built with only `answered` gets the matching outcome."""
        if isinstance(data, dict) and "outcome" not in data and data.get("answered"):
            return {**data, "outcome": "answer"}
        return data

    @model_validator(mode="after")
    def _answered_only_for_answer(self) -> Answer:
        if self.answered != (self.outcome == "answer"):
            raise ValueError("`answered` is true exactly when the outcome is 'answer'")
        return self
