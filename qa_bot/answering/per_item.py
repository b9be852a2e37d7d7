"""Averages per item (平均每个项目投资多少, 摊下来一个项目多少钱): a total divided by the count of
the things it is the total of, when one sentence states both (总投资达533亿元的102个项目).

The share is computed, with its working shown, never looked up; a question about an average
over years (平均每年) is the series' business (``arithmetic``), not this one's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from qa_bot.answering import templates
from qa_bot.answering.arithmetic import amount, fmt, value
from qa_bot.answering.fact_answer import FactAnswer
from qa_bot.answering.facts import FactMatch
from qa_bot.answering.intent import Question
from qa_bot.models import Fact

_PER_ITEM = re.compile(
    r"(?:平均|摊)(?:下来|到|算下来)?[,，]?(?:每|一)一?(个|家|项|所|名|位|人|台|座|件|场)"
    r"(?!月|年|天|日|周|星期|季度|小时)"  # 平均每个月 is over time, not per item
    r"([\u4e00-\u9fff]{2})?"  # the item (每个项目), named when the count's attribute says it
)
_PEOPLE = {"人", "名", "位"}  # one person, however counted
_TRIED = 3  # best-matching facts whose sentence is searched for a total and its count


def per_item_unit(question: Question) -> tuple[str, str] | None:
    """The classifier and the noun of the item a question averages over (平均每个项目 → 个,
    项目), if it asks."""
    match = _PER_ITEM.search(question.normalised)
    return (match.group(1), match.group(2) or "") if match else None


def per_item(
    question: Question,
    about: Sequence[FactMatch],
    facts: Sequence[Fact],
    statement: Callable[[Fact], str],
) -> FactAnswer | None:
    """The average per item, from a total and a count that the same sentence states of the
    fact the question best matches; None when the question asks no such average or no
    sentence states both."""
    asked = per_item_unit(question)
    if asked is None:
        return None
    unit, noun = asked
    for match in about[:_TRIED]:
        stated = [f for f in facts if f.evidence == match.fact.evidence and f.kind == "metric"]
        counts = [f for f in stated if counted_in(f, unit) and value(f)]
        totals = [f for f in stated if f.unit and not counted_in(f, unit)]
        if counts and totals:
            total, count = totals[0], counts[0]
            item = unit + (noun if noun in count.attribute else "")
            average = f"{fmt(value(total) / value(count))}{total.unit}"
            working = f"{fmt(value(total))} ÷ {fmt(value(count))} ≈ {average}"
            answer = templates.PER_ITEM.format(
                statement=statement(total), count=amount(count), item=item, average=average
            )
            return FactAnswer("compute", f"{answer}（{working}）。", [total, count], match.score)
    return None


def counted_in(fact: Fact, unit: str) -> bool:
    """Whether the fact counts items in ``unit`` (名 and 人 both count people)."""
    return fact.unit == unit or (unit in _PEOPLE and fact.unit in _PEOPLE)
