"""The python-telegram-bot Application the handlers run in, and the way updates flow through it.

python-telegram-bot confirms to Telegram every update it was handed, on its next poll. So an
update is handed over only once journaled (``JournalingBot``), each chat's updates are handled
in order while different chats run concurrently (``PerChatProcessor``), and an update is marked
answered, with its chat's new dialog state, only after its reply was sent (``Journal``). A
crash therefore loses neither questions nor dialog state (``telegram_store``).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import sqlite3
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import Any

from telegram import BotCommand, Update
from telegram.error import InvalidToken
from telegram.ext import Application, ApplicationBuilder, BaseUpdateProcessor, ExtBot
from telegram.request import HTTPXRequest

from qa_bot.adapters.telegram_store import Saver, TelegramStore
from qa_bot.settings import DialogSettings, TelegramSettings

log = logging.getLogger(__name__)
App = Application[Any, Any, Any, Any, Any, Any]

RETRY_SAVE_SECONDS = 5.0  # how often a save that failed is tried again
PRUNE_EVERY_SECONDS = 300.0  # how often expired dialog states are dropped from the store
JOURNAL_RETRY_SECONDS = 1.0  # pause before fetching again updates that could not be recorded
REJECTED_POLL_SECONDS = 0.1  # pause between polls that only wait for the stop after a 401
CONCURRENT_UPDATES = 256


class Journal:
    """Keeps every update durable until answered, and each chat's dialog state saved once its
    answer is sent; notices a token Telegram rejects while running."""

    def __init__(
        self, store: TelegramStore, dialog: DialogSettings, retry_every: float = RETRY_SAVE_SECONDS
    ) -> None:
        self.store = store
        self.saver = Saver(store)
        self.dialog = dialog
        self.retry_every = retry_every
        self.application: App | None = None
        self.changed: dict[int, tuple[str, str | None]] = {}  # chat → session, state (None: reset)
        self.rejected = False  # Telegram rejected the token while running
        self._stop_requested = False
        self._retrying: list[asyncio.Task[None]] = []

    def state_changed(self, chat_id: int, session_id: str, state: str | None) -> None:
        """Save ``state`` (None: forget the session) with the update being handled in the chat."""
        self.changed[chat_id] = (session_id, state)

    async def received(self, updates: tuple[Update, ...]) -> tuple[Update, ...]:
        """The fetched updates PTB may take (and will then confirm to Telegram): those recorded
        now, once durable. Updates recorded before (resent after a crash) are left out: they
        were answered, or are being answered from the journal. When recording fails, none is
        handed over, so none is confirmed and Telegram sends them again."""
        if not updates:
            return updates
        journal = [(update.update_id, update.to_json()) for update in updates]
        try:
            new = await asyncio.to_thread(self.store.received, journal)
        except (sqlite3.Error, OSError) as exc:
            log.warning(
                "could not record updates in %s (will fetch again): %s", self.store.path, exc
            )
            await asyncio.sleep(JOURNAL_RETRY_SECONDS)
            return ()
        return tuple(update for update in updates if update.update_id in new)

    async def finished(self, update: object) -> None:
        """After an update was handled (its reply sent): mark it answered and save its chat's
        new dialog state, both in one transaction."""
        if not isinstance(update, Update):
            return
        chat = update.effective_chat
        sessions: dict[str, str | None] = {}
        if chat is not None and chat.id in self.changed:
            session_id, state = self.changed.pop(chat.id)
            sessions[session_id] = state
        await self.saver.save(update.update_id, sessions)

    async def start(self, application: App) -> None:
        """Queue the updates a crash (or a stop) left unanswered, before any new one; then keep
        retrying failed saves in the background."""
        for body in await asyncio.to_thread(self.store.unanswered):
            update = Update.de_json(json.loads(body), application.bot)
            await application.update_queue.put(update)
        retry = self.saver.retry(
            self.retry_every,
            PRUNE_EVERY_SECONDS,
            self.dialog.max_sessions,
            self.dialog.idle_minutes * 60,
        )
        self._retrying.append(asyncio.create_task(retry))

    async def stop(self) -> None:
        """Save what is pending and close the store."""
        for task in self._retrying:
            task.cancel()
        await self.saver.flush()
        self.store.close()

    def token_was_rejected(self) -> None:
        """getUpdates got a 401: stop (saving on the way out) instead of polling deaf.

        Called on every poll after the first 401, because the application may still be
        starting at the first; it is asked to stop exactly once.
        """
        self.rejected = True
        application = self.application
        if application is not None and application.running and not self._stop_requested:
            self._stop_requested = True
            application.stop_running()


class JournalingBot(ExtBot[None]):
    """The Bot, except that getUpdates hands PTB only updates already journaled (PTB confirms
    whatever it was handed on its next poll), and that a 401 while polling stops the adapter
    instead of silently ending PTB's polling task (which left the process up but deaf)."""

    def __init__(self, token: str, journal: Journal, **kwargs: Any) -> None:
        super().__init__(token, **kwargs)
        self._journal = journal

    async def get_updates(self, *args: Any, **kwargs: Any) -> tuple[Update, ...]:
        if self._journal.rejected:
            self._journal.token_was_rejected()
            await asyncio.sleep(REJECTED_POLL_SECONDS)
            return ()
        try:
            updates = await super().get_updates(*args, **kwargs)
        except InvalidToken:
            self._journal.token_was_rejected()
            return ()
        return await self._journal.received(updates)


class PerChatProcessor(BaseUpdateProcessor):
    """Processes updates of different chats concurrently and each chat's in order; calls
    ``finished`` once an update was handled, still in its chat's turn.

    A chat's lock exists only while the chat has updates in flight, so the locks do not grow
    with the number of chats ever seen.
    """

    def __init__(
        self, max_concurrent_updates: int, finished: Callable[[object], Awaitable[None]]
    ) -> None:
        super().__init__(max_concurrent_updates)
        self.finished = finished
        self._locks: dict[int, asyncio.Lock] = {}
        self._waiting: Counter[int] = Counter()

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            await coroutine
            await self.finished(update)
            return
        async with self.turn(chat.id):
            await coroutine
            await self.finished(update)

    @contextlib.asynccontextmanager
    async def turn(self, chat_id: int) -> AsyncIterator[None]:
        """Hold the chat's lock; drop the lock when nobody else waits for it."""
        lock = self._locks.setdefault(chat_id, asyncio.Lock())
        self._waiting[chat_id] += 1
        try:
            async with lock:
                yield
        finally:
            self._waiting[chat_id] -= 1
            if not self._waiting[chat_id]:
                del self._waiting[chat_id], self._locks[chat_id]

    def __len__(self) -> int:
        """Chats with updates in flight."""
        return len(self._locks)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""


def journaled_application(
    settings: TelegramSettings,
    journal: Journal,
    commands: Sequence[BotCommand],
    read_timeout: float = 10.0,
) -> App:
    """An Application (no handlers yet) whose updates flow through ``journal``; at start it
    registers ``commands`` and replays what was left unanswered, at stop it saves.

    ``read_timeout`` bounds how long a getUpdates request may hang beyond its long-poll
    timeout before it is abandoned and retried.
    """
    assert settings.token is not None

    async def post_init(application: App) -> None:
        await application.bot.set_my_commands(commands)
        await journal.start(application)  # a start that got this far counts (MAX_STARTS)

    async def post_shutdown(application: App) -> None:
        await journal.stop()

    bot = JournalingBot(
        settings.token.get_secret_value(),
        journal,
        base_url=settings.base_url,
        request=HTTPXRequest(connection_pool_size=CONCURRENT_UPDATES),
        get_updates_request=HTTPXRequest(connection_pool_size=1, read_timeout=read_timeout),
    )
    application = (
        ApplicationBuilder()
        .bot(bot)
        .concurrent_updates(PerChatProcessor(CONCURRENT_UPDATES, journal.finished))
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    journal.application = application
    return application
