"""The conversation log: each question, answer and rating of the chat channels, in SQLite.

The web page, the HTTP API, the console and Telegram record every reply here (never ``eval``
or ``ask``); ``qa-bot report`` summarises it and ``qa-bot misses`` groups its unanswered
questions. One SQLite file in WAL mode, so several server processes and a report can use it
at once, or a PostgreSQL database that servers on several machines write to
(``conversations.database_url``; see ``log_databases``); each record is one short transaction.

The log is private: the file is 0600, a user or session id is stored only as a salted hash
(as in the misses log: the salt is made once and kept 0600 next to the file), and records
older than ``conversations.retention_days`` are deleted.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import threading
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from qa_bot.log_databases import LogDatabase, LogDatabaseError, Row, Statement, open_database
from qa_bot.misses import TIME_FORMAT, read_misses
from qa_bot.models import Reply
from qa_bot.settings import Settings, conversations_file

log = logging.getLogger(__name__)
PURGE_EVERY_SECONDS = 3600.0
MAX_TEXT = 2000  # characters of a question or answer kept
Rating = Literal["up", "down"]

COLUMNS = "id, time, channel, session, question, answer, kind, answered, confidence, sources"
INSERT = f"INSERT INTO replies ({COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?)"


@dataclass(frozen=True)
class Record:
    """One logged reply, as ``qa-bot report`` reads it."""

    id: str
    time: str
    channel: str
    session: str
    question: str
    answer: str
    kind: str
    answered: bool
    confidence: float
    sources: list[dict[str, object]] = field(default_factory=list)
    rating: str | None = None
    comment: str | None = None


class ConversationLog:
    """Records replies and their ratings; safe to share between threads and processes."""

    def __init__(self, database: Path | LogDatabase, retention_days: float = 90.0) -> None:
        """Open (or create) the log — a SQLite file at a path, or any ``LogDatabase`` — and
        delete records past the retention.

        :raises ConfigError: naming the file (or setting) when the database is not usable.
        """
        self.database = database if isinstance(database, LogDatabase) else open_database(database)
        self.path = self.database.name  # what messages call the log
        self.retention_days = retention_days
        self._lock = threading.Lock()
        self._purged = 0.0
        self._salt = self.database.salt()
        self.purge()

    def record(self, channel: str, session_id: str, reply: Reply) -> Reply:
        """Log ``reply`` and return it with its ``reply_id``; a failure to write (a full
        disk, a database server gone away) is logged as a warning and never stops the bot
        from answering."""
        reply_id = uuid.uuid4().hex
        sources = [s.model_dump(exclude={"score"}) for s in reply.sources]
        row = (
            reply_id,
            time.strftime(TIME_FORMAT),
            storable(channel),
            self.pseudonym(session_id),
            storable(reply.question[:MAX_TEXT]),
            storable(reply.answer[:MAX_TEXT]),
            reply.kind,
            int(reply.answered),
            reply.confidence,
            storable(json.dumps(sources, ensure_ascii=False)),
        )
        try:
            self._write([(INSERT, [row])])
        except LogDatabaseError as exc:
            log.warning("could not log a reply to %s: %s", self.path, exc)
        if time.monotonic() - self._purged > PURGE_EVERY_SECONDS:
            self.purge()
        return reply.model_copy(update={"reply_id": reply_id})

    def rate(self, reply_id: str, rating: Rating, comment: str | None = None) -> bool:
        """Store a 👍/👎 (and an optional comment) for a logged reply; a later rating of the
        same reply replaces the earlier one.

        :returns: False when no such reply is logged (or it has expired, or the database
            cannot be written: that is logged as a warning).
        """
        text = storable(comment[:MAX_TEXT]) if comment else None
        update = "UPDATE replies SET rating = ?, comment = ?, rated = ? WHERE id = ?"
        try:
            changed = self._write(
                [(update, [(rating, text, time.strftime(TIME_FORMAT), reply_id)])]
            )
        except LogDatabaseError as exc:
            log.warning("could not store a rating in %s: %s", self.path, exc)
            return False
        return changed > 0

    def records(self, since: str | None = None) -> list[Record]:
        """The logged replies, oldest first (from ``since``, a date ``YYYY-MM-DD``, on).

        :raises LogDatabaseError: when the database cannot be read.
        """
        query = f"SELECT {COLUMNS}, rating, comment FROM replies"
        arguments: tuple[str, ...] = ()
        if since:
            query += " WHERE time >= ?"
            arguments = (since,)
        try:
            rows = self._query(f"{query} ORDER BY time, {self.database.order}", arguments)
        except LogDatabaseError as exc:
            raise LogDatabaseError(
                f"{self.path}: cannot read the conversation log: {exc}"
            ) from None
        return [record(row) for row in rows]

    def purge(self) -> int:
        """Delete records older than the retention; returns how many went."""
        cutoff = time.strftime(
            TIME_FORMAT, time.localtime(time.time() - self.retention_days * 86400)
        )
        self._purged = time.monotonic()
        try:
            return self._write([("DELETE FROM replies WHERE time < ?", [(cutoff,)])])
        except LogDatabaseError as exc:
            log.warning("could not delete expired records from %s: %s", self.path, exc)
            return 0

    def import_misses(self, path: Path) -> int:
        """Copy the older JSON-lines misses log at ``path`` (and its rotated files) in, once:
        a log already imported is skipped, and so are its lines from when both logs were
        written (from the time this log began, or the same question logged here within
        seconds). Its session hashes are kept as they are.

        :returns: how many questions were imported.
        :raises LogDatabaseError: when the database cannot be read or written.
        """
        name = str(path.resolve())
        if self._query("SELECT 1 FROM imports WHERE name = ?", (name,)):
            return 0
        entries, _ = read_misses(path)
        rows = [imported_row(entry) for entry in entries if not self._holds(entry)]
        done = ("INSERT INTO imports VALUES (?, ?)", [(name, time.strftime(TIME_FORMAT))])
        self._write([(INSERT, rows), done] if rows else [done])
        return len(rows)

    def _holds(self, entry: dict[str, object]) -> bool:
        """Whether a misses-log entry was written while this log was written too."""
        when = str(entry.get("time", ""))
        began = self._query("SELECT min(time) FROM replies WHERE channel != 'imported'")[0][0]
        if began is None:
            return False
        if when >= str(began):
            return True
        near = self._query(
            "SELECT 1 FROM replies WHERE question = ? AND time BETWEEN ? AND ? LIMIT 1",
            (str(entry["question"]), shifted(when, -5), shifted(when, 5)),
        )
        return bool(near)

    def pseudonym(self, session_id: str) -> str:
        """The session id as a salted hash: one conversation's questions stay together, but
        the log does not say who asked."""
        raw = session_id.encode("utf-8", "surrogatepass")
        return hmac.new(self._salt, raw, hashlib.sha256).hexdigest()[:16]

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self.database.close()

    def _write(self, statements: Sequence[Statement]) -> int:
        """One transaction, under the lock (SQLite waits for other processes' writers)."""
        with self._lock:
            return self.database.write(statements)

    def _query(self, sql: str, parameters: Sequence[object] = ()) -> list[Row]:
        with self._lock:
            return self.database.query(sql, parameters)


def open_log(settings: Settings) -> ConversationLog:
    """The conversation log the settings name: PostgreSQL at ``conversations.database_url``
    when it is set, else the SQLite file ``conversations.file``.

    :raises ConfigError: naming the file or setting when the database is not usable.
    """
    url = settings.conversations.database_url
    target = url.get_secret_value() if url is not None else conversations_file(settings)
    return ConversationLog(open_database(target), settings.conversations.retention_days)


def shifted(when: str, seconds: float) -> str:
    """A logged time moved by ``seconds`` (an unreadable one stays as it is)."""
    try:
        moved = time.mktime(time.strptime(when, TIME_FORMAT)) + seconds
    except ValueError:
        return when
    return time.strftime(TIME_FORMAT, time.localtime(moved))


def storable(text: str) -> str:
    """``text`` that SQLite can store: a lone surrogate becomes ``\\udXXX``."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


def record(row: tuple[object, ...]) -> Record:
    """A database row as a Record (a malformed sources column reads as none)."""
    try:
        sources = json.loads(str(row[9]))
    except ValueError:
        sources = []
    return Record(
        id=str(row[0]),
        time=str(row[1]),
        channel=str(row[2]),
        session=str(row[3]),
        question=str(row[4]),
        answer=str(row[5]),
        kind=str(row[6]),
        answered=bool(row[7]),
        confidence=float(str(row[8])),
        sources=sources if isinstance(sources, list) else [],
        rating=None if row[10] is None else str(row[10]),
        comment=None if row[11] is None else str(row[11]),
    )


def imported_row(entry: dict[str, object]) -> tuple[object, ...]:
    """A line of the JSON-lines misses log as a row of the conversation log."""
    confidence = entry.get("confidence")
    return (
        uuid.uuid4().hex,
        str(entry.get("time", "")),
        "imported",
        str(entry.get("session", "")),
        storable(str(entry["question"])[:MAX_TEXT]),
        "",
        str(entry.get("kind", "abstain")),
        int(bool(entry.get("answered", False))),
        float(confidence) if isinstance(confidence, int | float) else 0.0,
        "[]",
    )
