"""The one logging setup: INFO for the bot, quiet HTTP libraries, the token redacted everywhere.

User text is never logged: handlers log kinds and ids, and the error handler logs the type and
the code location of an exception, not its message (which can repeat what the user sent).
"""

from __future__ import annotations

import logging

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
QUIET = ("httpx", "httpcore", "chromadb", "bm25s", "uvicorn.access", "apscheduler")


class RedactToken(logging.Filter):
    """Replaces the bot token in every log record (HTTP libraries log request URLs)."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        if self.token:
            message = record.getMessage()
            if self.token in message:
                record.msg, record.args = message.replace(self.token, "<token>"), None
        return True


def configure_logging(level: int, token: str = "") -> None:
    """Set up logging once per process: `level` for the bot, WARNING for chatty libraries."""
    logging.basicConfig(level=level, format=FORMAT, force=True)
    for noisy in QUIET:
        logging.getLogger(noisy).setLevel(logging.WARNING)
    redact = RedactToken(token)
    for handler in logging.getLogger().handlers:
        handler.addFilter(redact)
