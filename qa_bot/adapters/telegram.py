"""The Telegram adapter: small handlers around ``QABot.ask``, and ``run``.

Each handler reads an update, calls the bot off the event loop, and replies. Around them:
``telegram_access`` decides which updates are served, ``telegram_render`` and
``telegram_send`` turn a reply into messages Telegram accepts, ``telegram_app`` builds the
Application through which every update is journaled until answered (``telegram_store``), and
``telegram_logs`` keeps the token out of every log line.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from pathlib import Path

from cachetools import TTLCache
from telegram import BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import CallbackQueryHandler, CommandHandler, ContextTypes, MessageHandler, filters

from qa_bot.adapters.telegram_access import (
    FLOOD_WINDOW_SECONDS,
    MAX_TRACKED,
    REFUSE_AGAIN_SECONDS,
    RateLimiter,
    addressed_text,
    allowed,
)
from qa_bot.adapters.telegram_app import RETRY_SAVE_SECONDS, App, Journal, journaled_application
from qa_bot.adapters.telegram_logs import quiet_library_tracebacks, redacted
from qa_bot.adapters.telegram_render import reply_lines
from qa_bot.adapters.telegram_send import send_text
from qa_bot.adapters.telegram_store import TelegramStore
from qa_bot.bot import QABot
from qa_bot.errors import ConfigError
from qa_bot.settings import TelegramSettings

log = logging.getLogger(__name__)

GREETING = "你好！我是问答机器人，可以回答知识库文档里的问题，并注明出处。试试这样问："
HELP = (
    "直接发问题即可，也可以接着上一个回答追问，例如“那2020年呢？”“出处呢？”。\n"
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


class TelegramAdapter:
    """The handlers: they translate Telegram updates to ``QABot.ask`` and back, and tell the
    ``journal`` when a chat's dialog state changed."""

    def __init__(
        self,
        qa: QABot,
        settings: TelegramSettings,
        journal: Journal,
        max_tracked: int = MAX_TRACKED,
    ) -> None:
        self.qa = qa
        self.settings = settings
        self.journal = journal
        self.application: App | None = None
        self.limiter = RateLimiter(settings.rate_limit_per_minute, max_tracked)
        self.refused: TTLCache[int, bool] = TTLCache(max_tracked, REFUSE_AGAIN_SECONDS)
        self.warned: TTLCache[int, bool] = TTLCache(max_tracked, FLOOD_WINDOW_SECONDS)
        idle_seconds = qa.settings.dialog.idle_minutes * 60
        self.suggestions: TTLCache[int, list[str]] = TTLCache(max_tracked, idle_seconds)

    async def gate(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
        """Whether to serve this update; refuses outsiders once a day and floods politely."""
        chat = update.effective_chat
        if chat is None:
            return False
        if not allowed(update, self.settings):
            if chat.id not in self.refused:
                self.refused[chat.id] = True
                await send_text(context.bot, chat.id, NOT_ALLOWED)
            return False
        user = update.effective_user
        if user is not None and not self.limiter.allow(user.id):
            if user.id not in self.warned:
                self.warned[user.id] = True
                await send_text(context.bot, chat.id, TOO_FAST)
            return False
        return True

    async def on_start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if not await self.gate(update, context) or update.effective_chat is None:
            return
        examples = await asyncio.to_thread(self.qa.examples, 3)
        text = "\n".join([GREETING, *(f"• {e}" for e in examples)])
        await send_text(context.bot, update.effective_chat.id, text)

    async def on_help(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if await self.gate(update, context) and update.effective_chat is not None:
            await send_text(context.bot, update.effective_chat.id, HELP)

    async def on_reset(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if await self.gate(update, context) and update.effective_chat is not None:
            chat_id = update.effective_chat.id
            self.qa.reset(session_of(chat_id))
            self.journal.state_changed(chat_id, session_of(chat_id), None)
            await send_text(context.bot, chat_id, RESET_DONE)

    async def on_sources(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if await self.gate(update, context) and update.effective_chat is not None:
            chat_id = update.effective_chat.id
            await send_text(context.bot, chat_id, self.qa.source_text(session_of(chat_id)))

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
            await send_text(context.bot, chat_id, BUTTON_EXPIRED)
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

    async def answer(self, chat_id: int, question: str, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Ask the bot (in a worker thread) and send the reply."""
        if len(question) > self.settings.max_question_chars:
            text = TOO_LONG.format(length=len(question), limit=self.settings.max_question_chars)
            await send_text(context.bot, chat_id, text)
            return
        session = session_of(chat_id)
        reply = await asyncio.to_thread(self.qa.ask, question, session)
        if not self.qa.sessions.shared:  # Redis keeps dialog state itself (README, Telegram)
            self.journal.state_changed(chat_id, session, self.qa.session_state(session))
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
        await send_text(context.bot, chat_id, text, italic, markup)


def session_of(chat_id: int) -> str:
    """The dialog session of a Telegram chat."""
    return f"telegram:{chat_id}"


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
    timeout; ``retry_every`` is how often saves that failed are tried again; ``max_tracked``
    bounds the users and chats remembered.

    :raises ConfigError: when the state file is unusable.
    """
    assert settings.token is not None
    store = TelegramStore(state_path)
    qa.restore_sessions(store.states())
    try:
        store.backup()
    except (sqlite3.Error, OSError) as exc:  # the bot can run without; say so
        log.warning("could not keep a copy of %s: %s", state_path, exc)
    journal = Journal(store, qa.settings.dialog, retry_every)
    adapter = TelegramAdapter(qa, settings, journal, max_tracked)
    application = journaled_application(settings, journal, COMMANDS, read_timeout)
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
    if adapter.journal.rejected:
        raise ConfigError(f"{REJECTED} while running (QA_BOT_TELEGRAM__TOKEN); state saved")
