"""The Telegram adapter: one python-telegram-bot Application around ``QABot.ask``.

Small handlers read an update, call the bot off the event loop, and reply. Updates of different
chats run concurrently; each chat's messages are answered in order (``PerChatProcessor``).
Replies are HTML with every piece of text escaped, split at Telegram's 4096 UTF-16 units, resent
as plain text if Telegram rejects the markup, and retried after a 429. The token never reaches
a log line (``redact_token``).
"""

from __future__ import annotations

import asyncio
import html
import json
import logging
import os
import re
import time
import traceback
import warnings
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from telegram import (
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
)
from telegram.constants import ChatType, ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import (
    Application,
    ApplicationBuilder,
    BaseUpdateProcessor,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBDeprecationWarning

from qa_bot.answering import templates
from qa_bot.bot import QABot
from qa_bot.models import Reply
from qa_bot.settings import TelegramSettings

log = logging.getLogger(__name__)
App = Application[Any, Any, Any, Any, Any, Any]

MESSAGE_LIMIT = 4096  # UTF-16 code units
SEND_ATTEMPTS = 5
SAVE_EVERY_SECONDS = 30.0

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


def render_html(reply: Reply) -> str:
    """The reply for Telegram's HTML mode: answer, then the source line in italics."""
    lines = [html.escape(reply.answer)]
    if reply.sources and reply.answered:
        lines.append(f"<i>{html.escape(templates.citation(reply.sources[0]))}</i>")
    if reply.suggestions:
        lines.append(html.escape(templates.SUGGEST))
        lines.extend(f"• {html.escape(s)}" for s in reply.suggestions)
    return "\n".join(lines)


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


class PerChatProcessor(BaseUpdateProcessor):
    """Processes updates of different chats concurrently and each chat's in order."""

    def __init__(self, max_concurrent_updates: int) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: defaultdict[int, asyncio.Lock] = defaultdict(asyncio.Lock)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            await coroutine
            return
        async with self._locks[chat.id]:
            await coroutine

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""


class RateLimiter:
    """At most ``per_minute`` questions per user in any sliding minute."""

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._times: defaultdict[int, deque[float]] = defaultdict(deque)

    def allow(self, user_id: int) -> bool:
        """Record a question of ``user_id``; False when over the limit."""
        now = time.monotonic()
        times = self._times[user_id]
        while times and now - times[0] > 60:
            times.popleft()
        if len(times) >= self.per_minute:
            return False
        times.append(now)
        return True


class StateFile:
    """Dialog states of every chat, saved as JSON (atomically) and restored on start."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self, qa: QABot) -> None:
        try:
            data = json.loads(self.path.read_text("utf-8"))
        except FileNotFoundError:
            return
        except (OSError, ValueError) as exc:
            log.warning("ignoring unreadable dialog state %s: %s", self.path, exc)
            return
        if isinstance(data, dict):
            qa.sessions.restore(data)

    def save(self, qa: QABot) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps(qa.sessions.export(), ensure_ascii=False), "utf-8")
        os.replace(temporary, self.path)


class TelegramAdapter:
    """The handlers: they translate Telegram updates to ``QABot.ask`` and back."""

    def __init__(self, qa: QABot, settings: TelegramSettings, state: StateFile) -> None:
        self.qa = qa
        self.settings = settings
        self.state = state
        self.limiter = RateLimiter(settings.rate_limit_per_minute)
        self.refused: set[int] = set()
        self.warned: dict[int, float] = {}

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
        """Whether to serve this update; refuses outsiders once and floods politely."""
        chat = update.effective_chat
        if chat is None:
            return False
        if not self.allowed(update):
            if chat.id not in self.refused:
                self.refused.add(chat.id)
                await self.send(context, chat.id, html.escape(NOT_ALLOWED), NOT_ALLOWED)
            return False
        user = update.effective_user
        if user is not None and not self.limiter.allow(user.id):
            if time.monotonic() - self.warned.get(user.id, -1e9) > 60:
                self.warned[user.id] = time.monotonic()
                await self.send(context, chat.id, html.escape(TOO_FAST), TOO_FAST)
            return False
        return True

    # -- handlers --------------------------------------------------------------------------

    async def on_start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if not await self.gate(update, context) or update.effective_chat is None:
            return
        examples = await asyncio.to_thread(self.qa.examples, 3)
        text = "\n".join([GREETING, *(f"• {e}" for e in examples)])
        await self.send(context, update.effective_chat.id, html.escape(text), text)

    async def on_help(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if await self.gate(update, context) and update.effective_chat is not None:
            await self.send(context, update.effective_chat.id, html.escape(HELP), HELP)

    async def on_reset(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if await self.gate(update, context) and update.effective_chat is not None:
            self.qa.reset(session_of(update.effective_chat.id))
            await self.send(context, update.effective_chat.id, RESET_DONE, RESET_DONE)

    async def on_sources(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if not await self.gate(update, context) or update.effective_chat is None:
            return
        chat_id = update.effective_chat.id
        text = self.qa.source_text(session_of(chat_id)) or templates.NO_SOURCE
        await self.send(context, chat_id, html.escape(text), text)

    async def on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is None or message.text is None or update.effective_chat is None:
            return
        question = self.addressed_text(message, context)
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
        suggestions: list[str] = (context.chat_data or {}).get("suggestions", [])
        number = int(query.data.split(":", 1)[1]) if query.data and ":" in query.data else -1
        chat_id = update.effective_chat.id
        if not 0 <= number < len(suggestions):
            await self.send(context, chat_id, BUTTON_EXPIRED, BUTTON_EXPIRED)
            return
        await self.answer(chat_id, suggestions[number], context)

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
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

    # -- helpers ---------------------------------------------------------------------------

    def addressed_text(self, message: Message, context: ContextTypes.DEFAULT_TYPE) -> str | None:
        """The question in a message, or None when a group message is not for the bot."""
        text = message.text or ""
        if message.chat.type == ChatType.PRIVATE:
            return text
        mention = f"@{context.bot.username}" if context.bot.username else None
        replied = message.reply_to_message
        if (
            replied is not None
            and replied.from_user is not None
            and replied.from_user.id == context.bot.id
        ):
            return text.replace(mention, "").strip() if mention else text
        if mention and mention.lower() in text.lower():
            return re.sub(re.escape(mention), "", text, flags=re.IGNORECASE).strip()
        return None

    async def answer(self, chat_id: int, question: str, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Ask the bot (in a worker thread) and send the reply."""
        if len(question) > self.settings.max_question_chars:
            text = TOO_LONG.format(length=len(question), limit=self.settings.max_question_chars)
            await self.send(context, chat_id, html.escape(text), text)
            return
        reply = await asyncio.to_thread(self.qa.ask, question, session_of(chat_id))
        markup = None
        if reply.suggestions:
            if context.chat_data is not None:
                context.chat_data["suggestions"] = reply.suggestions
            markup = InlineKeyboardMarkup(
                [
                    [InlineKeyboardButton(s[:60], callback_data=f"ask:{n}")]
                    for n, s in enumerate(reply.suggestions)
                ]
            )
        await self.send(context, chat_id, render_html(reply), reply.text, markup)

    async def send(
        self,
        context: ContextTypes.DEFAULT_TYPE,
        chat_id: int,
        html_text: str,
        plain_text: str,
        markup: InlineKeyboardMarkup | None = None,
    ) -> None:
        """Send a reply in pieces; plain text if the HTML is refused; wait out 429s."""
        html_pieces, plain_pieces = split_message(html_text), split_message(plain_text)
        for number, piece in enumerate(html_pieces):
            last = number == len(html_pieces) - 1
            keyboard = markup if last else None

            async def html_send(text: str = piece, keyboard: Any = keyboard) -> None:
                await context.bot.send_message(
                    chat_id, text, parse_mode=ParseMode.HTML, reply_markup=keyboard
                )

            try:
                await with_retries(html_send)
            except BadRequest as exc:
                if "parse" not in str(exc).lower():
                    raise
                log.info("chat %s: HTML refused (%s); sending plain text", chat_id, exc)
                for plain in plain_pieces:

                    async def plain_send(text: str = plain) -> None:
                        await context.bot.send_message(chat_id, text, reply_markup=markup)

                    await with_retries(plain_send)
                return
            except Forbidden:
                log.info("chat %s blocked the bot; reply dropped", chat_id)
                return


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


async def with_retries(send: Callable[[], Awaitable[None]]) -> None:
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


def build_application(
    qa: QABot, settings: TelegramSettings, state_path: Path, read_timeout: float = 10.0
) -> App:
    """The Application with every handler, per-chat ordering and state persistence.

    ``read_timeout`` bounds how long a getUpdates request may hang beyond its long-poll
    timeout before it is abandoned and retried.
    """
    assert settings.token is not None
    adapter = TelegramAdapter(qa, settings, StateFile(state_path))
    saver: list[asyncio.Task[None]] = []

    async def post_init(application: App) -> None:
        adapter.state.load(qa)
        await application.bot.set_my_commands(
            [
                BotCommand("start", "开始"),
                BotCommand("help", "帮助"),
                BotCommand("sources", "上一个回答的出处"),
                BotCommand("reset", "清除对话上下文"),
            ]
        )
        saver.append(asyncio.create_task(save_periodically()))

    async def save_periodically() -> None:
        while True:
            await asyncio.sleep(SAVE_EVERY_SECONDS)
            await asyncio.to_thread(adapter.state.save, qa)

    async def post_shutdown(application: App) -> None:
        for task in saver:
            task.cancel()
        adapter.state.save(qa)

    application = (
        ApplicationBuilder()
        .token(settings.token.get_secret_value())
        .base_url(settings.base_url)
        .concurrent_updates(PerChatProcessor(max_concurrent_updates=256))
        .get_updates_read_timeout(read_timeout)
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
    return application
