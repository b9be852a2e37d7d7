"""Whether a sentence goes on from the one before it or starts something new: what decides
which neighbours an answer sentence takes along (``PassageReader.with_context``)."""

from __future__ import annotations

import re

from qa_bot import lexicon
from qa_bot.sentences import clauses
from qa_bot.text import normalise

_DATED = re.compile(
    r"(?:公元前?)?\d{1,4}年(?:\d{1,2}月)?(?:\d{1,2}[日号])?[，,]|\d{1,2}月\d{1,2}[日号]?[，,]"
)


def dated(sentence: str) -> bool:
    """Whether a sentence opens with its own date (2020年11月，… ; 3月5日，…): a new entry of
    a chronicle, another event than the sentence before."""
    return _DATED.match(normalise(sentence[:12])) is not None


# A photo caption: what the photo shows, then its credit (■张三 摄, 记者 张三 摄, 张三/摄).
_CAPTION = re.compile(r"(?:■|记者|/|／)\s*[\u4e00-\u9fff·]{2,8}\s*[/／]?\s*摄[。.]?$")


def caption(sentence: str) -> bool:
    """Whether a sentence is a photo's caption: complete on its own, never run on into the
    text after it."""
    return _CAPTION.search(normalise(sentence.strip())) is not None


def refers_back(sentence: str) -> bool:
    """Whether a sentence begins with a word that refers to what came before (他, 这, 其 …:
    ``resources/anaphora.txt``), or its first clause points back (这项制度, 该市:
    ``resources/demonstratives.txt``)."""
    start = normalise(sentence[:4])
    if any(start.startswith(word) for word in lexicon.word_list("anaphora")):
        return True
    first = normalise(clauses(sentence)[0]) if sentence.strip() else ""
    return any(word in first for word in lexicon.word_list("demonstratives"))
