"""The shape of a text table: one instance per language (`kk.py`, `ru.py`, `en.py`)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Texts:
    """Every fixed text in one language; placeholders in braces are filled with `str.format`."""

    lead: str  # opens an answer: {act}, {kind} of act, {citation}
    act_kind: dict[str, str]  # the kind of act as the lead names it
    also: str  # title over the further provisions of an answer
    full_article: str  # label of the /article pointer
    cannot_answer: str  # the decline sentence
    can_answer: str  # what the bot can answer, after a decline
    disclaimer: str  # closes every answer
    empty: str  # reply to an empty message
    too_long: str  # reply to an over-long question: {length}, {limit}
    no_words: str  # reply to a message without words
    unavailable: str  # the knowledge base cannot be opened
    explanation_label: str  # labels an LLM explanation
    act_not_found: str  # /article with an unknown act: {query}, {known}
    article_not_found: str  # /article with an unknown number: {act}, {num}
    verdict: dict[str, str]  # checklist outcome: eligible, not_eligible, check
    apply_head: str  # checklist: title over how to apply
    changed_head: str  # checklist: title over a change of circumstances
    start: str
    examples: tuple[str, ...]
    help: str
    lang_set: str
    lang_usage: str
    ask_usage: str
    article_usage: str
    about_head: str
    about_line: str
    none: str
    forgotten: str
    not_text: str
    unknown_command: str
    slow_down: str
    error: str
    storage_busy: str  # the bot's database failed (e.g. stayed locked): nothing was done, try again
    thanks: str
    expired: str
    button_article: str
    button_share: str
    button_yes: str
    button_no: str
    button_unsure: str
    inline_hint: str
    inline_nothing: str
    commands: tuple[tuple[str, str], ...]  # the command menu: (command, description)
    related_lead: str  # opens a related answer: {kind} of question
    related_kinds: dict[str, str]  # names of the kinds of question the statutes do not answer
    inline_related: str  # title prefix of a related inline card
    official_text: str  # source note of an official translation shown instead of the Kazakh: {edition}
    official_kazakh: str  # source note of the Kazakh quote when a translation is shown beside it
    unofficial: str  # label of an unofficial translation shown beside the Kazakh
    stale_official: str  # why the official translation is not shown: {edition}, {dates}
    button_kazakh: str  # shows the Kazakh text of an answer quoted in an official translation
    kazakh_head: str  # title over the Kazakh text sent by that button
    article_official: str  # /article in Russian: the official text is shown: {edition}
    article_stale: str  # /article in Russian: the official text is out of date: {edition}, {dates}
    article_no_official: str  # /article in Russian: the act has no official Russian text here
