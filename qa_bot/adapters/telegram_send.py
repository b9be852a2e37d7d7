"""Delivering a reply to a chat: in pieces, as HTML while Telegram accepts it, through its
flood control and network hiccups.

A piece Telegram refuses as HTML goes again as plain text, and so do the pieces after it;
pieces already delivered are never sent again. A 429 is waited out as long as Telegram asks;
a chat that blocked the bot has its reply dropped (logged), which never stops other chats.
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Awaitable, Callable
from datetime import timedelta

from telegram import Bot, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.warnings import PTBDeprecationWarning

from qa_bot.adapters.telegram_render import render_html, split_message

log = logging.getLogger(__name__)

SEND_ATTEMPTS = 5


async def send_text(
    bot: Bot,
    chat_id: int,
    text: str,
    italic: frozenset[str] = frozenset(),
    markup: InlineKeyboardMarkup | None = None,
) -> None:
    """Send ``text`` in pieces, each rendered as HTML after the split; from a piece that
    Telegram refuses as HTML on, plain text (pieces delivered are not sent again). ``markup``
    goes with the last piece."""
    pieces = split_message(text)
    as_html = True
    for number, piece in enumerate(pieces):
        keyboard = markup if number == len(pieces) - 1 else None
        try:
            as_html = await send_piece(bot, chat_id, piece, italic, keyboard, as_html)
        except Forbidden:
            log.info("chat %s blocked the bot; reply dropped", chat_id)
            return


async def send_piece(
    bot: Bot,
    chat_id: int,
    piece: str,
    italic: frozenset[str],
    keyboard: InlineKeyboardMarkup | None,
    as_html: bool,
) -> bool:
    """Send one piece, as HTML while Telegram accepts it; returns whether it still does."""
    if as_html:
        try:
            await with_retries(
                lambda: bot.send_message(
                    chat_id,
                    render_html(piece, italic),
                    parse_mode=ParseMode.HTML,
                    reply_markup=keyboard,
                )
            )
            return True
        except BadRequest as exc:
            if "parse" not in str(exc).lower():
                raise
            log.info("chat %s: HTML refused (%s); sending plain text", chat_id, exc)
    await with_retries(lambda: bot.send_message(chat_id, piece, reply_markup=keyboard))
    return False


def retry_seconds(error: RetryAfter) -> float:
    """How long Telegram asked to wait (PTB 22 gives an int or a timedelta, and warns that
    the int form is deprecated; either way it is the same number of seconds)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


async def with_retries(send: Callable[[], Awaitable[object]]) -> None:
    """Run ``send``; after a 429 wait as told, after a network hiccup back off, then retry."""
    for attempt in range(1, SEND_ATTEMPTS + 1):
        try:
            await send()
            return
        except RetryAfter as exc:
            if attempt == SEND_ATTEMPTS:
                raise
            delay = retry_seconds(exc)
            log.info("flood control: waiting %.1f s before retrying", delay)
            await asyncio.sleep(delay)
        except (TimedOut, NetworkError) as exc:
            if attempt == SEND_ATTEMPTS or isinstance(exc, BadRequest | Forbidden):
                raise
            await asyncio.sleep(0.5 * attempt)
