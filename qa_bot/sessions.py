"""Dialog states by session id: the store interface, and the in-process store (bounded,
expiring, safe to share between threads). The Redis store, shared by processes and machines,
is in ``redis_sessions``."""

from __future__ import annotations

import threading
import time
import zlib
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from typing import Protocol

from qa_bot.dialog import DialogState
from qa_bot.settings import DialogSettings

LOCK_STRIPES = 64  # per-session locks of the in-process store (sessions may share one)


class DialogStore(Protocol):
    """Where dialog states live between turns. ``QABot.ask`` holds ``lock(session)`` around
    read state → answer → write state, so that two threads (or, with a shared store, two
    processes) never interleave one person's turns."""

    shared: bool  # kept outside this process: adapters need not persist states themselves

    def get(self, session_id: str) -> DialogState:
        """The session's state; a fresh one when unknown or expired."""
        ...

    def has(self, session_id: str) -> bool:
        """Whether the session has a live state."""
        ...

    def put(self, session_id: str, state: DialogState) -> None:
        """Store the session's new state."""
        ...

    def reset(self, session_id: str) -> None:
        """Forget the session."""
        ...

    def lock(self, session_id: str) -> AbstractContextManager[None]:
        """Hold the session for one exchange."""
        ...


def open_store(dialog: DialogSettings) -> DialogStore:
    """The store the settings choose (``dialog.store``).

    :raises ConfigError: when Redis is chosen and cannot be reached.
    """
    if dialog.store == "redis":
        from qa_bot.redis_sessions import RedisStore

        return RedisStore.connect(dialog.redis_url, dialog.idle_minutes * 60)
    return SessionStore(dialog.max_sessions, dialog.idle_minutes * 60)


class SessionStore:
    """Dialog states by session id in this process: least recently used evicted, idle ones
    expire."""

    shared = False

    def __init__(self, max_sessions: int, idle_seconds: float) -> None:
        self.max_sessions = max_sessions
        self.idle_seconds = idle_seconds
        self._states: OrderedDict[str, DialogState] = OrderedDict()
        self._lock = threading.Lock()
        self._session_locks = [threading.RLock() for _ in range(LOCK_STRIPES)]

    @contextmanager
    def lock(self, session_id: str) -> Iterator[None]:
        """Hold the session (a fixed set of locks, so memory stays bounded; two sessions
        sharing one only wait for each other)."""
        stripe = zlib.crc32(session_id.encode("utf-8", "surrogatepass")) % LOCK_STRIPES
        with self._session_locks[stripe]:
            yield

    def get(self, session_id: str) -> DialogState:
        """The session's state; a fresh one when unknown or idle for too long."""
        with self._lock:
            state = self._states.get(session_id)
            if state is None or time.time() - state.updated_at > self.idle_seconds:
                return DialogState()
            return state.model_copy()

    def has(self, session_id: str) -> bool:
        """Whether the session has a live (not expired) state."""
        with self._lock:
            state = self._states.get(session_id)
            return state is not None and time.time() - state.updated_at <= self.idle_seconds

    def put(self, session_id: str, state: DialogState) -> None:
        """Store the session's new state, evicting the least recently used beyond the bound."""
        state = state.bounded()
        state.updated_at = time.time()
        with self._lock:
            self._states[session_id] = state
            self._states.move_to_end(session_id)
            while len(self._states) > self.max_sessions:
                self._states.popitem(last=False)

    def reset(self, session_id: str) -> None:
        """Forget the session."""
        with self._lock:
            self._states.pop(session_id, None)

    def export(self) -> dict[str, dict[str, object]]:
        """Every live state as plain data that any UTF-8 writer can store (for an adapter to
        persist): a session id that is not valid Unicode is escaped, and ``restore`` reverses it.
        """
        with self._lock:
            return {
                export_id(sid): state.model_dump(mode="json") for sid, state in self._states.items()
            }

    def restore(self, data: dict[str, dict[str, object]]) -> None:
        """Load states saved by ``export`` (invalid entries are skipped)."""
        for session_id, raw in data.items():
            try:
                state = DialogState.model_validate(raw)
            except ValueError:
                continue
            with self._lock:
                self._states[import_id(session_id)] = state
        with self._lock:
            while len(self._states) > self.max_sessions:
                self._states.popitem(last=False)

    def restore_json(self, states: Mapping[str, str]) -> None:
        """Load states saved as JSON by session id (invalid ones are skipped)."""
        loaded = {}
        for session_id, text in states.items():
            try:
                loaded[session_id] = DialogState.model_validate_json(text)
            except ValueError:
                continue
        with self._lock:
            self._states.update(loaded)
            while len(self._states) > self.max_sessions:
                self._states.popitem(last=False)

    def __len__(self) -> int:
        return len(self._states)


_ESCAPED_ID = "\x00utf8-hex:"  # an exported session id that is not encodable as UTF-8


def export_id(session_id: str) -> str:
    """The session id as storable text: a lone surrogate (which no UTF-8 file can hold) makes
    the whole id hex-escaped under a marker no chat id starts with."""
    try:
        session_id.encode("utf-8")
    except UnicodeEncodeError:
        return _ESCAPED_ID + session_id.encode("utf-8", "surrogatepass").hex()
    if session_id.startswith(_ESCAPED_ID):
        return _ESCAPED_ID + session_id.encode("utf-8").hex()
    return session_id


def import_id(stored: str) -> str:
    """The session id that ``export_id`` stored."""
    if not stored.startswith(_ESCAPED_ID):
        return stored
    try:
        return bytes.fromhex(stored[len(_ESCAPED_ID) :]).decode("utf-8", "surrogatepass")
    except ValueError:
        return stored
