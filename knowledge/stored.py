"""Derived data kept in the data dir as JSON under the digest of what it was made from.

A reader gets the payload only if the digest matches; a missing, damaged or stale file
means "make it again", and a data dir that cannot be written only costs speed.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")


def code_digest(*modules: ModuleType) -> str:
    """A digest of the modules' source files: what is made from data changes when they do."""
    h = hashlib.sha256()
    for module in modules:
        h.update(Path(module.__file__ or "").read_bytes())
    return h.hexdigest()


def read_stored(path: Path, digest: str, decode: Callable[[dict[str, Any]], T]) -> T | None:
    """The decoded payload if the file was written under `digest`; None otherwise."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return decode(data) if isinstance(data, dict) and data.get("digest") == digest else None
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, IndexError, TypeError, AttributeError, AssertionError) as err:
        log.warning("ignoring the unreadable %s: %s", path, err)
        return None


def write_stored(path: Path, digest: str, payload: dict[str, Any]) -> None:
    """Write atomically (a reader never sees half a file)."""
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump({"digest": digest, **payload}, f, ensure_ascii=False, separators=(",", ":"))
        os.replace(tmp, path)
    except OSError as err:
        log.warning("cannot store %s in %s: %s", path.name, path.parent, err)
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
