"""Dialog state in a real Redis (Debian's redis-server on a loopback port): the pydantic state
with a TTL, the per-session lock that keeps two workers from interleaving one person's turns,
a clear error when Redis is down at start, stateless answers while it is down mid-run, and
Telegram leaving dialog state to Redis."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from qa_bot import QABot
from qa_bot.cli import main
from qa_bot.conversation_log import ConversationLog
from qa_bot.dialog import DialogState
from qa_bot.redis_sessions import KEY_PREFIX, RETRY_SECONDS, RedisStore
from qa_bot.settings import DialogSettings, Settings

from .fake_telegram import TOKEN, FakeTelegram, running
from .http_server import free_port
from .redis_server import RedisServer, needs_redis, running_redis

pytestmark = needs_redis
QUESTION = "2019年衡阳有多少家高新技术企业？"
FOLLOW_UP = "那2021年呢？"  # needs the state: a clarification offering 377 (2021 申报)


@pytest.fixture()
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    with running_redis(tmp_path / "redis") as server:
        yield server


def redis_bot(bot: QABot, server: RedisServer, cache: Path, idle_minutes: float = 30) -> QABot:
    """The shipped bot as one more worker on ``server`` (its own connection pool)."""
    dialog = DialogSettings(store="redis", redis_url=server.url, idle_minutes=idle_minutes)
    return bot.reconfigured(Settings(cache_dir=cache, dialog=dialog))


def in_context(reply_kind: str, options: list[str] | None) -> bool:
    return reply_kind == "clarify" and any("377" in o for o in options or [])


def test_state_is_the_pydantic_model_with_a_ttl_of_idle_minutes(
    bot: QABot, redis_server: RedisServer, tmp_path: Path
) -> None:
    worker = redis_bot(bot, redis_server, tmp_path, idle_minutes=2)
    worker.ask(QUESTION, session_id="u1")
    client = redis_server.client()
    stored = DialogState.model_validate_json(client.get(KEY_PREFIX + "u1"))
    assert stored.years == [2019] and stored.last_reply is not None
    assert 110_000 < client.pttl(KEY_PREFIX + "u1") <= 120_000
    other = redis_bot(bot, redis_server, tmp_path)  # another worker reads it
    assert in_context(*kind_and_options(other.ask(FOLLOW_UP, session_id="u1")))
    other.reset("u1")
    assert client.exists(KEY_PREFIX + "u1") == 0


def kind_and_options(reply: object) -> tuple[str, list[str] | None]:
    return getattr(reply, "kind", ""), getattr(reply, "options", None)


def test_two_workers_racing_one_session_take_turns(
    bot: QABot, redis_server: RedisServer, tmp_path: Path
) -> None:
    """Each exchange reads the state the previous one wrote and is logged in that order."""
    events: list[tuple[str, str | None]] = []
    record = threading.Lock()

    class Watched(RedisStore):
        def get(self, session_id: str) -> DialogState:
            state = super().get(session_id)
            with record:
                events.append(("get", state.question))
            return state

        def put(self, session_id: str, state: DialogState) -> None:
            with record:
                events.append(("put", state.question))
            super().put(session_id, state)

    conversation_file = tmp_path / "conversations.sqlite3"
    workers = []
    for _ in range(2):
        worker = redis_bot(bot, redis_server, tmp_path)
        worker.sessions = Watched(redis_server.client(), "test", 600)
        worker.log_conversations(ConversationLog(conversation_file), "api")
        workers.append(worker)
    questions = ["南华大学研发了什么？", QUESTION]

    def converse(worker: QABot, question: str) -> None:
        for _ in range(12):
            worker.ask(question, session_id="shared")

    threads = [
        threading.Thread(target=converse, args=pair)
        for pair in zip(workers, questions, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(events) == 48
    gets, puts = events[0::2], events[1::2]
    assert all(kind == "get" for kind, _ in gets) and all(kind == "put" for kind, _ in puts)
    for (_, read), (_, written) in zip(gets[1:], puts, strict=False):
        assert read == written  # no turn read a state another turn was about to replace
    logged = [asked(q) for q in logged_questions(conversation_file)]
    assert len(logged) == 24 and logged == [asked(q) for _, q in puts]


def logged_questions(path: Path) -> list[str]:
    import sqlite3

    with sqlite3.connect(path) as db:
        return [row[0] for row in db.execute("SELECT question FROM replies ORDER BY rowid")]


def asked(question: str | None) -> str:
    """Which of the two questions this is (the log and the state keep it cleaned)."""
    return "南华大学" if question and "南华大学" in question else "高新技术企业"


def test_a_dead_workers_lock_expires(redis_server: RedisServer) -> None:
    holder = RedisStore(redis_server.client(), "test", 600, lock_seconds=0.5)
    waiter = RedisStore(redis_server.client(), "test", 600, lock_seconds=0.5, wait_seconds=10)
    lock = holder.client.lock("qa-bot:lock:s", timeout=0.5)
    assert lock.acquire()  # and never released: the worker was killed
    started = time.monotonic()
    with waiter.lock("s"):
        waited = time.monotonic() - started
    assert waited < 5


def test_a_turn_begun_while_redis_was_down_keeps_the_stored_state(
    redis_server: RedisServer,
) -> None:
    """Redis back between a turn's read and its write: the state the turn never saw stays."""
    store = RedisStore.connect(redis_server.url, 600)
    store.put("kept", DialogState(years=[2019]))
    redis_server.stop()
    blank = store.get("kept")  # down: the turn goes on without the state
    redis_server.start()
    time.sleep(RETRY_SECONDS + 0.1)
    store.put("kept", blank.model_copy(update={"years": [2021]}))
    assert store.get("kept").years == [2019]
    store.put("kept", DialogState(years=[2022]))  # the next turn, with Redis, saves again
    assert store.get("kept").years == [2022]


@pytest.mark.parametrize("command", [["serve"], ["telegram"], ["repl"]])
def test_redis_down_at_start_is_one_error_line(
    command: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    port = free_port()  # nothing listens there
    monkeypatch.setenv("QA_BOT_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("QA_BOT_DIALOG__STORE", "redis")
    monkeypatch.setenv("QA_BOT_DIALOG__REDIS_URL", f"redis://:secret@127.0.0.1:{port}/2")
    monkeypatch.setenv("QA_BOT_TELEGRAM__TOKEN", TOKEN)
    monkeypatch.setenv("QA_BOT_TELEGRAM__BASE_URL", "http://127.0.0.1:9/bot")
    assert main(command) == 1
    errors = capsys.readouterr().err.splitlines()
    assert errors[-1].startswith(f"qa-bot: error: dialog.redis_url: cannot reach Redis at "
                                 f"127.0.0.1:{port}/2: ")  # fmt: skip
    assert "secret" not in errors[-1] and not any("Traceback" in line for line in errors)


@pytest.mark.parametrize("command", [["ask", QUESTION], ["index"]])
def test_one_off_commands_need_no_redis(
    command: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """``ask``, ``eval``, ``index`` … keep no conversation beyond themselves: they neither
    need Redis nor put their sessions into the servers' one."""
    monkeypatch.setenv("QA_BOT_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("QA_BOT_DIALOG__STORE", "redis")
    monkeypatch.setenv("QA_BOT_DIALOG__REDIS_URL", f"redis://127.0.0.1:{free_port()}/0")
    assert main(command) == 0
    assert "error" not in capsys.readouterr().err


def test_redis_down_mid_run_answers_statelessly_then_resumes(
    bot: QABot, redis_server: RedisServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    worker = redis_bot(bot, redis_server, tmp_path)
    worker.ask(QUESTION, session_id="kept")
    redis_server.stop()
    caplog.set_level(logging.WARNING, logger="qa_bot.redis_sessions")
    for number in range(5):
        worker.ask(QUESTION, session_id=f"outage{number}")
        reply = worker.ask(FOLLOW_UP, session_id=f"outage{number}")
        assert reply.kind != "clarify"  # answered, without the state
        time.sleep(0.3)  # spans more than one retry of Redis
    warnings = [r.getMessage() for r in caplog.records]
    assert len(warnings) == 1 and "answering without dialog state" in warnings[0]
    redis_server.start()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        reply = worker.ask(FOLLOW_UP, session_id="kept")  # the session kept in Redis
        if in_context(reply.kind, reply.options):
            break
        time.sleep(0.2)
    assert in_context(reply.kind, reply.options)
    assert sum("is back: dialog state is kept" in r.getMessage() for r in caplog.records) == 1


def test_telegram_leaves_dialog_state_to_redis(
    bot: QABot, redis_server: RedisServer, tmp_path: Path
) -> None:
    worker = redis_bot(bot, redis_server, tmp_path)
    with running(worker, tmp_path) as fake:
        fake.message(QUESTION, chat_id=130)
        fake.wait_for(1, chat_id=130)
    restarted = redis_bot(bot, redis_server, tmp_path)  # a new process: nothing in memory
    with running(restarted, tmp_path, FakeTelegram(next_update_id=100)) as fake:
        fake.message(FOLLOW_UP, chat_id=130)
        [text] = fake.wait_for(1, chat_id=130)
    assert "377" in text
    from .test_telegram import stored_sessions

    assert "telegram:130" not in stored_sessions(tmp_path / "state.sqlite3")
    assert redis_server.client().exists(KEY_PREFIX + "telegram:130") == 1
