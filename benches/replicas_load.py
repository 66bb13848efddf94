"""Load on two replicas in webhook mode, with faults, one replica killed halfway.

Two `python -m bot run --webhook` processes (tests/replicas.py) are fed round robin by the fake
Bot API server, which injects 10% 429 and 5% 502 answers into the bot's calls and re-delivers
every update that is not acknowledged with a 200. 200 users send 1,000 updates (the plan of
benches/load.py: a private question, a group mention, a group message not for the bot, an inline
query and a button press each); halfway through, one replica is killed (SIGKILL). Reports lost,
answered twice, and latency from the update offered to its answer.

Extra environment for the replicas (e.g. DATABASE_URL for shared storage, CHROMA_HOST) is taken
from this process's environment.

Run: python benches/replicas_load.py [--users 200]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import answering, percentile, plan_updates, responses  # the single-process load bench's plan

from knowledge.settings import Settings
from tests.fake_telegram import FakeBotApi
from tests.replicas import replicas

PACE = 100.0  # updates offered a second


def story(api: FakeBotApi, e: Any, update_id: int, start: float) -> dict[str, Any]:
    """What happened to one update: its deliveries and the calls that answer it."""
    return {
        "update_id": update_id,
        "kind": e.kind,
        "offered": e.offered - start,
        "deliveries": [
            (d.target[-5:], d.status, round(d.time - start, 3)) for d in api.deliveries if d.update_id == update_id
        ],
        "calls": [(c.method, c.failed, c.hung, round(c.time - start, 3)) for c in answering(api, e)],
    }


async def _run(
    users: int, data_dir: Path, deadline: float, details: Path | None = None, faults: bool = True, kill: bool = True
) -> dict[str, Any]:
    async with FakeBotApi() as api, replicas(api, 2, data_dir) as (first, _second):
        if faults:
            api.inject_faults(rate_429=0.10, rate_502=0.05, seed=1)
        plan = plan_updates(api, users, seed=7)
        start = time.monotonic()
        halfway, killed_at = len(plan) // 2 if kill else -1, float("inf")
        update_ids: list[int] = []
        for i, (update, expect) in enumerate(plan):
            await asyncio.sleep(max(0.0, start + i / PACE - time.monotonic()))
            if i == halfway:
                first.kill()
                killed_at = time.monotonic()
            expect.offered = time.monotonic()
            update_ids.append(api.push_update(update))
        expected = [e for _, e in plan if e.kind != "quiet"]
        end = time.monotonic() + deadline
        while time.monotonic() < end and api.pending_updates:  # until each update is acknowledged
            await asyncio.sleep(0.5)
        await asyncio.sleep(2.0)  # late duplicates would show up here
        answered = [e for e in expected if responses(api, e)]
        twice = [(e, u) for (_, e), u in zip(plan, update_ids, strict=True) if len(responses(api, e)) > 1]

        def sent_by_the_killed(e: Any, update_id: int) -> bool:
            """Sent before the kill by the replica killed before it could acknowledge the update."""
            tries = [d for d in api.deliveries if d.update_id == update_id]
            unacknowledged = bool(tries) and tries[0].target == first.address and tries[0].status != 200
            return unacknowledged and min(responses(api, e)) <= killed_at

        resent = [e for e, u in twice if sent_by_the_killed(e, u)]
        spoke = [e for _, e in plan if e.kind == "quiet" and responses(api, e)]
        waits = [min(responses(api, e)) - e.offered for e in answered]
        refused = sum(d.status != 200 for d in api.deliveries)
        if details is not None:
            lost = [
                (e, u)
                for (_, e), u in zip(plan, update_ids, strict=True)
                if e.kind != "quiet" and not responses(api, e)
            ]
            dump = {
                "killed_at": killed_at - start,
                "lost": [story(api, e, u, start) for e, u in lost],
                "twice": [story(api, e, u, start) for e, u in twice],
                "all": [story(api, e, u, start) for (_, e), u in zip(plan, update_ids, strict=True)],
            }
            details.write_text(json.dumps(dump, indent=1, default=str))
        return {
            "updates": len(plan),
            "answered": len(answered),
            "lost": len(expected) - len(answered),
            "twice": len(twice),
            "resent": len(resent),
            "unasked": len(spoke),
            "p50": percentile(waits, 0.5),
            "p95": percentile(waits, 0.95),
            "redeliveries": refused,
            "seconds": time.monotonic() - start,
            "failed_calls": sum(c.failed for c in api.calls),
        }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--deadline", type=float, default=600.0)
    parser.add_argument("--details", type=Path, help="write the lost and repeated updates' stories here (JSON)")
    parser.add_argument("--faults", action=argparse.BooleanOptionalAction, default=True, help="inject 429s and 502s")
    parser.add_argument("--kill", action=argparse.BooleanOptionalAction, default=True, help="kill a replica halfway")
    parser.add_argument("--logs", type=Path, help="copy the replicas' logs into this directory")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copytree(Settings().data_dir / "chroma", Path(tmp) / "chroma")
        r = asyncio.run(_run(args.users, Path(tmp), args.deadline, args.details, args.faults, args.kill))
        if args.logs:
            args.logs.mkdir(parents=True, exist_ok=True)
            for log in Path(tmp).glob("replica*.log"):
                shutil.copy(log, args.logs / log.name)
    print(
        f"2 replicas, one killed halfway, 10% 429 + 5% 502: {r['updates']} updates, answered {r['answered']}, "
        f"lost {r['lost']}, answered twice {r['twice']} (of which sent by the killed replica before the kill "
        f"and sent again by the other: {r['resent']}), spoke unasked {r['unasked']}, "
        f"p50 {r['p50']:.2f} s, p95 {r['p95']:.2f} s, re-deliveries {r['redeliveries']}, "
        f"failed bot calls {r['failed_calls']}, {r['seconds']:.0f} s in all"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
