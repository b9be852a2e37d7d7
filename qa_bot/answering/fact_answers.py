"""Answers from structured facts: lookups, series over years, comparison and arithmetic."""

from __future__ import annotations

from dataclasses import replace

from qa_bot import lexicon
from qa_bot.answering import arithmetic, templates
from qa_bot.answering.answer_types import CAUSES, DATES, ENTITIES
from qa_bot.answering.claim_checks import claimed_names, whole_sentence_verdict
from qa_bot.answering.evidence import locate, whole_sentence
from qa_bot.answering.expected import ExpectedFit, asks_who
from qa_bot.answering.fact_answer import FactAnswer
from qa_bot.answering.facts import FactMatch, FactSearch, key_text, measure_key, year_value
from qa_bot.answering.figure_kinds import (
    changes_between_years,
    family,
    fits_time,
    in_time,
    is_plain,
    only_expected,
    preferred_first,
)
from qa_bot.answering.intent import QType, Question
from qa_bot.answering.occasions import other_occasion
from qa_bot.answering.operand_phrases import operation_words
from qa_bot.answering.operands import OperandFinder, Usable
from qa_bot.answering.per_item import per_item
from qa_bot.answering.report_dates import reports_on
from qa_bot.answering.retrieval import Retrieved
from qa_bot.answering.series_answers import SeriesAnswerer, each_year, multiple_unstated
from qa_bot.answering.verdicts import Verdict, verdict_on
from qa_bot.answering.verification import Verifier, claim_terms
from qa_bot.loader import Knowledge
from qa_bot.models import Fact, Passage
from qa_bot.sentences import as_sentence
from qa_bot.text import normalise
from qa_bot.weights import ScoringWeights

_FIGURES_AND_DATES = {QType.NUMBER, QType.DATE, QType.COMPARE, QType.COMPUTE}
_NOT_A_COUNT = {QType.LIST, QType.WHO, QType.WHERE}


class FactAnswerer:
    """Chooses the facts that answer a question and states them with templates."""

    def __init__(
        self, knowledge: Knowledge, search: FactSearch, min_score: float, weights: ScoringWeights
    ) -> None:
        self.search = search
        self.min_score = min_score
        self.knowledge = knowledge
        self.weights = weights
        self.expected = ExpectedFit(search.scorer)
        self._where: dict[int, tuple[Passage | None, str]] = {}
        self._texts: dict[int, str] = {}
        self.operands = OperandFinder(search, weights)
        self.verifier = Verifier(search.scorer, weights, self.statement)
        self.series = SeriesAnswerer(search, min_score, self.statement)

    def passage_of(self, fact: Fact) -> tuple[Passage | None, str]:
        """The passage holding the fact's evidence and the sentence around it (cached)."""
        found = self._where.get(id(fact))
        if found is None:
            passages = self.knowledge.document(fact.doc).passages
            found = locate(passages, fact, self.weights.long_sentence)
            self._where[id(fact)] = found
        return found

    def run(self, question: Question, retrieved: Retrieved) -> FactAnswer | None:
        """Stage 4a: a fact answer, or None when no fact matches well enough. A fact lacking a
        rare name asked (长沙市 for a 衡阳 fact) answers nothing. Facts read from the text count
        for figures and dates of the top document only: they are many and rough."""
        top_doc = retrieved.top_doc
        use_extracted = question.qtype in _FIGURES_AND_DATES
        if use_extracted and top_doc is not None:
            self.search.read_document(top_doc)

        def usable(fact: Fact, wanted: set[str]) -> bool:
            extracted_ok = use_extracted and fact.doc == top_doc
            return self.mentions(fact, wanted) and (not fact.extracted or extracted_ok)

        combined = self.across(question, usable)
        if combined is not None:
            return combined
        topic, asked = self.topic(question), set(question.terms)  # asked: once, not per fact
        claim = question.qtype == QType.YESNO  # a claim's word may be wrong: the verifier checks
        about = [
            m
            for m, words in self.search.match_with_terms(topic, topic.asked)
            if usable(m.fact, topic.names)
            and (claim or not other_occasion(question, asked, words, m.fact))
        ]
        if averaged := per_item(question, about, self.search.facts, self.statement):
            return averaged  # 平均每个项目投资多少: a total and its count, divided
        matches = [m for m in about if self.expected.fits(question, m.fact)]
        if not matches or matches[0].score < self.min_score:
            return self.unfit(question, about)
        if asks_who(question) and matches[0].fact.kind == "metric":
            return None  # a count names no one and lists nothing: let passages answer
        if question.qtype == QType.NUMBER:
            part = self.part_asked(question, matches[0])
            if part is not None:
                return part
        near = [m for m in matches if m.score >= matches[0].score - self.weights.near_tie]
        if question.qtype in {QType.COMPARE, QType.COMPUTE} or each_year(question):
            along = self.series.run(question, near, matches)
            if along is not None or multiple_unstated(question, matches[0].fact):
                return along  # 是2019年的几倍 with no 2019 figure: a sentence may say it
        return self.lookup(question, near, matches)

    def unfit(self, question: Question, about: list[FactMatch]) -> FactAnswer | None:
        """Not answered, when the best-matching fact holds nothing of the asked kind (谁带队
        where it names only the group that went; 为什么 where it is a count or a dated event):
        a sentence must then hold the asked kind to answer. None when no fact matches well,
        or the question expects no particular kind."""
        kind = question.expected
        if not about or about[0].score < self.min_score:
            return None
        best = about[0]
        cause = kind in CAUSES and best.fact.kind in ("metric", "event")  # 为什么掉到73家
        party = kind in ENTITIES and not self.expected.names_one(question, best.fact, kind)
        if not (cause or party):
            return None  # a count of what a place did names the place: passages answer
        return FactAnswer("unfit", self.statement(best.fact), [best.fact], best.score, False)

    def part_asked(self, question: Question, best: FactMatch) -> FactAnswer | None:
        """Not answered, when the best fact is a total and the question asks a part of it:
        the figure it states (231名博士里有多少…) or one of the things counted together
        (众创空间、孵化器、星创天地35家 for 星创天地有几个): it says what it has; else None."""
        template = templates.STATED_ONLY if self.expected.parts_of(question, best.fact) else None
        if template is None and self.expected.counts_more(question, best.fact):
            template = templates.TOTAL_ONLY
        if template is None:
            return None
        answer = template.format(statement=as_sentence(self.statement(best.fact)))
        return FactAnswer("abstain", answer, [best.fact], best.score, answered=False)

    def topic(self, question: Question) -> Question:
        """The question as facts are matched against it: without the words of a yes/no claim
        (自己一家, 金牌, a place or body it may name wrongly: the verifier checks 是在长沙举行的吗)
        or of an operation along a series (哪一年增长最快)."""
        if question.qtype == QType.YESNO:
            tag_of = self.search.scorer.tokenizer.tag_of
            claimed = claimed_names(question, tag_of)
            places = any(tag_of(n).startswith("ns") for n in claimed)
            return replace(
                question,
                asked=question.asked - claim_terms(question) - claimed,
                names=question.names - claimed,
                hints=question.hints | (operation_words()["place_attributes"] if places else set()),
            )
        if changes_between_years(question):
            changes = (lexicon.CHANGE, lexicon.FASTEST, lexicon.NET)
            asked = {t for t in question.asked if not any(p.search(t) for p in changes)}
            return replace(question, asked=asked)
        return question

    def across(self, question: Question, usable: Usable) -> FactAnswer | None:
        """Sum, difference, ratio or comparison of the different facts a question names
        (A加上B一共多少, A还是B多, A比B多吗), or None when it names fewer than two."""
        several = {QType.COMPARE, QType.COMPUTE, QType.YESNO}
        summing = arithmetic.combines_figures(question)  # 一共多少, 没进决赛的有几个
        duration = lexicon.DURATION.search(question.normalised)
        if duration and question.qtype in {QType.NUMBER, QType.COMPUTE}:
            pair = self.operands.dated_pair(question, usable)
            if pair is not None:
                answer = arithmetic.interval(*pair, duration.group(1), self.statement)
                return FactAnswer("compute", answer, list(pair), self.min_score)
        if question.qtype not in several and not summing:
            return None
        words = self.search.scorer.tokenizer.words
        how = arithmetic.operation(question, words(question.normalised))
        if how is None or (question.qtype == QType.YESNO and how != "compare"):
            return None  # a yes/no question verifies an order, not a sum
        operands = self.operands.run(question, usable)
        if operands is None or min(o.score for o in operands) <= 0:
            return None  # an operand matching nothing asked (a negative score) is no operand
        facts = [o.fact for o in operands]
        answer = arithmetic.combine(question, facts, how, words)
        if question.qtype == QType.YESNO:
            answer = self.claim_of_order(question, facts, answer).answer
        score = min(1.0, min(o.score for o in operands))
        return FactAnswer("compute", answer, facts, score)

    def claim_of_order(self, question: Question, facts: list[Fact], statement: str) -> Verdict:
        """'Is A more than B?' for two figures named in that order."""
        smaller = bool(lexicon.SMALLER.search(question.normalised))
        first, second = arithmetic.value(facts[0]), arithmetic.value(facts[1])
        return verdict_on(question, first < second if smaller else first > second, statement, facts)

    def mentions(self, fact: Fact, names: set[str]) -> bool:
        """Whether the fact mentions every rare proper noun of the question."""
        text = self._texts.get(id(fact))
        if text is None:
            raw = f"{key_text(fact)} {fact.value} {fact.evidence}"
            text = self._texts[id(fact)] = normalise(raw).lower()
        return all(name in text or self.search.scorer.is_common(name) for name in names)

    def lookup(
        self, question: Question, near: list[FactMatch], matches: list[FactMatch]
    ) -> FactAnswer | None:
        """The fact(s) for the question's time (a weaker match may: 2021's forum, not 2020's),
        or 'no data for that year', or None for a who-question about another year's event."""
        score = near[0].score
        # A year as the value (创办年份) answers when; the question's year names the thing then.
        asks_year = question.qtype == QType.YESNO or question.expected in DATES
        claims_year = asks_year and year_value(near[0].fact) is not None
        if (question.years or question.months) and not claims_year:
            floor = max(self.min_score, score - self.weights.time_slack)
            timed = [m for m in matches if m.score >= floor and fits_time(m.fact, question)]
            timed = timed or in_time(near[0], self.search.series_of(near[0].fact), question)
            if not timed and self.reported_in(near[0].fact, question):
                return self.as_reported(near[0].fact, score)
            if not timed and near[0].fact.kind == "event" and asks_who(question):
                return None
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
        near = preferred_first(question, near)
        keys = [measure_key(m.fact) for m in near]
        if keys and all(only_expected(question, key) for key in keys):
            statement = as_sentence(self.statement(near[0].fact))
            answer = templates.FORECAST_ONLY.format(statement=statement)
            return FactAnswer("abstain", answer, [near[0].fact], score, answered=False)
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
            plain = [f for f in [best, *alternatives] if is_plain(f, question)]
            if len(plain) == 1:
                return self.plain_figure(plain[0], [best, *alternatives], statement, score)
            return self.clarify([best, *alternatives], statement, score)
        answer = as_sentence(statement)
        when = templates.time_text(best.time)
        if question.qtype == QType.DATE and when and when not in answer:
            answer = f"{when}，{answer}"
        if question.qtype == QType.YESNO:
            good = [m for m in matches[: self.weights.max_options + 2] if m.score >= self.min_score]
            return self.verify(question, best, answer, good, score)
        more = [self.statement(m.fact) for m in matches[1:4] if m.fact is not best]
        return FactAnswer("fact", answer, [best], score, more=[as_sentence(m) for m in more])

    def alternatives(self, question: Question, best: Fact, near: list[FactMatch]) -> list[Fact]:
        """Other figures the question may mean: near-tied metrics of the same family (same
        subject, or the same subject of another year: the 2020 and 2021 forums) and unit,
        from other series (申报 vs 总数), one per series."""
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

    def plain_figure(
        self, plain: Fact, found: list[Fact], statement: str, score: float
    ) -> FactAnswer:
        """The one plain figure (``statement`` when it is the best match), with the qualified
        ones (申报, 预计净增 …) in one line after it: a question that does not say 申报 asks
        how many there are, and asking back would only delay that."""
        first = statement if plain is found[0] else self.statement(plain)
        rest = [f for f in found if f is not plain]
        others = [self.statement(f).rstrip("。") for f in rest]
        joined = "；".join(others)
        answer = templates.PLAIN_FIGURE.format(answer=first.rstrip("。") + "。", others=joined)
        options = [first, *others]  # "第二个" / "申报的" still pick one
        return FactAnswer("fact", answer, [plain, *rest], score, options=options)

    def clarify(self, options: list[Fact], first: str, score: float) -> FactAnswer:
        """Both (or all three) figures, and a question asking which one was meant."""
        statements = [first] + [self.statement(fact) for fact in options[1:]]
        listed = "；".join(f"{n}. {s.rstrip('。')}" for n, s in enumerate(statements, start=1))
        answer = templates.CLARIFY.format(count=len(options), options=listed)
        return FactAnswer("clarify", answer, options, score, options=statements)

    def verify(
        self, question: Question, best: Fact, statement: str, good: list[FactMatch], score: float
    ) -> FactAnswer:
        """A yes/no question about ``best`` (``good``: other good matches, which may bear
        the claim out instead): is, is not, or cannot tell (not answered)."""
        whole = whole_sentence(self.knowledge.document(best.doc).passages, best)
        holds = whole_sentence_verdict(question, normalise(whole), normalise(best.unit or ""))
        if holds is not None:
            return FactAnswer(
                "fact", verdict_on(question, holds, whole, [best]).answer, [best], score
            )
        others = [m.fact for m in good if m.fact is not best]
        verdict = self.verifier.fact(question, best, statement, others, self.search.series_of(best))
        if not verdict.answered:
            return FactAnswer("abstain", verdict.answer, verdict.facts, score, answered=False)
        return FactAnswer("fact", verdict.answer, verdict.facts, score)

    def statement(self, fact: Fact) -> str:
        """A metric as a template sentence; an event or relation as its document sentence."""
        if fact.kind == "metric":
            return templates.metric_statement(
                fact.subject, fact.attribute, fact.value, fact.unit or "", fact.time
            )
        _, sentence = self.passage_of(fact)
        return sentence

    def reported_in(self, fact: Fact, question: Question) -> bool:
        """Whether an undated fact comes from a document of the asked year (21年初那篇报道里
        …累计到了多少): the figure as that report gave it."""
        if fact.time or question.months or not fact.doc or self.search.series_of(fact).times:
            return False
        dated = self.knowledge.document(fact.doc).date or ""
        return any(reports_on(dated, year, question.normalised) for year in question.years)

    def as_reported(self, fact: Fact, score: float) -> FactAnswer:
        """An undated figure, with the date of the report that gave it."""
        dated = self.knowledge.document(fact.doc).date if fact.doc else None
        statement = as_sentence(self.statement(fact))
        answer = templates.AS_REPORTED.format(when=templates.time_text(dated), statement=statement)
        return FactAnswer("fact", answer, [fact], score)

    def missing_time(self, question: Question, fact: Fact, score: float) -> FactAnswer | None:
        """Not answered: the asked year has no fact; say which years do, or that the knowledge
        gives the figure without a year (None: its figure there is of another occasion, as all
        of 2 batches for 第一批); 不是 to a claim of when a dated event happened."""
        if question.qtype == QType.YESNO and fact.kind != "metric" and fact.time:
            verdict = verdict_on(question, False, self.statement(fact), [fact])
            return FactAnswer("fact", verdict.answer, [fact], score)
        series = self.search.series_of(fact)
        asked = question.months[0] if question.months else str(question.years[0])
        if asked in series.times:
            return None
        when = templates.time_text(asked)
        if not series.times:
            statement = as_sentence(self.statement(fact))
            message = templates.UNDATED.format(when=when, statement=statement)
        else:
            known = "、".join(templates.time_text(t) for t in series.times)
            message = templates.MISSING_TIME.format(when=when, what=fact.attribute, known=known)
        return FactAnswer("abstain", message, [fact], score, answered=False)
