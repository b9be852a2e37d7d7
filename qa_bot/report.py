"""``qa-bot report``: what the conversation log says about the bot's use.

Questions per day and the share answered, the biggest groups of unanswered questions (grouped
as ``qa-bot misses`` groups them), the answers people rated 👎 and the documents answers cite
most — what a maintainer needs to decide which document or fact to add next.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import TYPE_CHECKING

from qa_bot.conversation_log import ConversationLog, Record, open_log
from qa_bot.misses import is_miss, miss_threshold, questions_report
from qa_bot.settings import Settings, misses_file

if TYPE_CHECKING:
    from qa_bot.bot import QABot

NOT_QUESTIONS = frozenset({"help", "source"})  # replies to commands, greetings, refusals


def read_log(settings: Settings) -> ConversationLog:
    """The conversation log, with the older JSON-lines misses log imported (once)."""
    log = open_log(settings)
    path = misses_file(settings)
    if path.is_file():
        log.import_misses(path)
    return log


def logged_misses(bot: QABot, log: ConversationLog, top: int) -> str:
    """``qa-bot misses`` over the conversation log: its unanswered questions, grouped."""
    return questions_report(bot, unanswered(log.records(), miss_threshold(bot)), top)


def answered(record: Record) -> bool:
    """Whether the bot answered the question (a clarification counts, help does not)."""
    return record.answered and record.kind not in NOT_QUESTIONS


def unanswered(records: list[Record], low_confidence: float) -> list[str]:
    """The questions the bot abstained on or answered with low confidence."""
    return [
        r.question
        for r in records
        if is_miss(r.kind, r.answered, r.confidence, low_confidence) and r.question
    ]


def per_day(records: list[Record]) -> list[str]:
    """One line per day: questions and the share answered."""
    days: dict[str, list[Record]] = defaultdict(list)
    for record in records:
        days[record.time[:10]].append(record)
    lines = [f"{'day':<12}{'questions':>10}{'answered':>10}"]
    for day, group in sorted(days.items()):
        share = sum(answered(r) for r in group) / len(group)
        lines.append(f"{day:<12}{len(group):>10}{share:>10.0%}")
    return lines


def rated_down(records: list[Record], limit: int) -> list[str]:
    """The answers rated 👎, newest first, with the comment when there is one."""
    down = [r for r in records if r.rating == "down"][::-1]
    if not down:
        return ["  none"]
    lines = []
    for record in down[:limit]:
        when = record.time[:16].replace("T", " ")
        lines.append(f"  {when} [{record.channel}] “{record.question}”")
        lines.append(f"     answer: {record.answer.splitlines()[0] if record.answer else '—'}")
        if record.comment:
            lines.append(f"     comment: {record.comment}")
    if len(down) > limit:
        lines.append(f"  … and {len(down) - limit} more")
    return lines


def cited_documents(records: list[Record], limit: int) -> list[str]:
    """The documents most answers came from (the first source of each answered reply)."""
    counts: Counter[str] = Counter()
    for record in records:
        if answered(record) and record.sources:
            first = record.sources[0]
            counts[f"《{first.get('title', '')}》 ({first.get('doc_id', '')})"] += 1
    if not counts:
        return ["  none"]
    return [f"  {count:>5}× {title}" for title, count in counts.most_common(limit)]


def render(bot: QABot, records: list[Record], top: int = 10, since: str | None = None) -> str:
    """The whole report as text."""
    scope = f" since {since}" if since else ""
    if not records:
        return f"no conversations logged{scope}"
    total = len(records)
    share = sum(answered(r) for r in records) / total
    channels = Counter(r.channel for r in records)
    ups = sum(r.rating == "up" for r in records)
    downs = sum(r.rating == "down" for r in records)
    lines = [
        f"{total} questions{scope} ({records[0].time[:10]} to {records[-1].time[:10]}), "
        f"{share:.0%} answered; rated 👍 {ups}, 👎 {downs}",
        "channels: " + ", ".join(f"{name} {n}" for name, n in channels.most_common()),
        "",
        "Questions per day",
        *per_day(records),
        "",
        "Top unanswered questions",
        questions_report(bot, unanswered(records, miss_threshold(bot)), top),
        "",
        "Rated 👎",
        *rated_down(records, top),
        "",
        "Most-cited documents",
        *cited_documents(records, top),
    ]
    return "\n".join(lines)
