"""Comparisons and computations along one series of dated figures: the year with the most,
the biggest change, or the total, average or change over the asked years."""

from __future__ import annotations

from collections.abc import Callable

from qa_bot import lexicon
from qa_bot.answering import arithmetic, templates
from qa_bot.answering.fact_answer import FactAnswer
from qa_bot.answering.facts import FactMatch, FactSearch, Series, number_of
from qa_bot.answering.intent import QType, Question
from qa_bot.answering.operand_phrases import operation_words
from qa_bot.models import Fact


class SeriesAnswerer:
    """Answers a comparison or computation from the series the best matches belong to."""

    def __init__(self, search: FactSearch, min_score: float, statement: Callable[[Fact], str]):
        self.search = search
        self.min_score = min_score
        self.statement = statement

    def run(
        self, question: Question, near: list[FactMatch], matches: list[FactMatch]
    ) -> FactAnswer | None:
        """The answer along the best series, or None when no match has one with two years,
        or when the best fact is itself the asked change of the one year asked (2020年净增了
        多少: the 净增 figure, not a change between two years' 净增)."""
        if stored_change(question, near[0].fact):
            return None
        series = self.numeric_series(question, self.series_pool(question, near, matches))
        if series is None:
            return None
        return self.over_series(question, series, matches[0].score)

    def series_pool(
        self, question: Question, near: list[FactMatch], matches: list[FactMatch]
    ) -> list[FactMatch]:
        """Where to look for the series of a comparison or computation: the near-tied
        matches, or every good one when several years are asked (2020年是2017年的几倍)."""
        several_years = question.year_range is not None or len(question.years) >= 2
        if several_years:
            return [m for m in matches if m.score >= self.min_score]
        return near if question.qtype == QType.COMPARE else near[:1]

    def numeric_series(self, question: Question, pool: list[FactMatch]) -> Series | None:
        """The best-matching series with at least two dated numeric facts, preferring one
        that has two of the asked years; when two years are named (2020年是2019年的几倍),
        only one that has both: other years would answer another question. One year named
        (2022年涨了多少) must be in the series: a change over its other years is no answer."""
        named = question.year_range is None and len(question.years) >= 2
        one = question.years[0] if question.year_range is None and len(question.years) == 1 else 0
        found = []
        for match in pool:
            series = self.search.series_of(match.fact)
            dated = {f.year for f in series.facts if f.year and number_of(f) is not None}
            both = len(dated & set(question.years)) >= 2
            if one and one not in dated:
                continue
            if len(dated) >= 2 and (both or not named):
                found.append((both, series))
        found.sort(key=lambda pair: not pair[0])  # stable: the best match among equals
        return found[0][1] if found else None

    def over_series(self, question: Question, series: Series, score: float) -> FactAnswer:
        """A comparison or computation along one series: the year with the most (or the
        biggest change), or the total, average or change over the asked years."""
        dated = arithmetic.in_range(question, series)
        if each_year(question) and question.year_range is None:
            answer = templates.NAMED_YEARS.format(
                subject=series.subject,
                attribute=series.attribute,
                series=arithmetic.series_text(dated),
            )
        elif each_year(question):
            answer = templates.EACH_YEAR.format(
                start=templates.time_text(dated[0].time),
                end=templates.time_text(dated[-1].time),
                subject=series.subject,
                attribute=series.attribute,
                series="、".join(f"{f.value}{f.unit or ''}" for f in dated),
            )
        elif question.qtype == QType.COMPARE and lexicon.CHANGE.search(question.normalised):
            answer = arithmetic.change_extreme(question, dated, self.statement)
        elif question.qtype == QType.COMPARE:
            best = arithmetic.extreme_pick(question, dated)
            answer = arithmetic.extreme(question, dated, self.statement(best), best)
        else:
            answer = arithmetic.series_compute(question, series, dated)
        return FactAnswer("compute", answer, dated, score)


def each_year(question: Question) -> bool:
    """Whether a how-many question asks the figure of each year of a range (2017年到2020年
    分别有多少家, 逐年的数量, 从多少涨到多少) or of each year it names (2018年和2019年各有多少家):
    the series over them, not one year's figure."""
    text = question.normalised
    if question.qtype != QType.NUMBER:
        return False
    if question.year_range is None:
        return len(question.years) >= 2
    several = lexicon.EACH, lexicon.SEVERAL_YEARS, lexicon.FROM_TO_VALUES
    return any(pattern.search(text) for pattern in several)


def stored_change(question: Question, fact: Fact) -> bool:
    """Whether a question about at most one year asks for a change that the fact states
    itself: its attribute has the question's change word (净增, 新增, 增长 …)."""
    if question.year_range is not None or len(question.years) > 1:
        return False
    changes = operation_words()["changes"]
    return any(w in fact.attribute and w in question.normalised for w in changes)


def multiple_unstated(question: Question, fact: Fact) -> bool:
    """Whether the question asks how many times over (是2019年的几倍) and the fact, found with
    no series to compute it from, gives a count instead: a sentence may state the multiple."""
    return question.unit == "倍" and fact.unit != "倍"
