"""The document stage's typed output (see ``documents``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from qa_bot.models import Source

Kind = Literal["fact", "list", "clarify", "abstain"]


@dataclass(frozen=True)
class DocumentAnswer:
    """The stage's typed output: an answer about one document, a list of documents, a
    clarification (which one?), or an honest "not stated" (``kind`` abstain)."""

    kind: Kind
    answer: str
    sources: list[Source]
    confidence: float
    doc_id: str | None = None  # the one document answered about (what 这篇 then means)
    options: list[str] = field(default_factory=list)  # a clarification's answers, in order

    @property
    def answered(self) -> bool:
        """False when the document does not state what was asked."""
        return self.kind != "abstain"
