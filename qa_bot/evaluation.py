"""Question sets → scores: accuracy overall and per category, abstention, latency, failures."""

from __future__ import annotations

import json
import logging
import re
import statistics
import time
import unicodedata
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from qa_bot import question_keys
from qa_bot.decoding import NotText, decode
from qa_bot.errors import QuestionSetError
from qa_bot.strict_yaml import YamlError, parse_yaml

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from qa_bot.bot import QABot
    from qa_bot.models import Reply


class Turn(BaseModel):
    """One question with what its answer must contain (or that it must not be answered).

    Sets written by others carry more keys (``persona``, ``evidence``, ``note``…): ignored,
    as DESIGN.md says; a missing question or a value of the wrong type is still an error.
    """

    model_config = ConfigDict(extra="ignore")

    question: str
    expect: list[str] = Field(default_factory=list)
    expect_any: list[str] = Field(default_factory=list)
    unanswerable: bool = False


class Item(Turn):
    """A question-set entry: a single question, or a dialogue of ``turns`` in one session."""

    id: str
    category: str | None = None
    source: str | None = None
    question: str = ""
    turns: list[Turn] = Field(default_factory=list)

    @model_validator(mode="after")
    def _question_or_turns(self) -> Item:
        if bool(self.question) == bool(self.turns):
            raise ValueError("needs either 'question' or 'turns'")
        return self

    @property
    def group(self) -> str:
        """The category reported for this item (explicit, else dialogue/unanswerable/answerable)."""
        if self.category:
            return self.category
        if self.turns:
            return "dialogue"
        return "unanswerable" if self.unanswerable else "answerable"


class TurnResult(BaseModel):
    """How one asked question fared."""

    item_id: str
    category: str
    question: str
    answer: str
    kind: str
    answered: bool
    unanswerable: bool
    expect: list[str]
    expect_any: list[str]
    passed: bool
    seconds: float
    sources: list[str]
    source: str | None = None  # the document the answer should come from, if the set says
    dialogue: bool = False


def load_question_set(path: Path) -> list[Item]:
    """Read and validate a YAML question set.

    :raises QuestionSetError: naming the file, the item and the field at fault.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise QuestionSetError(path, f"cannot read: {exc.strerror}") from None
    try:
        data, repeated = parse_yaml(decode(raw).text)
    except (NotText, YamlError) as exc:
        raise QuestionSetError(path, str(exc)) from None
    if repeated:
        raise QuestionSetError(path, repeated[0])
    if isinstance(data, dict) and "questions" in data:
        data = data["questions"]
    if not isinstance(data, list) or not data:
        raise QuestionSetError(path, "expected a non-empty list of questions")
    for line in question_keys.warnings(path.name, data, Item.model_fields.keys()):
        log.warning("%s", line)
    items: list[Item] = []
    seen: set[str] = set()
    for number, raw in enumerate(data, start=1):
        try:
            item = Item.model_validate(raw)
        except ValidationError as exc:
            error = exc.errors()[0]
            where = ".".join(str(p) for p in error["loc"]) or "(item)"
            label = raw.get("id", number) if isinstance(raw, dict) else number
            raise QuestionSetError(path, f"item {label}: {where}: {error['msg']}") from None
        if item.id in seen:
            raise QuestionSetError(path, f"item {item.id}: id: duplicate")
        seen.add(item.id)
        items.append(item)
    return items


def squash(text: str) -> str:
    """NFKC with all white space removed: how answers and expectations are compared."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def judge(turn: Turn, reply: Reply) -> bool:
    """Whether the reply meets the turn's expectations (DESIGN.md, "Question sets")."""
    if turn.unanswerable:
        return not reply.answered
    if not reply.answered:
        return False
    answer = squash(reply.answer)
    if not all(squash(e) in answer for e in turn.expect):
        return False
    return not turn.expect_any or any(squash(e) in answer for e in turn.expect_any)


def run(bot: QABot, items: list[Item]) -> list[TurnResult]:
    """Ask every question (each dialogue in its own fresh session) and judge the replies."""
    results: list[TurnResult] = []
    for item in items:
        turns = item.turns or [item]
        session = f"eval:{item.id}"
        bot.reset(session)
        for turn in turns:
            started = time.perf_counter()
            reply = bot.ask(turn.question, session_id=session)
            elapsed = time.perf_counter() - started
            results.append(
                TurnResult(
                    item_id=item.id,
                    category=item.group,
                    question=turn.question,
                    answer=reply.answer,
                    kind=reply.kind,
                    answered=reply.answered,
                    unanswerable=turn.unanswerable,
                    expect=turn.expect,
                    expect_any=turn.expect_any,
                    passed=judge(turn, reply),
                    seconds=elapsed,
                    sources=list(dict.fromkeys(s.doc_id for s in reply.sources)),
                    source=item.source,
                    dialogue=bool(item.turns),
                )
            )
        bot.reset(session)
    return results


def percentile(values: list[float], share: float) -> float:
    """The ``share`` quantile (nearest rank) of ``values``."""
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))
    return ordered[index]


def summarise(results: list[TurnResult]) -> dict[str, Any]:
    """The report's figures as plain data (what ``--json`` prints)."""
    singles = [r for r in results if not r.dialogue]
    turns = [r for r in results if r.dialogue]
    by_category: dict[str, list[TurnResult]] = defaultdict(list)
    for result in results:
        by_category[result.category].append(result)
    abstained = [r for r in singles if not r.answered]
    unanswerable = [r for r in singles if r.unanswerable]
    answerable = [r for r in singles if not r.unanswerable]
    latencies = [r.seconds * 1000 for r in results]
    return {
        "questions": len(singles),
        "accuracy": share(singles),
        "dialogue_turns": len(turns),
        "dialogue_turn_accuracy": share(turns),
        "dialogues": len({r.item_id for r in turns}),
        "dialogue_accuracy": dialogue_share(turns),
        "categories": {
            name: {"items": len(rs), "accuracy": share(rs)}
            for name, rs in sorted(by_category.items())
        },
        "abstention": {
            "precision": ratio(sum(r.unanswerable for r in abstained), len(abstained)),
            "recall": ratio(sum(not r.answered for r in unanswerable), len(unanswerable)),
            "answerable_abstained": ratio(sum(not r.answered for r in answerable), len(answerable)),
        },
        "retrieval": retrieval(results),
        "latency_ms": {
            "p50": round(percentile(latencies, 0.5), 2),
            "p95": round(percentile(latencies, 0.95), 2),
            "mean": round(statistics.fmean(latencies), 2) if latencies else 0.0,
        },
        "failures": [r.model_dump(exclude={"passed", "dialogue"}) for r in results if not r.passed],
    }


def retrieval(results: list[TurnResult]) -> dict[str, float | int]:
    """hit@1 and hit@5 of the expected document among the reply's sources."""
    judged = [r for r in results if r.source]
    return {
        "items": len(judged),
        "hit@1": ratio(sum(r.sources[:1] == [r.source] for r in judged), len(judged)),
        "hit@5": ratio(sum(r.source in r.sources[:5] for r in judged), len(judged)),
    }


def save_run(results: list[TurnResult], path: Path) -> None:
    """Write per-question results for a later ``--compare``."""
    data = [r.model_dump() for r in results]
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), "utf-8")


def compare_runs(results: list[TurnResult], path: Path) -> dict[str, list[str]]:
    """Questions that pass now but failed in the saved run, and the other way round."""
    try:
        earlier = {
            (r["item_id"], r["question"]): bool(r["passed"])
            for r in json.loads(path.read_text("utf-8"))
        }
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise QuestionSetError(path, f"not a saved run: {exc}") from None
    changes: dict[str, list[str]] = {"newly_failing": [], "newly_passing": []}
    for result in results:
        before = earlier.get((result.item_id, result.question))
        label = f"[{result.item_id}] {result.question}"
        if before is True and not result.passed:
            changes["newly_failing"].append(f"{label} → {result.answer}")
        elif before is False and result.passed:
            changes["newly_passing"].append(label)
    return changes


def render_changes(changes: dict[str, list[str]]) -> str:
    """The ``--compare`` section of the report."""
    lines = [
        f"compared with the saved run: {len(changes['newly_failing'])} newly failing, "
        f"{len(changes['newly_passing'])} newly passing"
    ]
    lines += [f"  - {line}" for line in changes["newly_failing"]]
    lines += [f"  + {line}" for line in changes["newly_passing"]]
    return "\n".join(lines)


def share(results: list[TurnResult]) -> float:
    return ratio(sum(r.passed for r in results), len(results))


def ratio(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def dialogue_share(turns: list[TurnResult]) -> float:
    """The share of dialogues whose every turn passed."""
    by_item: dict[str, bool] = {}
    for result in turns:
        by_item[result.item_id] = by_item.get(result.item_id, True) and result.passed
    return ratio(sum(by_item.values()), len(by_item))


def row(label: str, items: int, accuracy: float) -> str:
    """One aligned line of the report table."""
    return f"{label:<20} {items:>6}  {accuracy:>7.1%}"


def render(summary: dict[str, Any], show_failures: int = 50) -> str:
    """The report as a readable terminal table."""
    lines = ["category              items  accuracy"]
    for name, figures in summary["categories"].items():
        lines.append(row(name, figures["items"], figures["accuracy"]))
    abstention, latency = summary["abstention"], summary["latency_ms"]
    lines += [
        "",
        row("single questions", summary["questions"], summary["accuracy"]),
        row("dialogue turns", summary["dialogue_turns"], summary["dialogue_turn_accuracy"]),
        row("whole dialogues", summary["dialogues"], summary["dialogue_accuracy"]),
        "",
        f"abstention precision  {abstention['precision']:.1%}   "
        f"recall {abstention['recall']:.1%}   "
        f"answerable abstained {abstention['answerable_abstained']:.1%}",
        f"latency ms            p50 {latency['p50']}   p95 {latency['p95']}",
    ]
    hits = summary["retrieval"]
    if hits["items"]:
        lines.append(
            f"retrieval ({hits['items']} with source)  hit@1 {hits['hit@1']:.1%}   "
            f"hit@5 {hits['hit@5']:.1%}"
        )
    failures = summary["failures"]
    if failures:
        lines += ["", f"failures ({len(failures)}):"]
        for failure in failures[:show_failures]:
            wanted = "(abstain)" if failure["unanswerable"] else " & ".join(failure["expect"])
            if failure["expect_any"]:
                wanted += " | any of " + " / ".join(failure["expect_any"])
            lines.append(f"- [{failure['item_id']}] {failure['question']}")
            lines.append(f"    expected: {wanted}")
            given = failure["answer"] if failure["answered"] else f"(abstained) {failure['answer']}"
            lines.append(f"    given:    {given}")
        if len(failures) > show_failures:
            lines.append(f"… and {len(failures) - show_failures} more (use --json for all)")
    return "\n".join(lines)
