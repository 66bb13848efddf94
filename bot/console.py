"""A terminal chat over the same replies the Telegram handlers send (HTML shown as text).

What a newcomer sees without a Telegram token: questions are answered exactly as in a
private chat; /help, /about, /article, /force and /eligibility work too.
"""

from __future__ import annotations

import sys
from typing import TextIO

from bot.answer.model import Answer, Language
from bot.engine import Engine
from bot.present.buttons import Checklist
from bot.present.replies import (
    REPLY_CODES,
    Outgoing,
    about_reply,
    article_reply,
    checklist_reply,
    help_reply,
    kazakh_keys,
    kazakh_reply,
)
from bot.present.split import strip_tags
from bot.present.text import render_text
from bot.present.texts import text
from knowledge.language import detect

WELCOME = (
    "Statute assistant — ask about volunteers, public assistants (қоғамдық көмекші), the Assembly of the "
    "People of Kazakhstan or the Optional Protocol report, in Kazakh, Russian or English.\n"
    "/help lists the commands. An empty line or Ctrl-D quits.\n"
)
PROMPT = "you> "


class Console:
    """One terminal conversation: remembers the language and an unfinished checklist."""

    def __init__(self, engine: Engine, stdin: TextIO, stdout: TextIO) -> None:
        self.engine, self.stdin, self.stdout = engine, stdin, stdout
        self.lang: Language = "ru"
        self.checklist: str | None = None
        self.kazakh: tuple[str, ...] = ()  # provisions of the last answer quoted in an official translation

    def show(self, reply: Outgoing) -> None:
        for message in reply.messages:
            self.stdout.write("\nbot> " + strip_tags(message) + "\n")
        buttons = [b.label for row in reply.buttons for b in row if isinstance(b.data, Checklist)]
        if buttons:
            self.stdout.write("     [" + " / ".join(buttons) + "]  (y / n / u)\n")
        self.stdout.write("\n")

    def show_answer(self, answer: Answer) -> None:
        """An answer in its text rendering: «quotes» with their sources, the outcome's lead first."""
        self.stdout.write("\nbot> " + render_text(answer.blocks) + "\n")
        self.kazakh = kazakh_keys(answer)
        if self.kazakh:  # the console's "Текст на казахском" button
            self.stdout.write(f"     [{text(answer.language).button_kazakh}: /kk]\n")
        self.stdout.write("\n")

    def handle(self, line: str) -> None:
        command, _, rest = line.strip().partition(" ")
        if self.checklist is not None and line.strip().lower()[:1] in REPLY_CODES:
            self.checklist += line.strip().lower()[0]
            reply = checklist_reply(self.engine, self.checklist, self.lang)
            if not any(isinstance(b.data, Checklist) for row in reply.buttons for b in row):
                self.checklist = None
            self.show(reply)
        elif command == "/help":
            self.show(help_reply(self.lang, "bot"))
        elif command == "/about":
            self.show(about_reply(self.engine.kb.acts, self.lang))
        elif command == "/article" and len(rest.split()) >= 2:
            words, lang = rest.split(), self.lang
            if len(words) >= 3 and words[-1] in ("kk", "ru", "en"):  # /article профилактика 46 ru
                lang = words.pop()  # type: ignore[assignment]
            kb = self.engine.kb
            self.show(article_reply(kb.acts, " ".join(words[:-1]), words[-1], lang, kb.official))
        elif command == "/kk" and self.kazakh:
            self.show(kazakh_reply(self.engine, self.kazakh, self.lang))
        elif command == "/force":
            self.show_answer(self.engine.composer.force(line, self.lang))
        elif command == "/eligibility":
            self.checklist = ""
            self.show(checklist_reply(self.engine, "", self.lang))
        elif command == "/lang" and rest.strip() in ("kk", "ru", "en"):
            self.lang = rest.strip()  # type: ignore[assignment]
        else:
            self.lang = detect(line) if line.strip() else self.lang
            self.show_answer(self.engine.ask(line))


def chat(engine: Engine, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> int:
    """Read questions line by line and print the replies until an empty line or end of input."""
    console = Console(engine, stdin, stdout)
    stdout.write(WELCOME)
    while True:
        stdout.write(PROMPT)
        stdout.flush()
        line = stdin.readline()
        if not line or not line.strip():
            stdout.write("\n")
            return 0
        console.handle(line)
