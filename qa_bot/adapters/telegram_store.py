"""Durable state of the Telegram adapter, in one SQLite file: updates received but not yet
answered, and each chat's dialog state.

Why: python-telegram-bot confirms updates to Telegram as soon as it has fetched them, so after a
crash (kill -9, the OOM killer, power loss) Telegram would not send again the questions that were
fetched but not yet answered, and dialog state kept in memory would be gone. Here updates are
written (and fsynced) before Telegram can be told they arrived, and an update is marked answered
in the same transaction that stores its chat's new dialog state, after the reply was sent. A crash
therefore loses nothing: what was in flight is answered again on the next start — possibly twice,
never not at all.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Collection, Iterator, Mapping, Sequence
from pathlib import Path

from qa_bot.errors import ConfigError
from qa_bot.private_files import make_private, open_private_database

log = logging.getLogger(__name__)

SCHEMA = """
CREATE TABLE IF NOT EXISTS updates (
    seq INTEGER PRIMARY KEY,            -- arrival order
    update_id INTEGER NOT NULL UNIQUE,
    body TEXT NOT NULL,                 -- the update as JSON
    received REAL NOT NULL,             -- time.time() of arrival
    done INTEGER NOT NULL DEFAULT 0,    -- answered (or deliberately ignored)
    starts INTEGER NOT NULL DEFAULT 0   -- starts that found it unanswered
);
CREATE TABLE IF NOT EXISTS sessions (
    session_id TEXT PRIMARY KEY,
    state TEXT NOT NULL,                -- the session's DialogState as JSON
    saved REAL NOT NULL                 -- time.time() of the save
);
"""
SQLITE_MAGIC = b"SQLite format 3\x00"
KEEP_DONE = 1000  # answered update ids remembered, so that Telegram resending them is recognised
KEEP_DONE_SECONDS = 86400.0  # … for as long as Telegram keeps unconfirmed updates
MAX_STARTS = 3  # starts at which an unanswered update is tried again, then dropped (poison)


class TelegramStore:
    """The SQLite file: every write is one fsynced transaction (WAL, ``synchronous=FULL``).

    Methods are thread-safe (the adapter calls them from worker threads, off the event loop).
    """

    def __init__(self, path: Path) -> None:
        """Open (or create) the store at ``path``; an older JSON state file there is converted.

        :raises ConfigError: when the file is neither a state database nor a JSON state file.
        """
        self.path = path
        self._lock = threading.Lock()
        convert_json_state(path)
        self._db = connect(path)

    def received(self, updates: Sequence[tuple[int, str]]) -> set[int]:
        """Record updates ``(update_id, JSON)``; returns the ids not recorded before.

        Durable on return: only then may Telegram be told the updates arrived.
        """
        new: set[int] = set()
        now = time.time()
        with self._lock, self._db:
            self._db.execute(
                "DELETE FROM updates WHERE done = 1 AND (received < ? OR "
                "seq <= (SELECT MAX(seq) FROM updates) - ?)",
                (now - KEEP_DONE_SECONDS, KEEP_DONE),
            )
            for update_id, body in updates:
                cursor = self._db.execute(
                    "INSERT OR IGNORE INTO updates (update_id, body, received) VALUES (?, ?, ?)",
                    (update_id, body, now),
                )
                if cursor.rowcount:
                    new.add(update_id)
        return new

    def unanswered(self) -> list[str]:
        """The updates received but not answered before the last stop, oldest first (JSON).

        Call once per start: each call counts as a start, and an update is handed out at no
        more than ``MAX_STARTS`` starts (then dropped with a warning), so that a question that
        crashes the process cannot crash it forever.

        :raises ConfigError: when the file is damaged.
        """
        with self._readable(), self._db:
            self._db.execute("UPDATE updates SET starts = starts + 1 WHERE done = 0")
            dropped = [
                row[0]
                for row in self._db.execute(
                    "SELECT update_id FROM updates WHERE done = 0 AND starts > ?", (MAX_STARTS,)
                )
            ]
            self._db.execute(
                "UPDATE updates SET done = 1 WHERE done = 0 AND starts > ?", (MAX_STARTS,)
            )
            rows = self._db.execute(
                "SELECT body FROM updates WHERE done = 0 ORDER BY seq"
            ).fetchall()
        for update_id in dropped:
            log.warning("dropping update %s: unanswered after %s restarts", update_id, MAX_STARTS)
        return [str(row[0]) for row in rows]

    def commit(self, done: Collection[int], sessions: Mapping[str, str | None]) -> None:
        """In one transaction: mark updates answered, and store sessions' states (JSON; None
        deletes the session)."""
        now = time.time()
        with self._lock, self._db:
            self._db.executemany(
                "UPDATE updates SET done = 1 WHERE update_id = ?", [(i,) for i in done]
            )
            for session_id, state in sessions.items():
                if state is None:
                    self._db.execute("DELETE FROM sessions WHERE session_id = ?", (session_id,))
                else:
                    self._db.execute(
                        "INSERT OR REPLACE INTO sessions (session_id, state, saved) "
                        "VALUES (?, ?, ?)",
                        (session_id, state, now),
                    )

    def states(self) -> dict[str, str]:
        """Every stored session state as the JSON saved, least recently saved first (what
        ``QABot.restore_sessions`` takes).

        :raises ConfigError: when the file is damaged.
        """
        with self._readable():
            rows = self._db.execute(
                "SELECT session_id, state FROM sessions ORDER BY saved"
            ).fetchall()
        return {str(session_id): str(state) for session_id, state in rows}

    def sessions(self) -> dict[str, dict[str, object]]:
        """Every stored session state, parsed, least recently saved first (unreadable rows
        skipped).

        :raises ConfigError: when the file is damaged.
        """
        states: dict[str, dict[str, object]] = {}
        for session_id, state in self.states().items():
            try:
                loaded = json.loads(state)
            except ValueError:
                continue
            if isinstance(loaded, dict):
                states[session_id] = loaded
        return states

    def prune(self, max_sessions: int, idle_seconds: float) -> None:
        """Forget sessions idle for longer than the dialog keeps them, and all but the newest
        ``max_sessions`` (the same bounds as the in-memory sessions)."""
        with self._lock, self._db:
            self._db.execute("DELETE FROM sessions WHERE saved < ?", (time.time() - idle_seconds,))
            self._db.execute(
                "DELETE FROM sessions WHERE session_id NOT IN "
                "(SELECT session_id FROM sessions ORDER BY saved DESC LIMIT ?)",
                (max_sessions,),
            )

    def backup(self) -> Path:
        """Copy the whole store to ``<path>.bak`` (atomically), the copy as it was at start."""
        target = backup_path(self.path)
        temporary = target.with_name(target.name + ".tmp")
        temporary.unlink(missing_ok=True)
        make_private(temporary)
        copy = sqlite3.connect(temporary)
        try:
            with self._lock:
                self._db.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")
        finally:
            copy.close()
        fsync(temporary)
        os.replace(temporary, target)
        return target

    @contextlib.contextmanager
    def _readable(self) -> Iterator[None]:
        """Hold the lock; a damaged file becomes one error line naming it."""
        with self._lock:
            try:
                yield
            except sqlite3.DatabaseError as exc:
                raise ConfigError(f"{self.path}: damaged Telegram state database: {exc}") from None

    def close(self) -> None:
        """Close the file (a checkpoint folds the write-ahead log into it)."""
        with self._lock:
            self._db.close()


class Saver:
    """Commits answered updates and changed dialog states to the store, off the event loop.

    What fails to commit (a full disk, a locked file) stays pending: the failure is logged,
    and the next commit or the periodic ``retry`` tries again, for as long as it takes.
    """

    def __init__(self, store: TelegramStore) -> None:
        self.store = store
        self._done: set[int] = set()
        self._sessions: dict[str, str | None] = {}
        self._lock = asyncio.Lock()

    async def save(self, update_id: int | None, sessions: Mapping[str, str | None]) -> bool:
        """Mark ``update_id`` answered and store ``sessions`` (with anything still pending);
        returns whether it is on disk."""
        if update_id is not None:
            self._done.add(update_id)
        self._sessions.update(sessions)
        return await self.flush()

    async def flush(self) -> bool:
        """Commit everything pending (one transaction); False, logged, when it failed."""
        async with self._lock:
            if not self._done and not self._sessions:
                return True
            done, sessions = self._done, self._sessions
            self._done, self._sessions = set(), {}
            try:
                await asyncio.to_thread(self.store.commit, done, sessions)
            except (sqlite3.Error, OSError) as exc:
                self._done |= done
                self._sessions = {**sessions, **self._sessions}  # newer states win
                log.warning("could not save to %s (will retry): %s", self.store.path, exc)
                return False
            return True

    async def retry(self, every: float, prune: float, max_sessions: int, idle: float) -> None:
        """Forever: every ``every`` seconds commit what is pending; every ``prune`` seconds
        drop stored sessions beyond the dialog's bounds. Failures are logged, never fatal."""
        pruned = time.monotonic()
        while True:
            await asyncio.sleep(every)
            await self.flush()
            if time.monotonic() - pruned < prune:
                continue
            pruned = time.monotonic()
            try:
                await asyncio.to_thread(self.store.prune, max_sessions, idle)
            except (sqlite3.Error, OSError) as exc:
                log.warning("could not prune %s (will retry): %s", self.store.path, exc)


def backup_path(path: Path) -> Path:
    """Where the previous copy of the store is kept."""
    return path.with_name(path.name + ".bak")


def connect(path: Path) -> sqlite3.Connection:
    """The database at ``path`` with the schema in place.

    :raises ConfigError: naming the file when it is not a usable SQLite database.
    """
    try:
        return open_private_database(path, SCHEMA, "FULL")
    except (sqlite3.Error, OSError) as exc:
        raise ConfigError(f"{path}: cannot open the Telegram state database: {exc}") from None


def is_database(path: Path) -> bool:
    """Whether ``path`` holds an SQLite database (an empty file counts: SQLite creates it)."""
    with path.open("rb") as file:
        head = file.read(len(SQLITE_MAGIC))
    return head in {b"", SQLITE_MAGIC}


def convert_json_state(path: Path) -> None:
    """Older versions kept dialog states in a JSON file: at ``path`` itself, or (with the
    default settings) beside it as ``<stem>.json``. Before the database is first created, its
    states are imported; a JSON file at ``path`` itself is then replaced by the database in one
    atomic rename (a crash before it leaves the JSON file to be imported again).

    :raises ConfigError: when a file at ``path`` is neither a database nor JSON.
    """
    if path.is_file() and is_database(path):
        return
    source = path if path.is_file() else path.with_suffix(".json")
    if not source.is_file():
        return
    try:
        data = json.loads(source.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        if source != path:
            log.warning("ignoring unreadable older dialog state %s: %s", source, exc)
            return
        raise ConfigError(
            f"{path}: neither a Telegram state database nor a JSON state file ({exc})"
        ) from None
    states = data if isinstance(data, dict) else {}
    fresh = path.with_name(path.name + ".new")
    for suffix in ("", "-wal", "-shm"):
        fresh.with_name(fresh.name + suffix).unlink(missing_ok=True)
    db = connect(fresh)
    with db:
        db.executemany(
            "INSERT INTO sessions (session_id, state, saved) VALUES (?, ?, ?)",
            [
                (str(sid), json.dumps(state, ensure_ascii=False), saved_time(state))
                for sid, state in states.items()
                if isinstance(state, dict)
            ],
        )
    db.close()
    os.replace(fresh, path)
    log.info("imported %s dialog states from %s into %s", len(states), source, path)


def saved_time(state: dict[str, object]) -> float:
    """When an imported state was last changed (its ``updated_at``), else now."""
    value = state.get("updated_at")
    return float(value) if isinstance(value, int | float) else time.time()


def fsync(path: Path) -> None:
    """Force a file's content to disk."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
