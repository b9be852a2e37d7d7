"""The expected answer type: what kind of thing a question asks for (a person, a date, a count
in 家 …), from generic Chinese question words in ``resources/answer_types.txt``."""

from __future__ import annotations

import re
from enum import StrEnum
from functools import cache

from qa_bot import lexicon


class AnswerType(StrEnum):
    """Kinds of answers, from the most specific question words to the most general."""

    YESNO = "yesno"
    DURATION = "duration"
    ORGANISATION = "organisation"
    PERSON = "person"
    PLACE = "place"
    YEAR = "year"
    MONTH = "month"
    DAY = "day"
    DATE = "date"
    PERCENT = "percent"
    AMOUNT = "amount"
    RANK = "rank"
    COUNT = "count"
    NUMBER = "number"
    NAME = "name"
    LIST = "list"
    REASON = "reason"
    WAY = "way"
    DESCRIPTION = "description"


DATES = frozenset({AnswerType.YEAR, AnswerType.MONTH, AnswerType.DAY, AnswerType.DATE})
FIGURES = frozenset(
    {AnswerType.PERCENT, AnswerType.AMOUNT, AnswerType.COUNT, AnswerType.NUMBER, AnswerType.RANK}
)
ENTITIES = frozenset({AnswerType.PERSON, AnswerType.ORGANISATION, AnswerType.PLACE})
DURATIONS = frozenset({AnswerType.DURATION})
CAUSES = frozenset({AnswerType.REASON, AnswerType.WAY})
# Types whose spans a text shows reliably (a date, a figure): an answer without one is no answer.
STRICT = DATES | FIGURES | DURATIONS
# Types checked for ranking only: names of people and bodies are found less reliably.
TYPED = STRICT | ENTITIES | frozenset({AnswerType.NAME})


@cache
def rules() -> tuple[tuple[AnswerType, re.Pattern[str]], ...]:
    """The (type, pattern) lines of the resource file, in order (read once)."""
    found = []
    for line in lexicon.resource_lines("answer_types"):
        if not line.strip() or line.startswith("#"):
            continue
        name, pattern = line.split("\t", 1)
        pattern = pattern.strip().replace("UNITS", lexicon.ASKED_UNITS)
        found.append((AnswerType(name.strip()), re.compile(pattern, re.IGNORECASE)))
    return tuple(found)


def expected_type(normalised: str) -> AnswerType | None:
    """The kind of answer the question asks for; None when no question word says it."""
    for answer_type, pattern in rules():
        if pattern.search(normalised):
            return answer_type
    return None
