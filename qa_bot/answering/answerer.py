"""Compose an answer: guard the input, analyse, try facts, then passages, else abstain."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from qa_bot.answering import templates
from qa_bot.answering.fact_answers import FactAnswer, FactAnswerer
from qa_bot.answering.intent import QType, Question, analyse
from qa_bot.answering.passages import PassageAnswer, PassageSearch, lacks_quantity
from qa_bot.answering.phrasing import is_greeting, standardise, strip_phrasing
from qa_bot.loader import Knowledge
from qa_bot.models import Passage, Reply, Source
from qa_bot.settings import AnswerSettings
from qa_bot.text import normalise
from qa_bot.tokenizer import Tokenizer, word_list

OPERATORS = frozenset(word_list("operators"))
_SUPPORTED = 0.8  # sentence coverage above which a passage confirms a yes/no question


@dataclass
class Outcome:
    """A reply with what the dialog needs to remember about it."""

    reply: Reply
    qtype: str | None = None
    years: list[int] = field(default_factory=list)
    entity: str | None = None
    options: list[str] = field(default_factory=list)
    more: list[str] = field(default_factory=list)
    on_topic: bool = True  # False when nothing in the knowledge matched the question


@dataclass
class Answerer:
    """Turns one question into a Reply; knows nothing about sessions or channels."""

    knowledge: Knowledge
    tokenizer: Tokenizer
    passages: PassageSearch
    settings: AnswerSettings
    facts: FactAnswerer
    find_examples: Callable[[], list[str]]
    _examples: list[str] | None = None
    _example_terms: list[tuple[str, set[str]]] | None = None

    @property
    def examples(self) -> list[str]:
        """Questions this bot answers, found on first need (they cost a few asks to check)."""
        if self._examples is None:
            self._examples = []  # asking the candidates must not recurse into examples
            self._examples = self.find_examples()
        return self._examples

    def answer(self, raw: str) -> Reply:
        """The reply to ``raw`` (see ``respond``)."""
        return self.respond(raw).reply

    def respond(self, raw: str) -> Outcome:
        """The reply to ``raw`` (never raises for any input text), with its dialog details.

        Lone surrogates and unassigned code points are dropped first, so that every Reply
        (which echoes the question) can be encoded as UTF-8 JSON.
        """
        text = clean_input(raw)
        if len(text) > self.settings.max_question_chars:
            message = templates.TOO_LONG.format(
                length=len(text), limit=self.settings.max_question_chars
            )
            return Outcome(self.refusal(text[: self.settings.max_question_chars] + "…", message))
        if not text:
            return Outcome(self.refusal(text, templates.EMPTY.format(example=self.first_example())))
        normalised = normalise(text)
        if is_greeting(normalised):
            return Outcome(self.help(text))
        asked_text = strip_phrasing(normalised)
        terms = self.tokenizer.tokenise(asked_text)
        if not terms:
            message = templates.NOT_A_QUESTION.format(example=self.first_example())
            return Outcome(self.refusal(text, message))
        question = analyse(text, standardise(normalised), terms)
        tags = self.tokenizer.tags(asked_text)
        question.weights = self.passages.question_weights(terms, tags)
        names = self.tokenizer.proper_nouns(tags)
        hits = self.passages.index.top(question.terms, self.settings.top_k)
        asked = {t for t in terms if not t.replace(".", "", 1).isdigit() and t not in OPERATORS}
        top_doc = self.passages.passages[hits[0][0]].doc_id if hits else None
        from_facts = self.facts.answer(question, asked, names, top_doc)
        if from_facts is not None:
            return Outcome(
                self.fact_reply(question, from_facts),
                qtype=question.qtype,
                years=question.years,
                entity=fact_entity(question, from_facts),
                options=from_facts.options,
                more=from_facts.more,
            )
        found = self.passages.answer(question, hits, names)
        if found is None:
            return Outcome(self.abstain(question), on_topic=False)
        related = [self.source(p, score, p.text) for p, score in found.ranked]
        if found.missing_names:
            return Outcome(self.abstain(question, 0.0, related), on_topic=False)
        confidence = passage_confidence(found, question)
        if confidence < self.settings.abstain_threshold:
            return Outcome(self.abstain(question, confidence, related), on_topic=False)
        return Outcome(
            self.passage_reply(question, found, confidence),
            qtype=question.qtype,
            years=question.years,
            entity=passage_entity(question, names),
            more=found.runners_up,
        )

    def first_example(self) -> str:
        return self.examples[0] if self.examples else "这篇文档讲了什么？"

    def passage_reply(self, question: Question, found: PassageAnswer, confidence: float) -> Reply:
        """A reply quoting the best sentence (a yes/no question gets its 是的 when the sentence
        covers everything asked)."""
        answer = found.answer
        if question.qtype == QType.YESNO and found.sentence_coverage >= _SUPPORTED:
            answer = templates.YES.format(statement=answer)
        chosen = self.source(found.passage, found.score, found.sentence)
        others = [self.source(p, s, p.text) for p, s in found.ranked if p.id != found.passage.id]
        sources = [chosen, *others]
        return Reply(
            question=question.raw,
            answer=answer,
            text=templates.reply_text(answer, sources[:1], []),
            answered=True,
            confidence=round(confidence, 4),
            kind="passage",
            sources=sources,
        )

    def fact_reply(self, question: Question, found: FactAnswer) -> Reply:
        """A reply stating facts, cited to the documents their evidence comes from."""
        sources = []
        for fact in found.facts:
            passage, _ = self.facts.passage_of(fact)
            doc = self.knowledge.document(fact.doc)
            sources.append(
                Source(
                    doc_id=doc.id,
                    title=doc.title,
                    section=passage.section if passage else "",
                    passage_id=passage.id if passage else "",
                    snippet=fact.evidence,
                    score=round(found.confidence, 4),
                )
            )
        if not found.answered:
            suggestions = self.suggest(question)
            return Reply(
                question=question.raw,
                answer=found.answer,
                text=templates.reply_text(found.answer, sources[:1], suggestions),
                answered=False,
                confidence=round(found.confidence, 4),
                kind="abstain",
                sources=sources,
                suggestions=suggestions,
            )
        kind = found.kind if found.kind in {"compute", "clarify"} else "fact"
        return Reply(
            question=question.raw,
            answer=found.answer,
            text=templates.reply_text(found.answer, sources[:1], []),
            answered=True,
            confidence=round(found.confidence, 4),
            kind=kind,
            sources=sources,
        )

    def source(self, passage: Passage, score: float, snippet: str) -> Source:
        """A citation of ``passage`` with its retrieval score."""
        doc = self.knowledge.document(passage.doc_id)
        return Source(
            doc_id=doc.id,
            title=doc.title,
            section=passage.section,
            passage_id=passage.id,
            snippet=snippet[:200],
            score=round(score, 4),
        )

    def abstain(
        self, question: Question, confidence: float = 0.0, related: list[Source] | None = None
    ) -> Reply:
        """Not answered: say so, offer close questions, and list the passages consulted."""
        suggestions = self.suggest(question)
        return Reply(
            question=question.raw,
            answer=templates.ABSTAIN,
            text=templates.reply_text(templates.ABSTAIN, [], suggestions),
            answered=False,
            confidence=round(min(confidence, 1.0), 4),
            kind="abstain",
            sources=related or [],
            suggestions=suggestions,
        )

    def suggest(self, question: Question) -> list[str]:
        """The example questions closest to what was asked (by shared index terms)."""
        if self._example_terms is None:
            self._example_terms = [(e, set(self.tokenizer.tokenise(e))) for e in self.examples]
        asked = set(question.terms)
        scored = []
        for example, terms in self._example_terms:
            shared = asked & terms
            scored.append((sum(self.passages.weight(t) for t in shared), example))
        scored.sort(key=lambda pair: -pair[0])
        return [example for _, example in scored[: self.settings.suggestions]]

    def help(self, raw: str) -> Reply:
        examples = self.examples[: self.settings.suggestions]
        message = templates.HELP.format(documents=len(self.knowledge.documents))
        return Reply(
            question=raw,
            answer=message,
            text="\n".join([message, *(f"· {e}" for e in examples)]),
            answered=False,
            confidence=1.0,
            kind="help",
            suggestions=examples,
        )

    def refusal(self, raw: str, message: str) -> Reply:
        return Reply(
            question=raw,
            answer=message,
            text=message,
            answered=False,
            confidence=0.0,
            kind="help",
        )


def fact_entity(question: Question, found: FactAnswer) -> str | None:
    """What a later 它 refers to: the thing answered about (what was asked for, when the
    question asked what or which; else the fact's subject)."""
    if not found.facts:
        return None
    fact = found.facts[0]
    if question.qtype in {QType.WHAT, QType.LIST} and fact.kind != "metric":
        return fact.value
    return fact.subject


def passage_entity(question: Question, names: set[str]) -> str | None:
    """What a later 它 refers to after a passage answer: the question's rarest term."""
    candidates = sorted(question.weights, key=lambda t: -question.weights[t])
    named = [t for t in candidates if t in names]
    pick = named or candidates
    return pick[0] if pick else None


def clean_input(raw: str) -> str:
    """Strip the question; lone surrogates and other unencodable characters are dropped."""
    text = raw.encode("utf-8", "ignore").decode("utf-8")
    text = "".join(ch for ch in text if unicodedata.category(ch) not in {"Cs", "Co", "Cn"})
    return text.strip()


def passage_confidence(found: PassageAnswer, question: Question) -> float:
    """Evidence strength in [0, 1] from the sentence's and the passage's term coverage,
    halved when a how-many question gets a sentence without any figure.
    """
    value = 0.6 * found.sentence_coverage + 0.4 * found.coverage
    if lacks_quantity(question, found.sentence):
        value /= 2
    return max(0.0, min(1.0, value))
