"""Load on two replicas in webhook mode, with faults, one replica killed halfway.

Two `python -m bot run --webhook` processes (tests/replicas.py) are fed round robin by the fake
Bot API server, which injects 10% 429 and 5% 502 answers into the bot's calls and re-delivers
every update that is not acknowledged with a 200. 200 users send 1,000 updates, 100 a second
(the plan of benches/load.py: a private question, a group mention, a group message not for the
bot, an inline query and a button press each); halfway through, one replica is killed (SIGKILL).

Reports lost (an update that needed an answer and got none), answered twice (and, of those, the
ones whose first copy the killed replica sent in the moment before it died, before it could
record the send), latency from the update offered to its answer (p50/p95/p99/max; apart for the
updates the killed replica held, which wait for its lease to run out), and re-deliveries.

Extra environment for the replicas (e.g. DATABASE_URL for shared storage, CHROMA_HOST,
TELEGRAM__CLAIM_LEASE) is taken from this process's environment.

Run: python benches/replicas_load.py [--users 200] [--runs 3] [--no-kill] [--no-faults]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import Expect, answering, percentile, plan_updates, responses  # the single-process load bench's plan

from knowledge.settings import Settings
from tests.fake_telegram import FakeBotApi
from tests.postgres import fresh_schema, libpq
from tests.replicas import ReplicaProcess, replicas

PACE = 100.0  # updates offered a second
WINDOW = 1.0  # seconds before the kill in which a first copy counts as sent "as it died"


def story(api: FakeBotApi, e: Expect, update_id: int, start: float) -> dict[str, Any]:
    """What happened to one update: its deliveries and the calls that answer it (times from the start)."""
    return {
        "update_id": update_id,
        "kind": e.kind,
        "offered": round(e.offered - start, 3),
        "deliveries": [
            (d.target, d.status, round(d.time - start, 3)) for d in api.deliveries if d.update_id == update_id
        ],
        "calls": [(c.method, c.failed, round(c.time - start, 3)) for c in answering(api, e)],
    }


def held_by(api: FakeBotApi, update_id: int, replica: ReplicaProcess) -> bool:
    """Whether the replica had the update and never acknowledged it (it was killed meanwhile)."""
    tries = [d for d in api.deliveries if d.update_id == update_id]
    return bool(tries) and tries[0].target == replica.address and tries[0].status != 200


@contextmanager
def own_database() -> Iterator[dict[str, str]]:
    """The replicas' DATABASE_URL: a new schema of DATABASE_URL's database for this run (dropped after)."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        yield {}  # SQLite in the run's own data dir
        return
    scoped = fresh_schema(url)
    try:
        yield {"DATABASE_URL": scoped}
    finally:
        schema = make_url(scoped).query["options"].split("=", 1)[1]
        with psycopg.connect(libpq(url), autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


async def _run(users: int, data_dir: Path, faults: bool, kill: bool, deadline: float) -> dict[str, Any]:
    with own_database() as env:
        return await _measure(users, data_dir, env, faults, kill, deadline)


async def _measure(
    users: int, data_dir: Path, env: dict[str, str], faults: bool, kill: bool, deadline: float
) -> dict[str, Any]:
    async with FakeBotApi() as api, replicas(api, 2, data_dir, env) as (first, _second):
        if faults:
            api.inject_faults(rate_429=0.10, rate_502=0.05, seed=1)
        plan = plan_updates(api, users, seed=7)
        start = time.monotonic()
        halfway, killed_at = len(plan) // 2 if kill else -1, float("inf")
        ids: list[int] = []
        for i, (update, expect) in enumerate(plan):
            await asyncio.sleep(max(0.0, start + i / PACE - time.monotonic()))
            if i == halfway:
                first.kill()
                killed_at = time.monotonic()
            expect.offered = time.monotonic()
            ids.append(api.push_update(update))
        end = time.monotonic() + deadline
        while time.monotonic() < end and api.pending_updates:  # until every update is acknowledged
            await asyncio.sleep(0.5)
        await asyncio.sleep(2.0)  # late repeats would show up here
    updates = [(e, u) for (_, e), u in zip(plan, ids, strict=True)]
    expected = [(e, u) for e, u in updates if e.kind != "quiet"]
    answered = [(e, u) for e, u in expected if responses(api, e)]
    twice = [(e, u) for e, u in updates if len(responses(api, e)) > 1]
    # a first copy the killed replica sent just before it died, with no 200 for the update
    as_it_died = [
        (e, u) for e, u in twice if held_by(api, u, first) and killed_at - WINDOW <= min(responses(api, e)) <= killed_at
    ]
    held = {u for _, u in answered if held_by(api, u, first)}
    waits = [min(responses(api, e)) - e.offered for e, _ in answered]
    held_waits = [min(responses(api, e)) - e.offered for e, u in answered if u in held]
    lost = [(e, u) for e, u in expected if not responses(api, e)]
    return {
        "updates": len(plan),
        "answered": len(answered),
        "lost": len(lost),
        "twice": len(twice),
        "as_it_died": [round(1000 * (killed_at - min(responses(api, e)))) for e, _ in as_it_died],
        "unasked": sum(bool(responses(api, e)) for e, _ in updates if e.kind == "quiet"),
        "p50": percentile(waits, 0.50),
        "p95": percentile(waits, 0.95),
        "p99": percentile(waits, 0.99),
        "max": max(waits, default=float("nan")),
        "held": len(held),
        "held_p50": percentile(held_waits, 0.5),
        "busy": sum(d.status == 503 for d in api.deliveries),
        "refused": sum(d.status == 0 for d in api.deliveries),
        "faults": sum(c.failed for c in api.calls),
        "seconds": time.monotonic() - start,
        "stories": {
            "killed_at": round(killed_at - start, 3) if kill else None,
            "lost": [story(api, e, u, start) for e, u in lost],
            "twice": [story(api, e, u, start) for e, u in twice],
            "all": [story(api, e, u, start) for e, u in updates],
        },
    }


def report(r: dict[str, Any], kill: bool) -> str:
    died = ", ".join(f"{ms} ms" for ms in r["as_it_died"]) or "none"
    lines = [
        f"{r['updates']} updates, answered {r['answered']}, lost {r['lost']}, answered twice {r['twice']} "
        f"(first copy sent by the killed replica in the second before it died: {len(r['as_it_died'])}; "
        f"how long before: {died}), spoke unasked {r['unasked']}",
        f"  latency offered -> answer: p50 {r['p50']:.2f} s, p95 {r['p95']:.2f} s, p99 {r['p99']:.2f} s, "
        f"max {r['max']:.2f} s; {r['seconds']:.0f} s in all",
        f"  refused bot calls (429/502) {r['faults']}; re-deliveries: {r['busy']} answered 503 (claimed by "
        f"another replica), {r['refused']} without a connection",
    ]
    if kill:
        lines.append(
            f"  updates the killed replica held and another resumed: {r['held']}, "
            f"their latency p50 {r['held_p50']:.2f} s"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--faults", action=argparse.BooleanOptionalAction, default=True, help="inject 429s and 502s")
    parser.add_argument("--kill", action=argparse.BooleanOptionalAction, default=True, help="kill a replica halfway")
    parser.add_argument("--deadline", type=float, default=600.0, help="seconds to wait for the last acknowledgement")
    parser.add_argument("--details", type=Path, help="write every update's deliveries and answers here (JSON)")
    args = parser.parse_args()
    lease = Settings().telegram.claim_lease
    print(
        f"2 replicas, {'one killed halfway' if args.kill else 'none killed'}, "
        f"{'10% 429 + 5% 502' if args.faults else 'no faults'}, claim lease {lease:g} s; "
        f"load average at start {os.getloadavg()[0]:.2f}"
    )
    for n in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            shutil.copytree(Settings().data_dir / "chroma", Path(tmp) / "chroma")
            r = asyncio.run(_run(args.users, Path(tmp), args.faults, args.kill, args.deadline))
        print(f"run {n + 1}: " + report(r, args.kill), flush=True)
        if args.details:
            args.details.with_suffix(f".{n + 1}.json").write_text(json.dumps(r["stories"], indent=1))
    print(f"load average at end {os.getloadavg()[0]:.2f} (two cores; other work on them slows every figure)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
