"""A follow-up about the figure just answered, with nothing of its own: its rank (在全市排
第几), its change (同比增长了多少) or its share (占GDP多少). It is asked again as the last
question up to its question word, with the follow-up after it (雁峰区的增加值 + 占GDP多少).
"""

from __future__ import annotations

import re

from qa_bot import lexicon
from qa_bot.lexicon import years_in
from qa_bot.tokenizer import Tokenizer

# A rank or a change asked with nothing of its own (在全市排第几, 这个比例排第几, 同比增长了
# 多少) is of the figure just given.
_OF_THE_FIGURE = re.compile(
    r"^(?:那|那么)?(?:这个|那个|这|那)?(?:比例|比重|占比|数字|数据|数值|金额|规模|数量|指标)?"
    r"(?:在|居|位居|排在?)?[^,，]{0,4}?(?:排名?|名列|位列)?第几|同比|增幅|涨幅|增速"
)
# A share asked alone (占GDP多少, 占GDP比重呢; not 占地, an area).
_SHARE = re.compile(r"^(?:那|那么)?(?:它|这个?|那个?)?占(?!地)[^,，]{0,8}?(?:多少|几|百分之|呢)")


def of_the_figure(text: str, tokenizer: Tokenizer) -> bool:
    """Whether the message asks about the figure just answered (在全市排第几, 同比增长了多少):
    a rank or a change, with no name or year of its own."""
    return names_nothing(text, tokenizer) and _OF_THE_FIGURE.search(text) is not None


def share_of_the_figure(text: str, tokenizer: Tokenizer) -> bool:
    """Whether the message asks only what the figure just answered is a share of (占GDP多少,
    占GDP比重呢): asked of that figure even when it ends in 呢, like a fragment."""
    return names_nothing(text, tokenizer) and _SHARE.search(text) is not None


def names_nothing(text: str, tokenizer: Tokenizer) -> bool:
    """Whether the message names no year and no proper noun of its own."""
    return not years_in(text) and not tokenizer.proper_nouns(tokenizer.tags(text))


def asked_head(question: str) -> str:
    """The last question up to what it asked (雁峰区的增加值占GDP几巴仙 → 雁峰区的增加值占GDP)."""
    asked = lexicon.QUESTION_WORD.search(question)
    head = question[: asked.start()] if asked else question
    return re.sub(r"(?:是|有|为|达到?)+$", "", head.strip())
