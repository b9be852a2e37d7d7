"""Measures said by a figure's unit: 50千瓦 gives a 功率, 18平方公里 an 面积."""

from __future__ import annotations

import re
from functools import cache

from qa_bot import lexicon


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
