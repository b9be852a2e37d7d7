"""Keys of a question set that nothing reads, said once when the set is loaded.

A loader ignores keys it does not use (DESIGN.md), so that sets written by others may carry
``persona`` or ``evidence``. But a misspelt key is ignored too: an item written with
``expected:`` instead of ``expect:`` has no expectation at all and passes whenever it is
answered, and the score says nothing. The eval therefore says so, naming the keys that may
have been meant, without refusing the set.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Set
from typing import Any

# Keys that sets written by others carry and that nothing reads (DESIGN.md).
DOCUMENTED_EXTRAS = frozenset({"persona", "evidence", "note"})


def unused_keys(data: list[Any], used: Set[str]) -> Counter[str]:
    """How many items and turns carry each key that is neither ``used`` (the question-set
    model's fields) nor a documented extra."""
    known = used | DOCUMENTED_EXTRAS
    found: Counter[str] = Counter()
    for entry in _entries(data):
        found.update(key for key in entry if key not in known)
    return found


def unchecked(data: list[Any]) -> int:
    """How many answerable questions (items or turns) have no ``expect`` nor ``expect_any``."""
    return sum(
        1
        for entry in _entries(data)
        if "question" in entry
        and not entry.get("unanswerable")
        and not entry.get("expect")
        and not entry.get("expect_any")
    )


def warnings(name: str, data: list[Any], used: Set[str]) -> list[str]:
    """A line naming the file when answerable questions have nothing to check, with the
    unused keys that may have been meant (``expected``); none when every one is checked."""
    bare = unchecked(data)
    if not bare:
        return []  # extra keys beside real expectations are notes (style, persona)
    unused = ", ".join(f"'{key}'" for key in sorted(unused_keys(data, used)))
    meant = f" (not used: {unused})" if unused else ""
    return [
        f"{name}: {bare} answerable questions have no 'expect' or 'expect_any'{meant}: "
        "they pass whenever they are answered"
    ]


def _entries(data: list[Any]) -> list[dict[str, Any]]:
    """Every item and every turn of a dialogue item."""
    entries: list[dict[str, Any]] = []
    for item in data:
        if not isinstance(item, dict):
            continue
        entries.append(item)
        turns = item.get("turns")
        if isinstance(turns, list):
            entries.extend(turn for turn in turns if isinstance(turn, dict))
    return entries
