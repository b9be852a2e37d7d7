"""Which occasion a text is about: the ordinal of a series (第一届, 第6届, 首次, 四届九次全会).

第一届 and 第六届 of a contest are different events: a text about the sixth answers nothing
about the first, whatever the question asks of it, and a claim of the wrong ordinal (第二次入选
against 首次入选) is corrected. Generic Chinese: numbers are digits once normalised, except
第一, which normalising keeps (it also means "first place").
"""

from __future__ import annotations

import re
from collections.abc import Set

from qa_bot.answering.intent import Question, contradicts
from qa_bot.models import Fact
from qa_bot.text import normalise

# An ordinal of occasions or batches: 第2次 / 首次 / 第3届 / 首批 / 再次 (digits: the text is
# normalised).
_ORDINAL = re.compile(r"(?:第(\d+|一)|(首)|(再))(次|届|批|期)")  # normalise keeps 第一 (first)
_SESSION = re.compile(r"(\d+)届(\d+)(?:次|中)")  # 4届9次全会, 19届6中全会: a numbered session


def other_ordinal(question: Question, text: str) -> bool:
    """Whether the question names an occasion's ordinal (第2次入选, 第一届大赛) that the text
    gives as another one of the same unit (首次入选, 第6届大赛) and never as the asked one:
    the text is then about another occasion, whatever the question asks of it."""
    claimed = _ordinals(question.normalised)
    if not claimed:
        return False  # most questions name none: the text need not be normalised
    said = _ordinals(normalise(text))
    units = {unit for _, unit in claimed}
    return not claimed & said and any(unit in units for _, unit in said)


_COUNTED = re.compile(r"(?<![第\d])\d+(批|届|期)")


def one_of_counted(question: Question, text: str) -> bool:
    """Whether the question asks one occasion (第一批) of those the text only counts (共申报2批):
    a figure the text gives for all of them together is none of one of them."""
    claimed = _ordinals(question.normalised)
    if not claimed:
        return False
    written = normalise(text)
    counted = {m.group(1) for m in _COUNTED.finditer(written)}
    return not claimed & _ordinals(written) and bool(counted & {unit for _, unit in claimed})


def other_occasion(question: Question, asked: Set[str], words: Set[str], fact: Fact) -> bool:
    """Whether a fact (its ``words``) is about another thing than the one asked: a word
    excludes one of the question's ``asked`` words (省级 for 国家), or its evidence is of
    another occasion (第4届 for 第三届)."""
    said = f"{fact.subject} {fact.attribute} {fact.evidence}"
    return contradicts(asked, words) or other_ordinal(question, said)


def _ordinals(text: str) -> set[tuple[int, str]]:
    """The occasions' ordinals of ``text``, a numbered session (四届九次全会) among them."""
    found = {_ordinal(m) for m in _ORDINAL.finditer(text)}
    sessions = {(int(m.group(1)) * 1000 + int(m.group(2)), "届") for m in _SESSION.finditer(text)}
    return found | sessions


def _ordinal(match: re.Match[str]) -> tuple[int, str]:
    """(number, unit) of an ordinal match; 首 is the first, 再 taken as the second."""
    written = match.group(1)
    number = 1 if match.group(2) or written == "一" else 2 if match.group(3) else int(written)
    return (number, match.group(4))


_LATER = re.compile(r"第([2-9]|\d{2,})(?:个|家|所|座|项|位)")  # 第2个获批: there was a first


def later_than_sole(question: Question, sentence: str) -> bool:
    """Whether the question claims a second or later one (第二个获批的) where the sentence
    says it is the only one (唯一一个获批): then there was no first before it."""
    return _LATER.search(question.normalised) is not None and "唯一" in normalise(sentence)
