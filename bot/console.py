"""A terminal chat on the same engine: what a newcomer sees without a Telegram token."""

from __future__ import annotations

import sys
from typing import TextIO

from bot.engine import Engine

WELCOME = (
    "Statute assistant — ask about volunteers, public assistants (қоғамдық көмекші), the Assembly of the "
    "People of Kazakhstan or the Optional Protocol report, in Kazakh, Russian or English.\n"
    "An empty line or Ctrl-D quits.\n"
)
PROMPT = "you> "


def chat(engine: Engine, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> int:
    """Read questions line by line and print the answers until an empty line or end of input."""
    stdout.write(WELCOME)
    while True:
        stdout.write(PROMPT)
        stdout.flush()
        line = stdin.readline()
        if not line or not line.strip():
            stdout.write("\n")
            return 0
        stdout.write("\nbot> " + engine.ask(line).answer + "\n\n")
