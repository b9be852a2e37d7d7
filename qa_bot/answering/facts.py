"""Fact retrieval: which facts a question is about, grouped into series over time.

A fact is matched on its *key* (subject, attribute, qualifiers) and, more weakly, its value
and evidence. The match score is an F-measure between the question's terms and the fact's
key terms, both weighted by idf: a fact that covers everything asked and asks nothing extra
scores 1.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from qa_bot.answering.intent import Question
from qa_bot.models import Fact
from qa_bot.tokenizer import Tokenizer

_MAIN_SUBJECT_BONUS = 0.02  # a question naming no subject is about the knowledge's main one
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


@dataclass(frozen=True)
class FactTerms:
    """The terms of one fact: key words (whole), key terms (with sub-words), value, evidence."""

    key_words: frozenset[str]
    key: frozenset[str]
    value: frozenset[str]
    evidence: frozenset[str]


@dataclass
class FactMatch:
    """A fact with how well it matches the question."""

    fact: Fact
    score: float
    recall: float


@dataclass
class Series:
    """Facts sharing subject and attribute, ordered by time: a yearly series."""

    subject: str
    attribute: str
    facts: list[Fact] = field(default_factory=list)

    @property
    def times(self) -> list[str]:
        return [f.time for f in self.facts if f.time]

    def at(self, year: int) -> list[Fact]:
        """The facts of ``year``."""
        return [f for f in self.facts if f.year == year]


def number_of(fact: Fact) -> float | None:
    """The fact's value as a number, when it starts with one (50余 → 50, 1.2万 → 12000)."""
    match = _NUMBER.match(fact.value)
    if not match:
        return None
    number = float(match.group())
    if fact.value[match.end() : match.end() + 1] == "万":
        number *= 10_000
    return number


def key_text(fact: Fact) -> str:
    """What a fact is about: subject, attribute and qualifiers."""
    return " ".join([fact.subject, fact.attribute, *fact.qualifiers])


class FactSearch:
    """Find the facts a question is about."""

    def __init__(
        self, facts: list[Fact], tokenizer: Tokenizer, weight: Callable[[str], float]
    ) -> None:
        self.facts = facts
        self.weight = weight
        self.terms = [
            FactTerms(
                key_words=frozenset(tokenizer.tokenise(key_text(f))),
                key=frozenset(tokenizer.index_terms(key_text(f))),
                value=frozenset(tokenizer.index_terms(f.value)),
                evidence=frozenset(tokenizer.index_terms(f.evidence)),
            )
            for f in facts
        ]
        self.series: dict[tuple[str, str], Series] = {}
        for fact in facts:
            key = (fact.subject, fact.attribute)
            self.series.setdefault(key, Series(fact.subject, fact.attribute)).facts.append(fact)
        for series in self.series.values():
            series.facts.sort(key=lambda f: f.time or "")
        subjects = Counter(f.subject for f in facts)
        self.main_subject = subjects.most_common(1)[0][0] if subjects else ""

    def _weight(self, terms: set[str] | frozenset[str]) -> float:
        return sum(self.weight(t) for t in terms)

    def match(self, question: Question, asked: set[str]) -> list[FactMatch]:
        """Facts scored against the question's content terms ``asked``, best first."""
        total = self._weight(asked)
        if total == 0:
            return []
        numbers = set(_NUMBER.findall(question.normalised))
        matches = []
        for fact, terms in zip(self.facts, self.terms, strict=True):
            covered = asked & (terms.key | terms.value)
            weak = (asked & terms.evidence) - covered
            recall = (self._weight(covered) + 0.5 * self._weight(weak)) / total
            if recall == 0:
                continue
            key_weight = self._weight(terms.key_words)
            precision = self._weight(terms.key & asked) / key_weight if key_weight else 0.0
            precision = min(precision, 1.0)
            score = 2 * recall * precision / (recall + precision) if precision else 0.0
            score = 0.75 * recall + 0.25 * score
            if number_of(fact) is not None and fact.value.rstrip("余") in numbers:
                score += 0.2
            if fact.subject == self.main_subject:
                score += _MAIN_SUBJECT_BONUS
            matches.append(FactMatch(fact, min(score, 1.0), recall))
        matches.sort(key=lambda m: -m.score)
        return matches

    def series_of(self, fact: Fact) -> Series:
        """The series the fact belongs to."""
        return self.series[(fact.subject, fact.attribute)]
