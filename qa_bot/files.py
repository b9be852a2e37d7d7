"""Reading knowledge files safely: listing, names, decoding, YAML, validation.

Every problem names its file.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from qa_bot.decoding import Decoded, NotText, decode
from qa_bot.errors import KnowledgeError
from qa_bot.strict_yaml import YamlError, parse_yaml

ModelT = TypeVar("ModelT", bound=BaseModel)


log = logging.getLogger(__name__)


def listed_files(folder: Path, suffixes: tuple[str, ...]) -> list[Path]:
    """The entries of ``folder`` whose names end in ``suffixes``, sorted; folders left out.

    An entry that cannot be inspected (a symlink loop) is listed, so that reading it names
    the problem instead of the file being silently skipped.
    """
    return [folder / name for name in listed_names(folder, suffixes)]


def listed_names(folder: Path, suffixes: tuple[str, ...]) -> list[str]:
    """``listed_files`` as names: a folder of 100,000 documents is listed at every start, and
    building a ``Path`` for each costs more than the listing."""
    try:
        with os.scandir(folder) as entries:
            names = [e.name for e in entries if e.name.endswith(suffixes) and not is_folder(e)]
    except OSError as exc:
        raise KnowledgeError(folder, f"cannot read: {exc.strerror}") from None
    return sorted(names)


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


def file_signatures(folder: Path, names: list[str]) -> dict[str, list[int]]:
    """``file_signature`` of each named file of ``folder``, by name (string paths: fast)."""
    base = os.fspath(folder)
    signatures = {}
    for name in names:
        try:
            name.encode("utf-8")
            info = os.stat(os.path.join(base, name))
        except (OSError, UnicodeEncodeError):
            info = None
        if info is None or not stat.S_ISREG(info.st_mode):
            file_signature(folder / name)  # raises the one-line error naming the problem
        else:
            signatures[name] = [info.st_size, info.st_mtime_ns]
    return signatures


def check_file_name(path: Path) -> None:
    """File names must be UTF-8: ids, citations and the cache are built from them.

    :raises KnowledgeError: for a name with bytes that are not UTF-8 (shown as ``\\xff``).
    """
    try:
        path.name.encode("utf-8")
    except UnicodeEncodeError:
        raise KnowledgeError(path, "file name is not valid UTF-8: rename the file") from None


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


def read_yaml(path: Path) -> tuple[Any, list[str]]:
    """A YAML file's data (dates kept as text) and one problem per repeated key.

    :raises KnowledgeError: when the file is unreadable or not YAML.
    """
    try:
        return parse_yaml(read_text(path))
    except YamlError as exc:
        raise KnowledgeError(path, str(exc)) from None


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
