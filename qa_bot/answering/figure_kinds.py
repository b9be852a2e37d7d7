"""Which figures a question may mean: facts of one family (a forum's 2020 and 2021 editions),
of the asked time, and plain or qualified (申报, 预计: not how many there are)."""

from __future__ import annotations

from dataclasses import replace

from qa_bot import lexicon
from qa_bot.answering.facts import FactMatch, Series, key_text, measure_key
from qa_bot.answering.intent import QType, Question
from qa_bot.answering.occasions import one_of_counted
from qa_bot.answering.operand_phrases import operation_words
from qa_bot.models import Fact
from qa_bot.text import normalise


def family(fact: Fact) -> str:
    """The fact's subject without years: the 2020 and 2021 editions of a forum are one family."""
    return lexicon.YEAR_IN_NAME.sub("", fact.subject)


def fits_time(fact: Fact, question: Question) -> bool:
    """Whether the fact's time agrees with the years / months named in the question.

    A year that is part of the fact's name (中国改革2020年度案例征集活动) agrees too.
    """
    if not fact.time:
        return any(str(year) in key_text(fact) for year in question.years)
    if question.months:
        return any(fact.time.startswith(month) for month in question.months)
    if question.year_range:
        start, end = question.year_range
        return fact.year is not None and start <= fact.year <= end
    return fact.year in question.years


def in_time(best: FactMatch, series: Series, question: Question) -> list[FactMatch]:
    """The best match's own measure in the asked time, from its series: a question that
    carries the wording of another year's figure (创了历史新高, said of 2021) matches that
    figure best, but asks for the same measure in its own year (那2020年呢). Not one said of
    another occasion than the asked one (all of 2 batches, for 第一批)."""
    return [
        replace(best, fact=f)
        for f in series.facts
        if fits_time(f, question) and not one_of_counted(question, f"{f.attribute} {f.evidence}")
    ]


def is_plain(fact: Fact, question: Question) -> bool:
    """Whether the fact is the plain measure for this question: no qualifying word (申报,
    预计 …) in its key that the question does not use itself."""
    key = measure_key(fact)
    qualifying = lexicon.word_list("qualified")
    return not any(w in key and w not in question.normalised for w in qualifying)


def qualified_first(question: Question, found: list[FactMatch]) -> list[FactMatch]:
    """``found`` with the facts first whose key has a qualifying word the question uses
    itself (申报的高企超过300家吗: the applications, not the total), else as it came."""
    qualifying = [w for w in lexicon.word_list("qualified") if w in question.normalised]
    if not qualifying:
        return found

    def unqualified(match: FactMatch) -> bool:
        return not any(w in measure_key(match.fact) for w in qualifying)

    return sorted(found, key=unqualified)


def preferred_first(question: Question, found: list[FactMatch]) -> list[FactMatch]:
    """``found`` with the facts the question names first, among them the qualified ones."""
    return named_first(question, qualified_first(question, found))


def named_first(question: Question, found: list[FactMatch]) -> list[FactMatch]:
    """``found`` with the facts first that write every name the question names, then those
    whose subject the question names: 湖南有几个案例入选 asks 湖南省's count, not the whole
    list's; 一共选了几个案例 the whole list's, not 湖南省's (else as it came)."""
    text = question.normalised.lower()

    def rank(match: FactMatch) -> tuple[bool, bool]:
        fact = match.fact
        said = normalise(f"{fact.subject} {fact.attribute} {fact.evidence}").lower()
        subject = normalise(fact.subject).lower()
        named = subject in text or any(name in subject for name in question.names)
        return not all(name in said for name in question.names), not named

    return sorted(found, key=rank)


def changes_between_years(question: Question) -> bool:
    """Whether the question asks how a figure changed along its years (哪一年增长最快,
    2020年比2019年增长了多少): its change words say what to compute, not which figure — a
    fact named 增长倍数 is not the asked 数量."""
    if question.qtype == QType.COMPARE:
        return lexicon.WHICH_YEAR.search(question.normalised) is not None
    several_years = question.year_range is not None or len(question.years) >= 2
    asks_ratio = lexicon.TIMES.search(question.normalised) is not None
    return question.qtype == QType.COMPUTE and several_years and not asks_ratio


def only_expected(question: Question, text: str) -> bool:
    """Whether the question asks what actually came of something (最后实际认定了多少家) and
    ``text`` — a fact's key, or a clause — gives a figure that was only applied for or
    expected (申报377家, 预计超过600家). 实际申报了多少 asks the applications themselves."""
    words = operation_words()
    asked = question.normalised
    actual = [w for w in words["actual"] if w in asked]
    if not actual:
        return False
    forecast = [w for w in words["forecast"] if not any(a + w in asked for a in actual)]
    return any(w in text for w in forecast)


def asks_actual(question: Question) -> bool:
    """Whether the question asks what actually came of something (实际, 最终)."""
    return any(w in question.normalised for w in operation_words()["actual"])
