"""Shared code of the SQuAD-format benchmarks (``cmrc.py``, ``drcd.py``, ``near_miss.py``).

Not part of the test suite, and not part of qa-bot: it only uses the public API
(``QABot.load``, ``bot.ask`` and the ``Reply`` it returns). A SQuAD-format file (``data`` →
articles → ``paragraphs`` → ``qas``) becomes a knowledge folder the bot has never seen (one
plain-text document per paragraph: the article title, then the paragraph); the questions go
to the bot and to a naive peer (jieba + rank-bm25 BM25Plus over the paragraphs, answering
with the top paragraph's sentence that shares the most tokens with the question), and both
are scored by the same rules so that their figures compare.

Gold answers match after NFKC, dropping whitespace and OpenCC's traditional → simplified
folding of both sides: the bot answers in the script of the document, and a DRCD answer
should not fail on 臺/台.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import statistics
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import jieba
import opencc
from pydantic import ValidationError
from rank_bm25 import BM25Plus

from qa_bot import QABot
from qa_bot.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "benchmarks"
CMRC = SHARED / "cmrc2018_trial.json"
DRCD = SHARED / "drcd_dev.json"
CONCISE = 100  # characters: a longer answer "contains" the gold but is not a concise one
SPLITS = ("fit", "held-out", "all")
Split = Literal["fit", "held-out", "all"]


class BenchmarkError(Exception):
    """A problem with the benchmark's input, said in one line (file and field)."""


# --- the data set ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    qid: str
    text: str
    answers: tuple[str, ...]
    doc_id: str  # the document of the paragraph the question was written on
    article: str  # that paragraph's article title


@dataclass(frozen=True)
class Paragraph:
    doc_id: str
    title: str
    context: str
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Article:
    title: str
    paragraphs: tuple[Paragraph, ...]


@dataclass(frozen=True)
class Dataset:
    articles: tuple[Article, ...]

    @property
    def paragraphs(self) -> list[Paragraph]:
        return [p for article in self.articles for p in article.paragraphs]

    @property
    def questions(self) -> list[Question]:
        return [q for p in self.paragraphs for q in p.questions]


def read_squad(path: Path) -> Dataset:
    """The data set in ``path``.

    :raises BenchmarkError: when the file is unreadable, not JSON or not SQuAD-shaped.
    """
    try:
        raw = json.loads(path.read_text("utf-8"))
    except OSError as exc:
        raise BenchmarkError(f"{path}: cannot read: {exc.strerror}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BenchmarkError(f"{path}: not UTF-8 JSON ({exc})") from None
    return parse_squad(raw, str(path))


def parse_squad(raw: object, source: str = "data") -> Dataset:
    """A SQuAD-format object as articles, paragraphs and questions.

    A paragraph's document id names its article (the article's ``id`` when it has a unique
    one, else its position) and its position in the article: ``1147-p0``, ``a0003-p2``.

    :raises BenchmarkError: naming ``source`` and the first field that is missing or wrong.
    """
    articles = _field(raw, "data", list, source, "")
    keys = [_article_key(a, i) for i, a in enumerate(articles)]
    unique = len(set(keys)) == len(keys)
    return Dataset(
        tuple(
            _article(a, keys[i] if unique else f"a{i:04d}", f"data[{i}]", source)
            for i, a in enumerate(articles)
        )
    )


def _article_key(article: object, index: int) -> str:
    given = article.get("id") if isinstance(article, dict) else None
    key = re.sub(r"[^\w.-]", "_", str(given)) if isinstance(given, str | int) else ""
    return key or f"a{index:04d}"


def _article(raw: object, key: str, where: str, source: str) -> Article:
    title = " ".join(str(_field(raw, "title", str, source, where)).split()) or key
    paragraphs = _field(raw, "paragraphs", list, source, where)
    return Article(
        title,
        tuple(
            _paragraph(p, f"{key}-p{j}", title, f"{where}.paragraphs[{j}]", source)
            for j, p in enumerate(paragraphs)
        ),
    )


def _paragraph(raw: object, doc_id: str, title: str, where: str, source: str) -> Paragraph:
    context = _field(raw, "context", str, source, where)
    if not context.strip():
        raise BenchmarkError(f"{source}: {where}.context: empty")
    qas = _field(raw, "qas", list, source, where)
    questions = tuple(
        _question(qa, doc_id, title, f"{where}.qas[{k}]", source) for k, qa in enumerate(qas)
    )
    return Paragraph(doc_id, title, context, questions)


def _question(raw: object, doc_id: str, title: str, where: str, source: str) -> Question:
    qid = _field(raw, "id", str | int, source, where)
    text = _field(raw, "question", str, source, where)
    answers = _field(raw, "answers", list, source, where)
    texts = tuple(
        _field(a, "text", str, source, f"{where}.answers[{n}]") for n, a in enumerate(answers)
    )
    return Question(str(qid), text, texts, doc_id, title)


def _field(raw: object, key: str, kind: Any, source: str, where: str) -> Any:
    """``raw[key]`` when ``raw`` is an object holding a ``kind`` there."""
    name = f"{where}.{key}" if where else key
    if not isinstance(raw, dict):
        raise BenchmarkError(f"{source}: {where or 'top level'}: not an object")
    if key not in raw:
        raise BenchmarkError(f"{source}: {name}: missing")
    if not isinstance(raw[key], kind):
        raise BenchmarkError(f"{source}: {name}: wrong type ({type(raw[key]).__name__})")
    return raw[key]


def split_of(title: str) -> Literal["fit", "held-out"]:
    """The half an article belongs to, by a hash of its title: stable across runs and
    machines, and whole articles stay together so no held-out paragraph was fitted on."""
    return "fit" if hashlib.sha1(title.encode("utf-8")).digest()[0] % 2 == 0 else "held-out"


def select(questions: Sequence[Question], split: Split, limit: int = 0) -> list[Question]:
    """The questions of ``split`` (``all``: every one), the first ``limit`` if non-zero."""
    chosen = [q for q in questions if split == "all" or split_of(q.article) == split]
    return chosen[:limit] if limit > 0 else chosen


# --- the knowledge folder -------------------------------------------------------------------


def write_knowledge(paragraphs: Iterable[Paragraph], root: Path) -> Path:
    """A knowledge folder at ``root`` with one ``<doc id>.txt`` per paragraph (first line:
    the article title, as the loader takes a plain-text document's first line)."""
    docs = root / "docs"
    docs.mkdir(parents=True)
    for paragraph in paragraphs:
        text = f"{paragraph.title}\n{paragraph.context.strip()}\n"
        (docs / f"{paragraph.doc_id}.txt").write_text(text, "utf-8")
    return root


def settings_with(cache: Path, overrides: Sequence[str] = ()) -> Settings:
    """Settings with ``cache`` as cache folder and ``key.sub=value`` overrides (a value is
    read as JSON when it parses, else as text), for trying other thresholds.

    :raises BenchmarkError: for a malformed override or an invalid value.
    """
    nested: dict[str, Any] = {"cache_dir": cache}
    for item in overrides:
        key, equals, value = item.partition("=")
        if not equals or not key.strip():
            raise BenchmarkError(f"--setting {item!r}: expected KEY=VALUE")
        *parents, last = key.strip().split(".")
        target = nested
        for part in parents:
            target = target.setdefault(part, {})
        try:
            target[last] = json.loads(value)
        except json.JSONDecodeError:
            target[last] = value
    try:
        settings = Settings(**nested)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(part) for part in first["loc"])
        raise BenchmarkError(f"--setting {field}: {first['msg']}") from None
    for item in overrides:
        _check_known(settings, item.partition("=")[0].strip())
    return settings


def _check_known(settings: Settings, key: str) -> None:
    """Nested settings models ignore unknown keys; a misspelt override must not pass."""
    value: object = settings
    for part in key.split("."):
        if not hasattr(value, part):
            raise BenchmarkError(f"--setting {key}: no such setting")
        value = getattr(value, part)


def load_bot(paragraphs: Sequence[Paragraph], folder: Path, settings: Settings) -> QABot:
    """The bot over a fresh knowledge folder of ``paragraphs`` written under ``folder``."""
    started = time.perf_counter()
    bot = QABot.load(write_knowledge(paragraphs, folder / "kb"), settings=settings)
    print(f"bot loaded {len(paragraphs)} documents in {time.perf_counter() - started:.1f} s")
    return bot


# --- asking ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """One system's reply to one question, reduced to what is scored and dumped."""

    question: Question
    answer: str
    answered: bool
    confidence: float | None  # None: the system has no confidence (the peer)
    kind: str
    ranked: tuple[str, ...]  # distinct document ids of the sources, best first
    seconds: float

    @property
    def contains(self) -> bool:
        return self.answered and contains_gold(self.answer, self.question.answers)

    @property
    def concise(self) -> bool:
        return self.contains and len(self.answer) <= CONCISE

    def hit(self, k: int) -> bool:
        return self.question.doc_id in self.ranked[:k]


def ask_bot(bot: QABot, questions: Sequence[Question]) -> list[Outcome]:
    """Every question in a session of its own (no follow-up context leaks between them).
    The first question is asked once untimed before, so that lazy start-up work is not
    counted as the latency of whichever question happens to come first."""
    if questions:
        bot.ask(questions[0].text, session_id="warm-up")
    outcomes = []
    for number, question in enumerate(questions):
        started = time.perf_counter()
        reply = bot.ask(question.text, session_id=f"{number}:{question.qid}")
        seconds = time.perf_counter() - started
        ranked = tuple(dict.fromkeys(source.doc_id for source in reply.sources))
        outcomes.append(
            Outcome(
                question,
                reply.answer,
                reply.answered,
                reply.confidence,
                reply.kind,
                ranked,
                seconds,
            )
        )
    return outcomes


class Peer:
    """The naive peer: jieba + rank-bm25 BM25Plus over the paragraphs (no title, no script
    folding); answers with the top paragraph's sentence sharing the most jieba tokens with
    the question, and never abstains."""

    name = "peer: jieba + BM25Plus"

    def __init__(self, paragraphs: Sequence[Paragraph]) -> None:
        jieba.setLogLevel(60)
        self.paragraphs = list(paragraphs)
        self.index = BM25Plus([jieba.lcut(p.context) for p in self.paragraphs])

    def ask(self, question: Question) -> Outcome:
        started = time.perf_counter()
        tokens = jieba.lcut(question.text)
        scores = self.index.get_scores(tokens)
        order = sorted(range(len(self.paragraphs)), key=lambda i: -scores[i])[:5]
        wanted = set(tokens)
        candidates = sentences(self.paragraphs[order[0]].context)
        answer = max(candidates, key=lambda s: len(wanted & set(jieba.lcut(s))))
        seconds = time.perf_counter() - started
        ranked = tuple(self.paragraphs[i].doc_id for i in order)
        return Outcome(question, answer, True, None, "peer", ranked, seconds)


def ask_peer(paragraphs: Sequence[Paragraph], questions: Sequence[Question]) -> list[Outcome]:
    peer = Peer(paragraphs)
    return [peer.ask(question) for question in questions]


def sentences(text: str) -> list[str]:
    """``text`` cut after 。！？!? (the whole text when it has no sentence)."""
    found = [s for s in re.findall(r"[^。！？!?]+[。！？!?]?", text) if s.strip()]
    return found or [text]


# --- matching and metrics -------------------------------------------------------------------


_T2S = opencc.OpenCC("t2s")


def fold(text: str) -> str:
    """``text`` for comparison: NFKC, no whitespace, traditional → simplified."""
    return str(_T2S.convert(re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))))


def contains_gold(answer: str, answers: Iterable[str]) -> bool:
    """Whether any non-empty gold answer appears in ``answer`` (after folding both)."""
    folded = fold(answer)
    return any(gold and gold in folded for gold in map(fold, answers))


def percentile(values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile (0 for no values)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


@dataclass(frozen=True)
class Score:
    """Accuracy of one system over a question set (counts; latencies in milliseconds)."""

    name: str
    total: int
    hit1: int
    hit5: int
    contains: int
    concise: int
    abstained: int
    p50: float
    p95: float

    @classmethod
    def of(cls, name: str, outcomes: Sequence[Outcome]) -> Score:
        ms = [1000 * o.seconds for o in outcomes]
        return cls(
            name,
            total=len(outcomes),
            hit1=sum(o.hit(1) for o in outcomes),
            hit5=sum(o.hit(5) for o in outcomes),
            contains=sum(o.contains for o in outcomes),
            concise=sum(o.concise for o in outcomes),
            abstained=sum(not o.answered for o in outcomes),
            p50=statistics.median(ms) if ms else 0.0,
            p95=percentile(ms, 0.95),
        )

    def row(self) -> str:
        def share(count: int) -> str:
            return f"{100 * count / max(self.total, 1):5.1f}%"

        return (
            f"| {self.name:<22} | {share(self.hit1)} | {share(self.hit5)} | {share(self.contains)} "
            f"| {share(self.concise)} | {share(self.abstained)} "
            f"| {self.p50:6.2f} | {self.p95:6.2f} |"
        )


SCORE_HEADER = (
    "| system                 | hit@1  | hit@5  | contains | concise-contains "
    "| abstain | p50 ms | p95 ms |\n|---|---:|---:|---:|---:|---:|---:|---:|"
)


# --- near misses ----------------------------------------------------------------------------


@dataclass(frozen=True)
class NearMissSplit:
    """Which paragraphs stay in the knowledge folder and which are left out."""

    kept: tuple[Paragraph, ...]
    dropped: tuple[Paragraph, ...]
    whole_articles: bool  # no article had two paragraphs: every second article was dropped

    @property
    def dropped_ids(self) -> frozenset[str]:
        return frozenset(p.doc_id for p in self.dropped)


def near_miss_split(dataset: Dataset) -> NearMissSplit:
    """Drop every second paragraph (the 2nd, 4th, …) of each article with two or more, so
    that a dropped paragraph's questions find their article's other paragraphs — on topic,
    but without the answer. A data set of one-paragraph articles (CMRC) has no such near
    misses; then every second article is dropped instead (unseen-topic misses)."""
    articles = dataset.articles
    if any(len(a.paragraphs) >= 2 for a in articles):
        kept = [p for a in articles for p in a.paragraphs[::2]]
        dropped = [p for a in articles for p in a.paragraphs[1::2]]
        return NearMissSplit(tuple(kept), tuple(dropped), whole_articles=False)
    kept = [p for a in articles[::2] for p in a.paragraphs]
    dropped = [p for a in articles[1::2] for p in a.paragraphs]
    return NearMissSplit(tuple(kept), tuple(dropped), whole_articles=True)


@dataclass(frozen=True)
class AbstentionScore:
    """Abstention of one system over near misses (questions whose paragraph was dropped)
    and answerable questions (whose paragraph was kept)."""

    name: str
    near_misses: int
    abstained_near: int
    answerable: int
    refused: int
    contains_kept: int

    @classmethod
    def of(cls, name: str, outcomes: Sequence[Outcome], dropped: frozenset[str]) -> AbstentionScore:
        near = [o for o in outcomes if o.question.doc_id in dropped]
        kept = [o for o in outcomes if o.question.doc_id not in dropped]
        return cls(
            name,
            near_misses=len(near),
            abstained_near=sum(not o.answered for o in near),
            answerable=len(kept),
            refused=sum(not o.answered for o in kept),
            contains_kept=sum(o.contains for o in kept),
        )

    @property
    def recall(self) -> float | None:
        """Share of near misses abstained."""
        return _ratio(self.abstained_near, self.near_misses)

    @property
    def refused_share(self) -> float | None:
        """Share of answerable questions refused."""
        return _ratio(self.refused, self.answerable)

    @property
    def answered_contains(self) -> float | None:
        """Share of answered answerable questions whose answer contains a gold answer."""
        return _ratio(self.contains_kept, self.answerable - self.refused)

    @property
    def precision(self) -> float | None:
        """Share of abstentions that were near misses."""
        return _ratio(self.abstained_near, self.abstained_near + self.refused)

    def row(self) -> str:
        cells = [
            self.recall,
            self.refused_share,
            self.answered_contains,
            _ratio(self.contains_kept, self.answerable),
            self.precision,
        ]
        return f"| {self.name:<22} | " + " | ".join(map(_percent, cells)) + " |"


ABSTENTION_HEADER = (
    "| system                 | near misses abstained | answerable refused "
    "| contains (answered answerable) | contains (all answerable) | abstention precision |\n"
    "|---|---:|---:|---:|---:|---:|"
)


def _ratio(count: int, total: int) -> float | None:
    return count / total if total else None


def _percent(value: float | None) -> str:
    return "    —" if value is None else f"{100 * value:5.1f}%"


# --- the dump -------------------------------------------------------------------------------


def dump(
    path: Path,
    bot: Sequence[Outcome],
    peer: Sequence[Outcome],
    near_misses: frozenset[str] = frozenset(),
) -> None:
    """One JSON line per question: the bot's reply beside the gold and the peer's answer,
    to fit thresholds on the fit split and read failures."""
    with path.open("w", encoding="utf-8") as out:
        for mine, theirs in zip(bot, peer, strict=True):
            out.write(json.dumps(dump_record(mine, theirs, near_misses), ensure_ascii=False))
            out.write("\n")


def dump_record(bot: Outcome, peer: Outcome, near_misses: frozenset[str]) -> dict[str, Any]:
    question = bot.question
    return {
        "qid": question.qid,
        "question": question.text,
        "answers": list(question.answers),
        "answer": bot.answer,
        "answered": bot.answered,
        "confidence": bot.confidence,
        "kind": bot.kind,
        "top_doc": bot.ranked[0] if bot.ranked else None,
        "gold_doc": question.doc_id,
        "near_miss": question.doc_id in near_misses,
        "contains": bot.contains,
        "hit1": bot.hit(1),
        "hit5": bot.hit(5),
        "article": question.article,
        "split": split_of(question.article),
        "ms": round(1000 * bot.seconds, 3),
        "peer_answer": peer.answer,
        "peer_contains": peer.contains,
    }


# --- command line ---------------------------------------------------------------------------


def arguments(description: str, data: Path) -> argparse.ArgumentParser:
    """The options every SQuAD benchmark shares."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--data", type=Path, default=data, help="SQuAD-format JSON file")
    parser.add_argument("--limit", type=int, default=0, help="ask only the first N questions")
    parser.add_argument(
        "--split",
        choices=SPLITS,
        default="all",
        help="questions of articles whose title hash is even (fit), odd (held-out), or all",
    )
    parser.add_argument("--dump", type=Path, help="write one JSON line per question here")
    parser.add_argument(
        "--setting",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override a bot setting, e.g. answer.abstain_threshold=0 (repeatable)",
    )
    return parser


def timed(label: str, started: float) -> None:
    print(f"{label} in {time.perf_counter() - started:.1f} s")


def main(run: Callable[[argparse.Namespace], None], parser: argparse.ArgumentParser) -> None:
    """Run a benchmark; a problem with its input is one line on stderr and exit status 2."""
    args = parser.parse_args()
    try:
        run(args)
    except BenchmarkError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None


def accuracy(args: argparse.Namespace) -> None:
    """Bot and peer over every paragraph of ``args.data``, asked the selected questions."""
    started = time.perf_counter()
    dataset = read_squad(args.data)
    paragraphs = dataset.paragraphs
    questions = select(dataset.questions, args.split, args.limit)
    with tempfile.TemporaryDirectory() as folder:
        bot = load_bot(
            paragraphs, Path(folder), settings_with(Path(folder) / "cache", args.setting)
        )
        asked = time.perf_counter()
        mine = ask_bot(bot, questions)
        timed(f"bot asked {len(questions)} questions", asked)
    asked = time.perf_counter()
    theirs = ask_peer(paragraphs, questions)
    timed(f"peer indexed and asked {len(questions)} questions", asked)
    if args.dump:
        dump(args.dump, mine, theirs)
    bot_score, peer_score = Score.of("qa-bot", mine), Score.of(Peer.name, theirs)
    print(f"\n{len(paragraphs)} paragraphs, {len(questions)} questions (split: {args.split})\n")
    print(SCORE_HEADER)
    print(bot_score.row())
    print(peer_score.row())
    gain = 100 * (bot_score.concise - peer_score.concise) / max(bot_score.total, 1)
    print(f"\nconcise-contains: bot − peer = {gain:+.1f} points")
    timed("total", started)
