"""Command line: `python -m bot article ACT N [--json]` (more commands join as they land)."""

from __future__ import annotations

import argparse
import json
import sys

from bot.articles import ArticleNotFoundError, article_json, article_text, get_article
from knowledge.settings import get_settings
from ingest.store import load_acts


def _article(args: argparse.Namespace) -> int:
    acts = load_acts(get_settings().acts_dir)
    try:
        act, article = get_article(acts, args.act, args.number, args.lang)
    except ArticleNotFoundError as err:
        print(err, file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(article_json(act, article), ensure_ascii=False, indent=1))
    else:
        print(article_text(act, article))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description="The statute assistant.")
    commands = parser.add_subparsers(dest="command", required=True)
    article = commands.add_parser("article", help="print one article of an act")
    article.add_argument("act", help="the act's title or a word of it (Kazakh or Russian)")
    article.add_argument("number", help='the article number, e.g. 46 or "6-1"')
    article.add_argument("--json", action="store_true", help="print JSON instead of text")
    article.add_argument("--lang", choices=("kk", "ru", "en"), default="kk")
    article.set_defaults(handler=_article)
    args = parser.parse_args(argv)
    handler = args.handler
    return int(handler(args))


if __name__ == "__main__":
    sys.exit(main())
