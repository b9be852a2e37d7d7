"""A follow-up that goes on about the last question without pointing back to it (湖南还有哪个
城市同时被确认 after 衡阳是什么时候被确认为…试点城市的): it names too little to be answered
alone, and says so by 还有, 同时, 另外 or 也. When it finds no answer alone, it is asked again
with the last question's words beside it, which say what it is about."""

from __future__ import annotations

import re

from qa_bot import lexicon
from qa_bot.text import normalise

CARRIED_FLOOR = 0.6
"""The confidence an answer found with the last question's words must reach: they guess at
the topic, so a weak sentence sharing a place name (湖南) with both is no answer."""
_GOES_ON = re.compile(r"还有(?!呢)|同时|另外|另一|其他|其余|也|又")
"""Words by which a question goes on about what was just asked (还有呢，… opens a new one)."""
_QUESTION_WORDS = re.compile(
    r"(?:是)?(?:什么时候|何时|哪一?年|哪一?天|哪里|哪儿|哪个|哪些|哪|谁|多少|几|什么|怎么|如何|为什么)"
    r"|[吗呢呀啊]|[?？。!！]"
)


def carried_over(text: str, last_question: str | None) -> str | None:
    """``text`` with the last question's words after it (its question words taken out), when
    ``text`` says it goes on about it; else None."""
    said = normalise(text)
    if not last_question or not _GOES_ON.search(said):
        return None
    topic = _QUESTION_WORDS.sub("", normalise(last_question)).strip("，, ")
    if lexicon.TIME_WORD.search(said):  # 2020年的产值又是多少: not the last 2019
        topic = lexicon.TIME_WORD.sub("", topic).strip("，, ")
    return f"{text.rstrip('?？。 ')}，{topic}？" if topic else None
