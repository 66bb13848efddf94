"""The one error ingestion raises: it names the file and line so an editor can fix the source."""

from __future__ import annotations


class IngestError(Exception):
    """A source text that cannot be turned into an act tree."""

    def __init__(self, file: str, line: int, message: str) -> None:
        super().__init__(f"{file}:{line}: {message}")
        self.file = file
        self.line = line
        self.message = message
