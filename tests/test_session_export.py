"""Dialog states exported for a state file survive any session id, even one that is not
valid Unicode (a lone surrogate from a client), and come back under the same id."""

from __future__ import annotations

import json

from qa_bot.dialog import DialogState
from qa_bot.sessions import SessionStore

ODD_IDS = ["\ud800", "telegram:\udfff42", "\x00utf8-hex:41", "telegram:123", "用户"]


def test_export_writes_as_utf8_and_round_trips() -> None:
    store = SessionStore(max_sessions=10, idle_seconds=3600)
    for number, session_id in enumerate(ODD_IDS):
        store.put(session_id, DialogState(question=f"问题{number}", years=[2000 + number]))
    saved = json.dumps(store.export(), ensure_ascii=False).encode("utf-8")  # as a state file
    restored = SessionStore(max_sessions=10, idle_seconds=3600)
    restored.restore(json.loads(saved.decode("utf-8")))
    assert len(restored) == len(ODD_IDS)
    for number, session_id in enumerate(ODD_IDS):
        assert restored.get(session_id).years == [2000 + number]
