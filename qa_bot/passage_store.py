"""Passage texts in one memory-mapped file, shared by every process that loads the cache.

Each worker of ``qa-bot serve --workers N`` would otherwise hold its own copy of every passage
as Python objects. Here the sections and texts of all passages are one UTF-8 file
(``<name>.bin``) with an offsets array (``<name>.npy``: where each section and each text
starts); both are mapped read-only, so the operating system keeps one copy of the pages for
all processes. A passage is built when it is read (``PassageView``), a few per question.

The files are checked against the SHA-256 recorded in the document cache (itself
checksummed) before use: a damaged store is rebuilt, never trusted.
"""

from __future__ import annotations

import hashlib
import itertools
import mmap
import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

import numpy as np
import numpy.typing as npt

from qa_bot.models import Passage
from qa_bot.private_files import CorruptCacheError, unsafe_reason, write_private

if TYPE_CHECKING:
    from hashlib import _Hash as Hasher


class PassageStore:
    """The passages of a knowledge folder's documents, read from the mapped files."""

    def __init__(self, blob: mmap.mmap | bytes, offsets: npt.NDArray[np.int64]) -> None:
        # A plain array over the same mapped pages: slicing a numpy memmap costs a subclass
        # round trip each time, which 100,000 documents pay at every start.
        self._blob, self._offsets = blob, offsets.view(np.ndarray)

    def __len__(self) -> int:
        return (len(self._offsets) - 1) // 2

    def section_and_text(self, position: int) -> tuple[str, str]:
        """The section and text of the passage at ``position`` (in document order)."""
        start, middle, end = self._offsets[2 * position : 2 * position + 3].tolist()
        return (
            self._blob[start:middle].decode("utf-8"),
            self._blob[middle:end].decode("utf-8"),
        )

    def feed(self, hasher: Hasher, start: int, stop: int) -> None:
        """Hash the sections and texts of passages ``start`` to ``stop`` as they are stored,
        each followed by a zero byte (as ``passages_digest`` hashes passages in memory)."""
        bounds = self._offsets[2 * start : 2 * stop + 1].tolist()
        for begin, end in itertools.pairwise(bounds):
            hasher.update(self._blob[begin:end])
            hasher.update(b"\0")


def passages_digest(title: str, passages: Sequence[Passage]) -> str:
    """A hash of a document's title, sections and texts — what its index terms depend on —
    read from the store without building passage objects when the passages are a view."""
    hasher = hashlib.sha256(title.encode("utf-8") + b"\0")
    if isinstance(passages, PassageView):
        passages.store.feed(hasher, passages.start, passages.stop)
    else:
        for passage in passages:
            for part in (passage.section, passage.text):
                hasher.update(part.encode("utf-8"))
                hasher.update(b"\0")
    return hasher.hexdigest()[:32]


class LazyPassages(Sequence[Passage]):
    """Passages built when read; equal to any sequence of the same passages."""

    def __len__(self) -> int:
        raise NotImplementedError

    def _get(self, index: int) -> Passage:
        raise NotImplementedError

    @overload
    def __getitem__(self, index: int) -> Passage: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Passage]: ...

    def __getitem__(self, index: int | slice) -> Passage | Sequence[Passage]:
        if isinstance(index, slice):
            return [self._get(n) for n in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self._get(index)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str | bytes):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    def __repr__(self) -> str:
        return repr(list(self))


class PassageView(LazyPassages):
    """One document's passages (``start`` to ``stop`` in the store)."""

    def __init__(self, store: PassageStore, doc_id: str, start: int, stop: int) -> None:
        self.store, self.doc_id, self.start, self.stop = store, doc_id, start, stop

    def __len__(self) -> int:
        return self.stop - self.start

    def _get(self, index: int) -> Passage:
        section, text = self.store.section_and_text(self.start + index)
        return Passage.model_construct(  # written from validated passages: nothing to check
            id=f"{self.doc_id}#{index}",
            doc_id=self.doc_id,
            section=section,
            ordinal=index,
            text=text,
        )


class Concatenated(LazyPassages):
    """The passages of several documents as one sequence, without copying them (a list of
    100,000 passages built from the store would undo the sharing)."""

    def __init__(self, parts: list[Sequence[Passage]]) -> None:
        self._parts = parts
        self._starts = np.cumsum([0] + [len(part) for part in parts], dtype=np.int64)

    def __len__(self) -> int:
        return int(self._starts[-1])

    def _get(self, index: int) -> Passage:
        part = int(np.searchsorted(self._starts, index, side="right")) - 1
        return self._parts[part][index - int(self._starts[part])]

    def __iter__(self) -> Iterator[Passage]:
        for part in self._parts:
            yield from part


def write_store(folder: Path, name: str, passages: Iterable[Passage]) -> dict[str, str]:
    """Write the store files (each atomically, 0600); their SHA-256, to record and check.

    :raises OSError: when they cannot be written.
    """
    blob = bytearray()
    offsets = [0]
    for passage in passages:
        blob += passage.section.encode("utf-8")
        offsets.append(len(blob))
        blob += passage.text.encode("utf-8")
        offsets.append(len(blob))
    array = np.array(offsets, dtype=np.int64)
    write_private(folder / f"{name}.bin", bytes(blob))
    write_private(folder / f"{name}.npy", array_bytes(array))
    return {"bin": sha256(blob), "npy": sha256(array_bytes(array))}


def array_bytes(array: npt.NDArray[Any]) -> bytes:
    """An array as a .npy file's bytes (no pickle)."""
    import io

    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    return buffer.getvalue()


def open_store(folder: Path, name: str, hashes: dict[str, str]) -> PassageStore:
    """The store written by ``write_store``, mapped read-only.

    :raises FileNotFoundError: when there is none.
    :raises CorruptCacheError: when a file is damaged, not private, or does not fit.
    """
    blob = mapped(folder / f"{name}.bin")
    if sha256(blob) != hashes.get("bin"):
        raise CorruptCacheError(f"{name}.bin: checksum mismatch (truncated or damaged)")
    offsets = mapped_array(folder / f"{name}.npy", hashes.get("npy"))
    if offsets.dtype != np.int64 or offsets.ndim != 1 or len(offsets) % 2 != 1:
        raise CorruptCacheError(f"{name}.npy: not an offsets array")
    if offsets[0] != 0 or np.any(np.diff(offsets) < 0) or int(offsets[-1]) != len(blob):
        raise CorruptCacheError(f"{name}.npy: offsets do not fit {name}.bin")
    return PassageStore(blob, offsets)


def mapped(path: Path) -> mmap.mmap | bytes:
    """A private cache file mapped read-only (an empty file as ``b""``: mmap refuses it)."""
    with path.open("rb") as handle:
        info = os.fstat(handle.fileno())
        reason = unsafe_reason(info)
        if reason is not None:
            raise CorruptCacheError(f"{path.name} is {reason}")
        if info.st_size == 0:
            return b""
        return mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)


def mapped_array(path: Path, expected: str | None) -> npt.NDArray[Any]:
    """A .npy file mapped read-only, after its SHA-256 is checked against ``expected``.

    :raises CorruptCacheError: when it is damaged or not a plain array.
    """
    if sha256(mapped(path)) != expected:
        raise CorruptCacheError(f"{path.name}: checksum mismatch (truncated or damaged)")
    try:
        array: npt.NDArray[Any] = np.load(path, mmap_mode="r", allow_pickle=False)
    except (ValueError, OSError, EOFError) as exc:
        raise CorruptCacheError(f"{path.name}: not an array ({exc})") from None
    return array


def sha256(data: mmap.mmap | bytes | bytearray) -> str:
    """The hex SHA-256 of mapped or in-memory bytes (reading a mapping shares its pages)."""
    return hashlib.sha256(data).hexdigest()
