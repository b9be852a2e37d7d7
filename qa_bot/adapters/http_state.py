"""The HTTP server's bot: loaded in a background thread at start, so that the server answers
``/api/health`` at once ("loading") and questions as soon as the knowledge is in."""

from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import Callable
from typing import Literal

from qa_bot.adapters.http_guard import ApiError
from qa_bot.bot import QABot
from qa_bot.conversation_log import ConversationLog
from qa_bot.errors import QaBotError
from qa_bot.models import Reply

log = logging.getLogger(__name__)
SESSION_PREFIX = "http:"  # HTTP sessions never meet the console's or Telegram's
Loader = Callable[[], tuple[QABot, ConversationLog | None]]


class BotHolder:
    """The bot once loaded, and the conversation log; a route asking before then gets 503."""

    def __init__(
        self, load: Loader, on_failure: Callable[[BaseException], None] | None = None
    ) -> None:
        """``load`` makes the bot (and opens the log); ``on_failure`` hears why it could
        not (the single-process server stops then)."""
        self._load = load
        self._on_failure = on_failure
        self._bot: QABot | None = None
        self.log: ConversationLog | None = None
        self.error: str | None = None
        self.loaded = threading.Event()

    @classmethod
    def ready(cls, bot: QABot, conversation_log: ConversationLog | None = None) -> BotHolder:
        """A holder of a bot already loaded (for tests and embedding)."""
        holder = cls(lambda: (bot, conversation_log))
        holder.run()
        return holder

    def start(self) -> threading.Thread:
        """Load in a daemon thread."""
        thread = threading.Thread(target=self.run, name="qa-bot-load", daemon=True)
        thread.start()
        return thread

    def run(self) -> None:
        """Load now; a failure is logged (one line for a knowledge or settings error) and
        reported to ``on_failure``."""
        try:
            self._bot, self.log = self._load()
        except QaBotError as exc:
            self.fail(exc, str(exc))
        except Exception as exc:  # a bug must still show in health, not hang "loading"
            log.exception("loading the knowledge failed")
            self.fail(exc, None)
        finally:
            self.loaded.set()

    def fail(self, exc: BaseException, message: str | None) -> None:
        if message is not None:
            log.error("%s", message)
        self.error = message or "loading failed"
        if self._on_failure is not None:
            self._on_failure(exc)

    @property
    def status(self) -> Literal["loading", "ready", "error"]:
        if self._bot is not None:
            return "ready"
        return "error" if self.error is not None else "loading"

    @property
    def bot(self) -> QABot:
        """The bot (``require``)."""
        return self.require()

    def require(self) -> QABot:
        """The bot.

        :raises ApiError: 503 while loading or after loading failed.
        """
        if self._bot is not None:
            return self._bot
        if self.error is not None:
            raise ApiError(503, "the knowledge could not be loaded", "load_failed")
        raise ApiError(503, "the knowledge is still loading; try again in a moment",
                       "loading", {"Retry-After": "1"})  # fmt: skip

    def ask(self, question: str, session_id: str | None, channel: str) -> Reply:
        """Answer in the session (a new one when None); the reply carries its session id."""
        bot = self.bot
        session = session_id or new_session_id()
        reply = bot.ask(question, session_id=SESSION_PREFIX + session, channel=channel)
        return reply.model_copy(update={"session_id": session})

    def reset(self, session_id: str) -> None:
        self.bot.reset(SESSION_PREFIX + session_id)


def new_session_id() -> str:
    """A session id no one can guess (it is all that keys a conversation)."""
    return secrets.token_urlsafe(16)
