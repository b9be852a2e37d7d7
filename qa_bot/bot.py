"""QABot: wires loader → tokenizer → index → answerer → dialog; the public entry point."""

from __future__ import annotations

import logging
from pathlib import Path

from qa_bot.answering.answerer import OPERATORS, Answerer
from qa_bot.answering.fact_answers import FactAnswerer
from qa_bot.answering.facts import FactSearch
from qa_bot.answering.passages import PassageSearch
from qa_bot.answering.templates import time_text
from qa_bot.dialog import DialogState, SessionStore
from qa_bot.loader import Knowledge, load_knowledge
from qa_bot.models import Fact, Reply
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
        search = PassageSearch(knowledge.passages, self.tokenizer, settings.answer.max_answer_chars)
        facts = None
        if knowledge.facts:
            fact_search = FactSearch(knowledge.facts, search, OPERATORS)
            facts = FactAnswerer(knowledge, fact_search, settings.answer.fact_threshold)
        self.answerer = Answerer(
            knowledge, self.tokenizer, search, settings.answer, facts, self._answerable_examples
        )
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
        return cls(load_knowledge(root), settings)

    def ask(self, question: str, session_id: str = "default") -> Reply:
        """Answer ``question`` in the dialog of ``session_id``."""
        reply = self.answerer.answer(question)
        self.sessions.put(session_id, DialogState(last_question=question, last_reply=reply))
        log.debug("asked %r → %s (%.2f)", question[:80], reply.kind, reply.confidence)
        return reply

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
