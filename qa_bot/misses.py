"""The unanswered-question log: what users asked that the bot could not (or barely) answer.

Chat adapters append one JSON line per abstention or low-confidence answer; ``qa-bot misses``
groups the lines by wording and suggests what the knowledge folder lacks. Lines are written
whole with one ``os.write`` on a file opened for appending (atomic for lines this short) under
a lock, and synced to disk, so concurrent chats and a crash lose nothing already logged.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

from qa_bot.models import Reply

LOW_CONFIDENCE_MARGIN = 0.15  # answers this close above the abstain threshold are logged too


class MissLog:
    """Appends misses to a JSONL file, safely under concurrent use."""

    def __init__(self, path: Path, abstain_threshold: float) -> None:
        self.path = path
        self.low_confidence = abstain_threshold + LOW_CONFIDENCE_MARGIN
        self._lock = threading.Lock()

    def record(self, session_id: str, reply: Reply) -> None:
        """Log the reply when it abstained or answered with low confidence."""
        if reply.kind in {"help", "source", "clarify"}:
            return
        if reply.answered and reply.confidence >= self.low_confidence:
            return
        entry = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S"),
            "session": session_id,
            "question": reply.question[:500],
            "answered": reply.answered,
            "confidence": reply.confidence,
            "kind": reply.kind,
        }
        line = (json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8")
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
            try:
                os.write(descriptor, line)
                os.fsync(descriptor)
            finally:
                os.close(descriptor)


def read_misses(path: Path) -> list[dict[str, object]]:
    """The logged misses (a torn or invalid line is skipped)."""
    entries = []
    for line in path.read_text("utf-8").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict) and isinstance(entry.get("question"), str):
            entries.append(entry)
    return entries


@dataclass
class MissGroup:
    """Questions worded alike, with the terms the knowledge base lacks."""

    questions: list[str] = field(default_factory=list)
    terms: Counter[str] = field(default_factory=Counter)
    unknown: Counter[str] = field(default_factory=Counter)
    split_pairs: Counter[str] = field(default_factory=Counter)


def group_misses(
    questions: list[str],
    terms_of: Callable[[str], list[str]],
    known: Callable[[str], bool],
    common: Callable[[str], bool],
) -> list[MissGroup]:
    """Greedy grouping: a question joins the first group whose terms it shares half of
    (terms found all over the knowledge base, such as its city's name, do not count)."""
    groups: list[MissGroup] = []
    for question in questions:
        terms: list[str] = terms_of(question)
        bag = {t for t in terms if not common(t) and not t.isdigit()}
        home = None
        for group in groups:
            shared = bag & set(group.terms)
            if bag and len(shared) >= max(1, len(bag) // 2):
                home = group
                break
        if home is None:
            home = MissGroup()
            groups.append(home)
        home.questions.append(question)
        home.terms.update(bag)
        home.unknown.update(t for t in bag if not known(t))
        home.split_pairs.update(a + b for a, b in pairwise(terms) if len(a) <= 2 and len(b) <= 2)
    groups.sort(key=lambda g: -len(g.questions))
    return groups


def report(groups: list[MissGroup], top: int) -> str:
    """The ``qa-bot misses`` listing: the biggest groups, an example each, and suggestions."""
    if not groups:
        return "no unanswered questions logged"
    lines = []
    for number, group in enumerate(groups[:top], start=1):
        lines.append(f"{number}. {len(group.questions)}× “{group.questions[0]}”")
        for other in group.questions[1:3]:
            lines.append(f"     also “{other}”")
        unknown = [t for t, _ in group.unknown.most_common(5)]
        if unknown:
            lines.append(
                f"     not in the knowledge: {'、'.join(unknown)} (add documents, or aliases)"
            )
        pairs = [p for p, n in group.split_pairs.most_common(3) if n >= 2]
        if pairs:
            lines.append(f"     split by jieba: {'、'.join(pairs)} (add to dict/userdict.txt?)")
    return "\n".join(lines)
