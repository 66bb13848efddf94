"""Dev-set metrics with the LLM mode on (against a scripted OpenAI-compatible server) and off.

The scripted model answers every question with one tagged sentence in the question's
language, as a cooperative model would; the checks decide what reaches the user.
Run: python benches/llm_eval.py ../shared/eval/dev.jsonl
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.answer.llm import Explainer
from bot.engine import Engine
from bot.evaluate import format_metrics, load_ru_sources, load_sources, metrics, read_jsonl
from knowledge.settings import Settings
from tests.fake_openai import FakeOpenAI, Scripted

REPLY = {
    "Kazakh": "Бұл сұраққа төмендегі ереже жауап береді [P1].",
    "Russian": "На этот вопрос отвечает приведённая ниже норма [P1].",
    "English": "The provision quoted below answers this question [P1].",
}


def cooperative(prompt: str) -> Scripted:
    """One tagged sentence in the language the prompt asks for."""
    language = re.search(r"QUESTION in (\w+)", prompt)
    return Scripted(REPLY.get(language.group(1) if language else "English", REPLY["English"]))


def main() -> int:
    gold = read_jsonl(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/eval/dev.jsonl"))
    sources, ru_sources = load_sources(), load_ru_sources()
    engine = Engine.open(Settings())
    plain = [engine.ask(q["question"], q["id"]) for q in gold]
    with FakeOpenAI(cooperative) as fake:
        llm = Engine(
            engine.kb, engine.retriever, engine.composer, Explainer(fake.base_url, "fake", "key", 8.0), engine.decider
        )
        explained = [llm.ask(q["question"], q["id"]) for q in gold]
    modes = sum(a.mode == "llm" for a in explained)
    print(f"extractive: {format_metrics(metrics(gold, plain, sources, ru_sources))}")
    print(f"llm mode:   {format_metrics(metrics(gold, explained, sources, ru_sources))}  ({modes} answers explained)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
