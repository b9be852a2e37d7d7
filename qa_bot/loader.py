"""Read a knowledge folder into validated models; every problem names its file and field."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from qa_bot.errors import KnowledgeError
from qa_bot.extraction import extract_facts, merge
from qa_bot.models import Document, DocumentMeta, Fact, Passage
from qa_bot.private_files import cache_root, read_cache, write_cache

HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
SENTENCE_END = re.compile(r"(?<=[。！？!?；;])")
MAX_PASSAGE_CHARS = 400
SECTION_SEPARATOR = " › "
ModelT = TypeVar("ModelT", bound=BaseModel)
log = logging.getLogger(__name__)


@dataclass
class Dictionary:
    """The knowledge folder's word lists: jieba user words, aliases and stopwords."""

    user_words: list[tuple[str, int | None, str | None]] = field(default_factory=list)
    aliases: dict[str, str] = field(default_factory=dict)
    stopwords: set[str] = field(default_factory=set)
    files: list[Path] = field(default_factory=list)


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

    def extracted_facts(self, doc_id: str) -> list[Fact]:
        """Facts read from the document's text that no hand-written fact already states."""
        document = self.document(doc_id)
        hand = [f for f in self.facts if f.doc == doc_id]
        found = extract_facts(doc_id, document.title, document.passages)
        return merge(hand, found)[len(hand) :]

    def document(self, doc_id: str) -> Document:
        """The document with this id (KeyError when unknown)."""
        return self._by_id[doc_id]

    def __post_init__(self) -> None:
        self._by_id = {doc.id: doc for doc in self.documents}


_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML has it


def load_yaml(text: str) -> Any:
    """Parse YAML safely, with the C parser when available (ten times faster)."""
    return yaml.load(text, Loader=_YAML_LOADER)


def load_knowledge(root: Path | str, cache_dir: Path | None = None) -> Knowledge:
    """Load documents, facts and dictionaries from a folder in the DESIGN.md format.

    ``facts`` are the hand-written ones; ``Knowledge.extracted_facts`` reads more from a
    document's text when asked (``extraction.merge`` says which of those are kept).

    :raises KnowledgeError: on the first unreadable or invalid file.
    """
    root = Path(root)
    if not root.is_dir():
        raise KnowledgeError(root, "knowledge folder not found")
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
    with os.scandir(folder) as entries:
        found = [e for e in entries if e.name.endswith((".md", ".txt")) and e.is_file()]
        stats = {e.name: [info.st_size, info.st_mtime_ns] for e in found for info in [e.stat()]}
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


DOCUMENT_CACHE_FORMAT = 1


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
    """One document: front matter (Markdown only) and body split into passages."""
    text = read_text(path)
    if path.suffix == ".md":
        meta, body = split_front_matter(path, text)
    else:
        meta, body = DocumentMeta(), text
    if path.suffix == ".txt":
        meta.title, body = first_line_as_title(body)
    elif meta.title is None:
        meta.title, body = leading_heading_as_title(body)
    if not body.strip():
        raise KnowledgeError(path, "empty document: no text after the front matter/title")
    doc_id = meta.id or path.stem
    passages = split_passages(doc_id, body)
    if not passages:
        raise KnowledgeError(path, "empty document: no paragraphs")
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
    """The file as UTF-8 text (a BOM is dropped, line ends unified)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise KnowledgeError(path, f"cannot read: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise KnowledgeError(
            path, f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})"
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_front_matter(path: Path, text: str) -> tuple[DocumentMeta, str]:
    """Separate ``---`` YAML front matter from the Markdown body and validate it."""
    if not text.startswith("---\n"):
        return DocumentMeta(), text
    end = text.find("\n---", 4)
    if end == -1:
        raise KnowledgeError(path, "front matter: opening '---' has no closing '---'")
    block, body = text[4:end], text[end + 4 :].lstrip("-")
    try:
        data = load_yaml(block) or {}
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        where = f" (line {line + 2})" if line is not None else ""
        raise KnowledgeError(path, f"front matter: invalid YAML{where}") from None
    if not isinstance(data, dict):
        raise KnowledgeError(path, "front matter: must be key: value pairs")
    return validate(path, DocumentMeta, data, "front matter"), body


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
    """A paragraph over MAX_PASSAGE_CHARS is cut at sentence ends into near-equal pieces."""
    if not paragraph:
        return []
    if len(paragraph) <= MAX_PASSAGE_CHARS:
        return [paragraph]
    pieces: list[str] = []
    current = ""
    for sentence in SENTENCE_END.split(paragraph):
        if current and len(current) + len(sentence) > MAX_PASSAGE_CHARS:
            pieces.append(current)
            current = ""
        current += sentence
    if current:
        pieces.append(current)
    return pieces


def load_facts(folder: Path, doc_ids: set[str]) -> list[Fact]:
    """Every ``*.yaml`` fact file of ``folder`` (a missing folder means no facts)."""
    if not folder.is_dir():
        return []
    facts: list[Fact] = []
    for path in sorted(folder.glob("*.y*ml")):
        facts.extend(load_fact_file(path, doc_ids))
    return facts


def load_fact_file(path: Path, doc_ids: set[str]) -> list[Fact]:
    """One fact file: a YAML list of fact records (or a mapping with a ``facts`` list)."""
    return [
        fact_from_record(path, number, item, doc_ids)
        for number, item in enumerate(fact_records(path), start=1)
    ]


def fact_records(path: Path) -> list[Any]:
    """The raw records of a fact file (an empty file has none).

    :raises KnowledgeError: when the file is not readable YAML or not a list.
    """
    try:
        data = load_yaml(read_text(path))
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        where = f" at line {line + 1}" if line is not None else ""
        raise KnowledgeError(path, f"invalid YAML{where}") from None
    if isinstance(data, dict) and "facts" in data:
        data = data["facts"]
    if data is None:
        return []
    if not isinstance(data, list):
        raise KnowledgeError(path, "expected a list of facts")
    return data


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
    """Validate ``data``; the first error becomes ``file: where: field: message``."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        field_name = ".".join(str(part) for part in error["loc"]) or "(record)"
        message = error["msg"]
        if error["type"] == "extra_forbidden":
            message = "unknown field"
        raise KnowledgeError(path, f"{where}: {field_name}: {message}") from None


def load_dictionary(folder: Path) -> Dictionary:
    """User words, aliases and stopwords; each file is optional."""
    dictionary = Dictionary()
    if not folder.is_dir():
        return dictionary
    userdict = folder / "userdict.txt"
    if userdict.is_file():
        dictionary.user_words = parse_userdict(userdict)
        dictionary.files.append(userdict)
    aliases = folder / "aliases.yaml"
    if aliases.is_file():
        dictionary.aliases = parse_aliases(aliases)
        dictionary.files.append(aliases)
    stopwords = folder / "stopwords.txt"
    if stopwords.is_file():
        dictionary.stopwords = {
            line.strip() for line in read_text(stopwords).split("\n") if line.strip()
        }
        dictionary.files.append(stopwords)
    return dictionary


def parse_userdict(path: Path) -> list[tuple[str, int | None, str | None]]:
    """jieba's user dictionary format: ``word [frequency] [pos]`` per line, # comments."""
    words: list[tuple[str, int | None, str | None]] = []
    for number, line in enumerate(read_text(path).split("\n"), start=1):
        parts = line.split("#", 1)[0].split()
        if not parts:
            continue
        freq: int | None = None
        tag: str | None = None
        for extra in parts[1:3]:
            if extra.isdigit():
                freq = int(extra)
            elif extra.isalpha() and extra.isascii():
                tag = extra
            else:
                raise KnowledgeError(
                    path, f"line {number}: '{extra}' is neither a frequency nor a tag"
                )
        words.append((parts[0], freq, tag))
    return words


def parse_aliases(path: Path) -> dict[str, str]:
    """``canonical: [alias, …]`` mapping → {alias: canonical}; an alias may name one term only."""
    try:
        data = load_yaml(read_text(path)) or {}
    except yaml.YAMLError:
        raise KnowledgeError(path, "invalid YAML") from None
    if not isinstance(data, dict):
        raise KnowledgeError(path, "expected 'canonical term: [aliases]' entries")
    table: dict[str, str] = {}
    for canonical, aliases in data.items():
        if isinstance(aliases, str):
            aliases = [aliases]
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise KnowledgeError(path, f"{canonical}: expected a list of aliases")
        for alias in aliases:
            if alias in table and table[alias] != canonical:
                raise KnowledgeError(
                    path, f"{canonical}: alias '{alias}' also names '{table[alias]}'"
                )
            table[alias] = str(canonical)
    return table
