"""Per-session dialog state: what was last asked and answered, bounded and expiring."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict

from pydantic import BaseModel, Field

from qa_bot.models import Reply


class DialogState(BaseModel):
    """One session's memory; serialisable so a chat adapter can persist it."""

    last_question: str | None = None
    last_reply: Reply | None = None
    updated_at: float = Field(default_factory=time.time)


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

    def put(self, session_id: str, state: DialogState) -> None:
        """Store the session's new state, evicting the least recently used beyond the bound."""
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

    def __len__(self) -> int:
        return len(self._states)
