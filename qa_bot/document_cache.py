"""The document cache: parsed documents reused while their file's size and mtime are unchanged.

``<name>.json`` keeps each file's size, mtime and document metadata; the passages of all of
them are in a memory-mapped passage store beside it (``<name>.passages.bin`` and ``.npy``, see
``passage_store``), so worker processes share one copy of the texts and a warm start builds
no passage objects at all.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qa_bot.models import Document
from qa_bot.passage_store import PassageStore, PassageView, open_store, write_store
from qa_bot.private_files import read_cache, write_cache

log = logging.getLogger(__name__)


DOCUMENT_CACHE_FORMAT = 3  # 3: passages in a memory-mapped store beside the file


@dataclass
class CachedDocument:
    """A document from the cache, with the file size and mtime it was read at."""

    stat: list[Any]
    document: Document
    raw: list[Any]  # the entry as stored, written back unchanged


def store_name(cache: Path) -> str:
    """The file name stem of the passage store beside the cache file."""
    return cache.stem + ".passages"


def read_document_cache(cache: Path | None) -> dict[str, CachedDocument]:
    """{file name: cached document} from the cache file, or nothing.

    A damaged file, entry or passage store is ignored after one warning: those documents
    are read again.
    """
    if cache is None:
        return {}
    try:
        data = json.loads(read_cache(cache))
        if isinstance(data, dict) and data.get("format") != DOCUMENT_CACHE_FORMAT:
            return {}  # another version's cache: replaced without fuss
        files, hashes = data.get("files"), data.get("store")
        if not isinstance(files, dict) or not isinstance(hashes, dict):
            raise ValueError("not a document cache")
        store = open_store(cache.parent, store_name(cache), hashes)
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, AttributeError) as exc:  # CorruptCacheError included
        log.warning("document cache %s unreadable (%s): reading the documents again", cache, exc)
        return {}
    entries = cached_documents(files, store)
    if len(entries) < len(files):
        log.warning("document cache %s is malformed: reading the documents again", cache)
    return entries


def cached_documents(files: dict[str, Any], store: PassageStore) -> dict[str, CachedDocument]:
    """The entries, their passages read from ``store`` (in the entries' order); nothing when
    any entry is malformed or the counts do not add up to the store (positions are then
    unknown, so no entry can be trusted)."""
    entries: dict[str, CachedDocument] = {}
    start = 0
    for name, raw in files.items():
        document = document_from_cache(raw, store, start)
        if document is None:
            return {}
        entries[name] = CachedDocument(raw[:2], document, raw)
        start += len(document.passages)
    return entries if start == len(store) else {}


def document_from_cache(raw: Any, store: PassageStore, start: int) -> Document | None:
    """The document of a ``[size, mtime_ns, metadata, passage count]`` entry, its metadata
    validated and its passages a view of the store (None if malformed)."""
    if not (isinstance(raw, list) and len(raw) == 4 and isinstance(raw[3], int)):
        return None
    if not (isinstance(raw[2], dict) and raw[3] > 0 and start + raw[3] <= len(store)):
        return None
    fields = raw[2]
    if not well_formed(fields):
        return None
    view = PassageView(store, fields["id"], start, start + raw[3])
    fields_set = set(FIELDS_SET) if len(fields) == len(ALL_FIELDS) else None  # saves a pass
    return Document.model_construct(fields_set, **fields, passages=view)


TEXT_FIELDS = frozenset({"id", "title", "path"})
OPTIONAL_FIELDS = frozenset({"date", "source", "author"})
ALL_FIELDS = TEXT_FIELDS | OPTIONAL_FIELDS
FIELDS_SET = ALL_FIELDS | {"passages"}  # what every cached document sets (the cache writes all)


def well_formed(fields: dict[str, Any]) -> bool:
    """Whether cached document fields are those the cache writes (text, optional text).

    Checked by hand: ``model_validate`` for each of 100,000 documents would take seconds of
    every start; the values were validated when the document was read from its file.
    """
    if not fields.keys() <= ALL_FIELDS or not fields.keys() >= TEXT_FIELDS:
        return False
    for name, value in fields.items():  # a loop: a generator per document costs more
        if type(value) is not str and (value is not None or name not in OPTIONAL_FIELDS):
            return False
    return True


def cache_entry(stat: list[Any], document: Document) -> list[Any]:
    """What the cache keeps of a freshly read document (its passages go to the store)."""
    return [*stat, document.model_dump(exclude={"passages"}), len(document.passages)]


def write_document_cache(
    cache: Path, files: dict[str, list[Any]], documents: Sequence[Document]
) -> None:
    """Write the passage store of ``documents`` (in the order of ``files``) and then the
    cache file that names its checksums; failing to write only costs speed next time."""
    try:
        cache.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        passages = (p for document in documents for p in document.passages)
        hashes = write_store(cache.parent, store_name(cache), passages)
        payload = {"format": DOCUMENT_CACHE_FORMAT, "files": files, "store": hashes}
        write_cache(cache, json.dumps(payload, ensure_ascii=False).encode("utf-8"))
    except OSError as exc:
        log.warning("could not write the document cache %s: %s", cache, exc)
