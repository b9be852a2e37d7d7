"""Which updates the bot serves: allow-lists, per-user flood control, and group messages
meant for it (a mention of the bot or a reply to it)."""

from __future__ import annotations

import time
from collections import deque

from cachetools import TTLCache
from telegram import Message, MessageEntity, Update
from telegram.constants import ChatType

from qa_bot.settings import TelegramSettings

MAX_TRACKED = 10_000  # users/chats remembered by flood control, refusals, suggestion buttons
FLOOD_WINDOW_SECONDS = 60.0
REFUSE_AGAIN_SECONDS = 24 * 3600.0  # an outsider is told at most once a day


def allowed(update: Update, settings: TelegramSettings) -> bool:
    """Whether the update's chat and user pass the allow-lists (an empty list allows all)."""
    chat, user = update.effective_chat, update.effective_user
    if settings.allowed_chat_ids and (chat is None or chat.id not in settings.allowed_chat_ids):
        return False
    return not (
        settings.allowed_user_ids and (user is None or user.id not in settings.allowed_user_ids)
    )


class RateLimiter:
    """At most ``per_minute`` questions per user in any sliding minute; remembers at most
    ``max_users`` users, each only while their last minute matters."""

    def __init__(self, per_minute: int, max_users: int = MAX_TRACKED) -> None:
        self.per_minute = per_minute
        self._times: TTLCache[int, deque[float]] = TTLCache(max_users, FLOOD_WINDOW_SECONDS)

    def allow(self, user_id: int) -> bool:
        """Record a question of ``user_id``; False when over the limit."""
        now = time.monotonic()
        times = self._times.get(user_id) or deque()
        while times and now - times[0] > FLOOD_WINDOW_SECONDS:
            times.popleft()
        allowed = len(times) < self.per_minute
        if allowed:
            times.append(now)
        self._times[user_id] = times  # (re)starts the entry's minute
        return allowed

    def __len__(self) -> int:
        """Users remembered."""
        return len(self._times)


def addressed_text(message: Message, bot_id: int, username: str | None) -> str | None:
    """The question in a message, or None when a group message is not for the bot: it must
    mention the bot (a mention entity, not a substring: ``@name2`` and ``x@name.com`` do not
    count) or reply to it. Mentions of the bot are removed from the question."""
    text = message.text or ""
    if message.chat.type == ChatType.PRIVATE:
        return text
    mentions = bot_mentions(message, bot_id, username)
    replied = message.reply_to_message
    to_bot = (
        replied is not None and replied.from_user is not None and replied.from_user.id == bot_id
    )
    if not mentions and not to_bot:
        return None
    return without(text, mentions).strip()


def bot_mentions(message: Message, bot_id: int, username: str | None) -> list[MessageEntity]:
    """The message's entities that mention this bot: ``@username``, or a text mention of it."""
    wanted = f"@{username}".lower() if username else None
    kinds: list[str | None] = [MessageEntity.MENTION, MessageEntity.TEXT_MENTION]
    return [
        entity
        for entity, value in message.parse_entities(kinds).items()
        if (entity.type == MessageEntity.MENTION and value.lower() == wanted)
        or (entity.type == MessageEntity.TEXT_MENTION and entity.user and entity.user.id == bot_id)
    ]


def without(text: str, entities: list[MessageEntity]) -> str:
    """``text`` without the spans of ``entities`` (whose offsets count UTF-16 units)."""
    units = text.encode("utf-16-le")
    for entity in sorted(entities, key=lambda e: e.offset, reverse=True):
        units = units[: entity.offset * 2] + units[(entity.offset + entity.length) * 2 :]
    return units.decode("utf-16-le")
