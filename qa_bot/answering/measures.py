"""Measures said by a figure's unit: 50千瓦 gives a 功率, 18平方公里 an 面积."""

from __future__ import annotations

import re
from functools import cache

from qa_bot import lexicon
from qa_bot.answering.operand_phrases import operation_words


@cache
def _measures() -> dict[str, tuple[str, ...]]:
    """Each measure of ``resources/measures.txt`` with its units, as listed (read once)."""
    found = {}
    for line in lexicon.resource_lines("measures"):
        if line.strip() and not line.startswith("#"):
            measure, units = line.split("\t", 1)
            found[measure.strip()] = tuple(units.split())
    return found


@cache
def measure_units() -> dict[str, re.Pattern[str]]:
    """Each measure's pattern of a figure in one of its units."""
    return {
        measure: re.compile(rf"\d(?:[\d.,]*)(?:多|余)?(?:{'|'.join(map(re.escape, units))})")
        for measure, units in _measures().items()
    }


def said_by_unit(measure: str, text: str) -> bool:
    """Whether ``text`` gives the measure (功率) as a figure in one of its units (50千瓦),
    though it may never write the measure's word."""
    pattern = measure_units().get(measure)
    return pattern is not None and pattern.search(text) is not None


@cache
def unit_families() -> dict[str, re.Pattern[str]]:
    """Each unit of a measure, with the pattern of a figure in any unit of a measure that
    lists it (亩 → 平方公里, 平方米, 公顷, 亩: an area may be given in any of them)."""
    units: dict[str, set[str]] = {}
    for listed in _measures().values():
        for unit in listed:
            units.setdefault(unit, set()).update(listed)
    return {unit: _figure_in(family) for unit, family in units.items()}


def _figure_in(units: set[str]) -> re.Pattern[str]:
    """A figure in one of ``units`` (longest first: 平方公里 before 公里)."""
    alternatives = "|".join(map(re.escape, sorted(units, key=len, reverse=True)))
    return re.compile(rf"\d(?:[\d.,]*)(?:多|余)?(?:万|亿)?(?:{alternatives})")


def given_in_unit(unit: str | None, text: str) -> bool | None:
    """Whether ``text`` gives a figure in the asked unit of measure or one of its kind (多少亩
    is not answered by 亩产1603.9公斤); None when the unit is no measure's (家, 个)."""
    pattern = unit_families().get(unit or "")
    return None if pattern is None else pattern.search(text) is not None


_SHARE_WORDS = re.compile(r"占|比重|比例|份额|百分比|比率|之比")


def besides_share_base(focus: str, question: str, text: str) -> str:
    """``text`` (normalised) without where it names ``focus`` only as the base of a share
    (占GDP的比重 measures the part, not the GDP), unless the question (normalised) asks about
    a share itself."""
    if _SHARE_WORDS.search(question):
        return text
    base = rf"占{re.escape(focus)}的?(?:比重|比例|份额|百分比|比率)"
    return re.sub(base, "", text, flags=re.IGNORECASE)


def in_asked_unit(unit: str | None, text: str, counting: bool) -> bool:
    """Whether ``text`` may answer a figure asked in ``unit``: not when it gives figures only
    in another unit's measure (多少亩: not 亩产1603.9公斤) or only counts of another kind
    (几条措施: not 四届八次全会) when ``counting`` things (第几次 asks a rank: 首次)."""
    if given_in_unit(unit, text) is False:
        return False
    return not counting or counted_in_kind(unit, text) is not False


def counted_in_kind(unit: str | None, text: str) -> bool | None:
    """Whether ``text`` counts in the asked counting unit or one counting the same kind of
    thing; None when the unit counts nothing or ``text`` counts nothing."""
    words = operation_words()
    if not unit or unit not in words["count_units"] | words["occasion_units"]:
        return None
    known = words["count_units"] | words["occasion_units"] | words["time_units"]
    given = [
        found.group(2)
        for found in _COUNTED.finditer(text)
        if not (lexicon.YEAR_NUMBER.fullmatch(found.group(1)) and found.group(2) not in known)
    ]  # 2020政府信息化管理创新奖: a year in a name
    if not given or not set(given) <= known:
        return None  # 5領: a unit this list does not know may count the asked things
    return any(not counts_other(unit, u) for u in given)


_COUNTED = re.compile(r"(?<![\d.第/A-Za-z-])(\d+(?:\.\d+)?)(?:多|余)?(个月|[^\W\d_])")


def counts_other(asked: str | None, given: str | None) -> bool:
    """Whether an asked and a given counting unit count different things: occasions (批, 届,
    次) against things (家, 名), two kinds of occasion (批 against 届), or a length of time
    against things (多少个案例 against 11年)."""
    if not asked or not given or asked == given:
        return False
    words = operation_words()
    occasions, times = words["occasion_units"], words["time_units"]
    return asked in occasions or given in occasions or (given in times) != (asked in times)
