"""Statute facts as data (`topics.toml`): the provisions the composed answers walk.

The composer (eligibility and use-of-force answers) and the eligibility checklist both read
these, so a provision id or a section title is written down once.
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

TOPICS_FILE = Path(__file__).resolve().parent / "topics.toml"
Reply = Literal["yes", "no", "unsure"]


class Section(BaseModel):
    """A group of provisions shown together, with an optional title per language."""

    model_config = ConfigDict(extra="forbid")

    name: str
    title: dict[str, str] = {}
    provisions: list[str]


class Step(BaseModel):
    """One checklist question, the provision behind it and the reply that bars the applicant."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str
    provision: str
    barring: Reply
    question: dict[str, str]


class Topic(BaseModel):
    """A question the bot answers by walking every condition of some provisions."""

    model_config = ConfigDict(extra="forbid")

    act: str
    article: str
    lead: dict[str, str]
    cues: list[str]  # every pattern must match the question
    section: list[Section]
    step: list[Step] = []
    how_to_apply: list[str] = []
    changed: str | None = None

    def provision_ids(self) -> list[str]:
        """Every provision of the walk, in section order."""
        return [pid for s in self.section for pid in s.provisions]

    def keys(self) -> list[str]:
        """The chunk keys (`<act>/<provision>`) of the walk, in section order."""
        return [f"{self.act}/{pid}" for pid in self.provision_ids()]

    def cued(self, question: str) -> bool:
        """True when the question matches every cue pattern."""
        return all(re.search(p, question, re.I) for p in self.cues)


class Topics(BaseModel):
    """The composed topics: eligibility (art. 45) and use of force (art. 46)."""

    model_config = ConfigDict(extra="forbid")

    eligibility: Topic
    force: Topic


@lru_cache(maxsize=4)
def load_topics(path: Path = TOPICS_FILE) -> Topics:
    """The topics file, read once per path."""
    return Topics.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))
