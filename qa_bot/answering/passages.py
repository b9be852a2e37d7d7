"""Passage answers: retrieve passages with BM25, then pick the sentence that answers.

Raw BM25 scores are not comparable across questions, so the evidence strength is expressed as
*coverage*: the idf-weighted share of the question's terms that the chosen sentence (and its
passage) contain. Terms the knowledge base has never seen weigh the most: a question about
something absent (常住人口) cannot be covered, whatever else it shares.
"""

from __future__ import annotations

import math
import re
from collections.abc import Set
from dataclasses import dataclass
from functools import lru_cache

from qa_bot.answering.intent import QType, Question
from qa_bot.answering.sentences import as_sentence, clauses, sentences
from qa_bot.index import BM25Index
from qa_bot.models import Passage
from qa_bot.tokenizer import Tokenizer

_TYPE_EVIDENCE: dict[QType, re.Pattern[str]] = {
    QType.NUMBER: re.compile(r"\d|[一二三四五六七八九十百千万两]+[个家项名位人倍次]"),
    QType.COMPUTE: re.compile(r"\d"),
    QType.COMPARE: re.compile(r"\d|最|第一"),
    QType.DATE: re.compile(r"\d{4}年|\d{1,2}月|\d{1,2}日"),
    QType.WHO: re.compile(r"由|主办|研发|院士|书记|市长|省长|公司|大学|学院|协会|局|部|委"),
    QType.WHERE: re.compile(r"在|位于|于|落户|地区|区|县|市"),
    QType.LIST: re.compile(r"、|和|及|等"),
}


@dataclass
class PassageAnswer:
    """The best sentence found for a question, with its evidence strength."""

    passage: Passage
    sentence: str
    answer: str
    score: float
    coverage: float
    sentence_coverage: float
    ranked: list[tuple[Passage, float]]


class PassageSearch:
    """BM25 over the passages of a knowledge base, plus sentence selection."""

    def __init__(
        self, passages: list[Passage], tokenizer: Tokenizer, max_answer_chars: int
    ) -> None:
        self.passages = passages
        self.tokenizer = tokenizer
        self.max_answer_chars = max_answer_chars
        self.index = BM25Index([tokenizer.index_terms(p.text) for p in passages])
        self._unknown_weight = math.log(self.index.size + 1) + 1.0
        self._sentences = lru_cache(maxsize=4096)(self._split)

    def weight(self, term: str) -> float:
        """A term's idf; terms the knowledge base never uses weigh more than any known one."""
        return self.index.idf.get(term, self._unknown_weight)

    def coverage(self, terms: set[str], present: Set[str]) -> float:
        """The idf-weighted share of ``terms`` found in ``present``."""
        total = sum(self.weight(t) for t in terms)
        if total == 0:
            return 0.0
        return sum(self.weight(t) for t in terms & present) / total

    def retrieve(self, terms: list[str], k: int) -> list[tuple[Passage, float]]:
        """The top ``k`` passages for the terms, best first."""
        return [(self.passages[i], score) for i, score in self.index.top(terms, k)]

    def _split(self, position: int) -> list[tuple[str, frozenset[str]]]:
        """The sentences of passage ``position`` with their index terms (cached)."""
        text = self.passages[position].text
        return [(s, frozenset(self.tokenizer.index_terms(s))) for s in sentences(text)]

    def answer(self, question: Question, k: int) -> PassageAnswer | None:
        """The best sentence among the top ``k`` passages, or None when nothing matches."""
        hits = self.index.top(question.terms, k)
        if not hits:
            return None
        terms = set(question.terms)
        top_score = hits[0][1]
        best: PassageAnswer | None = None
        best_rank = -math.inf
        for position, score in hits:
            split = self._sentences(position)
            passage_terms = frozenset().union(*(t for _, t in split))
            passage_coverage = self.coverage(terms, passage_terms)
            for sentence, sentence_terms in split:
                sentence_coverage = self.coverage(terms, sentence_terms)
                rank = (
                    0.55 * sentence_coverage
                    + 0.25 * passage_coverage * (score / top_score)
                    + type_bonus(question, sentence)
                )
                if rank > best_rank:
                    best_rank = rank
                    best = PassageAnswer(
                        passage=self.passages[position],
                        sentence=sentence,
                        answer=self.concise(sentence, question),
                        score=score,
                        coverage=passage_coverage,
                        sentence_coverage=sentence_coverage,
                        ranked=[(self.passages[i], s) for i, s in hits],
                    )
        return best

    def concise(self, sentence: str, question: Question) -> str:
        """The sentence itself, or its best run of clauses when it is too long."""
        if len(sentence) <= self.max_answer_chars:
            return as_sentence(sentence)
        parts = clauses(sentence)
        terms = set(question.terms)
        best, best_rank = parts[0], -math.inf
        for start in range(len(parts)):
            run = ""
            for part in parts[start:]:
                if run and len(run) + len(part) > self.max_answer_chars:
                    break
                run += part
                covered = self.coverage(terms, set(self.tokenizer.index_terms(run)))
                rank = covered + type_bonus(question, run) - 0.001 * len(run)
                if rank > best_rank:
                    best, best_rank = run, rank
        return as_sentence(best[: self.max_answer_chars])


def type_bonus(question: Question, text: str) -> float:
    """Prefer text that has the kind of thing asked for and the year asked about."""
    bonus = 0.0
    pattern = _TYPE_EVIDENCE.get(question.qtype)
    if pattern is not None and pattern.search(text):
        bonus += 0.1
    if question.years:
        named = {int(y) for y in re.findall(r"(?<!\d)((?:19|20)\d{2})(?!\d)", text)}
        if named & set(question.years):
            bonus += 0.2
        elif named:
            bonus -= 0.1
    return bonus
