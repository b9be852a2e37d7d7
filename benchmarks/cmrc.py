"""Unseen-documents benchmark on the CMRC 2018 trial set (not part of the test suite).

Writes every paragraph as a plain document of a fresh knowledge folder (title line, then the
paragraph), loads it with ``QABot.load(knowledge_dir=...)``, asks every question, and reports
hit@1 / hit@5 of the gold paragraph among ``reply.sources``, the share of answers containing a
gold answer, the share that also are concise (≤ 100 characters), the abstain rate and latency.
The same run reports a naive peer: jieba + rank-bm25 BM25Plus over the paragraphs, answering
with the top paragraph's sentence that shares the most tokens with the question.

    .venv/bin/python benchmarks/cmrc.py [--data ../shared/benchmarks/cmrc2018_trial.json]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import tempfile
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import jieba
from rank_bm25 import BM25Plus

from qa_bot import QABot
from qa_bot.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "benchmarks" / "cmrc2018_trial.json"
CONCISE = 100


@dataclass
class Question:
    qid: str
    doc_id: str
    text: str
    answers: list[str]


@dataclass
class Score:
    """Counts of one system over the question set."""

    name: str
    total: int = 0
    hit1: int = 0
    hit5: int = 0
    contains: int = 0
    concise: int = 0
    abstained: int = 0
    latencies: list[float] = field(default_factory=list)

    def add(
        self,
        ranked: list[str],
        gold: str,
        answer: str,
        answered: bool,
        answers: list[str],
        seconds: float,
    ) -> None:
        self.total += 1
        self.hit1 += ranked[:1] == [gold]
        self.hit5 += gold in ranked[:5]
        found = answered and any(squash(a) in squash(answer) for a in answers)
        self.contains += found
        self.concise += found and len(answer) <= CONCISE
        self.abstained += not answered
        self.latencies.append(seconds * 1000)

    def row(self) -> str:
        share = lambda n: f"{100 * n / self.total:5.1f}%"  # noqa: E731
        ordered = sorted(self.latencies)
        p50 = statistics.median(ordered)
        p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
        return (
            f"| {self.name:<22} | {share(self.hit1)} | {share(self.hit5)} | {share(self.contains)} "
            f"| {share(self.concise)} | {share(self.abstained)} | {p50:6.2f} | {p95:6.2f} |"
        )


def squash(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def load(path: Path) -> tuple[dict[str, tuple[str, str]], list[Question]]:
    """Paragraphs by id (title, text) and the questions."""
    data = json.loads(path.read_text("utf-8"))["data"]
    paragraphs: dict[str, tuple[str, str]] = {}
    questions: list[Question] = []
    for article in data:
        for paragraph in article["paragraphs"]:
            doc_id = re.sub(r"[^\w.-]", "_", paragraph["id"])
            paragraphs[doc_id] = (article["title"], paragraph["context"])
            for qa in paragraph["qas"]:
                answers = [a["text"] for a in qa["answers"]]
                questions.append(Question(qa["id"], doc_id, qa["question"], answers))
    return paragraphs, questions


def write_knowledge(paragraphs: dict[str, tuple[str, str]], folder: Path) -> None:
    docs = folder / "docs"
    docs.mkdir(parents=True)
    for doc_id, (title, text) in paragraphs.items():
        (docs / f"{doc_id}.txt").write_text(f"{title}\n\n{text}\n", "utf-8")


def run_bot(
    paragraphs: dict[str, tuple[str, str]], questions: list[Question], cache: Path
) -> Score:
    with tempfile.TemporaryDirectory() as folder:
        write_knowledge(paragraphs, Path(folder) / "kb")
        started = time.perf_counter()
        bot = QABot.load(Path(folder) / "kb", settings=Settings(cache_dir=cache))
        print(f"bot loaded {len(paragraphs)} documents in {time.perf_counter() - started:.1f} s")
        score = Score("qa-bot")
        for question in questions:
            started = time.perf_counter()
            reply = bot.ask(question.text, session_id=question.qid)
            elapsed = time.perf_counter() - started
            ranked = list(dict.fromkeys(s.doc_id for s in reply.sources))
            score.add(
                ranked, question.doc_id, reply.answer, reply.answered, question.answers, elapsed
            )
    return score


def sentences(text: str) -> list[str]:
    return [s for s in re.findall(r"[^。！？!?]+[。！？!?]?", text) if s.strip()]


def run_peer(paragraphs: dict[str, tuple[str, str]], questions: list[Question]) -> Score:
    """jieba + rank-bm25 BM25Plus over paragraphs; the top paragraph's best-overlap sentence."""
    jieba.setLogLevel(60)
    ids = list(paragraphs)
    corpus = [jieba.lcut(paragraphs[i][1]) for i in ids]
    index = BM25Plus(corpus)
    score = Score("peer: jieba + BM25Plus")
    for question in questions:
        started = time.perf_counter()
        tokens = jieba.lcut(question.text)
        scores = index.get_scores(tokens)
        order = sorted(range(len(ids)), key=lambda i: -scores[i])[:5]
        wanted = set(tokens)
        candidates = sentences(paragraphs[ids[order[0]]][1])
        answer = max(candidates, key=lambda s: len(wanted & set(jieba.lcut(s))))
        elapsed = time.perf_counter() - started
        score.add([ids[i] for i in order], question.doc_id, answer, True, question.answers, elapsed)
    return score


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=0, help="ask only the first N questions")
    args = parser.parse_args()
    paragraphs, questions = load(args.data)
    if args.limit:
        questions = questions[: args.limit]
    with tempfile.TemporaryDirectory() as cache:
        bot = run_bot(paragraphs, questions, Path(cache))
    peer = run_peer(paragraphs, questions)
    print(f"\n{len(paragraphs)} paragraphs, {len(questions)} questions\n")
    print(
        "| system                 | hit@1  | hit@5  | contains | concise-contains "
        "| abstain | p50 ms | p95 ms |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    print(bot.row())
    print(peer.row())
    gain = 100 * (bot.concise - peer.concise) / bot.total
    print(f"\nconcise-contains: bot − peer = {gain:+.1f} points")


if __name__ == "__main__":
    main()
