"""Load: bursts of updates through the real Application (polling, real HTTP) on 127.0.0.1.

A fake Bot API server (tests/fake_telegram.py) serves the updates and records the bot's calls.
200 users send 1,000 updates: a private question, a question to the bot in a group, a group
message not meant for the bot, an inline query and a button press each, in kk/ru/en. Reports
answered, lost, answered twice, latency from update offered to the answer received,
throughput and peak RSS — clean and with faults (10% 429, 5% 502, 2% hangs).

A hang is a call whose answer never comes back in time; half of them stall before the fake
server carries the call out, half after (tests/fake_telegram.py). A send that hung is not
repeated (bot/telegram/retries.py: a repeat could be a second message), so a send that hung
before delivery is lost: those are counted apart ("hung"), and "lost" is the rest, which must be 0.

Run: python benches/load.py [--users 200]
"""

from __future__ import annotations

import argparse
import asyncio
import html
import random
import resource
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.engine import Engine
from bot.present.texts import text
from bot.telegram.app import allowed_updates, build_application
from knowledge.settings import Settings, TelegramSettings
from tests.fake_telegram import Call, FakeBotApi

# The bench's own questions (kk/ru/en), written for it; answers fit in one message.
QUESTIONS = {
    "kk": [
        "Волонтердің қандай құқықтары бар?",
        "Волонтер қандай міндеттерді атқаруы тиіс?",
        "Волонтерлік ұйым волонтерлерді қалай көтермелейді?",
        "Үйлестіруші волонтерлерге не істейді?",
        "Ассамблея сессиясы қанша рет шақырылады?",
        "Қоғамдық көмекшіні көтермелеудің қандай шаралары бар?",
    ],
    "ru": [
        "Какие права есть у волонтёра?",
        "Обязан ли волонтёр хранить конфиденциальность?",
        "Кто назначает координатора волонтёров?",
        "Чем занимается Ассамблея народа Казахстана?",
        "Как поощряют общественных помощников?",
        "Может ли волонтёрская организация вести учёт своих волонтёров?",
    ],
    "en": [
        "What rights does a volunteer have?",
        "Who appoints the volunteer coordinator?",
        "What are the duties of a volunteer organiser?",
        "How are public assistants rewarded?",
        "Who chairs the Assembly of the People of Kazakhstan?",
        "Can a volunteer organisation keep a register of its volunteers?",
    ],
}
LANGS = ("kk", "ru", "en")
GROUPS = 100  # two users per group keeps each group under Telegram's 20 messages a minute


@dataclass
class Expect:
    """What one offered update should produce, and how to find it among the bot's calls."""

    kind: str  # private | group | quiet | inline | button
    offered: float
    chat_id: int = 0
    message_id: int = 0
    query_id: str = ""


def plan_updates(api: FakeBotApi, users: int, seed: int) -> list[tuple[dict[str, Any], Expect]]:
    rng = random.Random(seed)
    out: list[tuple[dict[str, Any], Expect]] = []
    for n in range(users):
        user = 10_000 + n
        lang = LANGS[n % 3]
        group = -1_000_000_000 - n % GROUPS
        pool = QUESTIONS[lang]
        private = api.message_update(rng.choice(pool), user_id=user, language_code=lang)
        mention = api.message_update(
            f"@{api.username} {rng.choice(pool)}", chat_id=group, chat_type="supergroup", user_id=user
        )
        quiet = api.message_update("Всем привет, встреча в 18:00", chat_id=group, chat_type="supergroup", user_id=user)
        inline = api.inline_update(rng.choice(pool), user_id=user)
        button = api.callback_update(f"lang:{lang}", None, user_id=user)
        out += [
            (private, Expect("private", 0, chat_id=user)),
            (mention, Expect("group", 0, chat_id=group, message_id=mention["message"]["message_id"])),
            (quiet, Expect("quiet", 0, chat_id=group, message_id=quiet["message"]["message_id"])),
            (inline, Expect("inline", 0, query_id=inline["inline_query"]["id"])),
            (button, Expect("button", 0, query_id=button["callback_query"]["id"])),
        ]
    rng.shuffle(out)
    return out


def responses(api: FakeBotApi, e: Expect) -> list[float]:
    """Times of the calls carried out that answer this update."""
    return [call.time for call in answering(api, e) if not call.failed]


def hung_before_delivery(api: FakeBotApi, e: Expect) -> bool:
    """Whether an answer to this update was sent into a hang and never carried out."""
    return any(call.hung == "before" for call in answering(api, e))


def answering(api: FakeBotApi, e: Expect) -> list[Call]:
    """The calls (carried out or not) that answer this update."""
    hits = []
    for call in api.calls:
        p = call.params
        if (
            (e.kind == "private" and call.method == "sendMessage" and p.get("chat_id") == e.chat_id)
            or (
                e.kind in ("group", "quiet")
                and call.method == "sendMessage"
                and p.get("chat_id") == e.chat_id
                and (p.get("reply_parameters") or {}).get("message_id", p.get("reply_to_message_id")) == e.message_id
            )
            or (e.kind == "inline" and call.method == "answerInlineQuery" and p.get("inline_query_id") == e.query_id)
            or (
                e.kind == "button" and call.method == "answerCallbackQuery" and p.get("callback_query_id") == e.query_id
            )
        ):
            hits.append(call)
    return hits


FAILURES = {sentence for lang in LANGS for sentence in (text(lang).error, text(lang).storage_busy)}


def said_failure(api: FakeBotApi, e: Expect) -> bool:
    """Whether the bot answered this update with its error sentence rather than an answer."""
    for call in answering(api, e):
        said = call.params.get("text") or (call.params.get("button") or {}).get("text") or ""
        if not call.failed and html.unescape(said) in FAILURES:
            return True
    return False


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentile(values: list[float], q: float) -> float:
    return sorted(values)[min(len(values) - 1, int(q * len(values)))] if values else float("nan")


async def _run(
    engine: Engine, users: int, rate_limits: bool, faults: bool, pace: float, deadline: float
) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        async with FakeBotApi() as api:
            settings = Settings(
                telegram_bot_token=api.token,
                data_dir=Path(tmp),
                telegram_base_url=api.base_url,
                database_url=None,
                # users here are distinct; the per-user limit is not under test
                telegram=TelegramSettings(questions_per_period=1000),
            )
            app = build_application(
                settings, engine=engine, rate_limits=rate_limits, read_timeout=2.0 if faults else 15
            )
            await app.initialize()
            assert app.post_init is not None and app.updater is not None
            await app.post_init(app)
            await app.start()
            await app.updater.start_polling(poll_interval=0.0, timeout=1, allowed_updates=allowed_updates())
            if faults:
                api.inject_faults(rate_429=0.10, rate_502=0.05, rate_timeout=0.02, timeout_seconds=3.0, seed=1)
            plan = plan_updates(api, users, seed=7)
            start = time.monotonic()
            for i, (update, expect) in enumerate(plan):
                if pace:
                    await asyncio.sleep(max(0.0, start + i / pace - time.monotonic()))
                expect.offered = time.monotonic()
                api.push_update(update)
            expected = [e for _, e in plan if e.kind != "quiet"]
            end = time.monotonic() + deadline
            while time.monotonic() < end and not all(responses(api, e) for e in expected):
                await asyncio.sleep(0.2)
            await asyncio.sleep(1.0)  # late duplicates would show up here
            await app.updater.stop()
            await app.stop()
            await app.shutdown()
    answered = [e for e in expected if responses(api, e)]
    unanswered = [e for e in expected if not responses(api, e)]
    hung = [e for e in unanswered if hung_before_delivery(api, e)]
    twice = [e for e in answered if len(responses(api, e)) > 1]
    spoke = [e for _, e in plan if e.kind == "quiet" and responses(api, e)]
    sends = [min(responses(api, e)) - e.offered for e in answered if e.kind in ("private", "group")]
    last = max((max(responses(api, e)) for e in answered), default=start)
    return {
        "updates": len(plan),
        "answered": len(answered),
        "lost": len(unanswered) - len(hung),
        "hung": len(hung),
        "hung_delivered": sum(any(c.hung == "after" for c in answering(api, e)) for e in answered),
        "twice": len(twice),
        "errors": sum(said_failure(api, e) for e in answered),
        "spoke_unasked": len(spoke),
        "p50_ms": 1000 * percentile(sends, 0.50),
        "p95_ms": 1000 * percentile(sends, 0.95),
        "p99_ms": 1000 * percentile(sends, 0.99),
        "throughput": len(answered) / max(last - start, 1e-9),
        "failed_calls": sum(c.failed for c in api.calls),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=200)
    args = parser.parse_args()
    engine = Engine.open(Settings())
    for lang in LANGS:  # warm the model and the answer cache as a running bot would be
        for q in QUESTIONS[lang]:
            engine.ask(q)
    runs = [
        ("burst, limiter off", False, False, 0.0),
        ("burst, limiter on", True, False, 0.0),
        ("paced 50/s, limiter off", False, False, 50.0),
        ("burst with faults, limiter on", True, True, 0.0),
    ]
    header = (
        f"{'run':32} {'updates':>7} {'answered':>8} {'errors':>6} {'lost':>4} {'hung':>4} {'twice':>5} {'unasked':>7} "
    )
    header += f"{'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'upd/s':>6} {'failed calls':>12} {'hung, delivered':>15}"
    header += f" {'peak MB':>7}"
    print(header)
    for name, limits, faults, pace in runs:
        r = asyncio.run(_run(engine, args.users, limits, faults, pace, deadline=240))
        print(
            f"{name:32} {r['updates']:>7} {r['answered']:>8} {r['errors']:>6} {r['lost']:>4} {r['hung']:>4} "
            f"{r['twice']:>5} {r['spoke_unasked']:>7} "
            f"{r['p50_ms']:>7.0f} {r['p95_ms']:>7.0f} {r['p99_ms']:>7.0f} {r['throughput']:>6.1f} "
            f"{r['failed_calls']:>12} {r['hung_delivered']:>15} {peak_rss_mb():>7.0f}"
        )
    print("errors: updates answered with the error sentence (counted in answered), not with an answer;")
    print("hung: answers whose send stalled before delivery, not repeated (a repeat could be a second message);")
    print("hung, delivered: answered although the send's answer never came (it stalled after delivery)")
    print("peak MB: the process's peak RSS so far (bot, engine and fake server in one process)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
