"""The project's own exceptions; the CLI maps them to one line and a non-zero exit."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path


def shown(path: Path | str) -> str:
    """A path as it can be printed: bytes that are not UTF-8 in a file name become ``\\xff``."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


class QaBotError(Exception):
    """Base class of every error the bot reports to a person instead of a traceback."""


class KnowledgeError(QaBotError):
    """A knowledge file is unreadable or invalid; the message names the file and the problems.

    ``problems`` lists everything found in the file (``qa-bot check`` prints one line each);
    ``problem`` is the first. The message stays on one line, problems separated by ``; ``.
    """

    def __init__(self, path: Path | str, problem: str | Sequence[str]) -> None:
        self.path = Path(path)
        self.problems = [problem] if isinstance(problem, str) else list(problem)
        self.problem = self.problems[0]
        super().__init__(f"{shown(self.path)}: {'; '.join(self.problems)}")


class ConfigError(QaBotError):
    """Settings are missing or invalid (for example no Telegram token)."""


class QuestionSetError(QaBotError):
    """A question set for ``qa-bot eval`` is unreadable or malformed."""

    def __init__(self, path: Path | str, problem: str) -> None:
        self.path = Path(path)
        self.problem = problem
        super().__init__(f"{shown(self.path)}: {problem}")
