"""What a sentence earns, beyond its coverage, for looking like an answer: the kind of thing
asked for (a figure for how many, a date for when …), the figure a yes/no question claims
in its unit, and the asked year (other years cost a little)."""

from __future__ import annotations

import re

from qa_bot import lexicon
from qa_bot.answering.intent import QType, Question
from qa_bot.text import normalise, to_simplified
from qa_bot.weights import ScoringWeights

_TYPE_EVIDENCE = {
    QType.NUMBER: lexicon.QUANTITY_EVIDENCE,
    QType.COMPUTE: lexicon.DIGIT,
    QType.COMPARE: lexicon.SUPERLATIVE_EVIDENCE,
    QType.DATE: lexicon.DATE_EVIDENCE,
    QType.WHO: lexicon.AGENT_EVIDENCE,
    QType.WHERE: lexicon.PLACE_EVIDENCE,
    QType.LIST: lexicon.ENUMERATION,
}


def lacks_quantity(question: Question, sentence: str) -> bool:
    """A how-many question whose sentence holds no figure (dates aside) is not answered. A
    figure in Chinese numerals written in traditional characters (二十五歲, 一個心室) is one
    too; the sentence is only simplified, not turned into digits, where 嫦娥五号 is a name."""
    if question.qtype not in {QType.NUMBER, QType.COMPUTE}:
        return False
    return not lexicon.QUANTITY.search(to_simplified(sentence))


def type_bonus(question: Question, text: str, weights: ScoringWeights) -> float:
    """Prefer text that has the kind of thing asked for and the year asked about."""
    bonus = 0.0
    pattern = _TYPE_EVIDENCE.get(question.qtype)
    if pattern is not None and pattern.search(text):
        bonus += weights.type_bonus
    if question.qtype == QType.YESNO and states_claimed_unit(question, text):
        bonus += weights.answer_type_bonus  # 有50个项目进了决赛吗: the sentence with 31个项目
    if question.years:
        named = lexicon.year_numbers(text)
        if named & set(question.years):
            bonus += weights.year_bonus
        elif named:
            bonus -= weights.other_year_penalty
    return bonus


def states_claimed_unit(question: Question, text: str) -> bool:
    """Whether ``text`` gives a figure in a unit a yes/no question claims a figure in."""
    units = {m.group(2) for m in lexicon.ASKED_FIGURE.finditer(question.normalised)}
    return any(re.search(rf"\d{re.escape(unit)}", normalise(text)) for unit in units)
