"""Command line: `python -m bot run|console|ask|eval|article` — one engine behind all of them."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from pathlib import Path

from pydantic import ValidationError

from bot.articles import ArticleNotFoundError, article_json, article_view, get_article
from bot.engine import Engine
from bot.evaluate import format_metrics, load_ru_sources, load_sources, metrics, read_jsonl
from bot.logs import configure_logging
from ingest.store import load_acts, load_official_texts
from knowledge.index import KnowledgeUnavailableError
from knowledge.official import OfficialTexts
from knowledge.settings import get_settings

log = logging.getLogger("bot")
STDOUT_CLOSED = 128 + 13  # the status a shell reports for a process ended by SIGPIPE


def _engine() -> Engine:
    return Engine.open(get_settings())


def _read_question(args: argparse.Namespace) -> str:
    if args.question is not None:
        return str(args.question)
    data = sys.stdin.buffer.read()
    return data.decode("utf-8", errors="replace")


def _ask(args: argparse.Namespace) -> int:
    engine = _engine()
    if args.jsonl:
        for n, raw in enumerate(sys.stdin.buffer, 1):
            line = raw.decode("utf-8", errors="replace").strip()
            if not line:
                continue
            try:
                row = json.loads(line)
                qid, question = str(row.get("id", n)), str(row.get("question", ""))
            except (json.JSONDecodeError, AttributeError):
                qid, question = str(n), line
            print(engine.ask(question, qid, args.lang).model_dump_json(), flush=True)
        return 0
    answer = engine.ask(_read_question(args), lang=args.lang)
    print(answer.model_dump_json(indent=1) if args.json else answer.answer)
    return 0


def _run(args: argparse.Namespace) -> int:
    settings = get_settings()
    if settings.telegram_bot_token is None:
        print("TELEGRAM_BOT_TOKEN is not set; starting the console chat instead.", file=sys.stderr)
        return _console(args)
    from bot.telegram.run import run

    run(settings, webhook_url=args.webhook, listen=args.listen, port=args.port)
    return 0


def _console(args: argparse.Namespace) -> int:
    from bot.console import chat

    print("Loading the knowledge base (the first run builds the search index, a few minutes)...", flush=True)
    return chat(_engine())


def _index(args: argparse.Namespace) -> int:
    """Build (or confirm) the search index, with a progress bar."""
    from knowledge.index import open_with_progress

    kb = open_with_progress(get_settings())
    vectors = kb.vectors.count() if kb.vectors else 0
    print(f"index ready: {len(kb.chunks)} provisions, {vectors} vectors")
    if args.write_seed:
        from knowledge.index import write_embedding_seed

        print(f"embedding seed written: {write_embedding_seed(kb)}")
    return 0


def _health(args: argparse.Namespace) -> int:
    """Exit 0 when the running bot is fine: its readiness endpoint (--url), else its heartbeat."""
    if args.url:
        import urllib.error
        import urllib.request

        try:
            with urllib.request.urlopen(args.url, timeout=5) as response:
                return 0 if response.status == 200 else 1
        except (urllib.error.URLError, OSError) as err:
            print(f"not ready: {err}", file=sys.stderr)
            return 1
    from bot.heartbeat import check, heartbeat_path

    healthy, why = check(heartbeat_path(get_settings().data_dir), args.max_age)
    print(why, file=sys.stdout if healthy else sys.stderr)
    return 0 if healthy else 1


def _eval(args: argparse.Namespace) -> int:
    engine = _engine()
    gold = read_jsonl(args.file)
    started = time.perf_counter()
    answers = [engine.ask(q["question"], q["id"]) for q in gold]
    elapsed = time.perf_counter() - started
    sources = load_sources()
    m = metrics(gold, answers, sources, load_ru_sources())
    if args.misses:
        for q, a in zip(gold, answers, strict=True):
            got = [f"{c.article}/{c.paragraph}/{c.subparagraph}" for c in a.citations[:3]]
            if (q["gold"] and not a.citations) or (q["gold"] and q["gold"][0]["article"] != a.citations[0].article):
                print(f"miss {q['id']}: {q['question'][:70]!r} want {q['gold'][0]['article']} got {got}")
            if not q["gold"] and a.answered:
                print(f"answered out-of-scope {q['id']}: {q['question'][:70]!r} got {got}")
    print(f"{len(gold)} questions in {elapsed:.1f} s")
    print(format_metrics(m))
    return 0


def _article(args: argparse.Namespace) -> int:
    acts_dir = get_settings().acts_dir
    acts = load_acts(acts_dir)
    try:
        act, article = get_article(acts, args.act, args.number, args.lang)
    except ArticleNotFoundError as err:
        print(err, file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(article_json(act, article), ensure_ascii=False, indent=1))
    else:
        official = OfficialTexts.build(acts, load_official_texts(acts_dir))
        print("\n".join(article_view(act, article, args.lang, official)))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="The statute assistant.")
    commands = parser.add_subparsers(dest="command", required=True)
    ask = commands.add_parser("ask", help="answer a question (or JSON lines from stdin with --jsonl)")
    ask.add_argument("question", nargs="?", help="the question; read from stdin when absent")
    ask.add_argument("--json", action="store_true", help="print the answer object as JSON")
    ask.add_argument("--jsonl", action="store_true", help='read {"id","question"} lines, write answers')
    ask.add_argument("--lang", choices=("kk", "ru", "en"), help="answer in this language (default: the question's)")
    ask.set_defaults(handler=_ask)
    run = commands.add_parser("run", help="run the Telegram bot (long polling, or --webhook URL)")
    run.add_argument("--webhook", metavar="URL", help="public HTTPS base URL (the TLS proxy's) Telegram posts to")
    run.add_argument("--listen", default="127.0.0.1", help="address the webhook server binds (behind the proxy)")
    run.add_argument("--port", type=int, default=8443, help="port the webhook server binds")
    run.set_defaults(handler=_run)
    index = commands.add_parser("index", help="build the search index now")
    index.add_argument("--write-seed", action="store_true", help="also ship the embeddings with the package")
    index.set_defaults(handler=_index)
    health = commands.add_parser("health", help="check the running bot: its heartbeat, or its readiness endpoint")
    health.add_argument("--max-age", type=float, default=120.0, help="seconds after which a heartbeat is stale")
    health.add_argument("--url", help="a readiness endpoint to ask instead, e.g. http://127.0.0.1:8443/readyz")
    health.set_defaults(handler=_health)
    console = commands.add_parser("console", help="chat with the bot in the terminal")
    console.set_defaults(handler=_console)
    ev = commands.add_parser("eval", help="answer a gold file and print the metrics")
    ev.add_argument("file", type=Path)
    ev.add_argument("--misses", action="store_true", help="list the questions missed at article@1")
    ev.set_defaults(handler=_eval)
    article = commands.add_parser("article", help="print one article of an act")
    article.add_argument("act", help="the act's title or a word of it (Kazakh or Russian)")
    article.add_argument("number", help='the article number, e.g. 46 or "6-1"')
    article.add_argument("--json", action="store_true", help="print JSON instead of text")
    article.add_argument("--lang", choices=("kk", "ru", "en"), default="kk")
    article.set_defaults(handler=_article)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = get_settings()
    except ValidationError as err:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])).upper()}: {e['msg']}" for e in err.errors())
        print(f"Invalid configuration: {problems}", file=sys.stderr)
        return 2
    token = settings.telegram_bot_token.get_secret_value() if settings.telegram_bot_token else ""
    configure_logging(logging.INFO if args.command == "run" else logging.WARNING, token)
    try:
        code = int(args.handler(args))
        sys.stdout.flush()  # here, where a closed stdout can still be handled, not at exit
        return code
    except BrokenPipeError:
        return _stdout_closed()
    except KnowledgeUnavailableError as err:
        log.error("knowledge base unavailable: %s", err)
        print("The knowledge base is unavailable: run `python -m ingest` to build it.", file=sys.stderr)
        return 3


def _stdout_closed() -> int:
    """The reader of our output went away (`| head -1`): stop quietly, as Unix tools do on SIGPIPE.

    Python flushes stdout once more at exit; pointing it at /dev/null keeps that flush from
    printing a second BrokenPipeError.
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    return STDOUT_CLOSED


if __name__ == "__main__":
    sys.exit(main())
