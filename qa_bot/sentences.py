"""Split passages into sentences and sentences into clauses, keeping the original text."""

from __future__ import annotations

import re

_SENTENCE = re.compile(r"[^。！？!?；;\n]+(?:[。！？!?；;]+[”’」』）)]*|$)")
_CLAUSE = re.compile(r"[^，,、：:]+(?:[，,、：:]|$)")


def sentences(text: str) -> list[str]:
    """The sentences of ``text`` in order, each with its closing punctuation."""
    return [s.strip() for s in _SENTENCE.findall(text) if s.strip()]


def clauses(sentence: str) -> list[str]:
    """The comma-separated clauses of a sentence, each with its trailing comma."""
    return [c for c in _CLAUSE.findall(sentence) if c.strip()]


def as_sentence(text: str) -> str:
    """End a clause or clause run with a full stop instead of a dangling comma."""
    text = text.strip().rstrip("，,、：:；;")
    if text and text[-1] not in "。！？!?”’」』)）":
        text += "。"
    return text
