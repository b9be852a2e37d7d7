"""QABot: wires loader → tokenizer → index → answerer → dialog; the public entry point."""

from __future__ import annotations

import logging
from pathlib import Path

from qa_bot.answering import templates
from qa_bot.answering.answerer import OPERATORS, Answerer, Outcome, clean_input
from qa_bot.answering.fact_answers import FactAnswerer
from qa_bot.answering.facts import FactSearch
from qa_bot.answering.passages import PassageSearch, indexed_text
from qa_bot.answering.sentences import as_sentence
from qa_bot.answering.templates import time_text
from qa_bot.dialog import (
    DialogState,
    Resolution,
    SessionStore,
    list_items,
    resolve,
    source_text,
)
from qa_bot.index import BM25Index
from qa_bot.index_cache import IndexCache, cache_folder
from qa_bot.loader import Knowledge, load_knowledge
from qa_bot.misses import MissLog
from qa_bot.models import Fact, Reply, ReplyKind
from qa_bot.settings import Settings, load_settings
from qa_bot.tokenizer import Tokenizer

log = logging.getLogger(__name__)
MAX_EXAMPLE_CANDIDATES = 60


class QABot:
    """A question-answering bot over one knowledge folder, with per-session dialog state."""

    def __init__(self, knowledge: Knowledge, settings: Settings) -> None:
        self.knowledge = knowledge
        self.settings = settings
        self.tokenizer = Tokenizer(knowledge.dictionary, cache_dir=settings.cache_dir)
        titles = {doc.id: doc.title for doc in knowledge.documents}
        search = PassageSearch(
            knowledge.passages,
            titles,
            self.tokenizer,
            settings.answer.max_answer_chars,
            index=passage_index(knowledge, titles, self.tokenizer, settings.cache_dir),
        )
        # Facts are hand-written, or read from the text of the documents asked about.
        fact_search = FactSearch(
            knowledge.facts, search, OPERATORS, extract=knowledge.extracted_facts
        )
        facts = FactAnswerer(knowledge, fact_search, settings.answer.fact_threshold)
        self.answerer = Answerer(
            knowledge, self.tokenizer, search, settings.answer, facts, self._answerable_examples
        )
        self.miss_log: MissLog | None = None  # set by chat adapters (settings.misses)
        self.sessions = SessionStore(
            settings.dialog.max_sessions, settings.dialog.idle_minutes * 60
        )

    @classmethod
    def load(
        cls, knowledge_dir: Path | str | None = None, settings: Settings | None = None
    ) -> QABot:
        """A bot over ``knowledge_dir`` (default: the settings' folder, i.e. the shipped one).

        :raises KnowledgeError: when a knowledge file is invalid.
        :raises ConfigError: when the settings are invalid.
        """
        settings = settings or load_settings()
        root = Path(knowledge_dir) if knowledge_dir is not None else settings.knowledge_dir
        return cls(load_knowledge(root, settings.cache_dir), settings)

    def ask(self, question: str, session_id: str = "default") -> Reply:
        """Answer ``question`` in the dialog of ``session_id`` (follow-ups use its state)."""
        question = clean_input(question)
        state = self.sessions.get(session_id)
        if len(question) > self.settings.answer.max_question_chars:
            resolution = Resolution("ask", question)  # refused before any tokenising
        else:
            resolution = resolve(question, state, self.tokenizer)
        if resolution.action == "ask":
            outcome = self.answerer.respond(resolution.question)
            reply = outcome.reply
            state = remember(state, resolution.question, outcome)
        else:
            reply, state = self.serve_from_state(question, resolution, state)
        self.sessions.put(session_id, state)
        if self.miss_log is not None:
            self.miss_log.record(session_id, reply)
        log.debug("asked %r → %s (%.2f)", question[:80], reply.kind, reply.confidence)
        return reply

    def serve_from_state(
        self, question: str, resolution: Resolution, state: DialogState
    ) -> tuple[Reply, DialogState]:
        """出处？ / 还有呢？ / 第二个呢？ / a chosen clarification option."""
        if resolution.action == "source":
            text = source_text(state.last_reply)
            return self.plain(question, text or templates.NO_SOURCE, bool(text), "source"), state
        if resolution.action == "more":
            if not state.more:
                return self.plain(question, templates.NO_MORE, False, "help"), state
            answer, rest = state.more[0], state.more[1:]
            reply = self.plain(question, answer, True, "passage", state.last_reply)
            return reply, state.model_copy(update={"more": rest, "last_reply": reply})
        choices = state.options if resolution.action == "option" else state.items
        if not 1 <= resolution.number <= len(choices):
            message = templates.NO_ITEM.format(number=resolution.number)
            return self.plain(question, message, False, "help"), state
        chosen = choices[resolution.number - 1]
        if resolution.action == "option":
            cited = state.last_reply
            if cited is not None:
                n = resolution.number
                cited = cited.model_copy(update={"sources": cited.sources[n - 1 : n]})
            reply = self.plain(question, as_sentence(chosen), True, "fact", cited)
            return reply, state.model_copy(update={"options": [], "last_reply": reply})
        answer = templates.ITEM.format(number=resolution.number, item=chosen)
        return self.plain(question, answer, True, "list", state.last_reply), state

    def plain(
        self,
        question: str,
        answer: str,
        answered: bool,
        kind: ReplyKind,
        cited: Reply | None = None,
    ) -> Reply:
        """A reply served from the dialog state, citing what the earlier reply cited."""
        sources = cited.sources[:1] if cited is not None else []
        return Reply(
            question=question,
            answer=answer,
            text=templates.reply_text(answer, sources, []),
            answered=answered,
            confidence=1.0 if answered else 0.0,
            kind=kind,
            sources=sources,
        )

    def log_misses(self, path: Path) -> None:
        """Append abstentions and low-confidence answers to ``path`` (JSON lines)."""
        self.miss_log = MissLog(path, self.settings.answer.abstain_threshold, self.settings.misses)

    def last_reply(self, session_id: str) -> Reply | None:
        """The session's last reply (for ``:sources`` and ``/sources``)."""
        return self.sessions.get(session_id).last_reply

    def reset(self, session_id: str) -> None:
        """Forget that session's dialog state."""
        self.sessions.reset(session_id)

    def _answerable_examples(self) -> list[str]:
        """Example questions built from the knowledge that the bot really answers: from
        facts when there are any (one per series), else from document titles and sections.
        """
        candidates = fact_questions(self.knowledge.facts)
        if not candidates:
            candidates = [f"{doc.title}讲了什么？" for doc in self.knowledge.documents]
            sections = dict.fromkeys(p.section for p in self.knowledge.passages if p.section)
            candidates += [f"{section.split(' › ')[-1]}是怎么回事？" for section in sections]
        answered = []
        for candidate in candidates[:MAX_EXAMPLE_CANDIDATES]:
            if self.answerer.answer(candidate).answered:
                answered.append(candidate)
        return answered


def passage_index(
    knowledge: Knowledge, titles: dict[str, str], tokenizer: Tokenizer, cache_dir: Path
) -> BM25Index:
    """The BM25 index of the knowledge's passages, from (and into) the index cache."""
    cache = IndexCache(cache_folder(cache_dir, knowledge.root), tokenizer.fingerprint())
    documents = {doc.id: doc.passages for doc in knowledge.documents}
    return cache.index(
        documents, lambda p: indexed_text(p, titles.get(p.doc_id, "")), tokenizer.index_terms
    )


def remember(state: DialogState, question: str, outcome: Outcome) -> DialogState:
    """The state after answering ``question``: what a follow-up may refer back to.

    An answer (or a clarification, or a "no data for that year") replaces the dialog's topic;
    an abstention on an unknown topic keeps the old one, so the next follow-up still refers
    to the last answer.
    """
    reply = outcome.reply
    if reply.kind in {"help"}:
        return state
    if not outcome.on_topic:
        return state.model_copy(update={"last_reply": reply, "options": [], "more": []})
    return DialogState(
        question=question,
        qtype=outcome.qtype,
        years=outcome.years or state.years,
        entity=outcome.entity or state.entity,
        options=outcome.options,
        items=list_items(reply.answer),
        more=outcome.more,
        last_reply=reply,
    )


def fact_questions(facts: list[Fact]) -> list[str]:
    """One natural question per fact series: 2020年衡阳市高新技术企业数量是多少？"""
    metrics: dict[tuple[str, str], str] = {}
    events: list[str] = []
    for fact in facts:
        if fact.kind == "metric":
            when = time_text(fact.time)
            metrics[(fact.subject, fact.attribute)] = (
                f"{when}{fact.subject}{fact.attribute}是多少？"
            )
        elif fact.kind == "event" and fact.value not in fact.attribute:
            events.append(f"{fact.subject}{fact.attribute}{fact.value}是在什么时候？")
    return list(metrics.values()) + events
