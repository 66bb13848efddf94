"""The knowledge base: act trees, chunks, enrichment, lexical and vector indexes, opened once."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import bm25s
import numpy as np

from ingest.model import Act
from ingest.store import load_acts, load_official_texts
from knowledge import bm25_store
from knowledge import lexical as lexical_module
from knowledge import official as official_module
from knowledge.build_lock import build_lock
from knowledge.chunks import Chunk, all_chunks
from knowledge.embed_cache import EmbeddingCache, seed_path, text_key, write_seed
from knowledge.embedders import Embedder, make_embedder
from knowledge.enrichment import ENRICHMENT_DIR, Enrichment, load_enrichment
from knowledge.glossary import Term, load_glossary
from knowledge.lexical import CorpusTokens, LexicalIndex
from knowledge.official import OfficialLexical, OfficialTexts
from knowledge.scope import SCOPE_ACT, load_scope
from knowledge.settings import Settings
from knowledge.stored import code_digest
from knowledge.token_store import corpus_tokens
from knowledge.vectors import VectorDoc, VectorIndex, make_client
from knowledge.vocabulary import open_vocabulary

log = logging.getLogger(__name__)
INDEX_VERSION = "2"  # bump when what is embedded per chunk, or how it is indexed, changes


class KnowledgeUnavailableError(RuntimeError):
    """The act trees or the index cannot be loaded; the bot says so instead of crashing."""


def vector_docs(
    chunks: list[Chunk], enrichment: dict[str, Enrichment], official: OfficialTexts | None = None
) -> list[VectorDoc]:
    """What gets embedded: each chunk's text and official translations, renderings and questions."""
    docs: list[VectorDoc] = []
    articles_done: set[str] = set()
    for c in chunks:
        head = f"{c.heading}. " if c.heading else ""
        docs.append(VectorDoc(f"{c.key}#text", c.key, c.act_id, head + c.quote, as_query=False))
        if official is not None and (tr := official.get(c.key)) is not None:
            # its own unit of reuse ("volunteer.ru"): a new Russian edition re-embeds only the Russian texts
            tr_head = f"{tr.heading}. " if tr.heading else ""
            unit = f"{c.act_id}.{tr.lang}"
            docs.append(VectorDoc(f"{c.key}#official-{tr.lang}", c.key, unit, tr_head + tr.quote, as_query=False))
        entries = [(c.key, enrichment.get(c.key))]
        articles_done.add(c.key)
        art = c.article_key
        if art and art not in articles_done:
            articles_done.add(art)
            entries.append((art, enrichment.get(art)))
        for target, e in entries:
            if e is None:
                continue
            docs.append(VectorDoc(f"{target}#ru", target, c.act_id, e.ru, as_query=False))
            docs.append(VectorDoc(f"{target}#en", target, c.act_id, e.en, as_query=False))
            docs += [VectorDoc(f"{target}#q{i}", target, c.act_id, q, as_query=True) for i, q in enumerate(e.questions)]
    for kind, examples in load_scope().items():
        target = f"{SCOPE_ACT}/{kind}"
        docs += [VectorDoc(f"{target}#q{i}", target, SCOPE_ACT, q, as_query=True) for i, q in enumerate(examples)]
    return docs


def lexical_digest(corpus: CorpusTokens, chunks: Sequence[Chunk], official: OfficialTexts) -> str:
    """A digest of what the BM25 indexes are made of: the corpus tokens' sources, the official
    Russian texts, and the code and library that index them."""
    texts = [(q.heading, q.quote) if (q := official.get(c.key)) else None for c in chunks]
    code = code_digest(lexical_module, official_module)
    return _digest(corpus.digest, bm25s.__version__, code, texts)[:16]


def _digest(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False, sort_keys=True, default=str).encode()).hexdigest()


@dataclass
class KnowledgeBase:
    """Everything retrieval and answering read, loaded once per process."""

    acts: list[Act]
    chunks: list[Chunk]
    enrichment: dict[str, Enrichment]
    tokens: CorpusTokens  # search tokens of every chunk and enrichment entry
    glossary: list[Term]
    lexical: LexicalIndex
    vectors: VectorIndex | None
    embedder: Embedder | None
    official: OfficialTexts = field(default_factory=OfficialTexts)
    official_lexical: OfficialLexical | None = None  # BM25 over the official Russian texts
    by_key: dict[str, Chunk] = field(default_factory=dict)
    by_article: dict[str, list[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_key = {c.key: c for c in self.chunks}
        for i, c in enumerate(self.chunks):
            art = c.article_key
            if art:
                self.by_article.setdefault(art, []).append(i)

    def act(self, act_id: str) -> Act:
        return next(a for a in self.acts if a.meta.id == act_id)


def fingerprints(
    chunks: list[Chunk], enrichment: dict[str, Enrichment], embedder: Embedder, official: OfficialTexts | None = None
) -> tuple[str, dict[str, str]]:
    """The content hash of the whole index and of each act's part of it."""
    per_act: dict[str, list[object]] = {}
    for doc in vector_docs(chunks, enrichment, official):
        per_act.setdefault(doc.act, []).append((doc.id, doc.target, doc.text, doc.as_query))
    act_hashes = {act: _digest(INDEX_VERSION, embedder.name, docs) for act, docs in sorted(per_act.items())}
    return _digest(act_hashes)[:16], act_hashes


def embedding_cache(settings: Settings, embedder: Embedder) -> EmbeddingCache:
    """The embedding cache of the configured model: the shipped seed plus a SQLite file kept across builds."""
    path = settings.embedding_cache or settings.data_dir / "embeddings.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    return EmbeddingCache(embedder.name, path, seed_path(embedder.name))


def write_embedding_seed(kb: KnowledgeBase) -> Path:
    """Ship the current texts' embeddings with the package, so a fresh checkout embeds nothing it has."""
    if kb.vectors is None or kb.embedder is None:
        raise KnowledgeUnavailableError("no embedder is configured: nothing to seed")
    keys = list(dict.fromkeys(text_key(d.text, d.as_query) for d in vector_docs(kb.chunks, kb.enrichment, kb.official)))
    found = kb.vectors.cache.get(keys)
    missing = [k for k in keys if k not in found]
    if missing:
        raise KnowledgeUnavailableError(f"{len(missing)} texts are not embedded yet: build the index first")
    path = seed_path(kb.embedder.name)
    write_seed(path, kb.embedder.name, keys, np.stack([found[k] for k in keys]))
    return path


def open_with_progress(settings: Settings) -> KnowledgeBase:
    """Open the knowledge base, showing a progress bar while vectors are embedded."""
    from rich.progress import Progress

    with Progress(transient=True) as progress:
        task = progress.add_task("embedding provisions", total=None)
        return open_knowledge(settings, progress=lambda done, total: progress.update(task, completed=done, total=total))


def open_knowledge(
    settings: Settings,
    build: bool = True,
    progress: Callable[[int, int], None] | None = None,
    enrichment_dir: Path = ENRICHMENT_DIR,
) -> KnowledgeBase:
    """Load acts and indexes; build the vector index aside when its content changed.

    With `build=False` a stale index is used as it is (searching old vectors beats failing).
    """
    try:
        acts = load_acts(settings.acts_dir)
    except (OSError, ValueError) as err:
        raise KnowledgeUnavailableError(f"cannot read the act trees in {settings.acts_dir}: {err}") from err
    if not acts:
        raise KnowledgeUnavailableError(f"no act trees in {settings.acts_dir}: run `python -m ingest`")
    chunks = all_chunks(acts)
    try:
        official = OfficialTexts.build(acts, load_official_texts(settings.acts_dir))
    except (OSError, ValueError) as err:
        raise KnowledgeUnavailableError(f"cannot read the official translations in {settings.acts_dir}: {err}") from err
    enrichment = load_enrichment(enrichment_dir)
    open_vocabulary(settings.data_dir)  # the spelling vocabulary the tokeniser uses
    corpus = corpus_tokens(settings.data_dir, chunks, enrichment)
    digest = lexical_digest(corpus, chunks, official)
    lexical = LexicalIndex(chunks, corpus, lambda name: bm25_store.folder_of(settings.data_dir, digest, name))
    embedder = make_embedder(settings.embedder, settings.embedder_model, settings.embedder_threads)
    vectors = None
    if embedder is not None:
        try:
            client = make_client(settings.data_dir / "chroma", settings.chroma_host, settings.chroma_port)
            vectors = VectorIndex(client, embedder, embedding_cache(settings, embedder), settings.embed_batch)
            fingerprint, act_hashes = fingerprints(chunks, enrichment, embedder, official)
            if build:
                where = f"{settings.chroma_host}:{settings.chroma_port}" if settings.chroma_host else ""
                database = settings.database_url.get_secret_value() if settings.database_url else None
                lock = build_lock(settings.data_dir, database, where)
                docs = lambda: vector_docs(chunks, enrichment, official)  # noqa: E731
                vectors.ensure(fingerprint, docs, act_hashes, lock, progress)
            else:
                vectors.open(fingerprint)
        except Exception as err:
            raise KnowledgeUnavailableError(f"the vector index cannot be opened: {err}") from err
        if vectors.count() == 0:
            raise KnowledgeUnavailableError("the vector index is empty: run `python -m ingest`")
    glossary = load_glossary()
    official_lexical = OfficialLexical(chunks, official, bm25_store.folder_of(settings.data_dir, digest, "official"))
    bm25_store.drop_others(settings.data_dir, digest)
    return KnowledgeBase(
        acts, chunks, enrichment, corpus, glossary, lexical, vectors, embedder, official, official_lexical
    )
