"""Dates as texts give them — a year, a month or a day — and the periods and durations
people ask about (2021年一季度, 上半年; 3年8个月, 44个月, 5天).

A date keeps its precision: 2019 is not known to come before or after 2019年5月, and the
time between two months is counted in months, not days.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict

Precision = Literal["year", "month", "day"]
_LEVEL: dict[Precision, int] = {"year": 0, "month": 1, "day": 2}


class EventDate(BaseModel):
    """A date as precise as the text gives it, with the last day of a span if any."""

    model_config = ConfigDict(frozen=True)

    year: int
    month: int | None = None
    day: int | None = None
    end_day: int | None = None

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return "day"
        return "month" if self.month is not None else "year"

    @property
    def key(self) -> tuple[int, int, int]:
        """For sorting: a bare year sorts before the months of that year."""
        return (self.year, self.month or 0, self.day or 0)

    def at(self, level: int) -> tuple[int, ...]:
        """The date cut to ``level`` (0 year, 1 month, 2 day)."""
        return self.key[: level + 1]

    def text(self) -> str:
        """2020年, 2020年12月, 2020年12月13日 or 2020年12月13日—14日."""
        found = f"{self.year}年"
        if self.month is not None:
            found += f"{self.month}月"
        if self.day is not None:
            found += f"{self.day}日"
            if self.end_day is not None:
                found += f"—{self.end_day}日"
        return found

    def time(self) -> str:
        """As a fact's time: 2020, 2020-12 or 2020-12-13."""
        return "-".join(f"{part:02d}" for part in self.key[: _LEVEL[self.precision] + 1])


def date_of(match: re.Match[str]) -> EventDate | None:
    """The date of a ``lexicon.EVENT_DATE`` match; None when it names no real month or day."""
    year, month, day, end = (int(g) if g else None for g in match.groups())
    assert year is not None
    try:
        date(year, month or 1, day or 1)
        if day is not None and end is not None and not day < end <= 31:
            end = None
    except ValueError:
        return None
    return EventDate(year=year, month=month, day=day, end_day=end if day else None)


def parse_time(time: str) -> EventDate:
    """The date of a fact's time (``2020``, ``2020-12``, ``2020-12-13``)."""
    parts = [int(part) for part in time.split("-")]
    return EventDate(**dict(zip(("year", "month", "day"), parts, strict=False)))


@dataclass(frozen=True)
class Period:
    """An inclusive span of months (a year, a quarter, a half, a month, a range of years)."""

    start: tuple[int, int]
    end: tuple[int, int]
    label: str

    @classmethod
    def years(cls, first: int, last: int | None = None) -> Period:
        last = first if last is None else last
        label = f"{first}年" if first == last else f"{first}—{last}年"
        return cls((first, 1), (last, 12), label)

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls((year, month), (year, month), f"{year}年{month}月")

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        names = "一二三四"
        label = f"{year}年第{names[quarter - 1]}季度"
        return cls((year, 3 * quarter - 2), (year, 3 * quarter), label)

    @classmethod
    def half(cls, year: int, first: bool) -> Period:
        label = f"{year}年{'上' if first else '下'}半年"
        return cls((year, 1 if first else 7), (year, 6 if first else 12), label)

    @property
    def whole_years(self) -> bool:
        return self.start[1] == 1 and self.end[1] == 12

    @property
    def one_month(self) -> bool:
        return self.start == self.end

    def holds(self, when: EventDate) -> bool:
        """Whether the date is known to fall in the period (a bare year only in whole years)."""
        if when.month is None:
            return self.whole_years and self.start[0] <= when.year <= self.end[0]
        return self.start <= (when.year, when.month) <= self.end


@dataclass(frozen=True)
class Duration:
    """The time between two dates, as precise as the less precise of them."""

    precision: Precision
    days: int = 0
    months: int = 0
    years: int = 0

    def spoken(self) -> str:
        """As people say it, with how precise it is: 相隔5天, 按月份计约3年8个月（44个月）,
        按年份计约3年."""
        if self.precision == "day":
            if self.days >= 60:
                return f"相隔{self.days}天（约{round(self.days / 30.44)}个月）"
            return f"相隔{self.days}天"
        if self.precision == "year":
            return f"按年份计约{self.years}年"
        years, months = divmod(self.months, 12)
        if not years:
            return f"按月份计约{months}个月"
        spoken = f"{years}年{months}个月" if months else f"{years}年"
        return f"按月份计约{spoken}（{self.months}个月）"


def duration(first: EventDate, second: EventDate) -> Duration:
    """The time from the earlier to the later date, at the precision both dates have."""
    early, late = sorted([first, second], key=lambda d: d.key)
    level = min(_LEVEL[early.precision], _LEVEL[late.precision])
    if level == 2:
        assert early.month and early.day and late.month and late.day
        days = (
            date(late.year, late.month, late.day) - date(early.year, early.month, early.day)
        ).days
        return Duration("day", days=days)
    if level == 1:
        months = (late.year - early.year) * 12 + (late.month or 0) - (early.month or 0)
        return Duration("month", months=months)
    return Duration("year", years=late.year - early.year)


def comparable(first: EventDate, second: EventDate) -> int:
    """-1, 0 or 1: whether ``first`` is before, not known to differ from, or after ``second``."""
    level = min(_LEVEL[first.precision], _LEVEL[second.precision])
    a, b = first.at(level), second.at(level)
    return (a > b) - (a < b)


def weekday(iso: str) -> str:
    """（星期五） for a date with its day (2021-01-08); "" for a month or a year."""
    try:
        day = date.fromisoformat(iso)
    except ValueError:
        return ""
    return f"（星期{'一二三四五六日'[day.weekday()]}）"
