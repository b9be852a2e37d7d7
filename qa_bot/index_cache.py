"""Build the passage index once and keep it: a cache keyed by what the index depends on.

The tokens of each document are stored under a hash of the document's text; the index arrays
under a hash of all documents together with the dictionary and the tokenizer's version, as
``.npy`` files that are memory-mapped (so the workers of one machine share their pages) and
whose SHA-256 the checksummed ``meta.json`` records. At start-up a matching index is loaded
as is; otherwise only documents whose hash is new are
tokenised again (in parallel across the machine's cores, with a progress bar for long builds)
and the index is rebuilt from the stored tokens. Anything unreadable, inconsistent or from
another version is rebuilt, never trusted.
"""

from __future__ import annotations

import hashlib
import json
import logging
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TypeVar

from qa_bot.index import BM25Index
from qa_bot.models import Passage
from qa_bot.orphans import die_with_parent
from qa_bot.passage_store import array_bytes, mapped_array, sha256
from qa_bot.private_files import (
    CorruptCacheError,
    cache_root,
    private_dir,
    read_cache,
    write_cache,
    write_private,
)

log = logging.getLogger(__name__)

FORMAT = 1  # bump when the token cache's layout or the tokenisation rules change
LAYOUT = 2  # bump when the index files change (2: memory-mapped .npy arrays)
ARRAYS = ("offsets", "documents", "frequencies", "lengths")  # each a memory-mapped .npy file
PROGRESS_FROM = 2000  # passages; smaller builds show no progress bar
T = TypeVar("T")
_worker_tokenise: Callable[[str], list[str]] | None = None  # set in forked workers


def digest(*parts: str | bytes) -> str:
    """A short, stable hash of the parts."""
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(part.encode("utf-8") if isinstance(part, str) else part)
        hasher.update(b"\0")
    return hasher.hexdigest()[:32]


def cache_folder(cache_dir: Path, knowledge_root: Path) -> Path:
    """Where one knowledge folder's index lives inside the (private) cache directory."""
    return cache_root(cache_dir) / "index" / digest(str(knowledge_root.resolve()))


class IndexCache:
    """Loads or (re)builds the BM25 index of a knowledge folder's passages."""

    def __init__(self, folder: Path, settings_key: str) -> None:
        self.folder = folder
        self.settings_key = settings_key

    def index(
        self,
        documents: Mapping[str, Sequence[Passage]],
        text_of: Callable[[Passage], str],
        tokenise: Callable[[str], list[str]],
        hashes: Mapping[str, str] | None = None,
    ) -> BM25Index:
        """The index of ``documents`` (passages in order), from the cache when it is current.

        :param hashes: a hash of each document's indexed text, when the caller has one
            cheaper than ``text_of`` every passage (default: hashed here).
        """
        if hashes is None:
            hashes = {d: digest(*(text_of(p) for p in ps)) for d, ps in documents.items()}
        key = digest(
            f"{FORMAT}.{LAYOUT}", self.settings_key, *(f"{d}={h}" for d, h in hashes.items())
        )
        size = sum(len(passages) for passages in documents.values())
        index = self._load_index(key, size)
        if index is not None:
            return index
        tokens = self._load_tokens({h: len(documents[d]) for d, h in hashes.items()})
        missing = [d for d, h in hashes.items() if h not in tokens]
        if missing:
            texts = [text_of(p) for d in missing for p in documents[d]]
            fresh = iter(tokenise_all(texts, tokenise))
            for doc_id in missing:
                tokens[hashes[doc_id]] = ["\t".join(next(fresh)) for _ in documents[doc_id]]
        corpus = [
            (line.split("\t") if line else []) for d in documents for line in tokens[hashes[d]]
        ]
        index = BM25Index.build(corpus)
        self._save(key, index, {h: tokens[h] for h in hashes.values()})
        log.info("indexed %d passages (%d documents tokenised)", len(corpus), len(missing))
        return index

    def _load_index(self, key: str, size: int) -> BM25Index | None:
        """The stored index when it is the one for ``key`` (None, after a warning, when the
        files are damaged: a corrupt cache never stops the bot). Its arrays are mapped from
        the cache files, so worker processes on one machine share one copy."""
        try:
            meta = json.loads(read_cache(self.folder / "meta.json"))
            if not isinstance(meta, dict):
                raise CorruptCacheError("meta.json is not an object")
            if meta.get("key") != key:
                return None
            hashes = meta.get("arrays")
            if not isinstance(hashes, dict):
                raise CorruptCacheError("meta.json names no arrays")
            text = read_cache(self.folder / "vocabulary.txt").decode("utf-8")
            arrays = {
                name: mapped_array(self.folder / f"{name}.npy", hashes.get(name)) for name in ARRAYS
            }
            index = BM25Index.checked(text.split("\n") if text else [], **arrays)
            if index.size != size:
                raise CorruptCacheError(f"{index.size} passages indexed, {size} loaded")
            return index
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:  # CorruptCacheError and JSON errors included
            log.warning("index cache %s unreadable (%s): rebuilding", self.folder, exc)
            return None

    def _load_tokens(self, wanted: dict[str, int]) -> dict[str, list[str]]:
        """Stored token lines of the documents in ``wanted`` ({text hash: passage count});
        a damaged file or entry is dropped after one warning, and tokenised again."""
        try:
            data = json.loads(read_cache(self.folder / "tokens.json"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            log.warning("token cache %s unreadable (%s): tokenising again", self.folder, exc)
            return {}
        if isinstance(data, dict) and (
            data.get("format") != FORMAT or data.get("settings") != self.settings_key
        ):
            return {}  # another version's or other settings' tokens: replaced without fuss
        stored = data.get("documents") if isinstance(data, dict) else None
        if not isinstance(stored, dict):
            log.warning("token cache %s is malformed: tokenising again", self.folder)
            return {}
        usable = {h: stored[h] for h, n in wanted.items() if is_token_lines(stored.get(h), n)}
        damaged = [h for h in wanted if h in stored and h not in usable]
        if damaged:
            log.warning(
                "token cache %s: %d malformed entries tokenised again", self.folder, len(damaged)
            )
        return usable

    def _save(self, key: str, index: BM25Index, tokens: dict[str, list[str]]) -> None:
        """Write tokens, index and, last, the meta that makes them valid (each atomically)."""
        reason = private_dir(self.folder)
        if reason is not None:
            log.warning("not writing the index cache %s: it is %s", self.folder, reason)
            return
        try:
            payload = {"format": FORMAT, "settings": self.settings_key, "documents": tokens}
            write_cache(
                self.folder / "tokens.json", json.dumps(payload, ensure_ascii=False).encode()
            )
            write_cache(self.folder / "vocabulary.txt", "\n".join(index.vocabulary).encode())
            hashes = {}
            for name, array in index.arrays().items():
                data = array_bytes(array)
                write_private(self.folder / f"{name}.npy", data)
                hashes[name] = sha256(data)
            meta = {"key": key, "arrays": hashes}
            write_cache(self.folder / "meta.json", json.dumps(meta).encode())
        except OSError as exc:
            log.warning("could not write the index cache %s: %s", self.folder, exc)


def is_token_lines(entry: object, passages: int) -> bool:
    """Whether a stored entry is what the cache writes: one string per passage."""
    return (
        isinstance(entry, list)
        and len(entry) == passages
        and all(isinstance(line, str) for line in entry)
    )


def _tokenise_chunk(texts: list[str]) -> list[list[str]]:
    assert _worker_tokenise is not None
    return [_worker_tokenise(text) for text in texts]


def tokenise_all(texts: list[str], tokenise: Callable[[str], list[str]]) -> list[list[str]]:
    """Tokenise texts on every core (forked workers share the loaded dictionary, and die
    with this process if it is killed)."""
    global _worker_tokenise
    workers = min(os.cpu_count() or 1, max(1, len(texts) // 500))
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [tokenise(text) for text in progress(texts, len(texts), len(texts))]
    _worker_tokenise = tokenise
    chunks = [texts[i : i + 200] for i in range(0, len(texts), 200)]
    context = multiprocessing.get_context("fork")
    results: list[list[str]] = []
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=die_with_parent,
        initargs=(os.getpid(),),
    ) as pool:
        for chunk in progress(pool.map(_tokenise_chunk, chunks), len(chunks), len(texts)):
            results.extend(chunk)
    return results


def progress(items: Iterable[T], total: int, passages: int) -> Iterable[T]:
    """A progress bar on stderr for long builds in a terminal; the items unchanged otherwise."""
    if passages < PROGRESS_FROM or not sys.stderr.isatty():
        return items
    from tqdm import tqdm

    bar: Iterable[T] = tqdm(items, total=total, desc="indexing", unit="batch", file=sys.stderr)
    return bar
