"""Answers from structured facts: lookups, series over years, comparison and arithmetic."""

from __future__ import annotations

from dataclasses import dataclass, field

from qa_bot import lexicon
from qa_bot.answering import templates
from qa_bot.answering.expected import ExpectedFit
from qa_bot.answering.facts import FactMatch, FactSearch, Series, key_text, number_of
from qa_bot.answering.intent import QType, Question, contradicts
from qa_bot.answering.retrieval import Retrieved
from qa_bot.loader import Knowledge
from qa_bot.models import Fact, Passage
from qa_bot.sentences import as_sentence, sentences
from qa_bot.text import normalise
from qa_bot.weights import ScoringWeights

_FIGURES_AND_DATES = {QType.NUMBER, QType.DATE, QType.COMPARE, QType.COMPUTE}
_NOT_A_COUNT = {QType.LIST, QType.WHO, QType.WHERE}


@dataclass
class FactAnswer:
    """A fact-based answer: the sentence, the facts behind it, and whether it answers."""

    kind: str
    answer: str
    facts: list[Fact]
    confidence: float
    answered: bool = True
    options: list[str] = field(default_factory=list)
    more: list[str] = field(default_factory=list)


def fmt(number: float) -> str:
    """A number without a needless ``.0`` and with at most two decimals."""
    rounded = round(number, 2)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:g}"


class FactAnswerer:
    """Chooses the facts that answer a question and states them with templates."""

    def __init__(
        self,
        knowledge: Knowledge,
        search: FactSearch,
        min_score: float,
        weights: ScoringWeights,
    ) -> None:
        self.search = search
        self.min_score = min_score
        self.knowledge = knowledge
        self.weights = weights
        self.expected = ExpectedFit(search.scorer)
        self._where: dict[int, tuple[Passage | None, str]] = {}
        self._texts: dict[int, str] = {}

    def passage_of(self, fact: Fact) -> tuple[Passage | None, str]:
        """The passage holding the fact's evidence and the sentence around it (cached)."""
        found = self._where.get(id(fact))
        if found is None:
            passages = self.knowledge.document(fact.doc).passages
            found = locate(passages, fact, self.weights.long_sentence)
            self._where[id(fact)] = found
        return found

    def run(self, question: Question, retrieved: Retrieved) -> FactAnswer | None:
        """Stage 4a: a fact answer, or None when no fact matches well enough.

        A fact that mentions none of a rare name the question asks about (长沙市 for a 衡阳
        fact) does not answer it. A fact extracted from the text counts only for figures and
        dates, and only when it comes from the document retrieval ranks first: pattern-read
        facts are too many and too rough to compete with the sentences around them otherwise.
        """
        top_doc, names = retrieved.top_doc, question.names
        asked_words = set(question.terms)
        use_extracted = question.qtype in _FIGURES_AND_DATES
        if use_extracted and top_doc is not None:
            self.search.read_document(top_doc)
        matches = [
            m
            for m, words in self.search.match_with_terms(question, question.asked)
            if self.mentions(m.fact, names)
            and not contradicts(asked_words, words)
            and (not m.fact.extracted or (use_extracted and m.fact.doc == top_doc))
            and self.expected.fits(question, m.fact)
        ]
        if not matches or matches[0].score < self.min_score:
            return None
        if question.qtype in _NOT_A_COUNT and matches[0].fact.kind == "metric":
            return None  # a count names no one and lists nothing: let passages answer
        near = [m for m in matches if m.score >= matches[0].score - self.weights.near_tie]
        if question.qtype in {QType.COMPARE, QType.COMPUTE}:
            several_years = question.year_range is not None or len(question.years) >= 2
            needs_series = several_years or question.qtype == QType.COMPARE
            series = self.numeric_series(near if needs_series else near[:1])
            if series is not None:
                if question.qtype == QType.COMPARE:
                    return self.compare(question, series, matches[0].score)
                return self.compute(question, series, matches[0].score)
        return self.lookup(question, near, matches)

    def mentions(self, fact: Fact, names: set[str]) -> bool:
        """Whether the fact mentions every rare proper noun of the question."""
        text = self._texts.get(id(fact))
        if text is None:
            raw = f"{key_text(fact)} {fact.value} {fact.evidence}"
            text = self._texts[id(fact)] = normalise(raw).lower()
        return all(name in text or self.search.scorer.is_common(name) for name in names)

    def numeric_series(self, near: list[FactMatch]) -> Series | None:
        """The best-matching series with at least two dated numeric facts."""
        for match in near:
            series = self.search.series_of(match.fact)
            dated = [f for f in series.facts if f.year and number_of(f) is not None]
            if len(dated) >= 2:
                return series
        return None

    def lookup(
        self, question: Question, near: list[FactMatch], matches: list[FactMatch]
    ) -> FactAnswer:
        """The fact(s) for the question's time, or an honest 'no data for that year'.

        A dated question may be answered by a slightly weaker match that has the right year
        (2021's forum rather than 2020's); failing that it is not answered at all.
        """
        score = near[0].score
        if question.years or question.months:
            floor = max(self.min_score, score - self.weights.time_slack)
            timed = [m for m in matches if m.score >= floor and fits_time(m.fact, question)]
            if not timed:
                in_series = [m.fact for m in near if self.search.series_of(m.fact).times]
                return self.missing_time(question, (in_series or [near[0].fact])[0], score)
            near = [m for m in timed if m.score >= timed[0].score - self.weights.near_tie]
            score = timed[0].score
        if question.qtype == QType.DATE:
            slack = self.weights.date_slack
            dated = [m for m in matches if m.fact.time and m.score >= score - slack]
            near = sorted(dated, key=lambda m: (-len(m.fact.time or ""), -m.score)) or near
        if question.qtype == QType.NUMBER:
            near = sorted(near, key=lambda m: m.fact.kind != "metric")  # a count, if any
        best = near[0].fact
        statement = self.statement(best)
        series = self.search.series_of(best)
        latest_matters = best.kind == "metric" and len(series.times) > 1
        if not (question.years or question.months) and latest_matters:
            latest = series.facts[-1]
            others = [(f.time or "", f"{f.value}{f.unit or ''}") for f in series.facts[:-1]]
            statement = f"{self.statement(latest)}（{templates.series_text(others)}）"
            best = latest
        alternatives = self.alternatives(question, best, near)
        if alternatives and question.qtype != QType.YESNO:
            return self.clarify([best, *alternatives], statement, score)
        answer = as_sentence(statement)
        when = templates.time_text(best.time)
        if question.qtype == QType.DATE and when and when not in answer:
            answer = f"{when}，{answer}"
        if question.qtype == QType.YESNO:
            answer = self.yes_or_no(question, best, answer)
        more = [self.statement(m.fact) for m in matches[1:4] if m.fact is not best]
        return FactAnswer("fact", answer, [best], score, more=[as_sentence(m) for m in more])

    def alternatives(self, question: Question, best: Fact, near: list[FactMatch]) -> list[Fact]:
        """Other figures the question may mean: near-tied metrics of the same family (same
        subject, or the same subject of another year: the 2020 and 2021 forums) and unit,
        from other series (申报 vs 总数), one per series.
        """
        if best.kind != "metric":
            return []
        found: dict[tuple[str, str], Fact] = {}
        for match in near:
            other = match.fact
            series = self.search.series_of(other)
            if other.kind != "metric" or other.unit != best.unit:
                continue
            if series is self.search.series_of(best) or family(other) != family(best):
                continue
            if (question.years or question.months) and not fits_time(other, question):
                continue
            if not (question.years or question.months):
                other = series.facts[-1]
            found.setdefault((other.subject, other.attribute), other)
        return list(found.values())[: self.weights.max_options - 1]

    def clarify(self, options: list[Fact], first: str, score: float) -> FactAnswer:
        """Both (or all three) figures, and a question asking which one was meant."""
        statements = [first] + [self.statement(fact) for fact in options[1:]]
        listed = "；".join(f"{n}. {s.rstrip('。')}" for n, s in enumerate(statements, start=1))
        answer = templates.CLARIFY.format(count=len(options), options=listed)
        return FactAnswer("clarify", answer, options, score, options=statements)

    def yes_or_no(self, question: Question, fact: Fact, statement: str) -> str:
        """'是的' unless the question names a figure that the fact contradicts."""
        numbers = set(lexicon.NUMBER.findall(question.normalised))
        numbers -= {str(y) for y in question.years}
        value = number_of(fact)
        if numbers and value is not None and fmt(value) not in numbers:
            return templates.NO.format(statement=statement)
        return templates.YES.format(statement=statement)

    def statement(self, fact: Fact) -> str:
        """A metric as a template sentence; an event or relation as its document sentence."""
        if fact.kind == "metric":
            return templates.metric_statement(
                fact.subject, fact.attribute, fact.value, fact.unit or "", fact.time
            )
        _, sentence = self.passage_of(fact)
        return sentence

    def missing_time(self, question: Question, fact: Fact, score: float) -> FactAnswer:
        """Not answered: the asked year has no fact; say which years do."""
        series = self.search.series_of(fact)
        known = "、".join(templates.time_text(t) for t in series.times) or "（无具体年份）"
        when = templates.time_text(
            question.months[0] if question.months else str(question.years[0])
        )
        message = templates.MISSING_TIME.format(when=when, what=fact.attribute, known=known)
        return FactAnswer("abstain", message, [fact], score, answered=False)

    def compare(self, question: Question, series: Series, score: float) -> FactAnswer:
        """The year with the highest (or lowest) value of a series."""
        dated = self.in_range(question, series)
        pick = min if lexicon.FEWEST.search(question.normalised) else max
        best = pick(dated, key=lambda f: number_of(f) or 0.0)
        answer = templates.COMPARE.format(
            when=templates.time_text(best.time),
            direction="少" if pick is min else "多",
            statement=self.statement(best),
            series=templates.series_text(
                [(f.time or "", f"{f.value}{f.unit or ''}") for f in dated]
            ),
        )
        return FactAnswer("compute", answer, dated, score)

    def in_range(self, question: Question, series: Series) -> list[Fact]:
        """The series' dated numeric facts, limited to the asked years or range if any."""
        dated = [f for f in series.facts if f.year and number_of(f) is not None]
        if question.year_range:
            start, end = question.year_range
            limited = [f for f in dated if f.year and start <= f.year <= end]
        elif len(question.years) >= 2:
            limited = [f for f in dated if f.year in question.years]
        else:
            limited = dated
        return limited if len(limited) >= 2 else dated

    def compute(self, question: Question, series: Series, score: float) -> FactAnswer:
        """Sum, average, or change between the first and last asked years of a series."""
        dated = self.in_range(question, series)
        first, last = dated[0], dated[-1]
        values = [number_of(f) or 0.0 for f in dated]
        unit = first.unit or ""
        common = {
            "start": templates.time_text(first.time),
            "end": templates.time_text(last.time),
            "subject": series.subject,
            "attribute": series.attribute,
            "unit": unit,
            "series": templates.series_text([(f.time or "", f"{f.value}{unit}") for f in dated]),
        }
        if lexicon.SUM.search(question.normalised):
            answer = templates.TOTAL.format(total=fmt(sum(values)), **common)
        elif lexicon.AVERAGE.search(question.normalised):
            answer = templates.AVERAGE.format(average=fmt(sum(values) / len(values)), **common)
        elif values[-1] >= values[0]:
            answer = templates.DIFFERENCE.format(
                first=f"{first.value}{unit}",
                last=f"{last.value}{unit}",
                delta=fmt(values[-1] - values[0]),
                growth=fmt((values[-1] - values[0]) / values[0]) if values[0] else "—",
                ratio=fmt(values[-1] / values[0]) if values[0] else "—",
                **common,
            )
        else:
            answer = templates.DECREASE.format(
                first=f"{first.value}{unit}",
                last=f"{last.value}{unit}",
                delta=fmt(values[0] - values[-1]),
                **common,
            )
        return FactAnswer("compute", answer, dated, score)


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


def locate(passages: list[Passage], fact: Fact, longest: int) -> tuple[Passage | None, str]:
    """The passage holding the fact's evidence, and the sentence that states the fact.

    That is the document's sentence around the evidence; when it is long, just the clauses
    of the evidence, with the subject (or, for an event, the time) put in front if missing.
    """
    for passage in passages:
        if passage.doc_id != fact.doc:
            continue
        start = passage.text.find(fact.evidence)
        if start == -1:
            continue
        found = [s for s in sentences(passage.text) if overlaps(passage.text, s, start, fact)]
        text = "".join(found)
        if len(text) > longest:
            text = complete(fact)
        return passage, as_sentence(text)
    return None, as_sentence(complete(fact))


def complete(fact: Fact) -> str:
    """The evidence, led by the fact's time (events) or subject (others) when it lacks it."""
    text = fact.evidence.strip("，。")
    when = templates.time_text(fact.time)
    if fact.kind == "event" and when and not text.startswith(when[:5]):
        return f"{when}，{text}"
    if fact.kind != "event" and fact.subject not in text:
        return f"{fact.subject}{text}"
    return text


def overlaps(text: str, sentence: str, start: int, fact: Fact) -> bool:
    """Whether ``sentence`` (a sentence of ``text``) overlaps the evidence span."""
    begin = text.find(sentence)
    return begin < start + len(fact.evidence) and start < begin + len(sentence)
