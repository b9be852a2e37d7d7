"""A venue asked by its kind (在哪个场馆开的, 会场设在哪儿, 在什么酒店办的) is answered only by a
sentence that names a building or site, a name ending in a venue word (国际会展中心, 南岳大酒店,
青山小学). A sentence that says only that the event took place, or in which city, is about
the event and not where in that city it was: a near miss. The words are generic Chinese, in
``resources/focus.txt`` (``venue_asked``, ``venue_suffix``).
"""

from __future__ import annotations

import re
from functools import cache

from qa_bot.answering.analysis import alternation
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
