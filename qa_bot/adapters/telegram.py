"""The Telegram adapter: one python-telegram-bot Application around ``QABot.ask``.

Small handlers read an update, call the bot off the event loop, and reply. Updates of different
chats run concurrently; each chat's messages are answered in order (``PerChatProcessor``).
Replies are split at Telegram's 4096 UTF-16 units and then rendered as HTML with every piece of
text escaped; a piece Telegram refuses as HTML goes as plain text (nothing delivered is sent
again), and 429s are waited out. Every update is journaled before Telegram is told it arrived,
and each chat's dialog state is saved when it changes (``telegram_store``): a crash loses
neither. The token never reaches a log line (``redact_token``).
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import json
import logging
import re
import sqlite3
import time
import traceback
import warnings
from collections import Counter, deque
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from cachetools import TTLCache
from telegram import (
    Bot,
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    MessageEntity,
    Update,
)
from telegram.constants import ChatType, ParseMode
from telegram.error import (
    BadRequest,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.ext import (
    Application,
    ApplicationBuilder,
    BaseUpdateProcessor,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ExtBot,
    MessageHandler,
    filters,
)
from telegram.request import HTTPXRequest
from telegram.warnings import PTBDeprecationWarning

from qa_bot.adapters.telegram_store import Saver, TelegramStore
from qa_bot.answering import templates
from qa_bot.bot import QABot
from qa_bot.errors import ConfigError
from qa_bot.models import Reply
from qa_bot.settings import TelegramSettings

log = logging.getLogger(__name__)
App = Application[Any, Any, Any, Any, Any, Any]

MESSAGE_LIMIT = 4096  # UTF-16 code units
SEND_ATTEMPTS = 5
RETRY_SAVE_SECONDS = 5.0  # how often a save that failed is tried again
PRUNE_EVERY_SECONDS = 300.0  # how often expired dialog states are dropped from the store
JOURNAL_RETRY_SECONDS = 1.0  # pause before fetching again updates that could not be recorded
REJECTED_POLL_SECONDS = 0.1  # pause between polls that only wait for the stop after a 401
MAX_TRACKED = 10_000  # users/chats remembered by flood control, refusals, suggestion buttons
FLOOD_WINDOW_SECONDS = 60.0
REFUSE_AGAIN_SECONDS = 24 * 3600.0  # an outsider is told at most once a day

GREETING = "你好！我是问答机器人，可以回答知识库文档里的问题，并注明出处。试试这样问："
HELP = (
    "直接发问题即可，例如“2019年衡阳有多少家高新技术企业？”，也可以追问“那2020年呢？”。\n"
    "/sources 上一个回答的出处\n/reset 清除对话上下文\n/help 显示本帮助"
)
RESET_DONE = "已清除对话上下文。"
NOT_ALLOWED = "抱歉，这个机器人只对授权的聊天开放。"
TOO_FAST = "问得太快了，请稍等一会儿再问。"
TOO_LONG = "问题太长了（{length} 个字），请精简到 {limit} 个字以内。"
APOLOGY = "抱歉，处理这条消息时出了点问题，请稍后再试。"
BUTTON_EXPIRED = "这个按钮已失效，请直接输入问题。"
REJECTED = "Telegram rejected the token"
COMMANDS = [
    BotCommand("start", "开始"),
    BotCommand("help", "帮助"),
    BotCommand("sources", "上一个回答的出处"),
    BotCommand("reset", "清除对话上下文"),
]


def utf16_length(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def split_message(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Pieces of at most ``limit`` UTF-16 units, cut at paragraph, then line, then anywhere."""
    if utf16_length(text) <= limit:
        return [text]
    pieces: list[str] = []
    current = ""
    for block in re.split(r"(\n\n|\n)", text):
        if utf16_length(current + block) <= limit:
            current += block
            continue
        if current.strip():
            pieces.append(current.strip("\n"))
        current = block if block.strip() else ""
        while utf16_length(current) > limit:
            cut = limit
            while utf16_length(current[:cut]) > limit:
                cut -= 1
            pieces.append(current[:cut])
            current = current[cut:]
    if current.strip():
        pieces.append(current.strip("\n"))
    return pieces


def reply_lines(reply: Reply) -> tuple[str, frozenset[str]]:
    """What a chat shows of a reply (answer, source line, suggestions), and which of its lines
    are set in italics (the source line)."""
    lines, italic = [reply.answer], set()
    if reply.sources and reply.answered:
        cited = templates.citation(reply.sources[0])
        lines.append(cited)
        italic.add(cited)
    if reply.suggestions:
        lines.append(templates.SUGGEST)
        lines.extend(f"• {s}" for s in reply.suggestions)
    return "\n".join(lines), frozenset(italic)


def render_html(piece: str, italic: frozenset[str] = frozenset()) -> str:
    """One piece of a message in Telegram's HTML mode: every line escaped, ``italic`` lines in
    ``<i>``. Rendering after splitting is what keeps every piece well-formed: a cut can never
    fall inside a tag or an entity, and the visible length is the plain length."""
    return "\n".join(
        f"<i>{html.escape(line)}</i>" if line in italic else html.escape(line)
        for line in piece.split("\n")
    )


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


class TelegramAdapter:
    """The handlers: they translate Telegram updates to ``QABot.ask`` and back; and the
    bookkeeping that makes every update durable until answered (``telegram_store``)."""

    def __init__(
        self,
        qa: QABot,
        settings: TelegramSettings,
        store: TelegramStore,
        max_tracked: int = MAX_TRACKED,
    ) -> None:
        self.qa = qa
        self.settings = settings
        self.store = store
        self.saver = Saver(store)
        self.application: App | None = None
        self.limiter = RateLimiter(settings.rate_limit_per_minute, max_tracked)
        self.refused: TTLCache[int, bool] = TTLCache(max_tracked, REFUSE_AGAIN_SECONDS)
        self.warned: TTLCache[int, bool] = TTLCache(max_tracked, FLOOD_WINDOW_SECONDS)
        self.suggestions: TTLCache[int, list[str]] = TTLCache(max_tracked, qa.sessions.idle_seconds)
        self.changed: dict[int, str | None] = {}  # chat → new dialog state (None: reset)
        self.rejected = False  # Telegram rejected the token while running
        self._stop_requested = False

    # -- access rules --------------------------------------------------------------------

    def allowed(self, update: Update) -> bool:
        chat, user = update.effective_chat, update.effective_user
        if self.settings.allowed_chat_ids and (
            chat is None or chat.id not in self.settings.allowed_chat_ids
        ):
            return False
        return not (
            self.settings.allowed_user_ids
            and (user is None or user.id not in self.settings.allowed_user_ids)
        )

    async def gate(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
        """Whether to serve this update; refuses outsiders once a day and floods politely."""
        chat = update.effective_chat
        if chat is None:
            return False
        if not self.allowed(update):
            if chat.id not in self.refused:
                self.refused[chat.id] = True
                await self.send(context, chat.id, NOT_ALLOWED)
            return False
        user = update.effective_user
        if user is not None and not self.limiter.allow(user.id):
            if user.id not in self.warned:
                self.warned[user.id] = True
                await self.send(context, chat.id, TOO_FAST)
            return False
        return True

    # -- handlers --------------------------------------------------------------------------

    async def on_start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if not await self.gate(update, context) or update.effective_chat is None:
            return
        examples = await asyncio.to_thread(self.qa.examples, 3)
        text = "\n".join([GREETING, *(f"• {e}" for e in examples)])
        await self.send(context, update.effective_chat.id, text)

    async def on_help(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if await self.gate(update, context) and update.effective_chat is not None:
            await self.send(context, update.effective_chat.id, HELP)

    async def on_reset(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if await self.gate(update, context) and update.effective_chat is not None:
            chat_id = update.effective_chat.id
            self.qa.reset(session_of(chat_id))
            self.changed[chat_id] = None
            await self.send(context, chat_id, RESET_DONE)

    async def on_sources(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if not await self.gate(update, context) or update.effective_chat is None:
            return
        chat_id = update.effective_chat.id
        text = self.qa.source_text(session_of(chat_id)) or templates.NO_SOURCE
        await self.send(context, chat_id, text)

    async def on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is None or message.text is None or update.effective_chat is None:
            return
        question = addressed_text(message, context.bot.id, context.bot.username)
        if question is None or not await self.gate(update, context):
            return
        await self.answer(update.effective_chat.id, question, context)

    async def on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None or update.effective_chat is None:
            return
        await query.answer()
        if not await self.gate(update, context):
            return
        chat_id = update.effective_chat.id
        suggestions = self.suggestions.get(chat_id, [])
        number = int(query.data.split(":", 1)[1]) if query.data and ":" in query.data else -1
        if not 0 <= number < len(suggestions):
            await self.send(context, chat_id, BUTTON_EXPIRED)
            return
        await self.answer(chat_id, suggestions[number], context)

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update is None and isinstance(context.error, TelegramError):
            # run_polling forwards failed polls here; PTB retries them with a growing pause
            log.warning("getUpdates failed (will retry): %s", context.error)
            return
        chat = update.effective_chat if isinstance(update, Update) else None
        log.error(
            "error handling update %s in chat %s",
            update.update_id if isinstance(update, Update) else "-",
            chat.id if chat else "-",
            exc_info=context.error,
        )
        if chat is not None:
            try:
                await context.bot.send_message(chat.id, APOLOGY)
            except Exception:  # the apology is best effort; the error is already logged
                log.warning("could not send the apology to chat %s", chat.id)

    # -- durability ------------------------------------------------------------------------

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

    async def replay(self, application: App) -> None:
        """Queue the updates a crash (or a stop) left unanswered, before any new one."""
        for body in await asyncio.to_thread(self.store.unanswered):
            update = Update.de_json(json.loads(body), application.bot)
            await application.update_queue.put(update)

    async def finished(self, update: object) -> None:
        """After an update was handled (its reply sent): mark it answered and save its chat's
        new dialog state, both in one transaction."""
        if not isinstance(update, Update):
            return
        chat = update.effective_chat
        sessions: dict[str, str | None] = {}
        if chat is not None and chat.id in self.changed:
            sessions[session_of(chat.id)] = self.changed.pop(chat.id)
        await self.saver.save(update.update_id, sessions)

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

    # -- helpers ---------------------------------------------------------------------------

    async def answer(self, chat_id: int, question: str, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Ask the bot (in a worker thread) and send the reply."""
        if len(question) > self.settings.max_question_chars:
            text = TOO_LONG.format(length=len(question), limit=self.settings.max_question_chars)
            await self.send(context, chat_id, text)
            return
        session = session_of(chat_id)
        reply = await asyncio.to_thread(self.qa.ask, question, session)
        self.changed[chat_id] = self.qa.sessions.get(session).model_dump_json()
        markup = None
        if reply.suggestions:
            self.suggestions[chat_id] = reply.suggestions
            markup = InlineKeyboardMarkup(
                [
                    [InlineKeyboardButton(s[:60], callback_data=f"ask:{n}")]
                    for n, s in enumerate(reply.suggestions)
                ]
            )
        text, italic = reply_lines(reply)
        await self.send(context, chat_id, text, italic, markup)

    async def send(
        self,
        context: ContextTypes.DEFAULT_TYPE,
        chat_id: int,
        text: str,
        italic: frozenset[str] = frozenset(),
        markup: InlineKeyboardMarkup | None = None,
    ) -> None:
        """Send ``text`` in pieces, each rendered as HTML after the split; from a piece that
        Telegram refuses as HTML on, plain text (pieces delivered are not sent again)."""
        pieces = split_message(text)
        as_html = True
        for number, piece in enumerate(pieces):
            keyboard = markup if number == len(pieces) - 1 else None
            try:
                as_html = await send_piece(context.bot, chat_id, piece, italic, keyboard, as_html)
            except Forbidden:
                log.info("chat %s blocked the bot; reply dropped", chat_id)
                return


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


def session_of(chat_id: int) -> str:
    """The dialog session of a Telegram chat."""
    return f"telegram:{chat_id}"


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


class JournalingBot(ExtBot[None]):
    """The Bot, except that getUpdates hands PTB only updates already journaled (PTB confirms
    whatever it was handed on its next poll), and that a 401 while polling stops the adapter
    instead of silently ending PTB's polling task (which left the process up but deaf)."""

    def __init__(self, token: str, adapter: TelegramAdapter, **kwargs: Any) -> None:
        super().__init__(token, **kwargs)
        self._adapter = adapter

    async def get_updates(self, *args: Any, **kwargs: Any) -> tuple[Update, ...]:
        if self._adapter.rejected:
            self._adapter.token_was_rejected()
            await asyncio.sleep(REJECTED_POLL_SECONDS)
            return ()
        try:
            updates = await super().get_updates(*args, **kwargs)
        except InvalidToken:
            self._adapter.token_was_rejected()
            return ()
        return await self._adapter.received(updates)


def build_adapter(
    qa: QABot,
    settings: TelegramSettings,
    state_path: Path,
    read_timeout: float = 10.0,
    retry_every: float = RETRY_SAVE_SECONDS,
    max_tracked: int = MAX_TRACKED,
) -> TelegramAdapter:
    """The adapter and its Application, with the dialog states loaded from ``state_path``
    (before anything connects, so a failed start never touches them) and a copy of the store
    kept as ``<state_path>.bak``.

    ``read_timeout`` bounds how long a getUpdates request may hang beyond its long-poll
    timeout before it is abandoned and retried; ``retry_every`` is how often saves that
    failed are tried again; ``max_tracked`` bounds the users and chats remembered.

    :raises ConfigError: when the state file is unusable.
    """
    assert settings.token is not None
    store = TelegramStore(state_path)
    qa.sessions.restore(store.sessions())
    try:
        store.backup()
    except (sqlite3.Error, OSError) as exc:  # the bot can run without; say so
        log.warning("could not keep a copy of %s: %s", state_path, exc)
    adapter = TelegramAdapter(qa, settings, store, max_tracked)
    retrying: list[asyncio.Task[None]] = []

    async def post_init(application: App) -> None:
        await application.bot.set_my_commands(COMMANDS)
        await adapter.replay(application)  # a start that got this far counts (MAX_STARTS)
        sessions = qa.sessions
        retrying.append(
            asyncio.create_task(
                adapter.saver.retry(
                    retry_every, PRUNE_EVERY_SECONDS, sessions.max_sessions, sessions.idle_seconds
                )
            )
        )

    async def post_shutdown(application: App) -> None:
        for task in retrying:
            task.cancel()
        await adapter.saver.flush()
        store.close()

    bot = JournalingBot(
        settings.token.get_secret_value(),
        adapter,
        base_url=settings.base_url,
        request=HTTPXRequest(connection_pool_size=256),
        get_updates_request=HTTPXRequest(connection_pool_size=1, read_timeout=read_timeout),
    )
    application = (
        ApplicationBuilder()
        .bot(bot)
        .concurrent_updates(PerChatProcessor(256, adapter.finished))
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    application.add_handler(CommandHandler("start", adapter.on_start))
    application.add_handler(CommandHandler("help", adapter.on_help))
    application.add_handler(CommandHandler("reset", adapter.on_reset))
    application.add_handler(CommandHandler("sources", adapter.on_sources))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, adapter.on_text))
    application.add_handler(CallbackQueryHandler(adapter.on_button, pattern=r"^ask:\d+$"))
    application.add_error_handler(adapter.on_error)
    adapter.application = application
    return adapter


def build_application(
    qa: QABot, settings: TelegramSettings, state_path: Path, read_timeout: float = 10.0
) -> App:
    """The Application of ``build_adapter`` (for callers that only run it)."""
    app = build_adapter(qa, settings, state_path, read_timeout).application
    assert app is not None
    return app


def run(qa: QABot, settings: TelegramSettings, state_path: Path) -> None:
    """Long-poll until stopped (Ctrl-C, SIGTERM), or until Telegram rejects the token.

    :raises ConfigError: one line, when the state file is unusable, the token is rejected (at
        start or later; state is saved first), or the Bot API cannot be reached at start.
    """
    assert settings.token is not None
    token = settings.token.get_secret_value()
    quiet_library_tracebacks()
    adapter = build_adapter(qa, settings, state_path)
    assert adapter.application is not None
    try:
        adapter.application.run_polling(allowed_updates=["message", "callback_query"])
    except InvalidToken:
        raise ConfigError(f"{REJECTED} (QA_BOT_TELEGRAM__TOKEN)") from None
    except NetworkError as exc:
        problem = redacted(str(exc), token)
        raise ConfigError(f"cannot reach the Bot API at {settings.base_url}: {problem}") from None
    if adapter.rejected:
        raise ConfigError(f"{REJECTED} while running (QA_BOT_TELEGRAM__TOKEN); state saved")
