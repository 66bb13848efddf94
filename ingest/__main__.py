"""`python -m ingest` rebuilds every act tree; `--json SOURCE` prints one; `align` compares languages.

The search index is the next stage's business: `python -m bot index` (or `make acts`, which
runs both) brings it in line with the new trees.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.console import Console
from rich.progress import Progress

from ingest.align import align, report
from ingest.errors import IngestError
from ingest.model import ActMeta
from ingest.store import (
    ACTS_DIR,
    SOURCES_DIR,
    act_json,
    build_act,
    build_all,
    load_acts,
    load_catalog,
    load_official_texts,
)


def _one(source: str, sources_dir: Path) -> int:
    """Print the tree of one act, named by catalog id or by file name or path."""
    catalog = load_catalog(sources_dir)
    name = Path(source).name
    meta = next((m for m in catalog if source in (m.id, m.file) or name == m.file), None)
    if meta is None:
        known = ", ".join(m.id for m in catalog)
        print(f"unknown source {source!r}; known: {known}", file=sys.stderr)
        return 2
    path = Path(source) if Path(source).is_file() else sources_dir / meta.file
    sys.stdout.write(act_json(build_act(meta, path)))
    return 0


def align_main(argv: list[str]) -> int:
    """`python -m ingest align`: each official translation against its Kazakh act."""
    parser = argparse.ArgumentParser(prog="python -m ingest align", description=align_main.__doc__)
    parser.add_argument("--acts", type=Path, default=ACTS_DIR, help="folder with the act trees")
    args = parser.parse_args(argv)
    acts = {a.meta.id: a for a in load_acts(args.acts)}
    texts = load_official_texts(args.acts)
    if not texts:
        print(f"no official translations in {args.acts}: run `python -m ingest`", file=sys.stderr)
        return 1
    for text in texts:
        print(report(align(acts[text.meta.act], text)))
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["align"]:
        return align_main(argv[1:])
    parser = argparse.ArgumentParser(prog="python -m ingest", description=__doc__)
    parser.add_argument("--json", metavar="SOURCE", help="print one act tree (catalog id or file)")
    parser.add_argument("--sources", type=Path, default=SOURCES_DIR, help="folder with catalog.toml")
    parser.add_argument("--out", type=Path, default=ACTS_DIR, help="where the act trees go")
    parser.epilog = "python -m ingest align [--acts DIR]: list where the official translations differ"
    args = parser.parse_args(argv)
    console = Console(stderr=True)
    try:
        if args.json:
            return _one(args.json, args.sources)
        with Progress(console=console, transient=True) as progress:
            task = progress.add_task("parsing", total=len(load_catalog(args.sources)))

            def step(meta: ActMeta) -> None:
                progress.update(task, advance=1, description=f"parsing {meta.file}")

            written = build_all(args.sources, args.out, on_act=step)
        for path in written:
            console.print(f"wrote {path.name} ({path.stat().st_size:,} bytes)", highlight=False)
        return 0
    except IngestError as err:
        print(f"error: {err}\nnothing in {args.out} was changed", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
