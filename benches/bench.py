"""Benchmark our engine against a LangChain-tutorial RAG pipeline on the same statutes.

Measures, for both systems: index build time, cold start to the first answer, warm query
latency (p50/p95), peak RSS of the warm phase and the quality metrics of `bot.evaluate`.
Every phase runs in its own subprocess (this file re-run with `--worker`), with a timeout,
over indexes built in temporary directories that are removed at the end. Prints only.

    python benches/bench.py [--gold ../shared/eval/dev.jsonl] [--quick]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.answer.model import Answer

os.environ["ANONYMIZED_TELEMETRY"] = "False"  # before anything imports chromadb
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_GOLD = ROOT.parent / "shared" / "eval" / "dev.jsonl"
# A fixed question of our own: the cold-start probe and the warm-up query of both systems.
PROBE = "Волонтердің құқықтары мен міндеттері қандай?"
QUICK = 10
COLD_RUNS = 3
TIMEOUTS = {"build": 1800.0, "cold": 600.0, "warm": 3600.0}
PEER_COLLECTION = "peer"
PEER_K = 4
# The peer's article attribution: a law's article heading starts a line ("46-бап. …",
# a few have one leading space); the 2005 report's Protocol articles are lines "  N-бап".
LAW_ARTICLE = re.compile(r"^[ \t]*(\d+(?:-\d+)?)-бап\.", re.M)
REPORT_ARTICLE = re.compile(r"^  (\d+)-бап[ \t]*$", re.M)
REPORT_FILE = "protocol-report.txt"
PACKAGES = ("bot", "knowledge", "ingest")


# ---------------------------------------------------------------- the peer pipeline


def peer_embeddings() -> Any:
    """The bundled e5 embedder wrapped as a LangChain `Embeddings`."""
    from langchain_core.embeddings import Embeddings

    from knowledge.embedders import E5Embedder

    class E5Embeddings(Embeddings):
        """embed_documents → e5 passages, embed_query → e5 queries."""

        def __init__(self) -> None:
            self.e5 = E5Embedder()

        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            """Passage vectors."""
            vectors: list[list[float]] = self.e5.passages(texts).tolist()
            return vectors

        def embed_query(self, text: str) -> list[float]:
            """One query vector."""
            vector: list[float] = self.e5.queries([text])[0].tolist()
            return vector

    return E5Embeddings()


def article_marks(file: str, text: str) -> list[tuple[int, str]]:
    """(line offset, article number) of each article heading in a raw source text."""
    pattern = REPORT_ARTICLE if file == REPORT_FILE else LAW_ARTICLE
    return [(m.start(), m.group(1)) for m in pattern.finditer(text)]


def article_at(marks: list[tuple[int, str]], start: int) -> str | None:
    """The number of the last article heading at or before `start`."""
    found = None
    for offset, number in marks:
        if offset > start:
            break
        found = number
    return found


@dataclass
class PeerCorpus:
    """The raw statute texts, split the tutorial way, with what the peer's citations need."""

    chunks: list[Any]
    titles: dict[str, str]
    marks: dict[str, list[tuple[int, str]]]


def peer_corpus() -> PeerCorpus:
    """Read every source file as it is and split it with the tutorial's splitter."""
    from langchain_core.documents import Document
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    from ingest.store import SOURCES_DIR, load_catalog

    titles, marks, docs = {}, {}, []
    for meta in load_catalog():
        text = (SOURCES_DIR / meta.file).read_text(encoding="utf-8")
        titles[meta.file] = meta.title
        marks[meta.file] = article_marks(meta.file, text)
        docs.append(Document(page_content=text, metadata={"source": meta.file}))
    splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200, add_start_index=True)
    return PeerCorpus(splitter.split_documents(docs), titles, marks)


@dataclass
class Peer:
    """BM25 + Chroma combined by an EnsembleRetriever (weights 0.5/0.5, k=4 each)."""

    corpus: PeerCorpus
    retriever: Any

    @classmethod
    def open(cls, persist: Path, build: bool) -> Peer:
        """Split and BM25-index the texts; embed them into `persist` or load the stored vectors."""
        from langchain_chroma import Chroma
        from langchain_classic.retrievers import EnsembleRetriever
        from langchain_community.retrievers import BM25Retriever

        corpus = peer_corpus()
        bm25 = BM25Retriever.from_documents(corpus.chunks)
        bm25.k = PEER_K
        embeddings = peer_embeddings()
        if build:
            store = Chroma.from_documents(
                corpus.chunks, embeddings, collection_name=PEER_COLLECTION, persist_directory=str(persist)
            )
        else:
            store = Chroma(
                collection_name=PEER_COLLECTION, embedding_function=embeddings, persist_directory=str(persist)
            )
        dense = store.as_retriever(search_kwargs={"k": PEER_K})
        return cls(corpus, EnsembleRetriever(retrievers=[bm25, dense], weights=[0.5, 0.5]))

    def ask(self, question: str, qid: str | None = None) -> Answer:
        """Always answer: the retrieved chunks, in order, each cited as act + article."""
        from bot.answer.model import Answer, CitedProvision
        from knowledge.language import detect

        docs = self.retriever.invoke(question)
        citations = [
            CitedProvision(
                act=self.corpus.titles[d.metadata["source"]],
                article=article_at(self.corpus.marks[d.metadata["source"]], int(d.metadata["start_index"])),
                paragraph=None,
                subparagraph=None,
                quote=d.page_content,
                score=0.0,  # the ensemble exposes no scores
            )
            for d in docs
        ]
        answer = "\n\n".join(d.page_content for d in docs)
        return Answer(
            id=qid,
            question=question,
            language=detect(question),
            answered=True,
            outcome="answer",
            answer=answer,
            citations=citations,
        )


# ---------------------------------------------------------------- workers (one per subprocess)


def peak_rss_mb() -> float:
    """This process's peak resident set size in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def read_questions(gold: Path, limit: int | None) -> list[tuple[str, str]]:
    """(id, question) of the gold rows, the first `limit` of them when given."""
    from bot.evaluate import read_jsonl

    rows = read_jsonl(gold)[:limit] if limit else read_jsonl(gold)
    return [(str(r["id"]), str(r["question"])) for r in rows]


def build_ours(args: argparse.Namespace) -> dict[str, Any]:
    """Time a full build of our knowledge base into an empty data directory (the shipped seed in use)."""
    from bot.engine import Engine
    from knowledge.settings import Settings

    started = time.perf_counter()
    engine = Engine.open(Settings(data_dir=args.data, embedding_cache=args.data / "embeddings.sqlite3"))
    seconds = time.perf_counter() - started
    count = engine.kb.vectors.count() if engine.kb.vectors else 0
    return {"seconds": seconds, "units": f"{len(engine.kb.chunks)} chunks, {count} vectors"}


def build_ours_uncached(args: argparse.Namespace) -> dict[str, Any]:
    """Time a build that embeds every text: no shipped seed, an empty cache."""
    import knowledge.index

    knowledge.index.seed_path = lambda model: args.data / "no-seed.npz"  # type: ignore[assignment]
    return build_ours(args)


def build_peer(args: argparse.Namespace) -> dict[str, Any]:
    """Time the peer's splitting, BM25 and Chroma embedding into an empty directory."""
    started = time.perf_counter()
    peer = Peer.open(args.data, build=True)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "units": f"{len(peer.corpus.chunks)} chunks"}


def ask_peer(args: argparse.Namespace) -> dict[str, Any]:
    """The peer's cold start: load its index and answer the probe question."""
    answer = Peer.open(args.data, build=False).ask(PROBE)
    print(answer.answer[:200])
    return {"citations": len(answer.citations)}


def warm(open_system: Callable[[], Any], args: argparse.Namespace) -> dict[str, Any]:
    """Open a system, ask the probe once, then time every gold question."""
    system = open_system()
    system.ask(PROBE)
    latencies, answers = [], []
    for qid, question in read_questions(args.gold, args.limit):
        started = time.perf_counter()
        answer = system.ask(question, qid)
        latencies.append(time.perf_counter() - started)
        answers.append(answer.model_dump(mode="json"))
    return {"latencies": latencies, "answers": answers, "rss_mb": peak_rss_mb()}


def warm_ours(args: argparse.Namespace) -> dict[str, Any]:
    """The warm phase of our engine over an already built index."""
    from bot.engine import Engine
    from knowledge.settings import Settings

    settings = Settings(data_dir=args.data, embedding_cache=args.data / "embeddings.sqlite3")
    return warm(lambda: Engine.open(settings, build=False), args)


def warm_peer(args: argparse.Namespace) -> dict[str, Any]:
    """The warm phase of the peer over its persisted index."""
    return warm(lambda: Peer.open(args.data, build=False), args)


WORKERS: dict[str, Callable[[argparse.Namespace], dict[str, Any]]] = {
    "build-ours": build_ours,
    "build-ours-uncached": build_ours_uncached,
    "build-peer": build_peer,
    "ask-peer": ask_peer,
    "warm-ours": warm_ours,
    "warm-peer": warm_peer,
}


def run_worker(args: argparse.Namespace) -> int:
    """Run one worker and write its result as JSON to `--out`."""
    result = WORKERS[args.worker](args)
    Path(args.out).write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
    return 0


# ---------------------------------------------------------------- the driver


def child_env(data: Path | None = None) -> dict[str, str]:
    """The environment of a subprocess: offline, no telemetry, no LLM mode, DATA_DIR when given."""
    env = dict(os.environ, ANONYMIZED_TELEMETRY="False", HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # both systems start as installed Python does: bytecode cached
    env.update(LLM_BASE_URL="", LLM_MODEL="")  # empty beats a .env: the extractive engine only
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    for var in ("CHROMA_HOST", "DATABASE_URL", "EMBEDDING_CACHE"):
        env.pop(var, None)
    if data is not None:
        env["DATA_DIR"] = str(data)
        env["EMBEDDING_CACHE"] = str(data / "embeddings.sqlite3")
    return env


def spawn(cmd: list[str], timeout: float, data: Path | None = None) -> tuple[float, str]:
    """Run a subprocess in the project root: (wall seconds, stdout); exit loudly on failure."""
    started = time.perf_counter()
    try:
        done = subprocess.run(
            cmd, cwd=ROOT, env=child_env(data), capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        raise SystemExit(f"timed out after {timeout:.0f} s: {' '.join(cmd[1:5])}") from None
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        tail = "\n".join(done.stderr.strip().splitlines()[-15:])
        raise SystemExit(f"failed ({done.returncode}): {' '.join(cmd[1:5])}\n{tail}")
    return elapsed, done.stdout


def worker_cmd(name: str, data: Path, out: Path) -> list[str]:
    """The command line of one worker subprocess."""
    script = str(Path(__file__).resolve())
    return [sys.executable, script, "--worker", name, "--data", str(data), "--out", str(out)]


def worker(name: str, data: Path, timeout: float, extra: list[str] | None = None) -> dict[str, Any]:
    """Run `bench.py --worker name` in a fresh process and read back its JSON result."""
    with tempfile.TemporaryDirectory(prefix="bench-out-") as scratch:
        out = Path(scratch) / "result.json"
        elapsed, _ = spawn([*worker_cmd(name, data, out), *(extra or [])], timeout, data)
        result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    result["wall"] = elapsed
    return result


def cold_start(system: str, data: Path) -> float:
    """Seconds from spawning a fresh process to its printed answer to the probe question
    (the median of COLD_RUNS processes)."""
    times = []
    for _ in range(COLD_RUNS):
        if system == "ours":
            elapsed, printed = spawn([sys.executable, "-m", "bot", "ask", PROBE], TIMEOUTS["cold"], data)
        else:
            with tempfile.TemporaryDirectory(prefix="bench-out-") as scratch:
                cmd = worker_cmd("ask-peer", data, Path(scratch) / "result.json")
                elapsed, printed = spawn(cmd, TIMEOUTS["cold"], data)
        if not printed.strip():
            raise SystemExit(f"{system}: the cold-start process printed no answer")
        times.append(elapsed)
    return statistics.median(times)


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (linear interpolation) of `values`."""
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def quality(gold: Path, limit: int | None, answers: list[dict[str, Any]]) -> dict[str, float]:
    """`bot.evaluate.metrics` of the answers against the gold rows."""
    from bot.answer.model import Answer
    from bot.evaluate import load_ru_sources, load_sources, metrics, read_jsonl

    rows = read_jsonl(gold)[:limit] if limit else read_jsonl(gold)
    return metrics(rows, [Answer.model_validate(a) for a in answers], load_sources(), load_ru_sources())


@dataclass
class Figures:
    """One system's measurements."""

    build_s: float
    uncached_s: float
    build_units: str
    cold_s: float
    p50_ms: float
    p95_ms: float
    rss_mb: float
    metrics: dict[str, float]


def measure(system: str, data: Path, gold: Path, limit: int | None, full_build: bool = True) -> Figures:
    """Build, cold-start and warm-query one system ("ours" or "peer") in `data`."""
    uncached = float("nan")
    if system == "ours" and full_build:
        log(f"{system}: building the index with nothing cached")
        uncached = worker("build-ours-uncached", data.with_name("uncached"), TIMEOUTS["build"])["seconds"]
    log(f"{system}: building the index")
    built = worker(f"build-{system}", data, TIMEOUTS["build"])
    log(f"{system}: built in {built['seconds']:.1f} s ({built['units']}); cold start")
    cold = cold_start(system, data)
    log(f"{system}: cold start {cold:.1f} s; warm queries")
    extra = ["--gold", str(gold), *(["--limit", str(limit)] if limit else [])]
    warmed = worker(f"warm-{system}", data, TIMEOUTS["warm"], extra)
    lat = [s * 1000 for s in warmed["latencies"]]
    return Figures(
        build_s=built["seconds"],
        uncached_s=uncached if system == "ours" else built["seconds"],
        build_units=built["units"],
        cold_s=cold,
        p50_ms=percentile(lat, 50),
        p95_ms=percentile(lat, 95),
        rss_mb=warmed["rss_mb"],
        metrics=quality(gold, limit, warmed["answers"]),
    )


def log(message: str) -> None:
    """Progress on stderr."""
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def ratio(peer: float, ours: float) -> str:
    """peer/ours as "N.NNx"."""
    return f"{peer / ours:.2f}x" if ours else "n/a"


def project_digest() -> str:
    """A hash of the project's code and data: a change mid-run invalidates the comparison."""
    digest = hashlib.sha256()
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def load() -> str:
    """The 1-minute load average: other work on the machine skews every timing."""
    return f"{os.getloadavg()[0]:.2f}"


def report(ours: Figures, peer: Figures, questions: int, loads: tuple[str, str]) -> str:
    """The comparison table and both metric lines."""
    from bot.evaluate import format_metrics

    lines = [
        f"{questions} gold questions, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, "
        f"load average {loads[0]} at start, {loads[1]} at end",
        f"ours: {ours.build_units}; peer: {peer.build_units}",
        "",
        f"{'measure':<22}{'ours':>12}{'peer':>12}{'peer/ours':>12}",
    ]
    timings = [
        ("index build (s)", ours.build_s, peer.build_s, 1),
        ("  nothing cached (s)", ours.uncached_s, peer.uncached_s, 1),
        ("cold start (s)", ours.cold_s, peer.cold_s, 2),
        ("warm p50 (ms)", ours.p50_ms, peer.p50_ms, 1),
        ("warm p95 (ms)", ours.p95_ms, peer.p95_ms, 1),
        ("peak RSS (MiB)", ours.rss_mb, peer.rss_mb, 0),
    ]
    lines += [f"{n:<22}{o:>12.{d}f}{p:>12.{d}f}{ratio(p, o):>12}" for n, o, p, d in timings]
    lines += ["", f"{'metric':<22}{'ours':>12}{'peer':>12}{'ours-peer':>12}"]
    for key, value in ours.metrics.items():
        if key != "questions":
            other = peer.metrics[key]
            lines.append(f"{key:<22}{value:>12.3f}{other:>12.3f}{value - other:>+12.3f}")
    lines += ["", f"ours: {format_metrics(ours.metrics)}", f"peer: {format_metrics(peer.metrics)}"]
    return "\n".join(lines)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The command line (the `--worker` options are internal)."""
    parser = argparse.ArgumentParser(description="Benchmark our engine against a LangChain-tutorial RAG.")
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD, help="gold questions (JSON lines)")
    parser.add_argument("--quick", action="store_true", help=f"use only the first {QUICK} gold questions")
    parser.add_argument("--no-uncached", action="store_true", help="skip our build that embeds every text")
    parser.add_argument("--worker", choices=sorted(WORKERS), help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--limit", type=int, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Measure both systems in fresh temporary directories and print the comparison."""
    args = parse_args(argv)
    if args.worker:
        return run_worker(args)
    gold = args.gold.resolve()
    if not gold.is_file():
        raise SystemExit(f"no gold file at {gold}")
    limit = QUICK if args.quick else None
    started, digest = load(), project_digest()
    with tempfile.TemporaryDirectory(prefix="bench-", ignore_cleanup_errors=True) as tmp:
        ours = measure("ours", Path(tmp) / "ours", gold, limit, not args.no_uncached)
        peer = measure("peer", Path(tmp) / "peer", gold, limit)
    questions = int(ours.metrics["questions"])
    print(report(ours, peer, questions, (started, load())))
    if project_digest() != digest:
        print("WARNING: bot/, knowledge/ or ingest/ changed during the run (an index may have been rebuilt")
        print("outside its build phase, and the two systems may have seen different data); run again.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
