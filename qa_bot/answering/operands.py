"""Operands: the two or more facts a question names to add up, subtract or compare.

"A加上B一共多少", "A还是B多", "从A到B刷掉了多少", "A、B和C加起来" name each operand in a phrase
of its own. The question is cut at joining words — whole jieba tokens (和, 加上, 还是, 比, 、),
so 增加, 参与 and 比重 never cut it — and each phrase is matched against the facts on its own
terms, the rest of the question counting as weaker context (对接会 in "对接会上企业需求加上
高校院所成果" qualifies both). Every phrase must find a fact of its own, or there are none.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

from qa_bot import lexicon
from qa_bot.answering.facts import FactSearch, number_of
from qa_bot.answering.intent import Question, contradicts
from qa_bot.answering.operand_phrases import (
    Part,
    lend_heads,
    operation_words,
    parts_of,
)
from qa_bot.answering.terms import Terms
from qa_bot.models import Fact
from qa_bot.weights import ScoringWeights


@dataclass(frozen=True)
class Operand:
    """A phrase of the question and the fact it names."""

    part: Part
    fact: Fact
    score: float


Usable = Callable[[Fact, set[str]], bool]
_POOL = 4  # candidate facts per phrase tried together
_PAIRS = 8  # dated facts tried in pairs for an interval
_ADDS = 0.15  # what each fact of the pair must add to the other's coverage of the question


class OperandFinder:
    """Finds one fact for each operand phrase of a question."""

    def __init__(self, search: FactSearch, weights: ScoringWeights) -> None:
        self.search = search
        self.weights = weights

    def run(self, question: Question, usable: Usable) -> list[Operand] | None:
        """A distinct fact for every phrase, all figures, or None.

        ``usable`` is the answerer's own check of a fact (it names the phrase's rare names;
        an extracted fact comes from the right document).
        """
        for listing in (True, False):  # A、B和C are three; 企业需求与高校、院所成果 two
            found = self.matched(question, usable, listing)
            if found is not None:
                return found
        return None

    def matched(self, question: Question, usable: Usable, listing: bool) -> list[Operand] | None:
        """``run`` with the phrases cut at 、 too, or not (``listing``)."""
        parts, context = parts_of(question, self.search.scorer.tokenizer, listing)
        if not parts:
            return None
        parts = lend_heads(parts, self.search.scorer.is_common)
        every = set(question.terms) | context | {t for p in parts for t in p.own}
        single = tuple(question.years) if len(question.years) == 1 else ()
        # a year leading the question is every phrase's; one said later (…，比全市2019年的水平)
        # is its own phrase's only
        shared = () if any(p.years for p in parts[1:]) else single
        candidates = [
            self.candidates(question, part, every - part.own, usable, part.years or shared)
            for part in parts
        ]
        if not all(candidates):
            return None
        chosen = self.choose(candidates)
        if chosen is None:
            return None
        aligned = align(self.search, chosen, question)
        distinct = {id(o.fact) for o in aligned}
        series = {id(self.search.series_of(o.fact)) for o in aligned}
        if len(distinct) < len(aligned) or len(series) == 1:
            return None  # one series: the answerer's series arithmetic says more
        return aligned

    def dated_pair(self, question: Question, usable: Usable) -> tuple[Fact, Fact] | None:
        """Two dated facts that together cover the question (803所的感谢信发出后过了几天嫦娥五号
        返回器着陆), earlier first, each dated as precisely as the interval asked (天: a day)."""
        asked = self.search.scorer.tokenizer.tokenise(question.normalised)
        duration = lexicon.DURATION.search(question.normalised)
        if duration is None:
            return None
        precision = {"天": 10, "周": 10, "月": 7}.get(duration.group(1), 4)
        weights = {t: question.weights.get(t) or self.search.scorer.weight(t) for t in asked}
        dated = [
            (m, self.said(m.position))
            for m in self.search.match(question, question.asked)[:_PAIRS]
            if m.fact.time and len(m.fact.time) >= precision and usable(m.fact, set())
        ]
        best: tuple[float, Fact, Fact] | None = None
        coverage = self.search.scorer.coverage
        for (match_a, said_a), (match_b, said_b) in itertools.combinations(dated, 2):
            a, b = match_a.fact, match_b.fact
            both = coverage(weights, said_a | said_b)
            alone = max(coverage(weights, said_a), coverage(weights, said_b))
            enough = both >= self.weights.operand_coverage and both - alone >= _ADDS
            if a.time == b.time or not enough:
                continue
            value = both + match_a.score + match_b.score
            if best is None or value > best[0]:
                early, late = sorted((a, b), key=lambda f: f.time or "")
                best = (value, early, late)
        return (best[1], best[2]) if best else None

    def said(self, position: int) -> Terms:
        """What a fact says: its key, value and evidence terms."""
        terms = self.search.terms[position]
        return terms.about | Terms(terms.evidence, frozenset())

    def choose(self, candidates: list[list[tuple[float, Operand]]]) -> list[Operand] | None:
        """One distinct fact per phrase: the surest set, preferring facts that are alike
        apart from what their phrases name (高新技术企业数量 and 科技型中小企业数量, not a
        数量 and a 增长倍数) and that count in the same unit."""
        pools = [found[:_POOL] for found in candidates]
        best: list[Operand] | None = None
        best_value = 0.0
        for combo in itertools.product(*pools):
            operands = [operand for _, operand in combo]
            if len({id(o.fact) for o in operands}) < len(operands):
                continue
            value = sum(sureness for sureness, _ in combo)
            value += self.weights.operand_alike * (alike(operands) + same_unit(operands))
            if best is None or value > best_value:
                best, best_value = operands, value
        return best

    def candidates(
        self,
        question: Question,
        part: Part,
        context: set[str],
        usable: Usable,
        years: tuple[int, ...],
    ) -> list[tuple[float, Operand]]:
        """The facts one phrase may name in ``years`` (any, when none), surest first, each
        with how sure: its coverage of the phrase's own terms, then its score."""
        asked = set(question.terms)
        matches = self.search.match_part(question, part.own, context, self.weights.operand_context)
        found: list[tuple[float, Operand]] = []
        seen: set[int] = set()
        for match, coverage in matches:
            fact = match.fact
            if coverage < self.weights.operand_coverage:
                continue
            if fact.kind != "metric" or number_of(fact) is None:
                continue
            if not usable(fact, question.names & part.own):
                continue
            if contradicts(asked, self.search.terms[match.position].about.words):
                continue
            if years:
                in_year = [f for f in self.search.series_of(fact).facts if f.year in years]
                if not in_year:
                    continue
                fact = in_year[-1]
            series = id(self.search.series_of(fact))
            if id(fact) in seen or (not years and series in seen):
                continue  # one figure per series: align() picks the year
            seen |= {id(fact), series}
            found.append((coverage + match.score, Operand(part, fact, match.score)))
        found.sort(key=lambda pair: -pair[0])
        return found


def alike(operands: list[Operand]) -> float:
    """1 when the facts' attributes are the same once each phrase's own words are taken out
    (数量 and 数量), else 0."""
    rests = set()
    for operand in operands:
        rest = operand.fact.attribute
        for term in sorted(operand.part.own, key=len, reverse=True):
            rest = rest.replace(term, "")
        rests.add(rest)
    return 1.0 if len(rests) == 1 else 0.0


def same_unit(operands: list[Operand]) -> float:
    """1 when the facts share a unit, or count in classifiers only (1枚 + 8个), else 0."""
    units = {o.fact.unit or "" for o in operands}
    return 1.0 if len(units) == 1 or units <= operation_words()["count_units"] else 0.0


def align(search: FactSearch, chosen: list[Operand], question: Question) -> list[Operand]:
    """Operands without a year of their own, taken from yearly series, at the latest year
    every such series has (else each series' latest figure)."""
    if question.years or any(o.part.years for o in chosen):
        return chosen
    series = [search.series_of(o.fact) for o in chosen]
    timed = [s for s in series if len(s.times) > 1]
    if not timed:
        return chosen
    common = set.intersection(*({f.year for f in s.facts if f.year} for s in timed))
    aligned = []
    for operand, facts in zip(chosen, series, strict=True):
        if len(facts.times) > 1:
            at = [f for f in facts.facts if f.year == max(common)] if common else []
            fact = (at or facts.facts)[-1]
            operand = Operand(operand.part, fact, operand.score)
        aligned.append(operand)
    return aligned
