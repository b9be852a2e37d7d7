"""Fact retrieval: which facts a question is about, grouped into series over time.

A fact is matched on its *key* (subject, attribute, qualifiers) and, more weakly, its value
and evidence. The match score is an F-measure between the question's terms and the fact's
key terms, both weighted by idf: a fact that covers everything asked and asks nothing extra
scores 1.
"""

from __future__ import annotations

import math
import re
import threading
from collections import Counter, defaultdict
from collections.abc import Callable, Set
from dataclasses import dataclass, field, replace

from qa_bot.answering.intent import Question
from qa_bot.answering.terms import Terms, TermScorer
from qa_bot.lexicon import NUMBER, operators
from qa_bot.models import Fact
from qa_bot.weights import ScoringWeights


@dataclass(frozen=True)
class FactTerms:
    """The terms of one fact: what it is about (key and value) and its evidence."""

    about: Terms
    key_words: frozenset[str]
    evidence: frozenset[str]
    key_weight: float  # the idf sum of the key words (precision's denominator)
    numeric: bool  # whether the value is a number


@dataclass
class FactMatch:
    """A fact with how well it matches the question."""

    fact: Fact
    score: float
    recall: float
    position: int = -1  # in FactSearch.facts


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
    match = NUMBER.match(fact.value)
    if not match:
        return None
    number = float(match.group())
    if fact.value[match.end() : match.end() + 1] == "万":
        number *= 10_000
    return number


def year_value(fact: Fact) -> int | None:
    """The year a fact's value is (创办年份: 2018 in 年, or 2018年5月), or None when its value
    is no year (2018 in 个 is a count)."""
    match = _YEAR_VALUE.fullmatch(fact.value.strip())
    if match is None or (fact.unit != "年" and "年" not in fact.value):
        return None
    return int(match.group(1))


_YEAR_VALUE = re.compile(r"((?:1[0-9]|20)\d{2})年?(?:\d{1,2}月(?:\d{1,2}日)?)?")


def series_key(fact: Fact) -> tuple[str, str, str]:
    """Facts of one series share subject and attribute; extracted ones also their document
    (two documents' 数量 of 高新技术企业 are not known to be the same count)."""
    return (fact.subject, fact.attribute, fact.doc if fact.extracted else "")


def measure_key(fact: Fact) -> str:
    """What a fact measures: attribute and qualifiers, without its subject (申报科技企业数量
    申报), where a qualifying word (申报, 预计) is looked for."""
    return " ".join([fact.attribute, *fact.qualifiers])


def key_text(fact: Fact) -> str:
    """What a fact is about: subject, attribute and qualifiers."""
    return " ".join([fact.subject, fact.attribute, *fact.qualifiers])


class FactSearch:
    """Find the facts a question is about.

    Hand-written facts are indexed at start-up; facts extracted from a document's text are
    read and indexed the first time that document is the one retrieval ranks first (``extract``),
    so a large archive costs nothing until its documents are asked about. Candidates come from
    an inverted index (term → facts), so only facts sharing a term with the question are scored.
    """

    def __init__(
        self,
        facts: list[Fact],
        scorer: TermScorer,
        weights: ScoringWeights,
        extract: Callable[[str], list[Fact]] | None = None,
    ) -> None:
        self.scorer = scorer
        self.weights = weights
        self.operators = operators()
        self.extract = extract
        self.facts: list[Fact] = []
        self.terms: list[FactTerms] = []
        self.postings: dict[str, list[int]] = defaultdict(list)
        self.series: dict[tuple[str, str, str], Series] = {}
        self._documents_read: set[str] = set()
        self._lock = threading.Lock()
        for fact in facts:
            self._add(fact)
        subjects = Counter(f.subject for f in facts)
        self.main_subject = subjects.most_common(1)[0][0] if subjects else ""

    def _add(self, fact: Fact) -> None:
        about = self.scorer.terms(f"{key_text(fact)} {fact.value}")
        key = self.scorer.terms(
            key_text(fact) if fact.kind == "metric" else f"{key_text(fact)} {fact.value}"
        )
        key_words = key.words - self.operators
        terms = FactTerms(
            about=about,
            key_words=key_words,
            evidence=frozenset(self.scorer.tokenizer.index_terms(fact.evidence)),
            key_weight=self._weight(key_words),
            numeric=number_of(fact) is not None,
        )
        position = len(self.facts)
        self.facts.append(fact)
        self.terms.append(terms)
        for term in about.words | about.parts | terms.evidence:
            self.postings[term].append(position)
        series = self.series.setdefault(series_key(fact), Series(fact.subject, fact.attribute))
        # A new list, not an in-place sort: another thread may be reading the old one.
        series.facts = sorted([*series.facts, fact], key=lambda f: f.time or "")

    def read_document(self, doc_id: str) -> None:
        """Index the facts extracted from ``doc_id`` (once)."""
        if self.extract is None or doc_id in self._documents_read:
            return
        with self._lock:
            if doc_id in self._documents_read:
                return
            for fact in self.extract(doc_id):
                self._add(fact)
            self._documents_read.add(doc_id)

    def candidates(self, asked: Set[str]) -> list[int]:
        """Facts sharing a term (or a known piece or stand-in of an unknown term) with the
        question."""
        found: set[int] = set()
        for term in asked:
            found.update(self.postings.get(term, ()))
            if term not in self.scorer.idf:
                for piece in self.scorer.pieces(term) | self.scorer.stand_ins(term):
                    found.update(self.postings.get(piece, ()))
        return sorted(found)

    def _weight(self, terms: Set[str]) -> float:
        return math.fsum(self.scorer.weight(t) for t in terms)

    def match_with_terms(
        self, question: Question, asked: set[str]
    ) -> list[tuple[FactMatch, frozenset[str]]]:
        """Like ``match``, each with the words of the fact's key and value."""
        return [(m, self.terms[m.position].about.words) for m in self.match(question, asked)]

    def match(self, question: Question, asked: set[str]) -> list[FactMatch]:
        """Facts scored against the question's content terms ``asked``, best first.

        recall: how much of the question the fact's key, value (and, for half, its evidence)
        cover; precision: how much of the fact's key the question mentions. The score leans on
        recall; precision separates 高新技术企业数量 from 申报高新技术企业数量.
        """
        weights = {t: question.weights.get(t, self.scorer.weight(t)) for t in asked}
        total = math.fsum(weights.values())
        if total == 0:
            return []
        numbers = set(NUMBER.findall(question.normalised))
        bonus = self.weights
        matches = []
        for position in self.candidates(asked):
            fact, terms = self.facts[position], self.terms[position]
            about = self.scorer.coverage(weights, terms.about)
            weak = (asked & terms.evidence) - terms.about.words - terms.about.parts
            recall = about + bonus.part_credit * math.fsum(weights[t] for t in weak) / total
            if recall == 0:
                continue
            key_weight = terms.key_weight
            named = terms.key_words & (asked | question.expansions.keys() | terms.about.parts)
            precision = min(1.0, self._weight(named) / key_weight) if key_weight else 0.0
            f_measure = 2 * recall * precision / (recall + precision) if precision else 0.0
            score = bonus.fact_recall * recall + (1 - bonus.fact_recall) * f_measure
            if terms.numeric and fact.value.rstrip("余") in numbers:
                score += bonus.fact_number_bonus
            if fact.subject == self.main_subject:
                score += bonus.main_subject_bonus
            if question.hints & (terms.about.words | terms.about.parts):
                score += bonus.fact_hint_bonus
            if question.unit and fact.unit:
                same = fact.unit.endswith(question.unit) or question.unit.endswith(fact.unit)
                score += bonus.fact_unit_bonus if same else -bonus.fact_unit_bonus
            matches.append(FactMatch(fact, min(score, 1.0), recall, position))
        matches.sort(key=lambda m: -m.score)
        return matches

    def match_part(
        self, question: Question, own: Set[str], context: Set[str], share: float
    ) -> list[tuple[FactMatch, float]]:
        """Facts for one phrase of a question that names several (A加上B): matched on the
        phrase's own terms, with the rest of the question's terms weighing ``share`` as much.

        Each match comes with its coverage of the phrase's own terms (key, value or evidence):
        the phrase must be about the fact, whatever the context adds.
        """
        weights = {t: question.weights.get(t) or self.scorer.weight(t) for t in own}
        own_weights = dict(weights)
        for term in context:
            if term not in weights:
                weights[term] = share * (question.weights.get(term) or self.scorer.weight(term))
        phrase = replace(question, weights=weights)
        found = []
        for match in self.match(phrase, set(weights)):
            terms = self.terms[match.position]
            said = terms.about | Terms(terms.evidence, frozenset())
            found.append((match, self.scorer.coverage(own_weights, said)))
        return found

    def series_of(self, fact: Fact) -> Series:
        """The series the fact belongs to."""
        return self.series[series_key(fact)]
