"""The typed output of the fact stages: a fact-based answer, or a fact-based reason not to
answer (a clarification, a missing year, a total where a part was asked)."""

from __future__ import annotations

from dataclasses import dataclass, field

from qa_bot.models import Fact


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
