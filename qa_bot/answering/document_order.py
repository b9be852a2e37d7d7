"""Documents pointed at by their place in the list of documents (第2篇, 头一篇, 最后一篇) or
all at once (这2篇, 每篇): a reader who has seen the catalogue (知识库里有哪些文章) names a
document by its number there, and a journalist checks every document's date in one question.

The order is the catalogue's, the knowledge folder's order of documents; the words are data in
``resources/documents.txt`` (kinds ``ordinal`` and ``every``).
"""

from __future__ import annotations

from dataclasses import dataclass

from qa_bot.answering.document_fields import rules


@dataclass(frozen=True)
class Pointed:
    """Which documents a question points at by place: one index (0-based; it may be past the
    end, which the reply says) or every document."""

    index: int | None = None
    every: bool = False


def pointed(text: str, count: int) -> Pointed | None:
    """What ``text`` (normalised) points at among ``count`` documents, or None."""
    found = rules().ordinal.search(text)
    if found is not None:
        if found.group("first"):
            return Pointed(index=0)
        if found.group("last"):
            return Pointed(index=count - 1)
        return Pointed(index=int(found.group("n")) - 1)
    if rules().every.search(text):
        return Pointed(every=True)
    return None
