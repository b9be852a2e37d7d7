"""Dictionary files (``dict/``): jieba user words, aliases and stopwords."""

from __future__ import annotations

import logging
from pathlib import Path

from qa_bot.errors import KnowledgeError
from qa_bot.files import (
    read_text,
    read_yaml,
)
from qa_bot.models import Dictionary

DICTIONARY_FILES = ("userdict.txt", "aliases.yaml", "stopwords.txt")


log = logging.getLogger(__name__)


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
