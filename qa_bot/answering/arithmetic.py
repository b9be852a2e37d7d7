"""Arithmetic over facts, with the working shown: the sum, difference, ratio or comparison of
the figures a question names, and totals, averages, changes and extremes along a yearly series.

Every function takes facts that hold numbers and returns the answer sentence (or None when the
figures cannot be combined); none looks anything up.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable, Sequence
from typing import Literal

from qa_bot import lexicon
from qa_bot.answering import templates
from qa_bot.answering.facts import Series, number_of
from qa_bot.answering.intent import QType, Question
from qa_bot.answering.operand_phrases import REMAINDER, operation_words
from qa_bot.models import Fact

Operation = Literal["sum", "difference", "ratio", "compare"]
_SUM_JOINERS = {"加上", "加"}
_LONGEST_LABEL = 16  # characters; a longer label is no help in "A比B多"


def fmt(number: float) -> str:
    """A number without a needless ``.0`` and with at most two decimals."""
    rounded = round(number, 2)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:g}"


def value(fact: Fact) -> float:
    """The fact's number (0 when it has none: callers pass numeric facts)."""
    return number_of(fact) or 0.0


def amount(fact: Fact) -> str:
    """The fact's value with its unit."""
    return f"{fact.value}{fact.unit or ''}"


def signed(number: float) -> str:
    """``+55`` or ``-134``."""
    return f"+{fmt(number)}" if number >= 0 else fmt(number)


def operation(question: Question, words: Sequence[str]) -> Operation | None:
    """What a question naming several figures asks to do with them (None: nothing)."""
    text = question.normalised
    if question.qtype == QType.COMPARE or (
        question.qtype == QType.YESNO and lexicon.COMPARISON_CLAIM.search(text)
    ):
        return "compare"
    if lexicon.RATIO.search(text):
        return "ratio"
    if lexicon.ELIMINATED.search(text) or REMAINDER.search(text):
        return "difference"
    if lexicon.asks_sum(text) or _SUM_JOINERS & set(words):
        return "sum"
    if lexicon.DIFFERENCE.search(text) or question.qtype == QType.COMPUTE:
        return "difference"
    return None


def common_unit(facts: Sequence[Fact], asked: str | None) -> str | None:
    """The unit the figures share; figures counted in different classifiers (枚, 个) share
    the one the question counts in (几个奖); None when it names none, or when measures
    differ (家 and 亿元)."""
    units = {f.unit or "" for f in facts}
    if len(units) == 1:
        return units.pop()
    counts = operation_words()["count_units"]
    if units <= counts and asked in counts:
        return asked
    return None


def labels(facts: Sequence[Fact], words: Callable[[str], list[str]]) -> list[str]:
    """What tells the facts apart, for "A比B多": their attributes without the words they
    share (高新技术企业 / 科技型中小企业 of …数量), or their subjects, or their years (the
    2021 and 2020 editions of one forum)."""
    families = {lexicon.YEAR_IN_NAME.sub("", f.subject) for f in facts}
    editions = len(families) == 1 and len({f.subject for f in facts}) == len(facts)
    if editions and all(f.time for f in facts):
        return [templates.time_text(f.time) for f in facts]
    if len({f.subject for f in facts}) == 1:
        keys = [f.attribute for f in facts]
    elif len({f.attribute for f in facts}) == 1:
        keys = [f.subject for f in facts]
    else:
        keys = [f.subject + f.attribute for f in facts]
    split = [words(key) for key in keys]
    while all(len(s) > 1 for s in split) and len({s[0] for s in split}) == 1:
        split = [s[1:] for s in split]
    while all(len(s) > 1 for s in split) and len({s[-1] for s in split}) == 1:
        split = [s[:-1] for s in split]
    found = ["".join(s) for s in split]
    return found if all(len(label) <= _LONGEST_LABEL for label in found) else ["" for _ in found]


def items_text(facts: Sequence[Fact]) -> str:
    """The facts as one clause each; facts of one subject and time share their lead."""
    first = facts[0]
    if len({f.subject for f in facts}) == 1 and len({f.time for f in facts}) == 1:
        lead = templates.metric_statement(
            first.subject, first.attribute, first.value, first.unit or "", first.time
        )
        return "，".join([lead, *(f"{f.attribute}为{amount(f)}" for f in facts[1:])])
    return "；".join(
        templates.metric_statement(f.subject, f.attribute, f.value, f.unit or "", f.time)
        for f in facts
    )


def combine(
    question: Question,
    facts: Sequence[Fact],
    how: Operation,
    words: Callable[[str], list[str]],
) -> str:
    """The answer combining the figures of several facts, with the working."""
    items = items_text(facts)
    unit = common_unit(facts, question.unit)
    if unit is None:
        units = "、".join(dict.fromkeys(f.unit or "无单位" for f in facts))
        verb = {"sum": "相加", "difference": "相减", "ratio": "相除", "compare": "比较"}[how]
        return templates.UNITS_DIFFER.format(items=items, units=units, verb=verb)
    numbers = [value(f) for f in facts]
    names = labels(facts, words)
    if how == "sum":
        working = " + ".join(fmt(n) for n in numbers) + f" = {fmt(sum(numbers))}{unit}"
        return templates.SUM_OF.format(items=items, working=working)
    if how == "ratio" and numbers[1]:
        ratio = fmt(numbers[0] / numbers[1])
        working = f"{fmt(numbers[0])} ÷ {fmt(numbers[1])} ≈ {ratio}"
        return templates.RATIO_OF.format(
            items=items, first=names[0], second=names[1], ratio=ratio, working=working
        )
    if how == "compare":
        return compare_figures(question, facts, numbers, names, items)
    big, small = (0, 1) if numbers[0] >= numbers[1] else (1, 0)
    delta = numbers[big] - numbers[small]
    points = "个百分点" if unit == "%" else unit  # two shares differ by points, not percent
    working = f"{fmt(numbers[big])} − {fmt(numbers[small])} = {fmt(delta)}{points}"
    label = f"{names[big]}比{names[small]}多" if names[big] and names[small] else "相差"
    if combines_figures(question):
        label = "相差"  # 没进决赛的有几个: the part is no "A比B" comparison
    return templates.DIFFERENCE_OF.format(items=items, label=label, working=working)


def compare_figures(
    question: Question,
    facts: Sequence[Fact],
    numbers: list[float],
    names: list[str],
    items: str,
) -> str:
    """Which of the figures is the larger (or smaller, when asked), with the order shown."""
    smaller = bool(lexicon.SMALLER.search(question.normalised))
    order = sorted(range(len(facts)), key=lambda i: numbers[i], reverse=not smaller)
    sign = " < " if smaller else " > "
    working = sign.join(fmt(numbers[i]) for i in order)
    label = names[order[0]] or templates.metric_statement(
        facts[order[0]].subject, facts[order[0]].attribute, "", "", facts[order[0]].time
    ).removesuffix("为")
    degree = "更" if len(facts) == 2 else "最"
    if len(set(numbers)) == 1:
        label, degree, working = (
            "两者" if len(facts) == 2 else "各项",
            "一样",
            working.replace(sign, " = "),
        )
    return templates.COMPARE_OF.format(
        label=label,
        degree=degree,
        direction=direction(question.normalised, smaller),
        items=items,
        working=working,
    )


def direction(text: str, smaller: bool) -> str:
    """The comparative the question uses (多, 大, 高; 少, 小, 低)."""
    choices = "少低小" if smaller else "多高大"
    found = [ch for ch in text.replace("多少", "") if ch in choices]
    return found[-1] if found else choices[0]


def in_range(question: Question, series: Series) -> list[Fact]:
    """The series' dated numeric facts, limited to the asked years or range if any; one year
    asked (2020年增加了多少家) is compared with the year before it in the series."""
    dated = [f for f in series.facts if f.year and number_of(f) is not None]
    if question.year_range:
        start, end = question.year_range
        limited = [f for f in dated if f.year and start <= f.year <= end]
    elif len(question.years) >= 2:
        limited = [f for f in dated if f.year in question.years]
    elif len(question.years) == 1:
        year = question.years[0]
        earlier = [f.year for f in dated if f.year and f.year < year]
        limited = [f for f in dated if f.year in (year, max(earlier, default=year))]
    else:
        limited = dated
    return limited if len(limited) >= 2 else dated


def series_text(facts: Sequence[Fact]) -> str:
    """``2017年142家、2018年197家``."""
    return templates.series_text([(f.time or "", amount(f)) for f in facts])


def extreme(question: Question, dated: list[Fact], statement: str, best: Fact) -> str:
    """The year with the highest (or lowest) value of a series."""
    smaller = bool(lexicon.FEWEST.search(question.normalised))
    return templates.COMPARE.format(
        when=templates.time_text(best.time),
        degree="更" if len(dated) == 2 else "最",
        direction="少" if smaller else "多",
        statement=statement,
        series=series_text(dated),
    )


def extreme_pick(question: Question, dated: list[Fact]) -> Fact:
    """The fact with the highest (or, when asked, lowest) value."""
    pick = min if lexicon.FEWEST.search(question.normalised) else max
    return pick(dated, key=value)


def change_extreme(question: Question, dated: list[Fact], statement: Callable[[Fact], str]) -> str:
    """The year whose value rose (or fell) the most from the year before: 哪一年增加得最多,
    哪一年减少得最多, 哪一年增长最快 (relative change)."""
    text = question.normalised
    steps = list(itertools.pairwise(dated))
    relative = bool(lexicon.FASTEST.search(text))
    falling = bool(lexicon.FALLING.search(text))
    smaller = bool(lexicon.FEWEST.search(text) or "慢" in text)

    def change(step: tuple[Fact, Fact]) -> float:
        before, after = value(step[0]), value(step[1])
        if relative:
            return (after - before) / before if before else 0.0
        return after - before

    before, after = (min if smaller != falling else max)(steps, key=change)
    unit = after.unit or ""
    delta = value(after) - value(before)
    high, low = max(value(after), value(before)), min(value(after), value(before))
    common = {
        "when": templates.time_text(after.time),
        "verb": "增加" if delta >= 0 else "减少",
        "statement": statement(after),
        "before": templates.time_text(before.time),
        "working": f"{fmt(high)} − {fmt(low)} = {fmt(high - low)}{unit}",
    }
    if relative:
        return templates.RATE_MOST.format(
            direction="慢" if smaller else "快",
            rate=fmt(abs(100 * change((before, after)))),
            **(common | {"verb": "增长" if delta >= 0 else "下降"}),
        )
    changes = "、".join(
        f"{templates.time_text(b.time)}{signed(value(b) - value(a))}{unit}" for a, b in steps
    )
    direction = "少" if smaller else "多"
    return templates.CHANGE_MOST.format(direction=direction, changes=changes, **common)


def series_compute(question: Question, series: Series, dated: list[Fact]) -> str:
    """Sum, average, or change between the first and last asked years of a series."""
    first, last = dated[0], dated[-1]
    numbers = [value(f) for f in dated]
    unit = first.unit or ""
    common = {
        "start": templates.time_text(first.time),
        "end": templates.time_text(last.time),
        "subject": series.subject,
        "attribute": series.attribute,
        "unit": unit,
        "series": series_text(dated),
    }
    added = " + ".join(fmt(n) for n in numbers)
    if lexicon.asks_sum(question.normalised):
        working = f"{added} = {fmt(sum(numbers))}{unit}"
        return templates.TOTAL.format(total=fmt(sum(numbers)), working=working, **common)
    if lexicon.AVERAGE.search(question.normalised):
        average = fmt(sum(numbers) / len(numbers))
        working = f"({added}) ÷ {len(numbers)} = {average}{unit}"
        return templates.AVERAGE.format(average=average, working=working, **common)
    big, small = max(numbers[0], numbers[-1]), min(numbers[0], numbers[-1])
    working = f"{fmt(big)} − {fmt(small)} = {fmt(big - small)}{unit}"
    ends = {"first": amount(first), "last": amount(last), "working": working}
    if numbers[-1] >= numbers[0]:
        return templates.DIFFERENCE.format(
            growth=fmt((numbers[-1] - numbers[0]) / numbers[0]) if numbers[0] else "—",
            ratio=fmt(numbers[-1] / numbers[0]) if numbers[0] else "—",
            **ends,
            **common,
        )
    return templates.DECREASE.format(**ends, **common)


def interval(first: Fact, second: Fact, unit: str, statement: Callable[[Fact], str]) -> str:
    """How long passed between two dated facts, in days, months or years."""
    start, end = date_of(first.time or ""), date_of(second.time or "")
    if unit in {"天", "周"}:
        count = (end - start).days / (7 if unit == "周" else 1)
        shown = (templates.time_text(first.time)[5:], templates.time_text(second.time)[5:])
    elif unit == "月":
        count = (end.year - start.year) * 12 + end.month - start.month
        shown = (templates.time_text(first.time)[:8], templates.time_text(second.time)[:8])
    else:
        count = end.year - start.year
        shown = (f"{start.year}年", f"{end.year}年")
    if start.year != end.year and unit in {"天", "周"}:
        shown = (templates.time_text(first.time), templates.time_text(second.time))
    return templates.INTERVAL.format(
        first=statement(first).rstrip("。"),
        second=statement(second).rstrip("。"),
        working=f"{shown[1]} − {shown[0]} = {fmt(count)}{'个月' if unit == '月' else unit}",
    )


def date_of(time: str) -> datetime.date:
    """``2020-12-17`` (or ``2020-12``, ``2020``) as a date, the missing parts being 1."""
    parts = [int(p) for p in time.split("-")] + [1, 1]
    return datetime.date(parts[0], parts[1], parts[2])


def combines_figures(question: Question) -> bool:
    """Whether a how-many question asks a total (一共多少) or what is left of one (没进决赛的
    有几个, 不算…还剩多少): figures of two facts combined, not one looked up."""
    if question.qtype != QType.NUMBER:
        return False
    text = question.normalised
    return lexicon.asks_sum(text) or bool(lexicon.ELIMINATED.search(text) or REMAINDER.search(text))
