"""Places asked by what they are.

A venue asked by its kind (在哪个场馆开的, 会场设在哪儿, 在什么酒店办的) is answered only by a
sentence that names a building or site, a name ending in a venue word (国际会展中心, 南岳大酒店,
青山小学). A sentence that says only that the event took place, or in which city, is about
the event and not where in that city it was: a near miss. So is a sentence that never says the
headquarters (总部) or registered seat (注册地) a question asks. The words are generic Chinese, in
``resources/focus.txt`` (``venue_asked``, ``venue_suffix``, ``place_attribute``).
"""

from __future__ import annotations

import re
from functools import cache

from qa_bot.answering.analysis import alternation, focus_words
from qa_bot.answering.answer_types import AnswerType
from qa_bot.answering.intent import Question


@cache
def _venue_asked() -> re.Pattern[str]:
    kinds = alternation("venue_asked")
    return re.compile(rf"(?:哪|什么)一?[个家座所]?(?:{kinds})|(?:{kinds})(?:在|是|设在)(?:哪|什么)")


@cache
def _venue_named() -> re.Pattern[str]:
    return re.compile(rf"[\u4e00-\u9fffA-Za-z0-9]{{1,10}}?(?:{alternation('venue_suffix')})")


def venue_unnamed(question: Question, sentence: str) -> bool:
    """Whether the question asks a venue by its kind and the sentence names no venue that the
    question does not name itself."""
    if not _venue_asked().search(question.normalised):
        return False
    named = (m.group(0) for m in _venue_named().finditer(sentence))
    return all(name in question.normalised for name in named)


def place_attribute_unsaid(question: Question, sentence: str) -> bool:
    """Whether a where-question asks a place that is something of its subject (总部, 注册地)
    and the sentence never names that: any place it names is where something else is."""
    if question.expected != AnswerType.PLACE:
        return False
    asked = [word for word in focus_words()["place_attribute"] if word in question.normalised]
    return bool(asked) and not any(word in sentence for word in asked)
