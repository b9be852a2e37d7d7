"""Growth over the year before (2020年高新技术企业同比增长了多少, 比上年多了多少家) is the
change between that year and the one before (2019年到2020年…增长了多少), which the fact series
computes. A text may state a 同比 growth itself (同比增长53%): a question saying 同比 is tried
as written first, and computed when nothing states it; 比上年多了多少家 is computed first."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar

from qa_bot.lexicon import FULL_YEAR, years_in

T = TypeVar("T")

_OVER_LAST_YEAR = re.compile(
    r"同比|比上一?年|比去年|比前一年|较上一?年|较去年|(?:跟|和|与)(?:上一?年|去年|前一年)(?:相比|比)?"
)
_CHANGE_ASKED = re.compile(r"(?:增长|增加|多|涨|上涨|提高|上升|减少|下降|降|少)了?(?:多少|几)")


def as_change_between_years(text: str) -> str | None:
    """``text`` (standardised) asked as the change from the year before to the one year it
    names, or None when it asks no growth over the year before of one year."""
    years = years_in(text)
    if len(years) != 1 or not _OVER_LAST_YEAR.search(text) or not _CHANGE_ASKED.search(text):
        return None
    rest = _OVER_LAST_YEAR.sub("", FULL_YEAR.sub("", text, count=1)).strip("，, ")
    return f"{years[0] - 1}年到{years[0]}年{rest}"


def in_order(asked: T, text: str, worded: Callable[[str], T]) -> list[T]:
    """The question (``asked``, ``text`` standardised) and, for a growth over the year before,
    the same as a change between years (``worded`` from its text), in the order to try them:
    a stated figure first when ``text`` says 同比, the computed change first otherwise."""
    between = as_change_between_years(text)
    if between is None:
        return [asked]
    return [asked, worded(between)] if "同比" in text else [worded(between), asked]
