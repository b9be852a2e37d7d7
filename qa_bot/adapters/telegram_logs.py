"""Logging around python-telegram-bot: the token never reaches a log line, and the library's
tracebacks for failures the adapter reports in one line stay at DEBUG."""

from __future__ import annotations

import logging
import traceback
from typing import Any


def redact_token(token: str) -> None:
    """Make every log record created from now on carry ``[token]`` instead of the token.

    httpx logs request URLs (which hold the token) and PTB puts it in some error messages; a
    record factory catches all of them, whatever logger or handler they go through.
    """
    if not token:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return record
        if token in message:
            record.msg, record.args = message.replace(token, "[token]"), ()
        if record.exc_info and record.exc_info[0] is not None:
            trace = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
            record.exc_text = trace.replace(token, "[token]")  # formatters reuse exc_text
        return record

    logging.setLogRecordFactory(factory)
    for noisy in ("httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def redacted(text: str, token: str) -> str:
    """``text`` with the token replaced (for error lines printed rather than logged)."""
    return text.replace(token, "[token]") if token else text


class LibraryTracebacks(logging.Filter):
    """Lets python-telegram-bot's tracebacks through only at DEBUG.

    It logs a long traceback for failures the adapter reports itself in one line (a rejected
    token, an unreachable Bot API at start); the details stay available at DEBUG.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return record.exc_info is None or logging.getLogger().isEnabledFor(logging.DEBUG)


def quiet_library_tracebacks() -> None:
    """Install ``LibraryTracebacks`` on the loggers PTB's polling and start-up use."""
    for name in ("telegram.ext", "telegram.ext.Updater", "telegram.ext.Application"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, LibraryTracebacks) for f in logger.filters):
            logger.addFilter(LibraryTracebacks())
