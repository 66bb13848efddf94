"""The BM25 indexes, kept in the data dir between starts.

Building the three indexes (statute text, enrichment, official Russian) took a fifth of a cold
start; reading them back takes a hundredth. They are kept in a folder named after a digest of
their documents' sources and of the code and library that make them, written aside and renamed
into place (a reader never sees half an index). A folder that cannot be read is built again;
a data dir that cannot be written only costs speed.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import bm25s

log = logging.getLogger(__name__)
FOLDER = "bm25"


def folder_of(data_dir: Path, digest: str, name: str) -> Path:
    """Where the index `name` of the sources with `digest` is kept."""
    return data_dir / FOLDER / f"{digest}-{name}"


def load_or_build(folder: Path, docs: int, build: Callable[[], bm25s.BM25]) -> bm25s.BM25:
    """The index of `docs` documents saved in `folder`; else one built now and saved there."""
    if folder.is_dir():
        try:
            index = bm25s.BM25.load(str(folder))
            if _sound(index, docs):
                return index
            log.warning("rebuilding the BM25 index %s: it does not fit its documents", folder)
        except Exception as err:  # a damaged folder: bm25s raises what its readers raise
            log.warning("rebuilding the unreadable BM25 index %s: %s", folder, err)
    index = build()
    _save(folder, index)
    return index


def _sound(index: bm25s.BM25, docs: int) -> bool:
    """The shape a query relies on: a column for every word, rows within the documents."""
    scores = index.scores
    indptr, indices = scores["indptr"], scores["indices"]
    words = [i for w, i in index.vocab_dict.items() if w]  # bm25s adds "" to every vocabulary
    return bool(
        scores["num_docs"] == docs
        and indptr[-1] == len(indices) == len(scores["data"])
        and (not words or 0 <= min(words) <= max(words) < len(indptr) - 1)
        and (len(indices) == 0 or 0 <= int(indices.min()) <= int(indices.max()) < docs)
    )


def _save(folder: Path, index: bm25s.BM25) -> None:
    tmp: Path | None = None
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}-"))
        index.save(str(tmp))
        shutil.rmtree(folder, ignore_errors=True)  # a damaged one
        tmp.rename(folder)  # fails if another process just put its own there: theirs is as good
        tmp = None
    except OSError as err:
        log.debug("BM25 index not kept in %s: %s", folder, err)
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


def drop_others(data_dir: Path, keep: str) -> None:
    """Remove the indexes of other digests (a process that loaded one holds it in memory)."""
    root = data_dir / FOLDER
    if not root.is_dir():
        return
    for path in root.iterdir():
        if path.name.lstrip(".").split("-")[0] != keep:  # also half-written ones of other digests
            shutil.rmtree(path, ignore_errors=True)
