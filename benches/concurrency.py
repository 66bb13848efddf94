"""Concurrency: three users ask at once while the LLM takes 3 s to reply.

The real Application (polling, real HTTP) against the fake Bot API server, the real engine with
LLM explanations aimed at the scripted OpenAI-compatible server (tests/fake_openai.py), which
holds every reply for `--llm-seconds`. Answers are searched in a worker pool without a global
lock and the LLM reply is awaited on the event loop, so each user should wait about one LLM
reply, not the sum of everyone's. Prints each user's wait from sending the question to the
answer arriving.

Run: python benches/concurrency.py [--users 3] [--llm-seconds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.answer.llm import CANNOT_ANSWER, Explainer
from bot.engine import Engine
from bot.telegram.app import allowed_updates, build_application
from knowledge.settings import Settings
from tests.fake_openai import FakeOpenAI, Scripted
from tests.fake_telegram import FakeBotApi

# The bench's own questions, one per user (distinct, so no answer comes from the cache).
QUESTIONS = [
    "Какие права есть у волонтёра?",
    "Кто назначает координатора волонтёров?",
    "Как поощряют общественных помощников?",
    "Чем занимается Ассамблея народа Казахстана?",
    "Обязан ли волонтёр хранить конфиденциальность?",
    "What are the duties of a volunteer organiser?",
]


async def _run(engine: Engine, users: int) -> list[float]:
    with tempfile.TemporaryDirectory() as tmp:
        async with FakeBotApi() as api:
            settings = Settings(telegram_bot_token=api.token, data_dir=Path(tmp), telegram_base_url=api.base_url)
            app = build_application(settings, engine=engine)
            await app.initialize()
            assert app.updater is not None
            await app.start()
            await app.updater.start_polling(poll_interval=0.0, timeout=1, allowed_updates=allowed_updates())
            offered = time.monotonic()
            for n in range(users):
                api.push_update(api.message_update(QUESTIONS[n % len(QUESTIONS)], user_id=500 + n))
            await api.wait_for("sendMessage", users, timeout=120)
            waits = []
            for n in range(users):
                times = [c.time for c in api.calls if c.method == "sendMessage" and c.params["chat_id"] == 500 + n]
                waits.append(min(times) - offered)
            await app.updater.stop()
            await app.stop()
            await app.shutdown()
    return waits


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=3)
    parser.add_argument("--llm-seconds", type=float, default=3.0)
    args = parser.parse_args()
    plain = Engine.open(Settings())
    with FakeOpenAI(lambda prompt: Scripted(CANNOT_ANSWER, delay=args.llm_seconds)) as fake:
        explainer = Explainer(fake.base_url, "fake-model", "key", timeout=args.llm_seconds + 5)
        engine = Engine(plain.kb, plain.retriever, plain.composer, explainer)
        engine.retriever.search("волонтер")  # warm the model as a running bot would be
        waits = asyncio.run(_run(engine, args.users))
        calls = len(fake.prompts)
    print(f"{args.users} users at once, LLM reply held {args.llm_seconds:.1f} s ({calls} LLM calls):")
    for n, wait in enumerate(sorted(waits), 1):
        print(f"  answer {n}: {wait:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
