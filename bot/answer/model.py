"""The answer contract shared by the CLI, the eval and every front end (DESIGN §3).

`Answer.blocks` is the source of truth: typed blocks (lead, quote, related provision, pointer,
note, explanation) that each front end renders its own way. `Answer.answer` is the same
answer as plain text (the console rendering), kept for the `ask --json` contract.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Language = Literal["kk", "ru", "en"]
Outcome = Literal["answer", "related", "decline"]


class ProvisionRef(BaseModel):
    """A provision of an act by ids: `volunteer` + `art_12__para_3__subpara_5`."""

    model_config = ConfigDict(frozen=True)

    act_id: str
    node_id: str

    @property
    def key(self) -> str:
        """The chunk key used by the knowledge base: `<act id>/<node id>`."""
        return f"{self.act_id}/{self.node_id}"

    @classmethod
    def from_key(cls, key: str) -> ProvisionRef:
        act_id, _, node_id = key.partition("/")
        return cls(act_id=act_id, node_id=node_id)


class Translation(BaseModel):
    """A rendering of a provision in another language; `official` only for a published text."""

    lang: Language
    text: str
    official: bool
    edition: str | None = None  # the official edition's date or name


class CitedProvision(BaseModel):
    """One cited provision: the act's Kazakh title, its numbers and a verbatim quote."""

    act: str
    article: str | None
    paragraph: str | None
    subparagraph: str | None
    quote: str
    score: float
    translations: list[Translation] = Field(default_factory=list)
    ref: ProvisionRef | None = None  # which provision, by ids (an added field of the contract)


class Lead(BaseModel):
    """The opening sentence(s) in the user's language."""

    kind: Literal["lead"] = "lead"
    text: str


class Quote(BaseModel):
    """A provision that answers the question, quoted verbatim, with act and place."""

    kind: Literal["quote"] = "quote"
    ref: ProvisionRef
    text: str  # verbatim, from the Kazakh source
    act_title: str  # in the user's language
    place: str  # the citation in the user's language ("ст. 12, п. 3, пп. 5)")
    translations: list[Translation] = Field(default_factory=list)  # as on the citation
    shown: Translation | None = None  # shown to the reader: instead of the Kazakh if official, else beside it
    source_note: str | None = None  # which text the shown quote is ("официальный текст на русском языке, …")
    shown_label: str | None = None  # labels an unofficial translation ("Неофициальный перевод")


class RelatedProvision(BaseModel):
    """A provision close to the question, quoted and cited, but not presented as the answer."""

    kind: Literal["related"] = "related"
    ref: ProvisionRef
    text: str
    act_title: str
    place: str
    translations: list[Translation] = Field(default_factory=list)
    shown: Translation | None = None
    source_note: str | None = None
    shown_label: str | None = None


class Pointer(BaseModel):
    """Where to read on: the `/article` command for the whole article."""

    kind: Literal["pointer"] = "pointer"
    label: str  # "Полный текст статьи:"
    command: str  # "/article волонтер 12"


class Note(BaseModel):
    """A fixed sentence: a disclaimer, what the bot can answer, or a section title."""

    kind: Literal["note"] = "note"
    text: str
    heading: bool = False  # a title over the quotes that follow


class Explanation(BaseModel):
    """An LLM-written explanation that passed verification; never styled as the law."""

    kind: Literal["explanation"] = "explanation"
    label: str
    text: str


Block = Annotated[Lead | Quote | RelatedProvision | Pointer | Note | Explanation, Field(discriminator="kind")]


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
    outcome: Outcome = "decline"
    blocks: list[Block] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _outcome_from_answered(cls, data: object) -> object:
        """Older producers set only `answered`: answered means "answer", else "decline"."""
        if isinstance(data, dict) and "outcome" not in data and "answered" in data:
            return {**data, "outcome": "answer" if data["answered"] else "decline"}
        return data

    @model_validator(mode="after")
    def _answered_means_answer(self) -> Answer:
        if self.answered != (self.outcome == "answer"):
            raise ValueError(f"answered={self.answered} contradicts outcome={self.outcome!r}")
        return self
