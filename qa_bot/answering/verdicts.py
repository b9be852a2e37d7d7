"""A verdict on a yes/no question, worded as the question asks.

是的 / 不是 answer a plain claim; 有 / 没有 a question about having something (有没有…); a
negated claim (是不是还没有通过?) gets the facts alone, as 是 / 不是 would read backwards; and
a check whether a claim is wrong (是不是写错了, 报道有误吗) gets 有误 / 没有写错.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from qa_bot import lexicon
from qa_bot.answering import templates
from qa_bot.answering.intent import Question
from qa_bot.models import Fact
from qa_bot.sentences import as_sentence
from qa_bot.text import normalise


@dataclass(frozen=True)
class Verdict:
    """Whether the claim holds (None: the knowledge cannot decide) and the reply."""

    holds: bool | None
    answer: str
    facts: list[Fact] = field(default_factory=list)
    answered: bool = True  # False: the knowledge cannot decide, and says so


_VERDICT_WORD = re.compile(r"^(是的|不是|没有)[。，]")
_YES = re.compile(r"^是的(?=。)")


def as_asked(question: Question, verdict: Verdict) -> Verdict:
    """A verdict worded as the question asks: 有 to 有没有 (as 没有 already answers it no), and
    for a negated question (是不是还没有通过?), which would read backwards, the facts without
    the 是的 / 不是."""
    if verdict.holds is None:
        return verdict
    if not lexicon.NEGATED_CLAIM.search(question.normalised):
        if verdict.holds and lexicon.HAVE_QUESTION.search(question.normalised):
            return Verdict(True, _YES.sub(templates.HAVE, verdict.answer, count=1), verdict.facts)
        return verdict
    return Verdict(None, _VERDICT_WORD.sub("", verdict.answer), verdict.facts)


def verdict_on(question: Question, holds: bool, statement: str, facts: list[Fact]) -> Verdict:
    """是的 or 不是 (or 没有), then the statement as a sentence, worded as the question asks."""
    said = template_for(question, holds).format(statement=as_sentence(statement))
    return as_asked(question, Verdict(holds, said, facts))


def template_for(question: Question, holds: bool) -> str:
    """The template of a verdict: 是的 when the claim holds, else 不是 (or 没有)."""
    return templates.YES if holds else negative(question)


def worded_for_errors(raw: str, answer: str) -> str:
    """A verdict to a check whether a claim is wrong (是不是写错了, 报道有误吗) begins 有误 or
    没有写错: 不是 / 是的 would read the other way round."""
    if not lexicon.ERROR_ASKED.search(normalise(raw)):
        return answer
    return _YES_NO.sub(
        lambda m: templates.NOT_WRONG if m.group(1) == "是的" else templates.IS_WRONG,
        answer,
        count=1,
    )


_YES_NO = re.compile(r"^(是的|不是)。")


def negative(question: Question) -> str:
    """The template of a 'no': 没有 for a question about having something, else 不是."""
    return templates.NO_HAVE if lexicon.HAVE_QUESTION.search(question.normalised) else templates.NO
