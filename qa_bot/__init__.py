"""qa-bot: answers questions in Chinese from a folder of documents, facts and dictionaries.

The public names are imported lazily so that ``import qa_bot`` (and the CLI's start-up)
does no work until a bot is actually needed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from qa_bot.bot import QABot
    from qa_bot.models import Reply, Source

__all__ = ["QABot", "Reply", "Source"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name == "QABot":
        from qa_bot.bot import QABot

        return QABot
    if name in {"Reply", "Source"}:
        from qa_bot import models

        return getattr(models, name)
    raise AttributeError(f"module 'qa_bot' has no attribute {name!r}")
