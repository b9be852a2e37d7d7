"""Retrieval stage: the top passages for a question, once per question, from the BM25 index."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from qa_bot.answering.intent import Question
from qa_bot.index import BM25Index
from qa_bot.models import Passage
from qa_bot.sentences import sentences
from qa_bot.text import normalise


@dataclass(frozen=True)
class Retrieved:
    """Passage positions with their BM25 scores, best first, and the top passage's document."""

    hits: list[tuple[int, float]]
    top_doc: str | None


class Retriever:
    """Stage 3: BM25 over the passages, and the texts later stages read from them.

    Everything it derives lazily (sentences, normalised document texts) sits behind
    ``lru_cache``, which is safe to share between threads; the document → passages map is
    given by the knowledge, at load.
    """

    def __init__(
        self,
        passages: Sequence[Passage],
        titles: dict[str, str],
        index: BM25Index,
        top_k: int,
        by_doc: dict[str, range],
    ) -> None:
        """``by_doc``: each document's passage positions (``Knowledge.positions``: reading
        every passage to find them would build 100,000 passage objects at start-up)."""
        self.passages = passages
        self.titles = titles
        self.index = index
        self.top_k = top_k
        self.by_doc = by_doc
        self.sentences = lru_cache(maxsize=4096)(self._split)
        self.document_text = lru_cache(maxsize=1024)(self._document_text)

    def run(self, question: Question) -> Retrieved:
        """The top ``top_k`` passages for the question's terms and, weighing less, the
        stand-ins of those the knowledge base never uses."""
        query = question.terms + [w for w in question.expansions if w not in question.terms]
        hits = self.index.top(query, self.top_k, question.expansions)
        top_doc = self.passages[hits[0][0]].doc_id if hits else None
        return Retrieved(hits, top_doc)

    def title(self, position: int) -> str:
        """The title of the document that passage ``position`` belongs to."""
        return self.titles.get(self.passages[position].doc_id, "")

    def _split(self, position: int) -> list[tuple[str, str]]:
        """The sentences of passage ``position``, each with its normalised form."""
        return [(s, normalise(s).lower()) for s in sentences(self.passages[position].text)]

    def _document_text(self, doc_id: str) -> str:
        """A document's title and passages, normalised (for checking that a name occurs)."""
        parts = [self.titles.get(doc_id, "")]
        parts += [
            self.passages[n].section + self.passages[n].text for n in self.by_doc.get(doc_id, ())
        ]
        return normalise("\n".join(parts)).lower()


def heading(passage: Passage) -> str:
    """The innermost heading above a passage ("" when none)."""
    return passage.section.rsplit(" › ", 1)[-1]


def indexed_text(passage: Passage, title: str = "") -> str:
    """What BM25 indexes of a passage: its document's title, its heading and its text (the
    second half of a long paragraph no longer names its subject; the title does)."""
    return f"{title}\n{heading(passage)}\n{passage.text}"
