"""Where a fact's evidence sits in its document, and the sentence that states the fact."""

from __future__ import annotations

import re
from collections.abc import Sequence

from qa_bot.answering import templates
from qa_bot.models import Fact, Passage
from qa_bot.sentences import as_sentence, sentences

_IT = re.compile(r"^它们?(?=[\u4e00-\u9fff])")  # 它是全国首座…: the subject goes in its place


def locate(passages: Sequence[Passage], fact: Fact, longest: int) -> tuple[Passage | None, str]:
    """The passage holding the fact's evidence, and the sentence that states the fact.

    That is the document's sentence around the evidence; when it is long, just the clauses
    of the evidence, with the subject (or, for an event, the time) put in front if missing.
    """
    passage, text = around(passages, fact)
    if passage is None or len(text) > longest:
        text = complete(fact)
    return passage, as_sentence(text)


def whole_sentence(passages: Sequence[Passage], fact: Fact) -> str:
    """The document's sentence(s) around the fact's evidence, however long ("" if not found):
    a claim may be checked against what the rest of the sentence says (申报数是2019年的两倍)."""
    return around(passages, fact)[1]


def around(passages: Sequence[Passage], fact: Fact) -> tuple[Passage | None, str]:
    """The passage holding the fact's evidence and its sentence(s) overlapping the evidence
    (None and "" when no passage of the fact's document holds it)."""
    for passage in passages:
        start = passage.text.find(fact.evidence) if passage.doc_id == fact.doc else -1
        if start >= 0:
            found = [s for s in sentences(passage.text) if overlaps(passage.text, s, start, fact)]
            return passage, "".join(found)
    return None, ""


def complete(fact: Fact) -> str:
    """The evidence, led by the fact's time (events) or subject (others) when it lacks it; a
    leading 它 is the subject, so the subject takes its place."""
    text = fact.evidence.strip("，。")
    when = templates.time_text(fact.time)
    if fact.kind == "event" and when and not text.startswith(when[:5]):
        return f"{when}，{text}"
    if fact.kind != "event" and fact.subject not in text:
        return f"{fact.subject}{_IT.sub('', text)}"
    return text


def overlaps(text: str, sentence: str, start: int, fact: Fact) -> bool:
    """Whether ``sentence`` (a sentence of ``text``) overlaps the evidence span."""
    begin = text.find(sentence)
    return begin < start + len(fact.evidence) and start < begin + len(sentence)
