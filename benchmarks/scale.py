"""Speed and scale benchmark (not part of the test suite): qa-bot's retrieval beside rank-bm25
and bm25s on 1k, 10k and 100k passages built from the CMRC 2018 paragraphs.

Each size is a fresh knowledge folder of plain documents of one passage each: the CMRC
paragraphs cut at sentence ends to at most 400 characters, replicated with perturbation
(sentences rotated, a copy number added) under distinct ids. For each size, in one run:
cold index build through ``QABot.load`` (tokenisation included, all cores), warm load from
the cache, query p50/p95 (top-20, query tokenisation excluded) of qa-bot's index, of
rank-bm25's own ``BM25Plus.get_scores`` (the same formula) and of bm25s (method bm25+), the
end-to-end ``QABot.ask`` p50/p95, and the peak RSS of the process. Then 1, 2 and 4 worker
processes load the same cache at once, as ``qa-bot serve --workers N`` does: each reports its
load time, and once all are loaded their Rss and Pss are read from ``/proc/<pid>/smaps_rollup``
(Pss divides each shared page among the processes that map it, so it shows what sharing the
memory-mapped index saves).

    .venv/bin/pip install -e '.[bench]'     # bm25s
    .venv/bin/python benchmarks/scale.py [--sizes 1000 10000 100000] [--queries 200]
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from qa_bot import QABot
from qa_bot.private_files import read_cache
from qa_bot.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "benchmarks" / "cmrc2018_trial.json"


def pieces(text: str, limit: int = 400) -> list[str]:
    """A paragraph cut at sentence ends into pieces of at most ``limit`` characters."""
    out, current = [], ""
    for sentence in re.findall(r"[^。！？]+[。！？]?", text):
        if current and len(current) + len(sentence) > limit:
            out.append(current)
            current = ""
        current += sentence[:limit]
    return [*out, current] if current else out


def corpus_of(size: int) -> tuple[list[tuple[str, str]], list[str]]:
    """``size`` (title, text) documents and the CMRC questions."""
    data = json.loads(DATA.read_text("utf-8"))["data"]
    base = [
        (a["title"], piece) for a in data for p in a["paragraphs"] for piece in pieces(p["context"])
    ]
    questions = [qa["question"] for a in data for p in a["paragraphs"] for qa in p["qas"]]
    documents = []
    for n in range(size):
        title, text = base[n % len(base)]
        copy = n // len(base)
        if copy:
            sentences = re.findall(r"[^。！？]+[。！？]?", text)
            shift = copy % max(1, len(sentences))
            text = "".join(sentences[shift:] + sentences[:shift]) + f"（副本{copy}）"
        documents.append((title, text))
    return documents, questions


def write(folder: Path, documents: list[tuple[str, str]]) -> None:
    docs = folder / "docs"
    docs.mkdir(parents=True)
    for n, (title, text) in enumerate(documents):
        (docs / f"p{n:06d}.txt").write_text(f"{title}\n\n{text}\n", "utf-8")


def percentiles(seconds: list[float]) -> tuple[float, float]:
    ordered = sorted(seconds)
    return statistics.median(ordered) * 1000, ordered[int(0.95 * (len(ordered) - 1))] * 1000


def timed(function, queries):  # type: ignore[no-untyped-def]
    seconds = []
    for query in queries:
        started = time.perf_counter()
        function(query)
        seconds.append(time.perf_counter() - started)
    return percentiles(seconds)


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


WORKER = """
import sys, time
from pathlib import Path
started = time.perf_counter()
from qa_bot import QABot
from qa_bot.private_files import read_cache
from qa_bot.settings import Settings
bot = QABot.load(Path(sys.argv[1]), settings=Settings(cache_dir=Path(sys.argv[2])))
bot.ask("测试", session_id="warm")
print(time.perf_counter() - started, flush=True)
sys.stdin.read()
"""


def smaps_mib(pid: int) -> tuple[float, float]:
    """A process's Rss and Pss in MiB (Linux)."""
    fields = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value = line.split(":", 1)
        fields[name] = int(value.split()[0]) / 1024
    return fields["Rss"], fields["Pss"]


def workers(folder: Path, count: int) -> dict[str, float]:
    """``count`` fresh processes load the cache at once: mean load seconds, Rss and Pss."""
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(folder / "kb"), str(folder / "cache")],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(count)
    ]
    try:
        loads = [float(proc.stdout.readline()) for proc in procs]  # type: ignore[union-attr]
        memory = [smaps_mib(proc.pid) for proc in procs]
    finally:
        for proc in procs:
            proc.stdin.close()  # type: ignore[union-attr]
            proc.wait()
    return {
        "load s": statistics.mean(loads),
        "Rss MiB": statistics.mean(m[0] for m in memory),
        "Pss MiB": statistics.mean(m[1] for m in memory),
    }


def run(size: int, query_count: int, with_peers: bool = True) -> dict[str, object]:
    documents, questions = corpus_of(size)
    questions = questions[:query_count]
    folder = Path(tempfile.mkdtemp(prefix=f"scale{size}-"))
    try:
        write(folder / "kb", documents)
        settings = Settings(cache_dir=folder / "cache")
        started = time.perf_counter()
        bot = QABot.load(folder / "kb", settings=settings)
        cold = time.perf_counter() - started
        started = time.perf_counter()
        bot = QABot.load(folder / "kb", settings=settings)
        warm = time.perf_counter() - started
        index = bot.pipeline.retriever.index
        queries = [bot.tokenizer.tokenise(q) for q in questions]
        ours = timed(lambda q: index.top(q, 20), queries)
        ask = timed(lambda q: bot.ask(q, session_id="bench"), questions)

        spread = {n: workers(folder, n) for n in (1, 2, 4)}
        peers = compare_peers(folder, queries, query_count, size) if with_peers else {}
        return {
            "workers": spread,
            "passages": size,
            "cold build s": cold,
            "warm load s": warm,
            "ours p50/p95 ms": ours,
            "ask p50/p95 ms": ask,
            "peak RSS MiB": peak_rss_mib(),
            **peers,
        }
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def compare_peers(
    folder: Path, queries: list[list[str]], query_count: int, size: int
) -> dict[str, object]:
    """rank-bm25 and bm25s over the same tokens (their build and query times)."""
    tokens = json.loads(read_cache(next((folder / "cache" / "index").iterdir()) / "tokens.json"))
    corpus = [
        line.split("\t") if line else [] for lines in tokens["documents"].values() for line in lines
    ]
    from rank_bm25 import BM25Plus

    started = time.perf_counter()
    rank = BM25Plus(corpus)
    rank_build = time.perf_counter() - started
    rank_queries = queries[: max(20, query_count // 10)] if size >= 100_000 else queries
    theirs = timed(lambda q: np.argpartition(-rank.get_scores(q), 20)[:20], rank_queries)

    import bm25s

    started = time.perf_counter()
    retriever = bm25s.BM25(method="bm25+", k1=1.5, b=0.75, delta=1.0)
    retriever.index(corpus, show_progress=False)
    bm25s_build = time.perf_counter() - started
    bm25s_times = timed(
        lambda q: retriever.retrieve([q or ["。"]], k=20, show_progress=False), queries
    )
    return {
        "rank-bm25 build s": rank_build,
        "rank-bm25 p50/p95 ms": theirs,
        "bm25s build s": bm25s_build,
        "bm25s p50/p95 ms": bm25s_times,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument(
        "--no-peers", action="store_true", help="skip rank-bm25 and bm25s (slow at 100k)"
    )
    args = parser.parse_args()
    rows = []
    for size in args.sizes:
        row = run(size, args.queries, not args.no_peers)
        rows.append(row)
        print(json.dumps(row, ensure_ascii=False), flush=True)
    print()
    print(
        "| passages | cold build s | warm load s | qa-bot p50/p95 ms | rank-bm25 p50/p95 ms | "
        "bm25s p50/p95 ms | ×rank-bm25 (p50) | ×bm25s (p50) | ask p50/p95 ms | peak RSS MiB |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        ours, ask = row["ours p50/p95 ms"], row["ask p50/p95 ms"]
        theirs, b25 = row.get("rank-bm25 p50/p95 ms"), row.get("bm25s p50/p95 ms")
        print(
            f"| {row['passages']:,} | {row['cold build s']:.1f} | {row['warm load s']:.1f} "
            f"| {ours[0]:.2f} / {ours[1]:.2f} | {pair(theirs, 1)} | {pair(b25, 2)} "
            f"| {times(theirs, ours, 0)} | {times(b25, ours, 1)} "
            f"| {ask[0]:.1f} / {ask[1]:.1f} | {row['peak RSS MiB']:.0f} |"
        )
    print()
    print(
        "| passages | workers | load s (fresh process) | Rss MiB per worker | Pss MiB per worker |"
    )
    print("|---:|---:|---:|---:|---:|")
    for row in rows:
        for n, w in row["workers"].items():
            print(
                f"| {row['passages']:,} | {n} | {w['load s']:.1f} | {w['Rss MiB']:.0f} "
                f"| {w['Pss MiB']:.0f} |"
            )


def pair(values: list[float] | None, digits: int) -> str:
    """p50 / p95, or a dash for a peer that was not run (--no-peers)."""
    return "—" if values is None else f"{values[0]:.{digits}f} / {values[1]:.{digits}f}"


def times(theirs: list[float] | None, ours: list[float], digits: int) -> str:
    """How many times slower a peer's p50 is, or a dash."""
    return "—" if theirs is None else f"{theirs[0] / ours[0]:.{digits}f}×"


if __name__ == "__main__":
    main()
