"""QABot: wires loader → tokenizer → index → answering pipeline → dialog; the public entry point."""

from __future__ import annotations

import gc
import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from qa_bot.answering import Pipeline, templates
from qa_bot.answering.guard import clean_input
from qa_bot.answering.retrieval import indexed_text
from qa_bot.conversation_log import ConversationLog
from qa_bot.dialog import clauses, resolve
from qa_bot.dialog_carry import CARRIED_FLOOR, carried_over
from qa_bot.dialog_replies import joined, plain, remember, serve_from_state, source_text
from qa_bot.index import BM25Index
from qa_bot.index_cache import IndexCache, cache_folder
from qa_bot.loader import Knowledge, load_knowledge
from qa_bot.misses import MissLog, miss_threshold
from qa_bot.models import Reply
from qa_bot.passage_store import passages_digest
from qa_bot.sessions import DialogStore, SessionStore, open_store
from qa_bot.settings import Settings, load_settings
from qa_bot.tokenizer import Tokenizer

log = logging.getLogger(__name__)


class QABot:
    """A question-answering bot over one knowledge folder, with per-session dialog state.

    Thread-safe: adapters may call ``ask`` from several threads at once.
    """

    def __init__(
        self,
        knowledge: Knowledge,
        settings: Settings,
        tokenizer: Tokenizer | None = None,
        index: BM25Index | None = None,
    ) -> None:
        """Wire the stages; ``tokenizer`` and ``index`` are built when not given."""
        self.knowledge = knowledge
        self.settings = settings
        self.sessions: DialogStore = open_store(settings.dialog)  # ConfigError: no Redis
        self.tokenizer = tokenizer or Tokenizer(knowledge.dictionary, cache_dir=settings.cache_dir)
        index = index or passage_index(knowledge, self.tokenizer, settings.cache_dir)
        self.pipeline = Pipeline(knowledge, self.tokenizer, index, settings.answer)
        self.miss_log: MissLog | None = None  # set by chat adapters (settings.misses)
        self.conversation_log: ConversationLog | None = None  # set by chat adapters
        self.channel = "api"  # what the conversation log calls this bot's channel

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
        with collector_paused():
            return cls(load_knowledge(root, settings.cache_dir), settings)

    def reconfigured(self, settings: Settings) -> QABot:
        """A new bot over the same knowledge, tokenizer and index with other settings (for
        tuning: a running bot is never changed)."""
        return QABot(self.knowledge, settings, self.tokenizer, self.pipeline.retriever.index)

    def ask(self, question: str, session_id: str = "default", channel: str | None = None) -> Reply:
        """Answer ``question`` in the dialog of ``session_id`` (follow-ups use its state).

        With a conversation log (``log_conversations``) the reply is recorded under
        ``channel`` (default: the bot's) and comes back with its ``reply_id``.
        """
        session_id = session_key(session_id)
        # One exchange of a session at a time, in every thread and worker sharing the store:
        # read state → answer → write state → log, so turns never interleave or reorder.
        with self.sessions.lock(session_id):
            reply = self.refuse_if_too_long(question)
            if reply is None:
                question = clean_input(question)
                replies = [self.turn(part, session_id) for part in clauses(question)]
                reply = replies[0] if len(replies) == 1 else joined(question, replies)
            if self.conversation_log is not None:
                reply = self.conversation_log.record(channel or self.channel, session_id, reply)
        return reply

    def turn(self, question: str, session_id: str) -> Reply:
        """One turn of the session's dialog (a message may hold several)."""
        state = self.sessions.get(session_id)
        resolution = resolve(question, state, self.tokenizer)
        if resolution.action == "ask":
            outcome = self.pipeline.run(resolution.question, state.document)
            carried = None if outcome.reply.answered else carried_over(question, state.question)
            retried = self.pipeline.run(carried, state.document) if carried else None
            if (
                retried is not None
                and retried.reply.answered
                and retried.reply.confidence >= CARRIED_FLOOR
            ):
                outcome = retried  # 湖南还有哪个城市同时被确认: of what was just asked
            reply = outcome.reply
            if reply.kind == "clarify" and outcome.options:
                reply = reply.model_copy(update={"options": outcome.options})
            state = remember(state, resolution.question, outcome)
        else:
            reply, state = serve_from_state(question, resolution, state)
        self.sessions.put(session_id, state)
        if self.miss_log is not None:
            self.miss_log.record(session_id, reply)
        log.debug("asked %r → %s (%.2f)", question[:80], reply.kind, reply.confidence)
        return reply

    def examples(self, count: int | None = None) -> list[str]:
        """Example questions this bot answers (the first ``count``, or all)."""
        found = self.pipeline.examples.all()
        return found if count is None else found[:count]

    def refuse_if_too_long(self, question: str) -> Reply | None:
        """The refusal of a question over ``answer.max_question_chars``, else None.

        Measured on the raw text (white space around it aside), before any cleaning: cleaning
        goes character by character, which for a pasted 180 MB line takes half a minute and
        gigabytes before the refusal.
        """
        limit = self.settings.answer.max_question_chars
        if len(question) <= limit or len(question := question.strip()) <= limit:
            return None
        message = templates.TOO_LONG.format(length=len(question), limit=limit)
        return plain(clean_input(question[:limit]) + "…", message, False, "help")

    def knows(self, term: str) -> bool:
        """Whether ``term`` (an index term) occurs anywhere in the knowledge base."""
        return term in self.pipeline.scorer.idf

    def is_common(self, term: str) -> bool:
        """Whether ``term`` occurs in so many passages that it tells little."""
        return self.pipeline.scorer.is_common(term)

    def stats(self) -> dict[str, int]:
        """How much the bot knows: documents, passages and distinct index terms."""
        index = self.pipeline.retriever.index
        return {
            "documents": len(self.knowledge.documents),
            "passages": index.size,
            "terms": len(index.vocabulary),
        }

    def log_misses(self, path: Path) -> None:
        """Append abstentions and low-confidence answers to ``path`` (JSON lines)."""
        self.miss_log = MissLog(path, miss_threshold(self), self.settings.misses)

    def log_conversations(self, conversation_log: ConversationLog, channel: str) -> None:
        """Record every reply of ``ask`` in ``conversation_log`` under ``channel`` (``web``,
        ``console``, ``telegram`` …): chat adapters call this, ``eval`` and ``ask`` do not."""
        self.conversation_log = conversation_log
        self.channel = channel

    def last_reply(self, session_id: str) -> Reply | None:
        """The session's last reply (for ``:sources`` and ``/sources``)."""
        return self.sessions.get(session_key(session_id)).last_reply

    def source_text(self, session_id: str) -> str:
        """The citation and evidence of the session's last answer, or a line saying there
        is none yet."""
        return source_text(self.last_reply(session_id)) or templates.NO_SOURCE

    def session_state(self, session_id: str) -> str | None:
        """The session's dialog state as JSON (for an adapter to persist), None when the
        session has none."""
        key = session_key(session_id)
        if not self.sessions.has(key):
            return None
        return self.sessions.get(key).model_dump_json()

    def restore_sessions(self, states: Mapping[str, str]) -> None:
        """Load dialog states saved by ``session_state`` (invalid ones are skipped) into the
        in-process store; a shared store (Redis) keeps its own."""
        if isinstance(self.sessions, SessionStore):
            self.sessions.restore_json(states)

    def hold_back(self, session_id: str, rest: str) -> None:
        """Keep ``rest``, the part of the session's last reply that a channel could not show
        (a platform's size limit), for the session's next 还有呢/更多, before any other
        further answers. It is kept in the dialog state, wherever sessions live (at most
        ``dialog.MAX_HELD`` characters)."""
        key = session_key(session_id)
        with self.sessions.lock(key):  # a turn of another worker must not overwrite it
            state = self.sessions.get(key)
            self.sessions.put(key, state.model_copy(update={"more": [rest, *state.more]}))

    def reset(self, session_id: str) -> None:
        """Forget that session's dialog state."""
        self.sessions.reset(session_key(session_id))


def check_dialog_store(settings: Settings) -> None:
    """Reach the dialog store the settings choose, before a server starts: with Redis down,
    workers would answer every follow-up without its context.

    :raises ConfigError: naming ``dialog.redis_url`` and the server.
    """
    open_store(settings.dialog)


def session_key(session_id: str) -> str:
    """The key a session is kept (and logged, and saved) under.

    An id that is valid Unicode without a backslash is its own key. Any other has its
    backslashes doubled and its lone surrogates (which UTF-8 cannot encode) written as
    ``\\udXXX``: every key can then be written to a log or a JSON file, and two different
    ids never share a dialog.
    """
    if "\\" not in session_id:
        try:
            session_id.encode("utf-8")
        except UnicodeEncodeError:
            pass
        else:
            return session_id
    escaped = session_id.replace("\\", "\\\\")
    return escaped.encode("utf-8", "backslashreplace").decode("utf-8")


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while the knowledge loads: the objects made
    then live as long as the bot, and scanning them again and again while 100,000 documents
    are made took about a quarter of a warm start."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def passage_index(knowledge: Knowledge, tokenizer: Tokenizer, cache_dir: Path) -> BM25Index:
    """The BM25 index of the knowledge's passages, from (and into) the index cache."""
    titles = {doc.id: doc.title for doc in knowledge.documents}
    cache = IndexCache(cache_folder(cache_dir, knowledge.root), tokenizer.fingerprint())
    documents = {doc.id: doc.passages for doc in knowledge.documents}
    hashes = {doc.id: passages_digest(doc.title, doc.passages) for doc in knowledge.documents}
    return cache.index(
        documents,
        lambda p: indexed_text(p, titles.get(p.doc_id, "")),
        tokenizer.index_terms,
        hashes,
    )
