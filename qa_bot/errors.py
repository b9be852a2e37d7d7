"""The project's own exceptions; the CLI maps them to one line and a non-zero exit."""

from __future__ import annotations

from pathlib import Path


class QaBotError(Exception):
    """Base class of every error the bot reports to a person instead of a traceback."""


class KnowledgeError(QaBotError):
    """A knowledge file is unreadable or invalid; the message names the file and the problem."""

    def __init__(self, path: Path | str, problem: str) -> None:
        self.path = Path(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


class ConfigError(QaBotError):
    """Settings are missing or invalid (for example no Telegram token)."""


class QuestionSetError(QaBotError):
    """A question set for ``qa-bot eval`` is unreadable or malformed."""

    def __init__(self, path: Path | str, problem: str) -> None:
        self.path = Path(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")
