"""A fake Telegram Bot API server over real HTTP on 127.0.0.1, with injectable faults.

It implements what the adapter uses — getMe, deleteWebhook, setMyCommands, getUpdates (offset
and long-poll timeout), sendMessage (rejecting empty text, text over 4096 UTF-16 units and
malformed HTML with 400 like Telegram), answerCallbackQuery — and records every call. Messages
carry the entities Telegram would attach (commands, @mentions, e-mail addresses). Faults can
target one chat and start after some calls; sends can be slowed down (``send_delay``).
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from pydantic import SecretStr

from qa_bot import QABot
from qa_bot.adapters.telegram import TelegramAdapter, build_adapter
from qa_bot.settings import TelegramSettings

TOKEN = "123456789:AAFakeTokenForTests_abcdefghijklmnop"
BOT_ID = 123456789
BOT_USERNAME = "hengyang_qa_bot"
ALLOWED_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "a",
    "code",
    "pre",
    "tg-spoiler",
    "span",
    "blockquote",
}


def html_error(text: str) -> str | None:
    """Why Telegram would refuse ``text`` in HTML mode, or None when it parses."""
    stack: list[str] = []
    position = 0
    for match in re.finditer(r"<[^>]*>|&[^;\s]*;?|[<>]", text):
        token = match.group()
        position = match.start()
        if token.startswith("&"):
            if not re.fullmatch(r"&(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);", token):
                return f"can't parse entities: unsupported entity at byte offset {position}"
            continue
        tag = re.fullmatch(r"<(/?)([a-zA-Z-]+)[^>]*>", token)
        if tag is None:
            return f"can't parse entities: unexpected '<' at byte offset {position}"
        closing, name = tag.group(1) == "/", tag.group(2).lower()
        if name not in ALLOWED_TAGS:
            return (
                f'can\'t parse entities: unsupported start tag "{name}" at byte offset {position}'
            )
        if closing:
            if not stack or stack.pop() != name:
                return f"can't parse entities: can't find end tag corresponding to start tag {name}"
        else:
            stack.append(name)
    return "can't parse entities: unclosed tag" if stack else None


def utf16(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram's entity offsets."""
    return len(text.encode("utf-16-le")) // 2


def entities(text: str) -> list[dict[str, Any]]:
    """The entities Telegram attaches to a message text: a leading bot command, e-mail
    addresses, and @username mentions (5–32 word characters, not inside a word or an address).
    """
    found: list[dict[str, Any]] = []
    patterns = [
        ("bot_command", r"^/\w+(@\w+)?"),
        ("email", r"[\w.+-]+@[\w-]+(\.[\w-]+)+"),
        ("mention", r"(?<![\w@.])@[A-Za-z0-9_]{5,32}(?![\w@])"),
    ]
    taken: list[tuple[int, int]] = []
    for kind, pattern in patterns:
        for match in re.finditer(pattern, text, flags=re.ASCII):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            taken.append((match.start(), match.end()))
            found.append(
                {
                    "type": kind,
                    "offset": utf16(text[: match.start()]),
                    "length": utf16(match.group()),
                }
            )
    return sorted(found, key=lambda entity: int(entity["offset"]))


def visible_text(text: str) -> str:
    """The text a user sees of an HTML message (tags removed, entities decoded)."""
    import html

    return html.unescape(re.sub(r"<[^>]+>", "", text))


@dataclass
class Fault:
    """A failure to inject on the next calls of a method."""

    status: int
    description: str
    retry_after: int | None = None
    delay: float = 0.0
    chat_id: int | None = None  # only for calls about this chat
    after: int = 0  # let this many matching calls pass first


@dataclass
class FakeTelegram:
    """State of the fake server: pending updates, sent messages, injected faults."""

    token: str = TOKEN
    updates: list[dict[str, Any]] = field(default_factory=list)
    sent: list[dict[str, Any]] = field(default_factory=list)
    calls: list[str] = field(default_factory=list)
    callback_answers: list[str] = field(default_factory=list)
    faults: dict[str, list[Fault]] = field(default_factory=lambda: defaultdict(list))
    hang_get_updates: float = 0.0
    send_delay: float = 0.0  # every sendMessage takes this long
    next_update_id: int = 1
    next_message_id: int = 1000
    lock: threading.Condition = field(default_factory=threading.Condition)

    # -- what tests use --------------------------------------------------------------------

    def message(
        self,
        text: str,
        chat_id: int = 1,
        user_id: int | None = None,
        chat_type: str = "private",
        reply_to_bot: bool = False,
    ) -> int:
        """Queue a text message from a user; returns its update id."""
        message: dict[str, Any] = {
            "message_id": self._message_id(),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": chat_type, "title": "group"}
            if chat_type != "private"
            else {"id": chat_id, "type": "private", "first_name": "User"},
            "from": {"id": user_id or chat_id, "is_bot": False, "first_name": "User"},
            "text": text,
        }
        if entities(text):
            message["entities"] = entities(text)
        if reply_to_bot:
            message["reply_to_message"] = {
                "message_id": 1,
                "date": int(time.time()),
                "chat": message["chat"],
                "from": {
                    "id": BOT_ID,
                    "is_bot": True,
                    "first_name": "Bot",
                    "username": BOT_USERNAME,
                },
                "text": "earlier answer",
            }
        return self._push({"message": message})

    def press(self, data: str, chat_id: int = 1) -> int:
        """Queue a press on an inline button with ``data``."""
        return self._push(
            {
                "callback_query": {
                    "id": f"cb{self.next_update_id}",
                    "from": {"id": chat_id, "is_bot": False, "first_name": "User"},
                    "chat_instance": "ci",
                    "data": data,
                    "message": {
                        "message_id": 1,
                        "date": int(time.time()),
                        "chat": {"id": chat_id, "type": "private", "first_name": "User"},
                        "text": "suggestions",
                    },
                }
            }
        )

    def fail(
        self,
        method: str,
        status: int,
        description: str,
        retry_after: int | None = None,
        delay: float = 0.0,
        times: int = 1,
        chat_id: int | None = None,
        after: int = 0,
    ) -> None:
        """Make ``times`` calls of ``method`` (about ``chat_id``, if given) fail, once ``after``
        matching calls have passed."""
        with self.lock:
            self.faults[method].extend(
                Fault(status, description, retry_after, delay, chat_id, after if n == 0 else 0)
                for n in range(times)
            )

    def texts(self, chat_id: int | None = None) -> list[str]:
        """Visible texts of the messages sent (to one chat)."""
        with self.lock:
            return [
                visible_text(m["text"]) if m["parse_mode"] == "HTML" else m["text"]
                for m in self.sent
                if chat_id is None or m["chat_id"] == chat_id
            ]

    def wait_for(self, count: int, chat_id: int | None = None, timeout: float = 20.0) -> list[str]:
        """Wait until ``count`` messages were sent (to one chat); returns their texts."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            texts = self.texts(chat_id)
            if len(texts) >= count:
                return texts
            time.sleep(0.02)
        raise AssertionError(f"expected {count} messages, got {self.texts(chat_id)}")

    # -- the server side -------------------------------------------------------------------

    def _message_id(self) -> int:
        self.next_message_id += 1
        return self.next_message_id

    def _push(self, body: dict[str, Any]) -> int:
        with self.lock:
            update_id = self.next_update_id
            self.next_update_id += 1
            self.updates.append({"update_id": update_id, **body})
            self.lock.notify_all()
            return update_id

    def handle(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        with self.lock:
            self.calls.append(method)
            fault = self._take_fault(method, params)
        if fault is not None:
            time.sleep(fault.delay)
            body: dict[str, Any] = {
                "ok": False,
                "error_code": fault.status,
                "description": fault.description,
            }
            if fault.retry_after is not None:
                body["parameters"] = {"retry_after": fault.retry_after}
            return fault.status, body
        handler = getattr(self, f"api_{method}", None)
        if handler is None:
            return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        return handler(params)

    def _take_fault(self, method: str, params: dict[str, Any]) -> Fault | None:
        chat = params.get("chat_id")
        for fault in self.faults[method]:
            if fault.chat_id is None or str(fault.chat_id) == str(chat):
                if fault.after:
                    fault.after -= 1
                    return None
                self.faults[method].remove(fault)
                return fault
        return None

    def api_getMe(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        return 200, {
            "ok": True,
            "result": {"id": BOT_ID, "is_bot": True, "first_name": "QA", "username": BOT_USERNAME},
        }

    def api_deleteWebhook(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        return 200, {"ok": True, "result": True}

    def api_setMyCommands(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        return 200, {"ok": True, "result": True}

    def api_answerCallbackQuery(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        with self.lock:
            self.callback_answers.append(str(params.get("callback_query_id")))
        return 200, {"ok": True, "result": True}

    def api_getUpdates(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if self.hang_get_updates:
            time.sleep(self.hang_get_updates)
        offset = int(params.get("offset") or 0)
        timeout = float(params.get("timeout") or 0)
        deadline = time.monotonic() + timeout
        with self.lock:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
            while not self.updates and time.monotonic() < deadline:
                self.lock.wait(max(0.0, deadline - time.monotonic()))
            limit = int(params.get("limit") or 100)
            return 200, {"ok": True, "result": list(self.updates[:limit])}

    def api_sendMessage(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        time.sleep(self.send_delay)
        text = str(params.get("text") or "")
        if not text.strip():
            return 400, {
                "ok": False,
                "error_code": 400,
                "description": "Bad Request: message text is empty",
            }
        if params.get("parse_mode") == "HTML":
            problem = html_error(text)
            if problem:
                return 400, {
                    "ok": False,
                    "error_code": 400,
                    "description": f"Bad Request: {problem}",
                }
            length = len(visible_text(text).encode("utf-16-le")) // 2
        else:
            length = len(text.encode("utf-16-le")) // 2
        if length > 4096:
            return 400, {
                "ok": False,
                "error_code": 400,
                "description": "Bad Request: message is too long",
            }
        chat_id = int(params["chat_id"])
        with self.lock:
            self.sent.append(
                {
                    "received": time.perf_counter(),
                    "chat_id": chat_id,
                    "text": text,
                    "parse_mode": params.get("parse_mode"),
                    "reply_markup": params.get("reply_markup"),
                }
            )
            message_id = self._message_id()
        result = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"},
            "text": visible_text(text),
        }
        return 200, {"ok": True, "result": result}


def serve(fake: FakeTelegram) -> tuple[ThreadingHTTPServer, str]:
    """Start the fake on a free port of 127.0.0.1; returns the server and its base URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self._respond()

        def do_GET(self) -> None:
            self._respond()

        def _respond(self) -> None:
            match = re.fullmatch(r"/bot([^/]+)/(\w+)", self.path.split("?")[0])
            if match is None or match.group(1) != fake.token:
                status, body = 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
            else:
                status, body = fake.handle(match.group(2), self._params())
            payload = json.dumps(body).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up waiting (a hung getUpdates): nothing to answer

        def _params(self) -> dict[str, Any]:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            kind = self.headers.get("Content-Type", "")
            if "json" in kind and raw:
                loaded: dict[str, Any] = json.loads(raw)
                return loaded
            fields = parse_qs(raw.decode() or self.path.partition("?")[2])
            return {key: values[0] for key, values in fields.items()}

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: tests read the fake's records instead."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host, port = server.server_address[:2]
    return server, f"http://{host!s}:{port}/bot"


@contextmanager
def running(
    bot: QABot,
    tmp_path: Path,
    fake: FakeTelegram | None = None,
    retry_every: float = 5.0,
    **options: object,
) -> Iterator[FakeTelegram]:
    """The real Application long-polling a fresh fake server, in a background thread."""
    with running_adapter(bot, tmp_path, fake, retry_every, 10_000, **options) as (fake, _):
        yield fake


@contextmanager
def running_adapter(
    bot: QABot,
    tmp_path: Path,
    fake: FakeTelegram | None = None,
    retry_every: float = 5.0,
    max_tracked: int = 10_000,
    **options: object,
) -> Iterator[tuple[FakeTelegram, TelegramAdapter]]:
    """``running``, also giving the adapter (for tests that look at its state)."""
    fake = fake or FakeTelegram()
    server, base_url = serve(fake)
    settings = TelegramSettings(token=SecretStr(TOKEN), base_url=base_url, **options)
    adapter = build_adapter(
        bot,
        settings,
        tmp_path / "state.sqlite3",
        read_timeout=1.0,
        retry_every=retry_every,
        max_tracked=max_tracked,
    )
    assert adapter.application is not None
    application = adapter.application
    loop = asyncio.new_event_loop()
    errors: list[BaseException] = []

    def run() -> None:
        asyncio.set_event_loop(loop)
        try:
            application.run_polling(poll_interval=0, timeout=1, stop_signals=None, close_loop=False)
        except BaseException as exc:  # reported to the test below
            errors.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield fake, adapter
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=20)
        server.shutdown()
        assert not thread.is_alive()
        assert errors == []
