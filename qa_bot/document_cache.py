"""The document cache: parsed documents reused while their file's size and mtime are unchanged."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from qa_bot.models import Document
from qa_bot.private_files import read_cache, write_cache

log = logging.getLogger(__name__)


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
