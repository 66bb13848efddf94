"""Is the running bot fit to answer? Readiness for the webhook server, and a heartbeat file.

The heartbeat lets a container health check ask the running process, in polling mode too,
without opening the knowledge base (and loading the model) in a second process every minute.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import time
from pathlib import Path

from telegram.ext import Application

from bot.telegram.context import BotData

log = logging.getLogger(__name__)
HEARTBEAT_EVERY = 30.0  # seconds between heartbeats
HEARTBEAT_FILE = "heartbeat.json"


async def readiness(application: Application) -> list[str]:  # type: ignore[type-arg]
    """What keeps the process from serving questions (empty when ready)."""
    bd: BotData = application.bot_data
    problems = []
    if bd.engine is None:
        problems.append("knowledge base unavailable")
    try:
        await bd.storage.users.language(0)
    except Exception as err:  # any driver error (or storage not started) means it cannot be used now
        problems.append(f"storage unavailable: {type(err).__name__}")
    return problems


def write_heartbeat(path: Path, problems: list[str]) -> None:
    """Replace the heartbeat file atomically: when, which process, and what is wrong (if anything)."""
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"time": time.time(), "pid": os.getpid(), "problems": problems}), encoding="utf-8")
    tmp.replace(path)


async def beat(application: Application, path: Path) -> None:  # type: ignore[type-arg]
    """Write the heartbeat every HEARTBEAT_EVERY seconds until cancelled."""
    while True:
        try:
            problems = await readiness(application)
            await asyncio.to_thread(write_heartbeat, path, problems)
        except OSError as err:
            log.warning("could not write the heartbeat: %s", type(err).__name__)
        await asyncio.sleep(HEARTBEAT_EVERY)


def check_heartbeat(path: Path, max_age: float = 3 * HEARTBEAT_EVERY) -> list[str]:
    """The problems the running bot reported, or why its heartbeat cannot be trusted."""
    try:
        beat_ = json.loads(path.read_text(encoding="utf-8"))
        age = time.time() - float(beat_["time"])
        problems = [str(p) for p in beat_["problems"]]
    except (OSError, ValueError, KeyError, TypeError) as err:
        return [f"no heartbeat from a running bot ({type(err).__name__})"]
    if age > max_age:
        return [f"the last heartbeat is {age:.0f} s old"]
    return problems
