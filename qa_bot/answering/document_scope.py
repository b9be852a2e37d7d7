"""A content question scoped to a document by name (按“展示磅礴力量”那篇的说法，…; 年度热词
特别报道里，…; 《…》里面的…): the naming words say where to look, not what to look for, so they
are taken out before the question is analysed. Left in, they weigh like content words that
no sentence holds, and the question is refused.

The naming words must be a document's title or source, or a part of one; the words around
them that point at a document (那篇, 的说法, 里) are generic Chinese, in
``resources/documents.txt`` (kind ``scope``).
"""

from __future__ import annotations

from dataclasses import replace
from difflib import SequenceMatcher

from qa_bot.answering.document_fields import rules
from qa_bot.answering.guard import Guarded
from qa_bot.answering.phrasing import standardise, strip_phrasing
from qa_bot.models import Document
from qa_bot.text import compact

_SHORTEST_NAME = 4  # characters: a shorter name (衡阳) is too common to name a document


class DocumentScope:
    """Takes a phrase naming a document out of a content question."""

    def __init__(self, documents: list[Document]) -> None:
        self.names = [
            compact(name) for doc in documents for name in (doc.title, doc.source) if name
        ]

    def names_a_document(self, name: str) -> bool:
        """Whether ``name`` is a document's title or source, or a part of one, or parts of
        one said together (2020年度热词 for 2020衡阳年度热词)."""
        key = compact(name)
        return len(key) >= _SHORTEST_NAME and any(pieces_of(key, full) for full in self.names)

    def strip(self, text: str) -> str:
        """``text`` without the first phrase that scopes it to a named document."""
        for match in rules().scope.finditer(text):
            if self.names_a_document(match.group("name") or match.group("bare")):
                return (text[: match.start()] + text[match.end() :]).strip("，, ")
        return text

    def run(self, guarded: Guarded) -> Guarded:
        """The message with the scoping phrase taken out, its other forms made anew from
        what is left (phrasing rules may have cut into the phrase: 报道里)."""
        if guarded.refusal is not None:
            return guarded
        normalised = self.strip(guarded.normalised)
        if normalised == guarded.normalised:
            return guarded
        return replace(
            guarded,
            normalised=normalised,
            standard=standardise(normalised),
            asked=strip_phrasing(normalised),
        )


def pieces_of(key: str, full: str) -> bool:
    """Whether ``key`` is ``full``'s pieces of two characters or more, in order."""
    if key in full:
        return True
    blocks = SequenceMatcher(None, key, full, autojunk=False).get_matching_blocks()[:-1]
    return all(b.size >= 2 for b in blocks) and sum(b.size for b in blocks) == len(key)
