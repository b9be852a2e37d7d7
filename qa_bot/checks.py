"""``qa-bot check``: every problem of a knowledge folder at once, for its maintainer.

Unlike loading (which stops at the first bad file), the check goes on and lists everything,
one line per problem naming the file and the field or line: invalid documents and fact
records, repeated YAML keys, files that are not read (a .docx in docs/, a document at the
folder root), files read only as GB18030, facts whose evidence is not in their document,
duplicate or conflicting facts and fact ids, alias cycles, and dictionary terms that jieba
still splits.
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from qa_bot.dictionary_files import DICTIONARY_FILES, load_dictionary
from qa_bot.errors import KnowledgeError, shown
from qa_bot.fact_files import FACT_SUFFIXES, fact_from_record, fact_records
from qa_bot.files import file_signature, is_folder, listed_files, read_decoded
from qa_bot.loader import DOCUMENT_SUFFIXES, load_document
from qa_bot.models import Dictionary, Document, Fact

KNOWLEDGE_FOLDERS = ("docs", "facts", "dict")
# Formats documents arrive in that the loader does not read: convert them to .txt or .md.
OFFICE_FORMATS = {".docx", ".doc", ".pdf", ".html", ".htm", ".rtf", ".odt", ".wps", ".epub"}
# Documents people put in a knowledge folder that the loader does not read where they are.
DOCUMENT_LIKE = {*DOCUMENT_SUFFIXES, *OFFICE_FORMATS, ".markdown"}


@dataclass(frozen=True)
class Problem:
    """One finding: an error (the folder will not load or answers wrongly) or a warning."""

    severity: str  # "error" | "warning"
    where: str
    what: str

    @classmethod
    def at(cls, severity: str, path: Path, what: str) -> Problem:
        """A problem of the file ``path`` (a file name that is not UTF-8 shown escaped)."""
        return cls(severity, shown(path), what)

    def __str__(self) -> str:
        line = f"{self.severity.upper():7} {self.where}: {self.what}"
        return " ".join(line.splitlines())


def errors_of(exc: KnowledgeError) -> list[Problem]:
    """One error per problem the loader found in a file."""
    return [Problem.at("error", exc.path, problem) for problem in exc.problems]


def check_folder(root: Path, cache_dir: Path | None = None) -> list[Problem]:
    """All problems of the knowledge folder ``root``."""
    if not root.is_dir():
        return [Problem.at("error", root, "knowledge folder not found")]
    problems = check_layout(root)
    documents, found = check_documents(root / "docs")
    problems += found
    facts, found = check_fact_files(root / "facts", {d.id for d in documents})
    problems += found
    problems += check_fact_ids(facts)
    problems += check_evidence(facts, documents)
    problems += check_conflicts(facts)
    errors: list[KnowledgeError] = []
    dictionary = load_dictionary(root / "dict", errors)
    problems += [problem for exc in errors for problem in errors_of(exc)]
    problems += check_aliases(dictionary.aliases, root / "dict" / "aliases.yaml")
    problems += check_dictionary(dictionary, root / "dict" / "userdict.txt", cache_dir)
    problems += check_encodings(root)
    return problems


def check_layout(root: Path) -> list[Problem]:
    """Files the loader silently leaves out: they are in the wrong place or of the wrong kind."""
    problems = []
    for name, folder in entries(root):
        path = root / name
        if folder and name not in KNOWLEDGE_FOLDERS:
            problems.append(
                Problem.at("warning", path, "folder is not read (only docs/, facts/, dict/ are)")
            )
        elif not folder and suffix(name) in DOCUMENT_LIKE and not name.upper().startswith("README"):
            problems.append(
                Problem.at(
                    "warning", path, "document at the folder root is not read: move it into docs/"
                )
            )
    problems += unread_files(
        root / "docs", DOCUMENT_SUFFIXES, "only .md and .txt documents are read"
    )
    problems += unread_files(root / "facts", FACT_SUFFIXES, "only .yaml fact files are read")
    dictionary_files = tuple(f"/{name}" for name in DICTIONARY_FILES)
    problems += unread_files(
        root / "dict", dictionary_files, "dict/ reads only " + ", ".join(DICTIONARY_FILES)
    )
    return problems


def unread_files(folder: Path, endings: tuple[str, ...], rule: str) -> list[Problem]:
    """Entries of ``folder`` that loading skips: sub-folders and names not ending in ``endings``."""
    problems = []
    for name, is_dir in entries(folder):
        path = folder / name
        if is_dir:
            problems.append(Problem.at("warning", path, "sub-folder is not read"))
        elif not f"/{name}".endswith(endings):
            advice = ""
            if suffix(name) in OFFICE_FORMATS:
                advice = ": save it as plain text (.txt) or Markdown (.md) in UTF-8"
            elif f"/{name}".lower().endswith(endings):
                advice = ": use a lower-case extension"
            problems.append(Problem.at("warning", path, f"not read ({rule}){advice}"))
    return problems


def entries(folder: Path) -> list[tuple[str, bool]]:
    """(name, is a folder) of the visible entries of ``folder``; nothing when unreadable."""
    try:
        with os.scandir(folder) as found:
            return sorted((e.name, is_folder(e)) for e in found if not e.name.startswith("."))
    except OSError:
        return []


def suffix(name: str) -> str:
    """The lower-case extension of a file name (``.docx``)."""
    return Path(name).suffix.lower()


def check_encodings(root: Path) -> list[Problem]:
    """Files read as GB18030: accepted, but UTF-8 is the format (and the safe one)."""
    paths = listed_quietly(root / "docs", DOCUMENT_SUFFIXES)
    paths += listed_quietly(root / "facts", FACT_SUFFIXES)
    paths += [root / "dict" / name for name in DICTIONARY_FILES]
    problems = []
    for path in paths:
        try:
            legacy = path.is_file() and read_decoded(path).legacy
        except KnowledgeError:
            continue  # reported with the file's other problems
        if legacy:
            problems.append(
                Problem.at(
                    "warning",
                    path,
                    "read as GB18030 (GBK), not UTF-8: save it as UTF-8 "
                    "(Notepad: 另存为 → 编码: UTF-8)",
                )
            )
    return problems


def listed_quietly(folder: Path, suffixes: tuple[str, ...]) -> list[Path]:
    """``listed_files``, or nothing for a missing or unreadable folder (reported elsewhere)."""
    try:
        return listed_files(folder, suffixes) if folder.is_dir() else []
    except KnowledgeError:
        return []


def check_documents(folder: Path) -> tuple[list[Document], list[Problem]]:
    """Load each document on its own; a bad one is a problem, not the end of the check."""
    if not folder.is_dir():
        return [], [Problem.at("error", folder, "no docs/ folder")]
    documents: list[Document] = []
    problems: list[Problem] = []
    seen: dict[str, Path] = {}
    try:
        paths = listed_files(folder, DOCUMENT_SUFFIXES)
    except KnowledgeError as exc:
        return [], errors_of(exc)
    for path in paths:
        try:
            file_signature(path)
            document = load_document(path)
        except KnowledgeError as exc:
            problems += errors_of(exc)
            continue
        if document.id in seen:
            problems.append(
                Problem.at("error", path, f"id: '{document.id}' also in {seen[document.id].name}")
            )
            continue
        seen[document.id] = path
        documents.append(document)
    if not documents and not problems:
        problems.append(Problem.at("error", folder, "no .md or .txt documents"))
    return documents, problems


def check_fact_files(
    folder: Path, doc_ids: set[str]
) -> tuple[list[tuple[Path, int, Fact]], list[Problem]]:
    """Validate every fact record of every file (each bad record is its own problem)."""
    facts: list[tuple[Path, int, Fact]] = []
    problems: list[Problem] = []
    for path in listed_quietly(folder, FACT_SUFFIXES):
        try:
            records, repeated = fact_records(path)
        except KnowledgeError as exc:
            problems += errors_of(exc)
            continue
        problems += [Problem.at("error", path, what) for what in repeated]
        for number, item in enumerate(records, start=1):
            try:
                facts.append((path, number, fact_from_record(path, number, item, doc_ids)))
            except KnowledgeError as exc:
                problems += errors_of(exc)
    return facts, problems


def check_fact_ids(facts: list[tuple[Path, int, Fact]]) -> list[Problem]:
    """A fact id names one fact: a second fact with it is an error."""
    first: dict[str, str] = {}
    problems = []
    for path, number, fact in facts:
        if fact.id is None:
            continue
        if fact.id in first:
            problems.append(
                Problem.at(
                    "error",
                    path,
                    f"fact {number}: id: '{fact.id}' is already used by {first[fact.id]}",
                )
            )
        else:
            first[fact.id] = f"{path.name} fact {number}"
    return problems


def check_evidence(facts: list[tuple[Path, int, Fact]], documents: list[Document]) -> list[Problem]:
    """Evidence must be verbatim in its document, and the value should be in the evidence."""
    texts = {d.id: "".join(p.section + p.text for p in d.passages) for d in documents}
    problems = []
    for path, number, fact in facts:
        if fact.evidence not in texts.get(fact.doc, ""):
            problems.append(
                Problem.at(
                    "error",
                    path,
                    f"fact {number}: evidence: not found verbatim in document '{fact.doc}'",
                )
            )
        elif fact.value not in fact.evidence:
            problems.append(
                Problem.at(
                    "warning",
                    path,
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
        Problem.at("warning", path, f"'{word}' is still split by jieba (raise its frequency?)")
        for word, _, _ in dictionary.user_words
        if not tokenizer.is_whole_word(word)
    ]


def check_aliases(table: dict[str, str], path: Path) -> list[Problem]:
    """Alias problems: folding happens once, so the table must not chain.

    Terms that fold into each other never match (an error); an alias of an alias reaches
    only the middle term (a warning).
    """
    problems = []
    cycles: set[frozenset[str]] = set()
    for alias in sorted(table):
        chain = [alias]
        while chain[-1] in table and table[chain[-1]] not in chain:
            chain.append(table[chain[-1]])
        if chain[-1] in table and table[chain[-1]] == alias and len(chain) > 1:
            if frozenset(chain) not in cycles:
                cycles.add(frozenset(chain))
                loop = " → ".join([*chain, alias])
                problems.append(
                    Problem.at(
                        "error",
                        path,
                        f"{table[alias]}: alias cycle {loop}: the terms never match each other; "
                        "list them all under one term",
                    )
                )
        elif len(chain) > 2 and chain[-1] not in table:
            problems.append(
                Problem.at(
                    "warning",
                    path,
                    f"{chain[1]}: alias '{alias}' folds to '{chain[1]}', itself an alias of "
                    f"'{chain[2]}': list '{alias}' under '{chain[-1]}'",
                )
            )
    return problems
