"""Out-of-scope prototypes: kinds of questions the statutes never answer (`scope.toml`)."""

from __future__ import annotations

import tomllib
from pathlib import Path

SCOPE_FILE = Path(__file__).resolve().parent / "scope.toml"
SCOPE_ACT = "scope"  # the pseudo-act their vectors are filed under


def load_scope(path: Path = SCOPE_FILE) -> dict[str, list[str]]:
    """Kind name → example questions."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return {kind["name"]: list(kind["examples"]) for kind in data["kind"]}
