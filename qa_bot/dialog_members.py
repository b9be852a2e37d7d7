"""A follow-up asking who or which they are (都有谁, 分别是哪些) after a how-many question
(来了几位院士): it asks for the members of the set just counted, so the last question is asked
again with 哪些 in place of its count (…来了哪些院士)."""

from __future__ import annotations

import re

from qa_bot.text import normalise

_WHO_THEY_ARE = re.compile(
    r"^(?:那么|那)?(?:他们|它们|这些)?(?:都|分别|具体)?(?:有|是)?(?:都)?"
    r"(?:谁|哪些|哪几[位个家项所名座])(?:呢|啊|呀)?[?？。]*$"
)
_COUNT_ASKED = re.compile(r"(?:有)?(?:多少|几)[位个家项所名座人]?")


def members_asked(text: str, last_question: str | None) -> str | None:
    """The last question asking which members its count counted, when ``text`` asks only who
    or which they are; None otherwise."""
    if not last_question or not _WHO_THEY_ARE.match(normalise(text).strip()):
        return None
    asked = normalise(last_question)
    if not _COUNT_ASKED.search(asked):
        return None
    return _COUNT_ASKED.sub("哪些", asked, count=1)
