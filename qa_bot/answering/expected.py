"""Whether a fact can answer what was asked: a year question needs a dated fact, an amount
question a sum of money, a question about 学生 a fact about 学生 (the asked focus)."""

from __future__ import annotations

from qa_bot.answering import templates
from qa_bot.answering.answer_types import DATES, ENTITIES, AnswerType
from qa_bot.answering.candidates import CandidateFinder
from qa_bot.answering.intent import QType, Question
from qa_bot.answering.terms import TermScorer
from qa_bot.models import Fact
from qa_bot.text import normalise

_SERIES_QUESTIONS = {QType.COMPARE, QType.COMPUTE}
_NOT_FIGURES = ENTITIES | {AnswerType.NAME, AnswerType.LIST}


class ExpectedFit:
    """Checks a fact against the question's expected answer type and focus."""

    def __init__(self, scorer: TermScorer) -> None:
        self.scorer = scorer
        self.finder = CandidateFinder(scorer.tokenizer)

    def fits(self, question: Question, fact: Fact) -> bool:
        """False when the fact plainly cannot be the answer (a figure for a date question,
        a count for an amount question, a fact that never names the asked focus)."""
        if question.qtype in _SERIES_QUESTIONS:
            return True  # comparisons and arithmetic work on the series, checked there
        value = normalise(f"{fact.value}{fact.unit or ''}")
        expected = question.expected
        if expected in _NOT_FIGURES and fact.kind == "metric":
            return False  # a count names no one, no body, no place, no list of things
        if expected in DATES:
            when = templates.time_text(fact.time) if fact.time else value
            if not self.tells_date(question, when):
                return False
            if not fact.time:
                return True  # the value is the date: nothing more to check
        if expected == AnswerType.AMOUNT:
            return bool(self.finder.spans(value, AnswerType.AMOUNT))
        # The asked role counts only when the knowledge uses its word: one it never uses may
        # still be the fact's, written otherwise.
        role = question.role if question.role in self.scorer.idf else None
        asked = [term for term in (question.focus, role) if term is not None]
        if asked:
            about = self.scorer.terms(
                f"{fact.subject} {fact.attribute} {fact.value} {' '.join(fact.qualifiers)}"
            )
            evidence = self.scorer.terms(fact.evidence)
            return all(self.scorer.names(term, about | evidence) for term in asked)
        return True

    def tells_date(self, question: Question, when: str) -> bool:
        """Whether ``when`` says the date the question asks for and does not state: the day
        for 几号 / 哪天, the month for 几月, a date not all in the question for the rest
        (2021年1月 does not answer 2021年1月几号)."""
        kind = {AnswerType.DAY: AnswerType.DAY, AnswerType.MONTH: AnswerType.MONTH}
        wanted = kind.get(question.expected or AnswerType.DATE, AnswerType.DATE)
        return bool(self.finder.new_spans(normalise(when), wanted, question.normalised))
