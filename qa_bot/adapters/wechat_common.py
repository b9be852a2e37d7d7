"""What the WeChat and WeCom adapters share: the reply to each kind of message, replies cut to
the platform's 2048 bytes, retries answered once (by ``MsgId``), and the 5-second deadline
with the message API as the way out.

Both platforms push a message to the callback and wait 5 seconds for the answer; then they
retry (three times in all) and finally tell the user the account cannot serve. The answer is
computed in a worker thread: inside ``deadline_seconds`` it goes back in the HTTP response;
after that the response is ``success`` and the answer follows through the platform's
message API once ready (a cold start, a stalled disk).
"""

from __future__ import annotations

import asyncio
import logging
import re
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Protocol

from cachetools import TTLCache

from qa_bot.adapters.http_state import BotHolder
from qa_bot.bot import QABot

log = logging.getLogger(__name__)
MAX_BYTES = 2048  # a text message, in UTF-8 bytes, on both platforms
MORE_HINT = "回复“更多”查看"  # 更多 is one of the dialog's 还有呢 words
NOT_TEXT = "抱歉，我只能回答文字提问，请把问题用文字发给我。"
RESET_WORDS = frozenset({"重新开始", "reset", "/reset", "清除对话", "新对话"})
RESET_DONE = "好的，已经忘掉刚才的对话，请重新提问。"
FAILED = "抱歉，回答这个问题时出了错，请稍后再试。"
EXAMPLES = 3
RETRY_SECONDS = 300.0  # a retry later than this is answered again (the platforms stop at ~15 s)
MAX_PENDING = 10_000
_BOUNDARY = re.compile(r"(?<=[。！？!?；;\n])")
_CLAUSE = re.compile(r"(?<=[，、,：:])")

Deliver = Callable[[str, str], object]  # (user, text): the platform's message API


class Message(Protocol):
    """What the adapters read of a wechatpy message or event."""

    type: str
    source: str


def utf8_size(text: str) -> int:
    return len(text.encode("utf-8"))


def cut(text: str, budget: int) -> tuple[str, str]:
    """``text`` split into a head of at most ``budget`` UTF-8 bytes, ending at a sentence end
    (else a clause end, else anywhere), and the rest."""
    if utf8_size(text) <= budget:
        return text, ""
    for boundary in (_BOUNDARY, _CLAUSE):
        head = ""
        for piece in boundary.split(text):
            if utf8_size(head + piece) > budget:
                break
            head += piece
        if head.strip():
            return head.rstrip(), text[len(head) :].lstrip()
    head = text.encode("utf-8")[:budget].decode("utf-8", "ignore")
    return head, text[len(head) :]


def fitted(text: str, answer: str) -> tuple[str, str]:
    """What to send for a reply whose chat text is ``text`` and answer ``answer``, and what
    is left for 更多: a reply over ``MAX_BYTES`` is the head of its answer and the hint."""
    if utf8_size(text) <= MAX_BYTES:
        return text, ""
    head, rest = cut(answer, MAX_BYTES - utf8_size("\n" + MORE_HINT))
    if not rest:  # the answer fits and only its source line does not
        return head, ""
    return f"{head}\n{MORE_HINT}", rest


class Chat:
    """The conversation of a platform's users with the bot: one session per user."""

    def __init__(self, holder: BotHolder, channel: str, welcome: str) -> None:
        """``channel`` names the platform in session ids and the conversation log."""
        self.holder = holder
        self.channel = channel
        self.welcome_text = welcome

    def bot(self) -> QABot:
        """The bot, once loaded (a message on a cold start waits for it; the deadline makes
        its answer go through the message API)."""
        self.holder.loaded.wait()
        return self.holder.require()

    def session(self, user: str) -> str:
        return f"{self.channel}:{user}"

    def answer(self, user: str, question: str) -> str:
        """The reply to a text message: a reset word clears the dialog; anything else is a
        question, asked in the user's session; a reply too long is cut and its rest waits for
        the user's 更多."""
        bot, session = self.bot(), self.session(user)
        if question.strip().lower() in RESET_WORDS:
            bot.reset(session)
            return RESET_DONE
        reply = bot.ask(question, session_id=session, channel=self.channel)
        message, rest = fitted(reply.text, reply.answer)
        if rest:
            bot.hold_back(session, rest)
        return message

    def welcome(self) -> str:
        """The greeting for a new follower: ``http.welcome`` and example questions."""
        examples = self.bot().examples(EXAMPLES)
        return "\n".join([self.welcome_text, *(f"· {e}" for e in examples)])

    def respond(self, message: Message) -> str | None:
        """The reply to any message or event; None for events that want none
        (unsubscribe, menu clicks, entering the app)."""
        if message.type == "text":
            return self.answer(message.source, str(getattr(message, "content", "")))
        if message.type == "event":
            event = str(getattr(message, "event", "")).lower()
            return self.welcome() if event.startswith("subscribe") else None
        return NOT_TEXT


def message_key(message: Any) -> str:
    """What identifies a message across the platform's retries: its MsgId, or for an event
    (which has none) the sender, time and event."""
    if message.id:
        return f"id:{message.id}"
    return f"{message.source}:{message.time}:{getattr(message, 'event', '')}"


@dataclass
class Job:
    """One message's reply being computed; ``late`` once it goes through the message API."""

    future: Future[str | None]
    late: bool = False


class Replier:
    """Computes each message's reply once, whatever the retries, within the deadline."""

    def __init__(
        self, name: str, deadline: float, deliver: Deliver | None, api_settings: str
    ) -> None:
        """``name`` is the platform (for the log); ``deliver`` sends a late reply through
        the message API (None when ``api_settings`` are not set: a late reply is then lost)."""
        self.name = name
        self.api_settings = api_settings
        self.deadline = deadline
        self.deliver = deliver
        self._executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix=name)
        self._jobs: TTLCache[str, Job] = TTLCache(maxsize=MAX_PENDING, ttl=RETRY_SECONDS)
        self._lock = threading.Lock()

    def job(self, key: str, work: Callable[[], str | None]) -> Job:
        """The job of message ``key``: started now, or the one a first delivery started."""
        with self._lock:
            job = self._jobs.get(key)
            if job is None:
                job = Job(self._executor.submit(self.safely, work))
                self._jobs[key] = job
            return job

    def safely(self, work: Callable[[], str | None]) -> str | None:
        """``work``'s reply, or an apology when it fails (logged with its traceback)."""
        try:
            return work()
        except Exception:
            log.exception("%s: answering a message failed", self.name)
            return FAILED

    async def reply(
        self, key: str, user: str, work: Callable[[], str | None], started: float
    ) -> str | None:
        """The reply to send in the response, or None: nothing to say, or it missed the
        deadline (counted from ``started``) and goes through the message API instead."""
        job = self.job(key, work)
        remaining = self.deadline - (time.monotonic() - started)
        if remaining > 0 and not job.future.done():
            await asyncio.wait([asyncio.wrap_future(job.future)], timeout=remaining)
        with self._lock:
            if job.late:
                return None  # an earlier delivery of this message handed it on
            if job.future.done():
                return job.future.result()
            job.late = True
        log.info("%s: an answer missed the %.1f s deadline", self.name, self.deadline)
        job.future.add_done_callback(
            lambda done: self._executor.submit(self.send_late, user, done.result())
        )
        return None

    def send_late(self, user: str, text: str | None) -> None:
        """Send a reply that missed the deadline; a failure is logged, never raised."""
        if text is None:
            return
        if self.deliver is None:
            log.warning("%s: a late answer was dropped: set %s", self.name, self.api_settings)
            return
        try:
            self.deliver(user, text)
        except Exception:
            log.exception("%s: sending a late answer failed", self.name)
