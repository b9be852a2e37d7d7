"""Read a knowledge folder into validated models; every problem names its file and field."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from qa_bot.decoding import Decoded, NotText, decode
from qa_bot.errors import KnowledgeError
from qa_bot.models import Dictionary, Document, DocumentMeta, Fact, Passage
from qa_bot.private_files import cache_root, read_cache, write_cache
from qa_bot.strict_yaml import YamlError, parse_yaml

HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
SENTENCE_END = re.compile(r"(?<=[。！？!?；;])")
# Where a passage may end, strongest first: sentences, clauses, items of an enumeration.
BOUNDARIES = (SENTENCE_END, re.compile(r"(?<=[，,：:])"), re.compile(r"(?<=、)"))
MAX_PASSAGE_CHARS = 400
SECTION_SEPARATOR = " › "
DOCUMENT_SUFFIXES = (".md", ".txt")
FACT_SUFFIXES = (".yaml", ".yml")
DICTIONARY_FILES = ("userdict.txt", "aliases.yaml", "stopwords.txt")
ModelT = TypeVar("ModelT", bound=BaseModel)
log = logging.getLogger(__name__)


@dataclass
class Knowledge:
    """Everything loaded from one knowledge folder."""

    root: Path
    documents: list[Document]
    facts: list[Fact]
    dictionary: Dictionary

    @property
    def passages(self) -> list[Passage]:
        """All passages of all documents, in document then reading order."""
        return [p for doc in self.documents for p in doc.passages]

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
    stats = {path.name: file_signature(path) for path in listed_files(folder, DOCUMENT_SUFFIXES)}
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
            fresh[name] = [*stats[name], doc.model_dump()]
        if doc.id in seen:
            raise KnowledgeError(folder / name, f"id: '{doc.id}' is already used by {seen[doc.id]}")
        seen[doc.id] = name
        documents.append(doc)
    changed = fresh.keys() != known.keys() or any(fresh[n] is not known[n].raw for n in fresh)
    if cache is not None and changed:
        write_document_cache(cache, fresh)
    return documents


def listed_files(folder: Path, suffixes: tuple[str, ...]) -> list[Path]:
    """The entries of ``folder`` whose names end in ``suffixes``, sorted; folders left out.

    An entry that cannot be inspected (a symlink loop) is listed, so that reading it names
    the problem instead of the file being silently skipped.
    """
    try:
        with os.scandir(folder) as entries:
            names = [e.name for e in entries if e.name.endswith(suffixes) and not is_folder(e)]
    except OSError as exc:
        raise KnowledgeError(folder, f"cannot read: {exc.strerror}") from None
    return [folder / name for name in sorted(names)]


def is_folder(entry: os.DirEntry[str]) -> bool:
    """Whether the entry is a folder (or a link to one); False when it cannot be told."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def file_signature(path: Path) -> list[int]:
    """[size, mtime_ns] of a readable regular file: what the document cache compares.

    :raises KnowledgeError: for a name that is not UTF-8, a symlink loop or broken link,
        or something that is not a regular file (a FIFO would block reading).
    """
    check_file_name(path)
    try:
        info = path.stat()
    except OSError as exc:
        raise KnowledgeError(path, f"cannot read: {exc.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        raise KnowledgeError(path, "not a regular file")
    return [info.st_size, info.st_mtime_ns]


def check_file_name(path: Path) -> None:
    """File names must be UTF-8: ids, citations and the cache are built from them.

    :raises KnowledgeError: for a name with bytes that are not UTF-8 (shown as ``\\xff``).
    """
    try:
        path.name.encode("utf-8")
    except UnicodeEncodeError:
        raise KnowledgeError(path, "file name is not valid UTF-8: rename the file") from None


DOCUMENT_CACHE_FORMAT = 2  # 2: run-on sentences are split at clauses


@dataclass
class CachedDocument:
    """A document from the cache, with the file size and mtime it was read at."""

    stat: list[Any]
    document: Document
    raw: list[Any]  # the entry as stored, written back unchanged


def read_document_cache(cache: Path | None) -> dict[str, CachedDocument]:
    """{file name: cached document} from the cache file, or nothing.

    A damaged file or entry is ignored after one warning: those documents are read again.
    """
    if cache is None:
        return {}
    try:
        data = json.loads(read_cache(cache))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        log.warning("document cache %s unreadable (%s): reading the documents again", cache, exc)
        return {}
    if isinstance(data, dict) and data.get("format") != DOCUMENT_CACHE_FORMAT:
        return {}  # another version's cache: replaced without fuss
    files = data.get("files") if isinstance(data, dict) else None
    entries: dict[str, CachedDocument] = {}
    for name, raw in files.items() if isinstance(files, dict) else ():
        document = document_from_cache(raw)
        if document is not None:
            entries[name] = CachedDocument(raw[:2], document, raw)
    if not isinstance(files, dict) or len(entries) < len(files):
        log.warning("document cache %s is malformed: reading the documents again", cache)
    return entries


def document_from_cache(raw: Any) -> Document | None:
    """The document of a ``[size, mtime_ns, document]`` entry, validated (None if malformed).

    ``model_validate`` checks every field and is faster than ``model_construct`` too.
    """
    if not (isinstance(raw, list) and len(raw) == 3):
        return None
    try:
        return Document.model_validate(raw[2])
    except ValidationError:
        return None


def write_document_cache(cache: Path, files: dict[str, list[Any]]) -> None:
    """Write the cache atomically; failing to write it only costs speed next time."""
    try:
        cache.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        payload = {"format": DOCUMENT_CACHE_FORMAT, "files": files}
        write_cache(cache, json.dumps(payload, ensure_ascii=False).encode("utf-8"))
    except OSError as exc:
        log.warning("could not write the document cache %s: %s", cache, exc)


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


def read_text(path: Path) -> str:
    """The file's text with line ends unified (see ``read_decoded`` for the encodings)."""
    text = read_decoded(path).text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_decoded(path: Path) -> Decoded:
    """The file decoded: UTF-8, UTF-16/32 by byte-order mark, or clean GB18030.

    :raises KnowledgeError: for a name that is not UTF-8, an unreadable file (a symlink
        loop) or bytes in no encoding read, naming the likely encoding.
    """
    check_file_name(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise KnowledgeError(path, f"cannot read: {exc.strerror}") from None
    try:
        return decode(raw)
    except NotText as exc:
        raise KnowledgeError(path, str(exc)) from None


def split_front_matter(text: str) -> tuple[DocumentMeta, str, list[str]]:
    """Separate ``---`` YAML front matter from the Markdown body and validate it.

    Returns the metadata (empty when invalid), the body and every front-matter problem.
    """
    if not text.startswith("---\n"):
        return DocumentMeta(), text, []
    end = text.find("\n---", 4)
    if end == -1:
        return DocumentMeta(), text, ["front matter: opening '---' has no closing '---'"]
    block, body = text[4:end], text[end + 4 :].lstrip("-")
    try:
        data, problems = parse_yaml(block, first_line=2)
    except YamlError as exc:
        return DocumentMeta(), body, [f"front matter: {exc}"]
    problems = [f"front matter: {problem}" for problem in problems]
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return DocumentMeta(), body, [*problems, "front matter: must be key: value pairs"]
    meta, invalid = validated(DocumentMeta, data, "front matter")
    return meta or DocumentMeta(), body, problems + invalid


def first_line_as_title(body: str) -> tuple[str | None, str]:
    """Plain text documents: the first non-empty line is the title, the rest the body."""
    lines = body.split("\n")
    for index, line in enumerate(lines):
        if line.strip():
            title = HEADING.sub(r"\2", line.strip())
            return title, "\n".join(lines[index + 1 :])
    return None, body


def leading_heading_as_title(body: str) -> tuple[str | None, str]:
    """Markdown without a front-matter title: a leading ``# heading`` is the title."""
    stripped = body.lstrip("\n")
    first, _, rest = stripped.partition("\n")
    heading = HEADING.match(first.strip())
    if heading and len(heading.group(1)) == 1:
        return heading.group(2), rest
    return None, body


def split_passages(doc_id: str, body: str) -> list[Passage]:
    """Paragraphs become passages; headings set their section; long ones split at sentences.

    A passage's section is the path of headings above it (``亮点工作 › 二、培育创新主体``),
    so that a heading directly followed by a sub-heading is kept too.
    """
    passages: list[Passage] = []
    headings: list[tuple[int, str]] = []  # (level, text) of the headings above this line
    section = ""
    block: list[str] = []

    def flush() -> None:
        paragraph = join_lines(block)
        block.clear()
        for piece in split_long(paragraph):
            ordinal = len(passages)
            passages.append(
                Passage.model_construct(  # fields built here, nothing to validate
                    id=f"{doc_id}#{ordinal}",
                    doc_id=doc_id,
                    section=section,
                    ordinal=ordinal,
                    text=piece,
                )
            )

    for line in body.split("\n"):
        heading = HEADING.match(line.strip())
        if heading:
            flush()
            level = len(heading.group(1))
            headings = [(lvl, text) for lvl, text in headings if lvl < level]
            headings.append((level, heading.group(2)))
            section = SECTION_SEPARATOR.join(text for _, text in headings)
        elif line.strip():
            block.append(line.strip())
        else:
            flush()
    flush()
    return passages


def join_lines(lines: list[str]) -> str:
    """Join wrapped lines: no space between CJK characters, one space between Latin words."""
    text = ""
    for line in lines:
        if text and text[-1].isascii() and text[-1].isalnum() and line[0].isascii():
            text += " "
        text += line
    return text


def split_long(paragraph: str) -> list[str]:
    """A paragraph over MAX_PASSAGE_CHARS is cut into pieces of at most that length.

    Cuts fall at sentence ends; a sentence too long for one passage (a run-on list joined
    by commas) is cut at its clause ends (，：), then at enumeration commas (、), and what is
    still too long at the cap itself. Without this, such a paragraph is one passage, and
    every question that retrieves it scans all of it.
    """
    if not paragraph:
        return []
    if len(paragraph) <= MAX_PASSAGE_CHARS:
        return [paragraph]
    pieces: list[str] = []
    current = ""
    for unit in passage_units(paragraph):
        if current and len(current) + len(unit) > MAX_PASSAGE_CHARS:
            pieces.append(current)
            current = ""
        current += unit
    if current:
        pieces.append(current)
    return pieces


def passage_units(text: str, level: int = 0) -> Iterator[str]:
    """``text`` in consecutive parts of at most MAX_PASSAGE_CHARS, each cut at the strongest
    boundary that makes it short enough (see ``split_long``)."""
    if len(text) <= MAX_PASSAGE_CHARS:
        yield text
    elif level < len(BOUNDARIES):
        for part in BOUNDARIES[level].split(text):
            yield from passage_units(part, level + 1)
    else:
        for start in range(0, len(text), MAX_PASSAGE_CHARS):
            yield text[start : start + MAX_PASSAGE_CHARS]


def load_facts(folder: Path, doc_ids: set[str]) -> list[Fact]:
    """Every ``*.yaml`` fact file of ``folder`` (a missing folder means no facts)."""
    if not folder.is_dir():
        return []
    facts: list[Fact] = []
    for path in listed_files(folder, FACT_SUFFIXES):
        facts.extend(load_fact_file(path, doc_ids))
    return facts


def load_fact_file(path: Path, doc_ids: set[str]) -> list[Fact]:
    """One fact file: a YAML list of fact records (or a mapping with a ``facts`` list).

    :raises KnowledgeError: with every problem of the file (repeated keys, each bad record).
    """
    records, problems = fact_records(path)
    facts: list[Fact] = []
    for number, item in enumerate(records, start=1):
        try:
            facts.append(fact_from_record(path, number, item, doc_ids))
        except KnowledgeError as exc:
            problems += exc.problems
    if problems:
        raise KnowledgeError(path, problems)
    return facts


def fact_records(path: Path) -> tuple[list[Any], list[str]]:
    """The raw records of a fact file (an empty file has none) and its repeated YAML keys.

    :raises KnowledgeError: when the file is not readable YAML or not a list.
    """
    data, problems = read_yaml(path)
    if isinstance(data, dict) and "facts" in data:
        data = data["facts"]
    if data is None:
        return [], problems
    if not isinstance(data, list):
        raise KnowledgeError(path, [*problems, "expected a list of facts"])
    return data, problems


def read_yaml(path: Path) -> tuple[Any, list[str]]:
    """A YAML file's data (dates kept as text) and one problem per repeated key.

    :raises KnowledgeError: when the file is unreadable or not YAML.
    """
    try:
        return parse_yaml(read_text(path))
    except YamlError as exc:
        raise KnowledgeError(path, str(exc)) from None


def fact_from_record(path: Path, number: int, item: Any, doc_ids: set[str]) -> Fact:
    """Record ``number`` of a fact file as a validated Fact about a known document.

    :raises KnowledgeError: naming the record and the field at fault.
    """
    if not isinstance(item, dict):
        raise KnowledgeError(path, f"fact {number}: expected a mapping of fields")
    fact = validate(path, Fact, item, f"fact {number}")
    if fact.doc not in doc_ids:
        raise KnowledgeError(path, f"fact {number}: doc: unknown document id '{fact.doc}'")
    return fact


def validate(path: Path, model: type[ModelT], data: dict[str, Any], where: str) -> ModelT:
    """Validate ``data``; every error becomes ``where: field: message`` of one KnowledgeError."""
    valid, problems = validated(model, data, where)
    if valid is None:
        raise KnowledgeError(path, problems)
    return valid


def validated(
    model: type[ModelT], data: dict[Any, Any], where: str
) -> tuple[ModelT | None, list[str]]:
    """The validated model, or None and one ``where: field: message`` per error."""
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            field_name = ".".join(str(part) for part in error["loc"]) or "(record)"
            message = "unknown field" if error["type"] == "extra_forbidden" else error["msg"]
            problems.append(f"{where}: {field_name}: {message}")
        return None, problems


def load_dictionary(folder: Path, errors: list[KnowledgeError] | None = None) -> Dictionary:
    """User words, aliases and stopwords; each file is optional.

    With ``errors`` (``qa-bot check``), a bad file is added there and left out instead.

    :raises KnowledgeError: without ``errors``, on the first bad file, with all its problems.
    """
    dictionary = Dictionary()
    if not folder.is_dir():
        return dictionary
    for path in (folder / name for name in DICTIONARY_FILES):
        if not present(path):
            continue
        try:
            read_dictionary_file(dictionary, path)
        except KnowledgeError as exc:
            if errors is None:
                raise
            errors.append(exc)
            continue
        dictionary.files.append(path)
    return dictionary


def read_dictionary_file(dictionary: Dictionary, path: Path) -> None:
    """Read one of the DICTIONARY_FILES into its part of ``dictionary``."""
    if path.name == "userdict.txt":
        dictionary.user_words = parse_userdict(path)
    elif path.name == "aliases.yaml":
        dictionary.aliases = parse_aliases(path)
    else:
        lines = read_text(path).split("\n")
        dictionary.stopwords = {line.strip() for line in lines if line.strip()}


def present(path: Path) -> bool:
    """A file to read: a regular file, or a link (a broken one or a loop is then reported)."""
    return path.is_file() or path.is_symlink()


def parse_userdict(path: Path) -> list[tuple[str, int | None, str | None]]:
    """jieba's user dictionary format: ``word [frequency] [pos]`` per line, # comments.

    :raises KnowledgeError: naming every line whose frequency or tag is not one.
    """
    words: list[tuple[str, int | None, str | None]] = []
    problems: list[str] = []
    for number, line in enumerate(read_text(path).split("\n"), start=1):
        parts = line.split("#", 1)[0].split()
        if not parts:
            continue
        freq: int | None = None
        tag: str | None = None
        for extra in parts[1:3]:
            if extra.isdecimal():  # not isdigit(): '²' is a digit that int() refuses
                freq = int(extra)
            elif extra.isalpha() and extra.isascii():
                tag = extra
            else:
                problems.append(f"line {number}: '{extra}' is neither a frequency nor a tag")
        words.append((parts[0], freq, tag))
    if problems:
        raise KnowledgeError(path, problems)
    return words


def parse_aliases(path: Path) -> dict[str, str]:
    """``canonical: [alias, …]`` mapping → {alias: canonical}; an alias may name one term only.

    :raises KnowledgeError: naming every bad entry (and every repeated key).
    """
    data, problems = read_yaml(path)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise KnowledgeError(path, [*problems, "expected 'canonical term: [aliases]' entries"])
    table: dict[str, str] = {}
    for canonical, aliases in data.items():
        if isinstance(aliases, str):
            aliases = [aliases]
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            problems.append(f"{canonical}: expected a list of aliases")
            continue
        for alias in aliases:
            if alias in table and table[alias] != str(canonical):
                problems.append(f"{canonical}: alias '{alias}' also names '{table[alias]}'")
                continue
            table[alias] = str(canonical)
    if problems:
        raise KnowledgeError(path, problems)
    return table
