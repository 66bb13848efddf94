"""The running bot's heartbeat: `python -m bot health` reads it instead of opening a fresh engine.

A fresh engine says nothing about the process that serves users (it stayed green while the
running bot failed every search). So the running bot searches a probe question with its own
engine every INTERVAL seconds and writes the outcome to a small JSON file beside its data;
the health check passes only if that file is recent and says the search worked.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path

from bot.engine import Engine

log = logging.getLogger(__name__)
INTERVAL = 30.0  # seconds between beats
MAX_AGE = 120.0  # seconds after which a heartbeat counts as stopped
PROBE = "волонтердің құқықтары"  # a search that always finds provisions


def heartbeat_path(data_dir: Path) -> Path:
    """This host's heartbeat file (replicas sharing a data volume each keep their own)."""
    return data_dir / f"heartbeat-{socket.gethostname()}.json"


def beat(path: Path, engine: Engine | None) -> bool:
    """Search the probe with the running engine and record the outcome; True if it worked."""
    ok, detail = False, "the knowledge base is unavailable"
    if engine is not None:
        try:
            hits = engine.retriever.search(PROBE).hits
            ok, detail = bool(hits), f"{len(hits)} hits" if hits else "the probe found nothing"
        except Exception as err:  # whatever breaks search must show here, not crash the beat
            detail = f"search failed: {type(err).__name__}: {err}"
    record = {"pid": os.getpid(), "at": time.time(), "ok": ok, "detail": detail}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(record), encoding="utf-8")
    tmp.replace(path)  # atomic: a reader never sees half a file
    if not ok:
        log.warning("heartbeat: %s", detail)
    return ok


def start(path: Path, engine: Callable[[], Engine | None], interval: float = INTERVAL) -> threading.Thread:
    """Beat now and then every `interval` seconds in a daemon thread (it ends with the process)."""

    def loop() -> None:
        while True:
            beat(path, engine())
            time.sleep(interval)

    thread = threading.Thread(target=loop, name="heartbeat", daemon=True)
    thread.start()
    return thread


def check(path: Path, max_age: float = MAX_AGE) -> tuple[bool, str]:
    """(healthy, why) from the heartbeat file of the running bot."""
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        age = time.time() - float(record["at"])
    except FileNotFoundError:
        return False, f"no heartbeat at {path}: is the bot running?"
    except (OSError, ValueError, KeyError, TypeError) as err:
        return False, f"unreadable heartbeat {path}: {err}"
    if age > max_age:
        return False, f"the last heartbeat (pid {record.get('pid')}) is {age:.0f} s old"
    if not record.get("ok"):
        return False, f"the running bot's search fails: {record.get('detail')}"
    return True, f"pid {record.get('pid')}: {record.get('detail')}, {age:.0f} s ago"
