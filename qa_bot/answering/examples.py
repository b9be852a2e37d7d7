"""Example questions: built from the knowledge, kept only when the bot really answers them.

They are offered under an abstention (the closest ones to what was asked), in the help
reply and to an empty message. Checking them costs a few asks, so they are found on first
need, once, behind a lock.
"""

from __future__ import annotations

import math
import threading
import zlib
from collections.abc import Callable

from qa_bot.answering.intent import Question
from qa_bot.answering.templates import time_text
from qa_bot.answering.terms import TermScorer
from qa_bot.loader import Knowledge
from qa_bot.models import Fact

MAX_CANDIDATES = 60
FALLBACK = "这篇文档讲了什么？"


class Examples:
    """The example questions of one knowledge base.

    ``answers`` tells whether the bot answers a question; it is the pipeline without this
    stage, so finding examples never recurses into examples.
    """

    def __init__(
        self, knowledge: Knowledge, answers: Callable[[str], bool], scorer: TermScorer
    ) -> None:
        self.knowledge = knowledge
        self.answers = answers
        self.scorer = scorer
        self._found: list[tuple[str, set[str]]] | None = None
        self._lock = threading.Lock()

    def all(self) -> list[str]:
        """Every example question, in the order they were built."""
        return [example for example, _ in self._examples()]

    def first(self) -> str:
        """One example to show with an empty or unreadable message."""
        found = self.all()
        return found[0] if found else FALLBACK

    def closest(self, question: Question, count: int) -> list[str]:
        """The ``count`` examples closest to what was asked (by shared index terms); among
        equally close ones, a choice that depends on the question, so that two unrelated
        questions are not both offered the same first few examples."""
        asked = set(question.terms)
        scored = [
            (math.fsum(self.scorer.weight(t) for t in asked & terms), example)
            for example, terms in self._examples()
        ]
        seed = question.normalised.encode()
        scored.sort(key=lambda pair: (-pair[0], zlib.crc32(seed + pair[1].encode())))
        return [example for _, example in scored[:count]]

    def _examples(self) -> list[tuple[str, set[str]]]:
        with self._lock:
            if self._found is None:
                tokenise = self.scorer.tokenizer.tokenise
                self._found = [(e, set(tokenise(e))) for e in self._answerable()]
            return self._found

    def _answerable(self) -> list[str]:
        """Candidates from facts when there are any (one per series), else from document
        titles and sections; those the bot answers."""
        candidates = fact_questions(self.knowledge.facts)
        if not candidates:
            candidates = [f"{doc.title}讲了什么？" for doc in self.knowledge.documents]
            sections = dict.fromkeys(p.section for p in self.knowledge.passages if p.section)
            candidates += [f"{section.split(' › ')[-1]}是怎么回事？" for section in sections]
        return [c for c in candidates[:MAX_CANDIDATES] if self.answers(c)]


def fact_questions(facts: list[Fact]) -> list[str]:
    """One natural question per fact series: 2020年衡阳市高新技术企业数量是多少？"""
    metrics: dict[tuple[str, str], str] = {}
    events: list[str] = []
    for fact in facts:
        if fact.kind == "metric":
            when = time_text(fact.time)
            if when and fact.subject.startswith(when):
                when = ""  # 2020年大数据…论坛: the subject already says its year
            metrics[(fact.subject, fact.attribute)] = (
                f"{when}{fact.subject}{fact.attribute}是多少？"
            )
        elif fact.kind == "event" and fact.value not in fact.attribute:
            events.append(f"{fact.subject}{fact.attribute}{fact.value}是在什么时候？")
    return list(metrics.values()) + events
