"""The answering pipeline: one question in, one reply (with what a dialog needs) out.

    message ─► InputGuard ─► Analyser ─► Retriever ─► FactAnswerer ┐
                  │                                └► PassageReader ┴► Decider ─► Renderer ─► Reply
                  └► DocumentQuestions (about a document itself: author, date, parts …) ──┘

A message that asks several things is first split into standalone questions (parts.py), each
answered on its own and the answers combined; a question asking for several items is answered
by the ListCollector (lists.py) when it finds them.

Each stage is built once, validated at construction, and has one ``run`` method with typed
input and output; none knows about sessions or channels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from qa_bot.answering.analysis import Analyser
from qa_bot.answering.answer_types import AnswerType
from qa_bot.answering.decision import Decider, Decision, marked_type_needed, refusal
from qa_bot.answering.document_named import asks_which_document, document_named
from qa_bot.answering.document_scope import DocumentScope
from qa_bot.answering.documents import DocumentQuestions
from qa_bot.answering.examples import Examples
from qa_bot.answering.fact_answer import FactAnswer
from qa_bot.answering.fact_answers import FactAnswerer
from qa_bot.answering.facts import FactSearch
from qa_bot.answering.guard import Guarded, InputGuard
from qa_bot.answering.homophones import HomophoneRepair
from qa_bot.answering.intent import QType, Question, months_in
from qa_bot.answering.list_replies import list_reply
from qa_bot.answering.lists import ListCollector, Rival
from qa_bot.answering.parts import combined, split_question
from qa_bot.answering.reading import PassageReader
from qa_bot.answering.referents import ReferentFinder
from qa_bot.answering.rendering import Renderer
from qa_bot.answering.retrieval import Retrieved, Retriever
from qa_bot.answering.terms import TermScorer
from qa_bot.answering.timeline import Timeline
from qa_bot.answering.year_on_year import in_order
from qa_bot.extraction import document_facts
from qa_bot.index import BM25Index
from qa_bot.loader import Knowledge
from qa_bot.models import Reply, Source
from qa_bot.settings import AnswerSettings
from qa_bot.text import normalise
from qa_bot.tokenizer import Tokenizer

_QUOTED_NAME = re.compile(r"“[^”]{2,30}”|《[^》]{2,30}》")


@dataclass
class Outcome:
    """A reply with what the dialog needs to remember about it."""

    reply: Reply
    qtype: str | None = None
    years: list[int] = field(default_factory=list)
    entity: str | None = None
    entities: dict[str, list[str]] = field(default_factory=dict)  # 他, 那里, 那个月 … by kind
    options: list[str] = field(default_factory=list)
    more: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)  # what "第二个" picks from (lists, parts)
    on_topic: bool = True  # False when nothing in the knowledge matched the question
    document: str | None = None  # the one document answered from (what 这篇 then means)
    near_miss: bool = False  # not answered, and the reply says what the knowledge lacks


class Pipeline:
    """All stages over one knowledge base; thread-safe once constructed."""

    def __init__(
        self,
        knowledge: Knowledge,
        tokenizer: Tokenizer,
        index: BM25Index,
        settings: AnswerSettings,
    ) -> None:
        weights = settings.weights
        titles = {doc.id: doc.title for doc in knowledge.documents}
        self.settings = settings
        self.scorer = TermScorer(tokenizer, index, weights)
        self.guard = InputGuard(settings.max_question_chars)
        self.documents = DocumentQuestions(knowledge, tokenizer, settings.max_answer_chars)
        self.scope = DocumentScope(knowledge.documents)
        self.analyser = Analyser(tokenizer, self.scorer)
        self.retriever = Retriever(
            knowledge.passages, titles, index, settings.top_k, knowledge.positions()
        )
        self.homophones = HomophoneRepair(
            index, knowledge.passages, self.retriever.document_text, tokenizer
        )
        # Facts are hand-written, or read from the text of the documents asked about.
        search = FactSearch(
            knowledge.facts,
            self.scorer,
            weights,
            extract=lambda doc_id: document_facts(knowledge, doc_id),
        )
        self.facts = FactAnswerer(knowledge, search, settings.fact_threshold, weights)
        self.timeline = Timeline(knowledge, self.scorer, weights)
        self.reader = PassageReader(self.retriever, self.scorer, settings.max_answer_chars, weights)
        self.decider = Decider(settings.abstain_threshold, weights)
        self.renderer = Renderer(knowledge, self.facts, settings)
        self.examples = Examples(knowledge, lambda q: self.decide(q).answered, self.scorer)
        self.referents = ReferentFinder(tokenizer)
        self.lists = ListCollector(self.retriever, self.scorer, settings.abstain_threshold, weights)

    def guarded(self, message: str) -> Guarded:
        """The message cleaned and normalised, its homophone slips repaired (燕峰区)."""
        return self.homophones.run(self.guard.run(message))

    def decide(self, message: str, document: str | None = None) -> Decision:
        """Every stage up to the decision (no wording, no suggestions); ``document`` is the
        dialog's last document (what 这篇 refers to)."""
        return self.decide_guarded(self.guarded(message), document)

    def decide_guarded(self, guarded: Guarded, document: str | None = None) -> Decision:
        """``decide`` for a guarded message; a growth over the year before that no figure
        states is computed from the two years' figures (see ``year_on_year``)."""
        tries = in_order(guarded, guarded.standard, self.guarded)
        decisions = (self.decide_once(one, document) for one in tries)
        first = next(decisions)
        return first if first.answered else next((d for d in decisions if d.answered), first)

    def decide_once(self, guarded: Guarded, document: str | None = None) -> Decision:
        """``decide`` for a message the guard has already cleaned and normalised."""
        if guarded.refusal == "greeting":
            return Decision("help", guarded)
        if guarded.refusal is not None:
            return refusal(guarded, guarded.refusal)
        about = self.documents.run(guarded, document)
        if about is not None:
            return Decision("document", guarded, document=about, confidence=about.confidence)
        guarded = self.scope.run(guarded)
        question = self.analyser.run(guarded)
        if question is None:
            return refusal(guarded, "not_a_question")
        retrieved = self.retriever.run(question)
        # Timeline questions (最早, 之后, 隔了多久, 有哪些事…) from the events; else facts.
        facts = self.timeline.run(question) or self.facts.run(question, retrieved)
        if facts is not None and facts.kind == "unfit":  # a sentence must hold the asked kind
            passage = self.reader.run(question, retrieved)
            strict = marked_type_needed(question)
            return self.decider.run(guarded, question, None, passage, strict=strict)
        if facts is not None and not facts.answered and question.months:
            dated = self.dated_passage(guarded, question, retrieved)
            if dated is not None:
                return dated
        passage = None if facts is not None else self.reader.run(question, retrieved)
        return self.decider.run(guarded, question, facts, passage)

    def dated_passage(
        self, guarded: Guarded, question: Question, retrieved: Retrieved
    ) -> Decision | None:
        """A passage answer dated the very month asked, when the facts hold nothing for it
        (no 开幕 fact for 2023年6月, yet "2023年6月12日，茶文化节在镇广场举行"): the facts
        know only the attributes they were built for, the sentence says what happened."""
        passage = self.reader.run(question, retrieved)
        if passage is None or not names_months(question.months, passage.answer):
            return None
        decision = self.decider.run(guarded, question, None, passage)
        return decision if decision.answered else None

    def run(self, message: str, document: str | None = None) -> Outcome:
        """The reply to ``message`` (never raises for any input text), with dialog details;
        a message that asks several things is answered part by part (and when every part
        finds its topic but not what it asks, so is the message). ``document`` is the dialog's
        last document."""
        guarded = self.guarded(message)
        parts = split_question(guarded.standard, self.tags) if guarded.refusal is None else []
        if parts:
            outcomes = [self.answer(self.guarded(part.question), document) for part in parts]
            reply = combined(guarded.text, parts, [found.reply for found in outcomes])
            if reply is not None:
                return parts_outcome(reply, outcomes)
            if all(found.near_miss for found in outcomes):  # what each lacks, not the whole
                first = outcomes[0]
                return replace(
                    first, reply=first.reply.model_copy(update={"question": guarded.text})
                )
        return self.answer(guarded, document)  # guarded once: normalising is the dear part

    def answer(self, guarded: Guarded, document: str | None = None) -> Outcome:
        """The reply to one question: a list when it asks for several items and they are
        found, else the decision worded."""
        decision = self.decide_guarded(guarded, document)
        listed = self.listed(decision)
        if listed is not None:
            return listed
        example = self.examples.first() if decision.action == "refuse" else ""
        reply = self.renderer.run(decision, self.suggestions(decision), example)
        if reply.answered and reply.sources and asks_which_document(guarded.normalised):
            reply = document_named(reply)
        if decision.document is not None:
            about = decision.document
            return Outcome(reply, options=about.options, document=about.doc_id)
        found = remembered(outcome(decision, reply), decision, self.referents)
        return replace(found, document=cited_document(reply))

    def listed(self, decision: Decision) -> Outcome | None:
        """The items a list question asks for, when the list collector finds them."""
        question = decision.question
        facts = decision.facts
        if facts is not None and (facts.kind == "list" or not facts.answered):
            return None  # the timeline listed a period's events, or said it has none
        if decision.reason:
            return None  # the sentence about the question lacks what it asks: no list either
        found = self.lists.run(question, rival(decision)) if question is not None else None
        if question is None or found is None:
            return None
        most, longest = self.settings.weights.list_max_items, self.settings.max_answer_chars
        reply = list_reply(question.raw, found, self.cite, most, longest)
        items = [item.text for item in found.items]
        more = [sentence for _, sentence in found.evidence]
        return Outcome(reply, qtype=question.qtype, years=question.years, items=items, more=more)

    def tags(self, text: str) -> list[tuple[str, str]]:
        """The words of ``text`` with their part-of-speech tags (for splitting questions)."""
        return [(token.word, token.tag) for token in self.scorer.tokenizer.tagged(text)]

    def cite(self, position: int, score: float, snippet: str) -> Source:
        """The citation of passage ``position``."""
        return self.renderer.source(self.retriever.passages[position], score, snippet)

    def suggestions(self, decision: Decision) -> list[str]:
        """Example questions for a greeting (the first few) or an unanswered question (the
        closest ones)."""
        count = self.settings.suggestions
        if decision.action == "help":
            return self.examples.all()[:count]
        if decision.question is not None and not decision.answered:
            return self.examples.closest(decision.question, count)
        return []


def outcome(decision: Decision, reply: Reply) -> Outcome:
    """The reply with what a follow-up may refer back to."""
    question = decision.question
    if question is None:
        return Outcome(reply)
    if decision.action == "facts":
        found = decision.facts
        assert found is not None
        return Outcome(
            reply,
            qtype=question.qtype,
            years=question.years,
            entity=fact_entity(question, found),
            options=found.options,
            more=found.more,
            near_miss=not found.answered,
        )
    if decision.action == "passage":
        assert decision.passage is not None
        return Outcome(
            reply,
            qtype=question.qtype,
            years=question.years,
            entity=passage_entity(question, decision.passage.answer),
            more=decision.passage.runners_up,
        )
    return Outcome(reply, on_topic=False, near_miss=bool(decision.reason))


def cited_document(reply: Reply) -> str | None:
    """The document an answer cites first (none for a clarification or an abstention)."""
    if not reply.answered or reply.kind == "clarify" or not reply.sources:
        return None
    return reply.sources[0].doc_id


def remembered(found: Outcome, decision: Decision, referents: ReferentFinder) -> Outcome:
    """The outcome with the entities of its answer by kind; 它 then means the entity that
    answered a who / which body / where question (雁峰区 for 哪个区), when there is one."""
    if decision.question is None or not found.on_topic:
        return found
    question, answer = decision.question, found.reply.answer
    found.entities = referents.find(question, answer)
    passage = decision.action == "passage"
    found.entity = referents.topic(question, answer, found.entities, found.entity, passage)
    return found


def rival(decision: Decision) -> Rival | None:
    """The sentence a list competes with: the passage answer's, or a fact answer's (which
    covers the question fully)."""
    if decision.action == "passage" and decision.passage is not None:
        return Rival(decision.passage.sentence, decision.passage.sentence_coverage)
    if decision.action == "facts" and decision.facts is not None and decision.facts.answered:
        return Rival(decision.facts.answer, 1.0)
    return None


def parts_outcome(reply: Reply, outcomes: list[Outcome]) -> Outcome:
    """The combined reply of a several-part question; a follow-up refers to its first
    answered part, and "第二个" picks the second part's answer."""
    first = next(found for found in outcomes if found.reply.answered)
    items = [found.reply.answer for found in outcomes]
    entities: dict[str, list[str]] = {}
    for found in outcomes:  # 他们两人 after "馆长和副馆长分别是谁" means both people
        for kind, named in found.entities.items():
            entities[kind] = list(dict.fromkeys([*entities.get(kind, []), *named]))
    return Outcome(
        reply,
        qtype=first.qtype,
        years=first.years,
        entity=first.entity,
        entities=entities,
        items=items,
    )


def fact_entity(question: Question, found: FactAnswer) -> str | None:
    """What a later 它 refers to: the thing answered about (what was asked for, when the
    question asked what or which; else the fact's subject)."""
    if not found.facts:
        return None
    fact = found.facts[0]
    if question.qtype in {QType.WHAT, QType.LIST} and fact.kind != "metric":
        if fact.subject and fact.subject not in question.normalised:
            return fact.subject  # 主题是什么 after the forum's date: still the forum
        return fact.value
    if (
        question.qtype == QType.WHO
        and fact.kind == "relation"
        and fact.subject not in question.normalised
    ):
        return fact.value  # 激光器是谁研发的 → 南华大学: 它 is still the laser
    return fact.subject


def passage_entity(question: Question, answer: str) -> str | None:
    """What a later 它 refers to after a passage answer: the name a what-is-it-called
    question got (什么奖 → “2020政府信息化管理创新奖”), else the question's rarest term that
    the answer also says (天开 of 哪天开的 is no thing; 2020 is a time, not a thing)."""
    said = normalise(answer)
    if question.expected == AnswerType.NAME:
        quoted: list[str] = [q for q in _QUOTED_NAME.findall(said) if q not in question.raw]
        if quoted:
            return quoted[-1].strip("“”《》")
    terms = [t for t in question.weights if not t.isdigit()]
    terms = [t for t in terms if t in said] or terms
    candidates = sorted(terms, key=lambda t: -question.weights[t])
    named = [t for t in candidates if t in question.names]
    pick = named or candidates
    return pick[0] if pick else None


def names_months(months: list[str], text: str) -> bool:
    """Whether ``text`` names every asked year-month (``YYYY-MM``)."""
    return set(months) <= set(months_in(normalise(text)))
