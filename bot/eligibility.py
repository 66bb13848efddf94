"""The eligibility checklist for a police public assistant (Law on prevention of offences, art. 45).

Pure logic: the questions (from `knowledge/topics.toml`, shared with the composed answer),
and the outcome for a set of answers with the points that decided it. The Telegram
conversation asks the questions one by one with yes/no buttons.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.answer.compose import Composer
from bot.answer.model import Block, Language, Lead, Note
from bot.present.texts import text
from knowledge.chunks import Chunk
from knowledge.index import KnowledgeBase
from knowledge.topics import Reply, Step, load_topics

Outcome = Literal["eligible", "not_eligible", "check"]
TOPIC = load_topics().eligibility
STEPS: tuple[Step, ...] = tuple(TOPIC.step)


@dataclass(frozen=True)
class Result:
    """The outcome, the provisions that decided it and the provisions on how to apply."""

    outcome: Outcome
    deciding: tuple[Chunk, ...]
    apply: tuple[Chunk, ...]


def evaluate(kb: KnowledgeBase, replies: dict[str, Reply]) -> Result:
    """The outcome of a completed (or cut short) checklist."""

    def chunk(pid: str) -> Chunk:
        return kb.by_key[f"{TOPIC.act}/{pid}"]

    bars = [chunk(s.provision) for s in STEPS if replies.get(s.key) == s.barring]
    unsure = [chunk(s.provision) for s in STEPS if replies.get(s.key) == "unsure"]
    apply = tuple(chunk(p) for p in TOPIC.how_to_apply)
    if bars:
        changed = (chunk(TOPIC.changed),) if TOPIC.changed else ()
        return Result("not_eligible", tuple(bars), changed)
    if unsure:
        return Result("check", tuple(unsure), apply)
    return Result("eligible", (), apply)


def next_step(replies: dict[str, Reply]) -> Step | None:
    """The first unanswered question; None when the checklist is complete or already decided."""
    if any(replies.get(s.key) == s.barring for s in STEPS):
        return None
    return next((s for s in STEPS if s.key not in replies), None)


def result_blocks(composer: Composer, result: Result, lang: Language) -> list[Block]:
    """The outcome as answer blocks: verdict, quoted provisions with citations, how to apply."""
    t = text(lang)
    blocks: list[Block] = [Lead(text=t.verdict[result.outcome])]
    blocks += [composer.quote(c, lang) for c in result.deciding]
    if result.apply:
        head = t.changed_head if result.outcome == "not_eligible" else t.apply_head
        blocks += [Note(text=head, heading=True), *(composer.quote(c, lang) for c in result.apply)]
    return blocks
