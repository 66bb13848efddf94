"""The corpus's search tokens, kept in the data dir between starts.

Tokenising the statutes and the ten thousand enrichment questions (Kazakh stemming, spelling
folding, language detection) was most of a cold start. The tokens depend only on the texts
and on the tokenising code, so they are stored under a digest of both: any change to either
(an edited enrichment file, a new stemmer rule) makes the next start tokenise afresh.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from types import ModuleType
from typing import Any

from knowledge import language, lexical, spelling, stem_kk, tokens, vocabulary
from knowledge.chunks import Chunk
from knowledge.enrichment import Enrichment
from knowledge.lexical import CorpusTokens
from knowledge.stored import code_digest, read_stored, write_stored

FILE_NAME = "tokens.json"
# the modules whose code decides what a text's tokens are
TOKENISER: tuple[ModuleType, ...] = (tokens, stem_kk, spelling, language, vocabulary, lexical)


def corpus_digest(chunks: Sequence[Chunk], enrichment: Mapping[str, Enrichment]) -> str:
    """A digest of the tokenising code, of the spelling vocabulary's sources and of every text that gets tokenised."""
    h = hashlib.sha256(f"{vocabulary.source_digest()} {code_digest(*TOKENISER)}".encode())
    texts = [(c.key, c.heading, c.lead_in, c.text) for c in chunks]
    entries = [(k, e.ru, e.en, e.questions) for k, e in sorted(enrichment.items())]
    h.update(json.dumps([texts, entries], ensure_ascii=False).encode())
    return h.hexdigest()


def _encode(corpus: CorpusTokens) -> dict[str, object]:
    """One list of distinct tokens, and each text as indexes into it (a third of the plain size)."""
    ids: dict[str, int] = {}

    def coded(toks: tuple[str, ...]) -> list[int]:
        return [ids.setdefault(t, len(ids)) for t in toks]

    statute = {k: coded(v) for k, v in corpus.statute.items()}
    entries = {k: coded(v) for k, v in corpus.entries.items()}
    return {"tokens": list(ids), "statute": statute, "entries": entries}


def _decode(data: Mapping[str, Any]) -> CorpusTokens:
    vocab = data["tokens"]
    statute, entries = data["statute"], data["entries"]
    assert isinstance(vocab, list) and isinstance(statute, dict) and isinstance(entries, dict)
    return CorpusTokens(
        {k: tuple(vocab[i] for i in v) for k, v in statute.items()},
        {k: tuple(vocab[i] for i in v) for k, v in entries.items()},
    )


def corpus_tokens(data_dir: Path, chunks: Sequence[Chunk], enrichment: Mapping[str, Enrichment]) -> CorpusTokens:
    """The corpus's tokens: read back from `data_dir` when current, else computed and stored."""
    path = data_dir / FILE_NAME
    digest = corpus_digest(chunks, enrichment)
    stored = read_stored(path, digest, _decode)
    if stored is not None and set(stored.statute) == {c.key for c in chunks}:
        return replace(stored, digest=digest)
    corpus = CorpusTokens.of(chunks, enrichment)
    write_stored(path, digest, _encode(corpus))
    return replace(corpus, digest=digest)
