"""``qa-bot check``: every problem of a knowledge folder at once, for its maintainer.

Unlike loading (which stops at the first bad file), the check goes on and lists everything:
invalid documents and fact records (file and field), facts whose evidence is not in their
document, duplicate or conflicting facts, and dictionary terms that jieba still splits.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from qa_bot.errors import KnowledgeError
from qa_bot.loader import (
    fact_from_record,
    fact_records,
    load_dictionary,
    load_document,
)
from qa_bot.models import Dictionary, Document, Fact


@dataclass(frozen=True)
class Problem:
    """One finding: an error (the folder will not load or answers wrongly) or a warning."""

    severity: str  # "error" | "warning"
    where: str
    what: str

    def __str__(self) -> str:
        return f"{self.severity.upper():7} {self.where}: {self.what}"


def check_folder(root: Path, cache_dir: Path | None = None) -> list[Problem]:
    """All problems of the knowledge folder ``root``."""
    if not root.is_dir():
        return [Problem("error", str(root), "knowledge folder not found")]
    documents, problems = check_documents(root / "docs")
    facts, fact_problems = check_fact_files(root / "facts", {d.id for d in documents})
    problems += fact_problems
    problems += check_evidence(facts, documents)
    problems += check_conflicts(facts)
    try:
        dictionary = load_dictionary(root / "dict")
    except KnowledgeError as exc:
        problems.append(Problem("error", str(exc.path), exc.problem))
    else:
        problems += check_dictionary(dictionary, root / "dict" / "userdict.txt", cache_dir)
    return problems


def check_documents(folder: Path) -> tuple[list[Document], list[Problem]]:
    """Load each document on its own; a bad one is a problem, not the end of the check."""
    if not folder.is_dir():
        return [], [Problem("error", str(folder), "no docs/ folder")]
    documents: list[Document] = []
    problems: list[Problem] = []
    seen: dict[str, Path] = {}
    for path in sorted(p for p in folder.iterdir() if p.suffix in {".md", ".txt"}):
        try:
            document = load_document(path)
        except KnowledgeError as exc:
            problems.append(Problem("error", str(exc.path), exc.problem))
            continue
        if document.id in seen:
            problems.append(
                Problem("error", str(path), f"id: '{document.id}' also in {seen[document.id].name}")
            )
            continue
        seen[document.id] = path
        documents.append(document)
    if not documents and not problems:
        problems.append(Problem("error", str(folder), "no .md or .txt documents"))
    return documents, problems


def check_fact_files(
    folder: Path, doc_ids: set[str]
) -> tuple[list[tuple[Path, int, Fact]], list[Problem]]:
    """Validate every fact record of every file (each bad record is its own problem)."""
    facts: list[tuple[Path, int, Fact]] = []
    problems: list[Problem] = []
    if not folder.is_dir():
        return facts, problems
    for path in sorted(folder.glob("*.y*ml")):
        try:
            records = fact_records(path)
        except KnowledgeError as exc:
            problems.append(Problem("error", str(path), exc.problem))
            continue
        for number, item in enumerate(records, start=1):
            try:
                facts.append((path, number, fact_from_record(path, number, item, doc_ids)))
            except KnowledgeError as exc:
                problems.append(Problem("error", str(path), exc.problem))
    return facts, problems


def check_evidence(facts: list[tuple[Path, int, Fact]], documents: list[Document]) -> list[Problem]:
    """Evidence must be verbatim in its document, and the value should be in the evidence."""
    texts = {d.id: "".join(p.section + p.text for p in d.passages) for d in documents}
    problems = []
    for path, number, fact in facts:
        if fact.evidence not in texts.get(fact.doc, ""):
            problems.append(
                Problem(
                    "error",
                    str(path),
                    f"fact {number}: evidence: not found verbatim in document '{fact.doc}'",
                )
            )
        elif fact.value not in fact.evidence:
            problems.append(
                Problem(
                    "warning",
                    str(path),
                    f"fact {number}: value: '{fact.value}' is not in its evidence",
                )
            )
    return problems


def check_conflicts(facts: list[tuple[Path, int, Fact]]) -> list[Problem]:
    """Same subject, attribute, time and qualifiers: the same value twice, or two values."""
    groups: dict[tuple[str, str, str, tuple[str, ...]], list[tuple[Path, int, Fact]]] = defaultdict(
        list
    )
    for entry in facts:
        fact = entry[2]
        groups[
            (fact.subject, fact.attribute, fact.time or "", tuple(sorted(fact.qualifiers)))
        ].append(entry)
    problems = []
    for (subject, attribute, time, _), entries in groups.items():
        if len(entries) < 2:
            continue
        values = {e[2].value for e in entries}
        places = ", ".join(f"{e[0].name} fact {e[1]}" for e in entries)
        label = f"{subject} / {attribute}" + (f" / {time}" if time else "")
        if len(values) > 1:
            problems.append(
                Problem(
                    "error",
                    places,
                    f"conflicting values for {label}: {' vs '.join(sorted(values))}",
                )
            )
        else:
            problems.append(Problem("warning", places, f"duplicate fact {label}"))
    return problems


def check_dictionary(dictionary: Dictionary, path: Path, cache_dir: Path | None) -> list[Problem]:
    """User dictionary terms that the tokenizer does not keep whole."""
    from qa_bot.tokenizer import Tokenizer

    tokenizer = Tokenizer(dictionary, cache_dir=cache_dir)
    return [
        Problem("warning", str(path), f"'{word}' is still split by jieba (raise its frequency?)")
        for word, _, _ in dictionary.user_words
        if not tokenizer.is_whole_word(word)
    ]
