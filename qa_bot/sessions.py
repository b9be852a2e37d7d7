"""Dialog states by session id, bounded and expiring, safe to share between threads."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Mapping

from qa_bot.dialog import DialogState


class SessionStore:
    """Dialog states by session id: least recently used evicted, idle ones expire."""

    def __init__(self, max_sessions: int, idle_seconds: float) -> None:
        self.max_sessions = max_sessions
        self.idle_seconds = idle_seconds
        self._states: OrderedDict[str, DialogState] = OrderedDict()
        self._lock = threading.Lock()

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
