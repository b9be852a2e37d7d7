"""Yes/no questions as claims to verify: 是 or 不是, decided from a fact or a sentence.

A yes/no question states something and asks whether it holds. The statement's claim — a
figure (有300家吗), a bound (超过200家吗), a trend (年年都在涨吗), a sole party (是…一家办的吗),
one of several alternatives (金牌 where the knowledge says 银牌) — is checked against what the
knowledge says, and a wrong premise is corrected (不是。…). A claim nothing contradicts holds
only when the knowledge states all of it; otherwise the reply says the knowledge cannot
decide. It never defaults to 是的.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence

from qa_bot import lexicon
from qa_bot.answering import templates
from qa_bot.answering.arithmetic import fmt, in_range, items_text, value
from qa_bot.answering.claim_checks import (
    claim_start,
    claimed_bound,
    claimed_numbers,
    contradicted,
    exclusive_claim,
    lower_rank,
    misstated,
    other_date,
    other_post,
    ranked_scope,
    ranks_first,
    shared_claim,
    stated_bound,
    states_figure,
    trend_claim,
)
from qa_bot.answering.facts import Series, key_text, number_of, year_value
from qa_bot.answering.intent import Question, excludes
from qa_bot.answering.occasions import later_than_sole, other_ordinal
from qa_bot.answering.operand_phrases import alternative_groups, operation_words
from qa_bot.answering.terms import Terms, TermScorer
from qa_bot.answering.verdicts import Verdict, as_asked, negative, template_for
from qa_bot.models import Fact
from qa_bot.sentences import as_sentence
from qa_bot.text import normalise
from qa_bot.weights import ScoringWeights

_MEMBERS = re.compile(r"、|以及|和|及|与|，")
_PARTY_UNITS = "家人个所位"


def claim_terms(question: Question) -> set[str]:
    """Terms that state the claim rather than what it is about (自己, 一家, 金牌, 涨)."""
    text = question.normalised
    words = operation_words()
    phrases = [exclusive_claim(text) or ""]
    bound = claimed_bound(text)
    if bound is not None:
        phrases.append(bound.said)
    if trend_claim(text):
        phrases += [w for key in ("trend_steady", "trend_up", "trend_down") for w in words[key]]
    claims = {t for t in question.asked if any(t in p for p in phrases if p)}
    start = claim_start(question)  # a qualifier before the claimed figure is not claimed
    for group in alternative_groups():
        claims |= {t for c in group for t in c if t in question.asked and text.find(t) >= start}
    return claims


class Verifier:
    """Decides yes/no questions from the facts found for them, or from a sentence."""

    def __init__(
        self, scorer: TermScorer, weights: ScoringWeights, statement: Callable[[Fact], str]
    ) -> None:
        self.scorer = scorer
        self.weights = weights
        self.statement = statement

    def words(self, fact: Fact) -> frozenset[str]:
        """Every word of a fact: key, value and evidence."""
        said = self.scorer.terms(f"{key_text(fact)} {fact.value}")
        return said.words | said.parts | self.scorer.terms(fact.evidence).words

    def fact(
        self, question: Question, best: Fact, statement: str, near: Sequence[Fact], series: Series
    ) -> Verdict:
        """The verdict on a yes/no question about ``best`` (``near``: other close facts)."""
        return as_asked(question, self.decide(question, best, statement, near, series))

    def decide(
        self, question: Question, best: Fact, statement: str, near: Sequence[Fact], series: Series
    ) -> Verdict:
        """The verdict, whatever the question's polarity."""
        if self.contrasted(question, best):  # 决赛有60个吗 is checked on the 决赛, not the 初赛
            same = [fact for fact in near if self.contrasted(question, best, fact)]
            if same:
                best, near = same[0], [best, *(f for f in near if f is not same[0])]
                statement = as_sentence(self.statement(best))
        trend = trend_claim(question.normalised)
        found = self.trend(question, series, trend) if trend else None
        if found is None and lexicon.COMPARISON_CLAIM.search(question.normalised):
            found = self.between_years(question, series)
        if found is not None:
            return found
        elsewhere = self.elsewhere(question, best, statement)
        if elsewhere is not None:
            return elsewhere
        facts = [best, *near]
        evidence = [normalise(f.evidence) for f in facts]
        wrong = misstated(question, evidence, normalise(best.unit or ""))
        if wrong is not None:  # 总投资353亿元吗 against 533亿元, however the first figure fares
            said = as_sentence(facts[wrong].evidence)
            return Verdict(False, negative(question).format(statement=said), [facts[wrong]])
        checks = (
            self.role(question, "。".join(f.evidence for f in [best, *near])),
            self.rank(question, best),
            self.year(question, best, statement),
            self.figure(question, best, statement),
            self.only(question, best, statement),
            self.otherwise(question, best, statement),
        )
        for check in checks:
            if check is not None:
                return check
        other = self.alternative(question, [best, *near])
        if other is not None:
            answer = negative(question).format(
                statement=with_qualifiers(self.statement(other), other)
            )
            return Verdict(False, answer, [other])
        if self.confirms(question, best):
            if ranked_scope(question) is not None:  # the sentence that ranks it, not its value
                statement = as_sentence(best.evidence)
            return Verdict(True, templates.YES.format(statement=statement), [best])
        for fact in near:
            if self.confirms(question, fact):
                return Verdict(True, templates.YES.format(statement=self.statement(fact)), [fact])
        return Verdict(None, templates.UNSURE.format(statement=statement), [best], answered=False)

    def trend(self, question: Question, series: Series, trend: str) -> Verdict | None:
        """Whether a series rose (fell) at every step of the asked years."""
        dated = in_range(question, series)
        if len(dated) < 2 or any(number_of(f) is None for f in dated):
            return None
        rising = trend == "up"
        wrong = [b for a, b in itertools.pairwise(dated) if (value(b) > value(a)) != rising]
        common = {
            "start": templates.time_text(dated[0].time),
            "end": templates.time_text(dated[-1].time),
            "subject": series.subject,
            "attribute": series.attribute,
            "series": "、".join(f"{f.value}{f.unit or ''}" for f in dated),
        }
        if not wrong:
            verb = "增加" if rising else "减少"
            return Verdict(True, templates.TREND_YES.format(verb=verb, **common), dated)
        answer = templates.TREND_NO.format(
            when=templates.time_text(wrong[0].time),
            other="减少" if rising else "增加",
            **common,
        )
        return Verdict(False, answer, dated)

    def between_years(self, question: Question, series: Series) -> Verdict | None:
        """'Was it more in 2020 than in 2021?' over one series."""
        if len(question.years) < 2:
            return None
        numeric = [f for f in series.facts if number_of(f) is not None]
        at = [[f for f in numeric if f.year == year] for year in question.years[:2]]
        if not all(at):
            return None
        first, second = at[0][0], at[1][0]
        a, b = value(first), value(second)
        smaller = bool(lexicon.SMALLER.search(question.normalised))
        holds = a < b if smaller else a > b
        sign = ">" if a > b else "<" if a < b else "="
        statement = as_sentence(f"{items_text([first, second])}（{fmt(a)} {sign} {fmt(b)}）")
        return Verdict(
            holds, template_for(question, holds).format(statement=statement), [first, second]
        )

    def elsewhere(self, question: Question, fact: Fact, statement: str) -> Verdict | None:
        """'Was it held in 长沙?' answered by a fact whose value is another place."""
        tokenizer = self.scorer.tokenizer
        said = normalise(f"{key_text(fact)} {fact.value} {fact.evidence}").lower()
        places = [n for n in question.names if tokenizer.tag_of(n).startswith("ns")]
        claimed = [n for n in places if n not in said and not self.scorer.is_common(n)]
        value_tags = {tokenizer.tag_of(w)[:2] for w in tokenizer.words(fact.value)}
        if not claimed or "ns" not in value_tags:
            return None
        return Verdict(False, negative(question).format(statement=statement), [fact])

    def figure(self, question: Question, fact: Fact, statement: str) -> Verdict | None:
        """A stated figure or bound checked against the fact's value."""
        number = number_of(fact)
        if number is None:
            return None
        text = question.normalised
        holds: bool | None = None
        if (bound := claimed_bound(text)) is not None:
            holds = bound.holds(number)
        elif ranked_scope(question) is None and (
            claimed := claimed_numbers(question, fact.unit or "")
        ):  # a figure that only says which thing is claimed the biggest is no claim
            holds = any(abs(number - claim) < 1e-9 * max(1.0, claim) for claim in claimed)
        if holds is None:
            return None
        return Verdict(holds, template_for(question, holds).format(statement=statement), [fact])

    def year(self, question: Question, fact: Fact, statement: str) -> Verdict | None:
        """'First held in 2020?' by a fact whose value is a year; 'on 16 December?' by a date."""
        if fact.time and other_date(question, fact.time):
            return Verdict(False, negative(question).format(statement=statement), [fact])
        year = year_value(fact)
        if year is None or not question.years:
            return None
        holds = year in question.years
        return Verdict(holds, template_for(question, holds).format(statement=statement), [fact])

    def rank(self, question: Question, fact: Fact) -> Verdict | None:
        """'Is it the biggest in the world?' answered by evidence ranking it lower there."""
        scope = ranked_scope(question)
        clause = lower_rank(scope, fact.evidence) if scope else None
        if clause is None:
            return None
        return Verdict(False, templates.NO.format(statement=as_sentence(clause)), [fact])

    def role(self, question: Question, text: str) -> Verdict | None:
        """'Is 郑建新 the 组长?' answered by text where he holds another post (郑建新任顾问)
        and someone else that one (邓群策任组长)."""
        sentence = other_post(question, text)
        if sentence is None:
            return None
        return Verdict(False, templates.NO.format(statement=sentence), [])

    def otherwise(self, question: Question, fact: Fact, statement: str) -> Verdict | None:
        """'Is it the only one / the second time / one of five?' answered by evidence listing
        it with others (长沙市、衡阳市被…确认), giving another ordinal (首次入选; 唯一 against
        第二个) or another figure in the claimed unit (3个案例之一)."""
        for text in (statement, as_sentence(fact.evidence)):
            if (
                shared_claim(question, text)
                or other_ordinal(question, text)
                or later_than_sole(question, text)
                or self.other_figure(question, text)
            ):
                return Verdict(False, templates.NO.format(statement=text), [fact])
        return None

    def only(self, question: Question, fact: Fact, statement: str) -> Verdict | None:
        """'Did X alone do it?' answered by a fact naming several parties."""
        claim = exclusive_claim(question.normalised)
        members = [m for m in _MEMBERS.split(fact.value) if m.strip()]
        if claim is None or len(members) < 2:
            return None
        unit = next((ch for ch in reversed(claim) if ch in _PARTY_UNITS), "个")
        answer = templates.NOT_ONLY.format(count=len(members), unit=unit, statement=statement)
        return Verdict(False, answer, [fact])

    def alternative(self, question: Question, facts: Sequence[Fact]) -> Fact | None:
        """A fact naming another of the alternatives the question names (银牌 for 金牌), when
        none of the facts names the question's own."""
        asked = set(question.terms)
        said = [(fact, self.words(fact)) for fact in facts]
        for group in alternative_groups():
            mine = [choice for choice in group if asked & choice]
            if not mine or any(words & mine[0] for _, words in said):
                continue
            for fact, words in said:
                if excludes(group, asked, words):
                    return fact
        return None

    def contrasted(self, question: Question, fact: Fact, other: Fact | None = None) -> bool:
        """Whether the fact uses a word that excludes one the question uses (初赛 for 决赛);
        with ``other``, whether ``other`` uses the question's own word there instead."""
        asked, words = set(question.terms), self.words(fact)
        for group in alternative_groups():
            if excludes(group, asked, words):
                mine = [choice for choice in group if asked & choice]
                if other is None or any(self.words(other) & choice for choice in mine):
                    return True
        return False

    def confirms(self, question: Question, fact: Fact) -> bool:
        """Whether the fact states everything the question claims, its figures included (a
        claimed 200千瓦 is not borne out by a fact about 100千瓦 that covers the rest)."""
        claims_figure = lexicon.ASKED_FIGURE.search(question.normalised) is not None
        stated = not claims_figure or states_figure(
            question, f"{fact.value}{fact.unit or ''}，{fact.evidence}"
        )
        if ranked_scope(question) is not None and not ranks_first(fact.evidence):
            return False  # 是全世界最大的吗 is not borne out by the power it has
        return stated and self.covers(question, self.words(fact))

    def covers(self, question: Question, words: frozenset[str]) -> bool:
        """Whether the knowledge states everything the question claims (its content terms).

        Only the words of a sole-party claim are left out (a fact naming one organiser
        bears it out); a trend, a bound or an alternative (全省第一) must be stated.
        """
        claim = exclusive_claim(question.normalised) or ""
        asked = {t for t in question.asked if not (claim and t in claim)}
        weights = {t: question.weights.get(t, self.scorer.weight(t)) for t in asked}
        coverage = self.scorer.coverage(weights, Terms(words, frozenset()))
        return coverage >= self.weights.yes_support

    def sentence(self, question: Question, answer: str, sentence: str, coverage: float) -> str:
        """A passage answer to a yes/no question: 不是 / 没有 when the sentence names another
        alternative or another figure, 是的 when it covers the question, else just the answer."""
        if lexicon.NEGATED_CLAIM.search(question.normalised):
            return answer
        told = lexicon.years_in(normalise(sentence))
        if question.years and told and not set(question.years) & set(told):
            return answer  # a claim about 2021 is not decided by 2020's figure
        words = self.scorer.terms(sentence)
        asked = set(question.terms)
        said = words.words | words.parts
        if any(excludes(group, asked, said) for group in alternative_groups()):
            return negative(question).format(statement=answer)
        if self.other_figure(question, sentence):
            return negative(question).format(statement=answer)
        if (bound := stated_bound(question, sentence)) is not None:
            return template_for(question, bound).format(statement=answer)
        scope = ranked_scope(question)
        if scope is not None and lower_rank(scope, sentence) is not None:
            return templates.NO.format(statement=answer)
        if contradicted(question, sentence):  # another post, ordinal or date
            return templates.NO.format(statement=answer)
        if shared_claim(question, sentence):
            return templates.NO.format(statement=answer)
        if coverage >= self.weights.yes_support or states_figure(question, sentence):
            return templates.YES.format(statement=answer)
        return answer

    def other_figure(self, question: Question, sentence: str) -> bool:
        """Whether the question states a figure with a unit that the sentence states otherwise
        (有300家吗 against a sentence with 273家 and no 300家), any of the figures it states."""
        if claimed_bound(question.normalised) is not None:
            return False  # a bound, not a figure
        return misstated(question, [normalise(sentence)]) is not None


def with_qualifiers(statement: str, fact: Fact) -> str:
    """A fact's statement with the qualifiers it leaves out: what an alternative claim (排第二)
    is refuted by is often one of them (居全市第一)."""
    missing = [q for q in fact.qualifiers if q not in statement]
    return "，".join([statement.rstrip("。"), *missing]) if missing else statement
