"""Question analysis stage: a guarded message → a ``Question`` (type, slots, weighted terms)."""

from __future__ import annotations

from qa_bot.answering.guard import Guarded
from qa_bot.answering.intent import Question, analyse
from qa_bot.answering.terms import TermScorer
from qa_bot.lexicon import operators
from qa_bot.tokenizer import Tokenizer


class Analyser:
    """Stage 2: tokenise once, type the question, weigh its terms, find its names."""

    def __init__(self, tokenizer: Tokenizer, scorer: TermScorer) -> None:
        self.tokenizer = tokenizer
        self.scorer = scorer

    def run(self, guarded: Guarded) -> Question | None:
        """The analysed question, or None when it has no term to look up (“？？”, “嗯”)."""
        terms = self.tokenizer.tokenise(guarded.asked)
        if not terms:
            return None
        question = analyse(guarded.text, guarded.standard, terms)
        tags = self.tokenizer.tags(guarded.asked)
        question.weights = self.scorer.question_weights(terms, tags)
        # A name the knowledge writes otherwise (雷射 for 激光) is not missing from it.
        names = self.tokenizer.proper_nouns(tags)
        question.names = {name for name in names if not self.scorer.stand_ins(name)}
        question.asked = {
            t for t in terms if t in question.weights and not is_figure(t) and t not in operators()
        }
        question.expansions = self.scorer.expansions(sorted(question.asked))
        return question


def is_figure(term: str) -> bool:
    """A term that is a number (2019, 6.2)."""
    return term.replace(".", "", 1).isdigit()
