"""Rendering stage: a decision worded as a ``Reply``, with its citations and suggestions."""

from __future__ import annotations

from dataclasses import replace

from qa_bot.answering import templates
from qa_bot.answering.decision import Decision
from qa_bot.answering.document_answer import DocumentAnswer
from qa_bot.answering.fact_answer import FactAnswer
from qa_bot.answering.fact_answers import FactAnswerer
from qa_bot.answering.intent import QType, Question
from qa_bot.answering.reading import PassageAnswer
from qa_bot.answering.verdicts import worded_for_errors
from qa_bot.loader import Knowledge
from qa_bot.models import Passage, Reply, Source
from qa_bot.sentences import as_sentence
from qa_bot.settings import AnswerSettings

_SAID_ONLY = {
    "stated_only": templates.MEMBERS_UNSAID,
    "expected_only": templates.FORECAST_ONLY,
    "approximate_only": templates.APPROXIMATE_ONLY,
    "new_record_only": templates.NEW_RECORD_ONLY,
    "then_only": templates.THEN_ONLY,
}


_LACKS = ("lacks_type", "lacks_focus", "undefined")  # abstentions that show the sentence


class Renderer:
    """Stage 6: the reply a chat shows, from the templates."""

    def __init__(self, knowledge: Knowledge, facts: FactAnswerer, settings: AnswerSettings) -> None:
        self.knowledge = knowledge
        self.facts = facts
        self.max_question_chars = settings.max_question_chars
        self.weights = settings.weights

    def run(self, decision: Decision, suggestions: list[str], example: str) -> Reply:
        """The reply for ``decision``; ``suggestions`` are shown under an abstention or a
        greeting, ``example`` is offered to a message that is not a question."""
        guarded = decision.guarded
        if decision.action == "refuse":
            return refusal(guarded.text, self.refusal_text(decision, example))
        if decision.action == "help":
            return self.help(guarded.text, suggestions)
        if decision.document is not None:
            return document_reply(guarded.text, decision.document)
        question = decision.question
        assert question is not None
        if decision.action == "facts":
            assert decision.facts is not None
            found = decision.facts
            answer = worded_for_errors(question.raw, found.answer)
            return self.fact_reply(question.raw, replace(found, answer=answer), suggestions)
        if decision.action == "passage":
            assert decision.passage is not None
            return self.passage_reply(question, decision.passage, decision.confidence)
        related = [self.source(p, score, p.text) for p, score in decision.related]
        reply = abstain(question.raw, decision.confidence, related, suggestions)
        if decision.passage is not None and decision.reason in _SAID_ONLY:
            said = as_sentence(decision.passage.answer)
            answer = _SAID_ONLY[decision.reason].format(statement=said)
            text = templates.reply_text(answer, [], reply.suggestions)
            return reply.model_copy(update={"answer": answer, "text": text})
        if decision.passage is not None and decision.reason in _LACKS:
            what = focus_as_typed(question) if decision.reason == "lacks_focus" else None
            what = templates.MEANING if decision.reason == "undefined" else what
            return near_miss(reply, question, decision.passage.answer, what)
        return reply

    def refusal_text(self, decision: Decision, example: str) -> str:
        """Why a message is not looked up, with an example of what to ask."""
        if decision.reason == "too_long":
            limit = self.max_question_chars
            return templates.TOO_LONG.format(length=decision.guarded.length, limit=limit)
        if decision.reason == "empty":
            return templates.EMPTY.format(example=example)
        return templates.NOT_A_QUESTION.format(example=example)

    def passage_reply(self, question: Question, found: PassageAnswer, confidence: float) -> Reply:
        """A reply quoting the best sentence (a yes/no question gets its verdict: 是的 when the
        sentence covers everything asked, 不是 when it says otherwise)."""
        raw, answer = question.raw, found.answer
        if question.qtype == QType.YESNO:
            verify = self.facts.verifier.sentence
            answer = verify(question, answer, found.sentence, found.sentence_coverage)
            answer = worded_for_errors(raw, answer)
        chosen = self.source(found.passage, found.score, found.sentence)
        others = [self.source(p, s, p.text) for p, s in found.ranked if p.id != found.passage.id]
        sources = [chosen, *others]
        return Reply(
            question=raw,
            answer=answer,
            text=templates.reply_text(answer, sources[:1], []),
            answered=True,
            confidence=round(confidence, 4),
            kind="passage",
            sources=sources,
        )

    def fact_reply(self, raw: str, found: FactAnswer, suggestions: list[str]) -> Reply:
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
            return Reply(
                question=raw,
                answer=found.answer,
                text=templates.reply_text(found.answer, sources[:1], suggestions),
                answered=False,
                confidence=round(found.confidence, 4),
                kind="abstain",
                sources=sources,
                suggestions=suggestions,
            )
        kind = found.kind if found.kind in {"compute", "clarify", "list"} else "fact"
        return Reply(
            question=raw,
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

    def help(self, raw: str, examples: list[str]) -> Reply:
        """What the bot can do, with example questions."""
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


def document_reply(raw: str, found: DocumentAnswer) -> Reply:
    """An answer about a document itself, cited to it (a list or a clarification names
    several documents, so its text shows no single source line)."""
    cited = found.sources[:1] if found.doc_id is not None else []
    return Reply(
        question=raw,
        answer=found.answer,
        text=templates.reply_text(found.answer, cited, []),
        answered=found.answered,
        confidence=round(found.confidence, 4),
        kind=found.kind,
        sources=found.sources,
    )


def abstain(raw: str, confidence: float, related: list[Source], suggestions: list[str]) -> Reply:
    """Not answered: say so, offer close questions, and list the passages consulted."""
    return Reply(
        question=raw,
        answer=templates.ABSTAIN,
        text=templates.reply_text(templates.ABSTAIN, [], suggestions),
        answered=False,
        confidence=round(min(confidence, 1.0), 4),
        kind="abstain",
        sources=related,
        suggestions=suggestions,
    )


def near_miss(reply: Reply, question: Question, found: str, what: str | None = None) -> Reply:
    """An abstention that says what the text does hold: the sentence about the question
    that lacks the asked kind (a month where the day was asked) or ``what`` the question
    counts or asks who is (副组长), for the asker to judge."""
    what = what or templates.ASKED_KIND.get(str(question.expected))
    if what is None:
        return reply
    answer = templates.LACKS_KIND.format(what=what, found=found)
    text = templates.reply_text(answer, [], reply.suggestions)
    return reply.model_copy(update={"answer": answer, "text": text})


def refusal(raw: str, message: str) -> Reply:
    """A message that is not a question: said why, nothing looked up."""
    return Reply(
        question=raw,
        answer=message,
        text=message,
        answered=False,
        confidence=0.0,
        kind="help",
    )


def focus_as_typed(question: Question) -> str | None:
    """The question's focus as the asker wrote its letters (GDP, not the normalised gdp)."""
    focus = question.focus
    if focus is None:
        return None
    at = question.raw.lower().find(focus)
    return question.raw[at : at + len(focus)] if at >= 0 else focus
