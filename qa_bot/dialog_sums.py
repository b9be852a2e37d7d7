"""A follow-up adding up the last two answers (这两个加起来多少, 两者一共多少家) after two figure
questions (省级重点实验室多少家 → 省级工程技术研究中心呢): asked again as one question naming
both, "A加上B一共多少", which the fact arithmetic computes with its working shown."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from qa_bot.dialog_changes import FIGURE_ASKED
from qa_bot.text import normalise

if TYPE_CHECKING:
    from qa_bot.dialog import DialogState

_BOTH_ADDED = re.compile(
    r"^(?:那么|那)?(?:这|那)?(?:两|2)(?:个|类|项|者|样|种)?(?:数|数字|数据)?"
    r"(?:加起来|加在一起|合起来|加一块|合计|一共|总共)(?:一共|总共|合计)?(?:是|有)?"
    r"(?:多少|几)([个家项名位所人]?)[?？。]*$"
)
_FRAME = re.compile(r"^(?:截至目前|目前|现在|请问)[,，]?")


def both_added(text: str, state: DialogState) -> str | None:
    """The last two questions' topics added up, when ``text`` asks only for their sum; None
    otherwise."""
    asked = _BOTH_ADDED.match(normalise(text).strip())
    if asked is None or not state.question or not state.earlier_question:
        return None
    first, second = (topic_of(q) for q in (state.earlier_question, state.question))
    if not first or not second or first == second:
        return None
    return f"{first}加上{second}一共多少{asked.group(1)}"


def topic_of(question: str) -> str:
    """A question without its question words and framing (截至目前，衡阳已建成…多少家 →
    衡阳已建成…)."""
    return _FRAME.sub("", FIGURE_ASKED.sub("", normalise(question))).strip("，, ")
