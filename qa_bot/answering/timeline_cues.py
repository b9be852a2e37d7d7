"""Recognising a timeline question: the operation its cue words ask for (最早, 之后, 隔了多久,
哪件最早 …) and the period it names. The cue words are generic Chinese in
``resources/timeline.txt``; a question with none of them costs one regular-expression search.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from qa_bot import lexicon
from qa_bot.dates import Period


class Op(StrEnum):
    """What a timeline question asks for."""

    DURATION = "duration"
    ORDER = "order"
    EARLIEST_OF = "earliest_of"
    LATEST_OF = "latest_of"
    NEXT_MONTH = "next_month"
    PREVIOUS_MONTH = "previous_month"
    AFTER = "after"
    BEFORE = "before"
    COUNT = "count"
    LIST = "list"
    FIRST = "first"
    LAST = "last"


@dataclass(frozen=True)
class Cues:
    """The cue patterns of ``resources/timeline.txt``."""

    ops: tuple[tuple[Op, re.Pattern[str]], ...]
    chronicle: re.Pattern[str]
    chronicle_in: re.Pattern[str]  # with the 里 / 中 after it (大事记里记了…: 里记 is no word)
    ordered: re.Pattern[str]
    first_weak: re.Pattern[str]
    last_weak: re.Pattern[str]
    residue: re.Pattern[str]
    filler: frozenset[str]
    anything: re.Pattern[str]  # any cue at all: the quick test


@cache
def cues() -> Cues:
    """The cue patterns (read once)."""
    found: dict[str, str] = {}
    for line in lexicon.resource_lines("timeline"):
        if line.strip() and not line.startswith("#"):
            name, pattern = line.split("\t", 1)
            found[name.strip()] = pattern.strip()
    ops = tuple((op, re.compile(found[op.value])) for op in Op)
    every = "|".join(f"(?:{p})" for n, p in found.items() if n not in {"filler", "residue"})
    return Cues(
        ops=ops,
        chronicle=re.compile(found["chronicle"]),
        chronicle_in=re.compile(f"(?:{found['chronicle']})(?:里面|当中|里|中|上)?"),
        ordered=re.compile(found["ordered"]),
        first_weak=re.compile(found["first_weak"]),
        last_weak=re.compile(found["last_weak"]),
        residue=re.compile(found["residue"]),
        filler=frozenset(found["filler"].split()),
        anything=re.compile(every),
    )


def operation(text: str) -> Op | None:
    """The timeline operation a normalised question asks for; None for any other question."""
    rules = cues()
    if not rules.anything.search(text):
        return None
    for op, pattern in rules.ops:
        if pattern.search(text):
            return op
    if rules.ordered.search(text):
        if re.search("之后|以后", text):
            return Op.AFTER
        if re.search("之前|以前", text):
            return Op.BEFORE
    if rules.chronicle.search(text):
        if rules.first_weak.search(text):
            return Op.FIRST
        if rules.last_weak.search(text):
            return Op.LAST
    return None


def period_in(text: str) -> Period | None:
    """The one period a text names: a quarter, a half, a month, a range or a single year."""
    if match := lexicon.QUARTER.search(text):
        quarter = match.group(2)
        number = int(quarter) if quarter.isdigit() else "一二三四".index(quarter) + 1
        return Period.quarter(int(match.group(1)), number)
    if match := lexicon.HALF_YEAR.search(text):
        return Period.half(int(match.group(1)), match.group(2) == "上")
    if any(not 1 <= int(m) <= 12 for _, m in lexicon.YEAR_MONTH.findall(text)):
        return None  # 2021年13月 names no period
    times = times_in(text)
    if match := lexicon.YEAR_RANGE.search(text):
        start, end = int(match.group(1)), int(match.group(2))
        if start < end:
            return Period.years(start, end)
    return times[0] if len(times) == 1 else None


def times_in(text: str) -> list[Period]:
    """Each year-month, or else each year, the text names, in order."""
    months = [
        Period.month(int(y), int(m))
        for y, m in lexicon.YEAR_MONTH.findall(text)
        if 1 <= int(m) <= 12
    ]
    return months or [Period.years(y) for y in lexicon.years_in(text)]
