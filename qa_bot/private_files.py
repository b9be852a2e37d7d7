"""The bot's own files: a private cache directory, atomic 0600 writes, checksummed caches.

Caches decide answers — a document cache edited by someone else changes what the bot says
while the citation stays real — so the cache directory must be this user's alone. It is
created 0700; one that another user owns or that others may write to is not used: the caches
are then built in a private temporary folder for this run, after one warning. Every file the
bot writes is 0600 and replaced atomically (a reader sees the old or the new content, never
half of it). Cache files carry a SHA-256 of their content, so a truncated or bit-flipped
file is detected and rebuilt instead of being trusted.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import logging
import os
import shutil
import sqlite3
import stat
import tempfile
import threading
from pathlib import Path

log = logging.getLogger(__name__)

MAGIC = b"qa-bot-cache sha256="
FILE_MODE = 0o600
DIR_MODE = 0o700
_FALLBACKS: dict[Path, Path] = {}  # refused cache directory → this run's private one
_FALLBACK_LOCK = threading.Lock()


class CorruptCacheError(ValueError):
    """A cache file that is damaged, from elsewhere, or not this user's: rebuild it."""


def unsafe_reason(info: os.stat_result) -> str | None:
    """Why a file or folder with this status must not be trusted, or None when it is private."""
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        return f"owned by another user (uid {info.st_uid})"
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return "writable by other users"
    return None


def private_dir(path: Path) -> str | None:
    """Create ``path`` 0700 (missing parents too), or tighten our own existing one to 0700.

    :returns: None when only this user may use it, else why it cannot be used.
    """
    try:
        for folder in reversed([path, *path.parents]):
            if not folder.exists():
                folder.mkdir(mode=DIR_MODE, exist_ok=True)
        info = path.stat()
        if not stat.S_ISDIR(info.st_mode):
            return "not a folder"
        reason = unsafe_reason(info)
        if reason is None and stat.S_IMODE(info.st_mode) & 0o077:
            path.chmod(DIR_MODE)  # ours and not writable by others: just make it unreadable
    except OSError as exc:
        return f"cannot be created or read ({exc.strerror or exc})"
    return reason


def cache_root(configured: Path) -> Path:
    """The cache directory to use: ``configured`` when it is private, else (after one
    warning) a private temporary folder that is removed when the process exits."""
    reason = private_dir(configured)
    if reason is None:
        return configured
    with _FALLBACK_LOCK:
        fallback = _FALLBACKS.get(configured)
        if fallback is None:
            fallback = _FALLBACKS[configured] = Path(tempfile.mkdtemp(prefix="qa-bot-cache-"))
            atexit.register(shutil.rmtree, fallback, ignore_errors=True)
            log.warning(
                "cache directory %s is %s: not using it; caching in %s for this run only "
                "(use a folder of your own with mode 700)",
                configured,
                reason,
                fallback,
            )
    return fallback


def write_private(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically (temporary file + os.replace), mode 0600.

    :raises OSError: when the folder is not writable (the old content is then untouched).
    """
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def write_cache(path: Path, payload: bytes) -> None:
    """Write a cache file: a checksum line, then ``payload`` (atomically, mode 0600)."""
    write_private(path, MAGIC + checksum(payload) + b"\n" + payload)


def read_cache(path: Path) -> bytes:
    """The payload of a cache file written by ``write_cache``.

    :raises FileNotFoundError: when there is none (a cold start, nothing to warn about).
    :raises CorruptCacheError: when it is truncated, damaged, or not private to this user.
    :raises OSError: when it cannot be read.
    """
    with path.open("rb") as handle:
        reason = unsafe_reason(os.fstat(handle.fileno()))
        if reason is not None:
            raise CorruptCacheError(reason)
        data = handle.read()
    header, newline, payload = data.partition(b"\n")
    if not newline or not header.startswith(MAGIC):
        raise CorruptCacheError("not a qa-bot cache file (or truncated)")
    if header[len(MAGIC) :] != checksum(payload):
        raise CorruptCacheError("checksum mismatch (truncated or damaged)")
    return payload


def checksum(payload: bytes) -> bytes:
    """The hex SHA-256 of ``payload``."""
    return hashlib.sha256(payload).hexdigest().encode("ascii")


def open_private_database(path: Path, schema: str, synchronous: str) -> sqlite3.Connection:
    """The SQLite database at ``path``, created (or made) readable by its owner only — it
    holds questions and session hashes — in WAL mode, with ``schema`` in place. SQLite gives
    its -wal and -shm files the same permissions.

    :raises sqlite3.Error, OSError: when it cannot be opened.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    make_private(path)
    db = sqlite3.connect(path, check_same_thread=False, timeout=10.0)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute(f"PRAGMA synchronous={synchronous}")
    db.executescript(schema)
    return db


def make_private(path: Path) -> None:
    """Create ``path`` with mode 0600, or make an existing file so."""
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    if path.stat().st_mode & 0o077:
        path.chmod(0o600)
