"""A follow-up that asks only how much the last figure changed (多了多少家？, 比上年涨了多少):
asked again as a change between the two years the dialog went through, which the fact
series computes (2020年到2021年…多了多少家); growth over the year before (同比增长了多少) as
that year's growth, which a text may state (同比增长53%) and the series computes if not."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from qa_bot.lexicon import YEAR_WORD
from qa_bot.text import normalise

if TYPE_CHECKING:
    from qa_bot.dialog import DialogState

_LEAD = (
    r"^(?:那么|那)?(?:比上一?年|比前一年|比去年|同比|跟上一?年比|跟前一年比|比\d{4}年"
    r"|(?:这|那)?(?:两|2)年(?:之间|间|里|中|来)?)?[，,]?"  # 两年之间: the two years just asked
)
_CHANGE_ONLY = re.compile(
    _LEAD + r"(?:一共|总共)?(?:多|少|增加|增长|涨|减少|降|下降|上升)了?(?:多少|几)"
    r"[个家项名位人所]?[?？。]*$"
)
"""A follow-up asking only how much a figure changed (多了多少家？, 比上年涨了多少)."""
_THAN_YEAR = re.compile(r"^(?:那么|那)?比(\d{4})年")
FIGURE_ASKED = re.compile(r"(?:有|是|为|达到?)?(?:多少|几)[个家项名位人所]?|[?？。]+$")
"""How a question asks for a figure (有多少家, 是几个): taken out to leave its topic."""


def changed_since(text: str, state: DialogState) -> str | None:
    """The last question asked as a change: between the two years the dialog asked about
    (2020年, then 第二年: 2020年到2021年…多了多少家), or from the year before the last one's;
    None when ``text`` asks no bare change or the dialog has no dated figure question."""
    if not _CHANGE_ONLY.match(text) or not state.question or not state.years:
        return None
    topic = FIGURE_ASKED.sub("", YEAR_WORD.sub("", normalise(state.question))).strip("，, ")
    year = state.years[0]
    before = state.earlier_years[0] if state.earlier_years else year - 1
    named = _THAN_YEAR.match(text)  # 比2017年多了多少: the change from that year
    before = int(named.group(1)) if named else before
    if not topic or before == year:
        return None
    if "同比" in text and before == year - 1:  # a stated 同比增长53% may answer it
        return f"{year}年{topic}{text}"
    first, last = sorted((before, year))
    return f"{first}年到{last}年{topic}{re.sub(_LEAD, '', text)}"
