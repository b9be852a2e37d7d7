"""Read a knowledge folder into validated models; every problem names its file and field."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from qa_bot.dictionary_files import (
    load_dictionary,
)
from qa_bot.document_cache import (
    cache_entry,
    read_document_cache,
    write_document_cache,
)
from qa_bot.errors import KnowledgeError
from qa_bot.fact_files import (
    load_facts,
)
from qa_bot.files import (
    file_signatures,
    listed_names,
    read_text,
)
from qa_bot.markdown import (
    first_line_as_title,
    leading_heading_as_title,
    split_front_matter,
    split_passages,
)
from qa_bot.models import Dictionary, Document, DocumentMeta, Fact, Passage
from qa_bot.passage_store import Concatenated
from qa_bot.private_files import cache_root

DOCUMENT_SUFFIXES = (".md", ".txt")


log = logging.getLogger(__name__)


@dataclass
class Knowledge:
    """Everything loaded from one knowledge folder."""

    root: Path
    documents: list[Document]
    facts: list[Fact]
    dictionary: Dictionary

    @cached_property
    def passages(self) -> Sequence[Passage]:
        """All passages of all documents, in document then reading order (read from the
        shared passage store when the documents came from the cache)."""
        return Concatenated([doc.passages for doc in self.documents])

    def positions(self) -> dict[str, range]:
        """Each document's passage positions in ``passages``."""
        found: dict[str, range] = {}
        start = 0
        for doc in self.documents:
            found[doc.id] = range(start, start + len(doc.passages))
            start += len(doc.passages)
        return found

    def document(self, doc_id: str) -> Document:
        """The document with this id (KeyError when unknown)."""
        return self._by_id[doc_id]

    def __post_init__(self) -> None:
        self._by_id = {doc.id: doc for doc in self.documents}


def load_knowledge(root: Path | str, cache_dir: Path | None = None) -> Knowledge:
    """Load documents, facts and dictionaries from a folder in the DESIGN.md format.

    ``facts`` are the hand-written ones; ``extraction.document_facts`` reads more from a
    document's text when asked.

    :raises KnowledgeError: on the first unreadable or invalid file, with all its problems.
    """
    root = Path(root)
    if not root.is_dir():
        raise KnowledgeError(
            root, "knowledge folder not found (pass --knowledge DIR or set QA_BOT_KNOWLEDGE_DIR)"
        )
    cache = cache_root(cache_dir) / "documents" / f"{digest_path(root)}.json" if cache_dir else None
    documents = load_documents(root / "docs", cache)
    facts = load_facts(root / "facts", {doc.id for doc in documents})
    dictionary = load_dictionary(root / "dict")
    return Knowledge(root=root, documents=documents, facts=facts, dictionary=dictionary)


def digest_path(root: Path) -> str:
    """A short name for a knowledge folder in the cache directory."""
    return hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:24]


def load_documents(folder: Path, cache: Path | None = None) -> list[Document]:
    """Every ``*.md`` and ``*.txt`` file of ``folder``, sorted by name; ids must be unique.

    With ``cache`` (a JSON file), documents whose file size and modification time are as
    recorded there are taken from it instead of being read and split again; the cache is
    rewritten when anything changed. An unreadable cache is ignored.
    """
    if not folder.is_dir():
        raise KnowledgeError(folder, "no docs/ folder: a knowledge folder needs documents")
    stats = file_signatures(folder, listed_names(folder, DOCUMENT_SUFFIXES))
    if not stats:
        raise KnowledgeError(folder, "no .md or .txt documents")
    known = read_document_cache(cache)
    fresh: dict[str, list[Any]] = {}
    documents: list[Document] = []
    seen: dict[str, str] = {}  # document id → file name
    for name in sorted(stats):
        cached = known.get(name)
        if cached is not None and cached.stat == stats[name]:
            doc, fresh[name] = cached.document, cached.raw
        else:
            doc = load_document(folder / name)
            fresh[name] = cache_entry(stats[name], doc)
        if doc.id in seen:
            raise KnowledgeError(folder / name, f"id: '{doc.id}' is already used by {seen[doc.id]}")
        seen[doc.id] = name
        documents.append(doc)
    changed = fresh.keys() != known.keys() or any(fresh[n] is not known[n].raw for n in fresh)
    if cache is not None and changed:
        write_document_cache(cache, fresh, documents)
    return documents


def load_document(path: Path) -> Document:
    """One document: front matter (Markdown only) and body split into passages.

    :raises KnowledgeError: with every problem of the file (front matter and body).
    """
    text = read_text(path)
    problems: list[str] = []
    if path.suffix == ".md":
        meta, body, problems = split_front_matter(text)
    else:
        meta, body = DocumentMeta(), text
    if path.suffix == ".txt":
        meta.title, body = first_line_as_title(body)
    elif meta.title is None:
        meta.title, body = leading_heading_as_title(body)
    doc_id = meta.id or path.stem
    passages = split_passages(doc_id, body)
    if not body.strip():
        problems.append("empty document: no text after the front matter/title")
    elif not passages:
        problems.append("empty document: no paragraphs")
    if problems:
        raise KnowledgeError(path, problems)
    return Document(
        id=doc_id,
        title=meta.title or doc_id,
        date=meta.date,
        source=meta.source,
        author=meta.author,
        path=str(path),
        passages=passages,
    )
