"""The Telegram adapter end to end: the real PTB Application polls a fake Bot API over HTTP."""

from __future__ import annotations

import json
import logging
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Collection, Mapping
from pathlib import Path
from typing import TypeVar

import pytest

from qa_bot import QABot
from qa_bot.adapters.telegram_access import RateLimiter
from qa_bot.adapters.telegram_app import PerChatProcessor
from qa_bot.adapters.telegram_logs import redact_token
from qa_bot.adapters.telegram_render import split_message, utf16_length
from qa_bot.adapters.telegram_store import TelegramStore
from qa_bot.dialog import DialogState
from qa_bot.models import Reply, Source

from .conftest import ROOT
from .fake_telegram import (
    BOT_USERNAME,
    TOKEN,
    FakeTelegram,
    html_error,
    running,
    running_adapter,
    serve,
)

T = TypeVar("T")
QUESTION = "南华大学研发了什么？"  # answered with 激光器


def wait_until(check: Callable[[], T | None], timeout: float = 10.0) -> T:
    """Poll ``check`` until it gives something truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.02)
    raise AssertionError(f"still {check()!r} after {timeout} s")


def test_chinese_question_gets_the_same_answer_as_the_api(bot: QABot, tmp_path: Path) -> None:
    question = "衡阳哪一年获批建设国家创新型城市？"
    with running(bot, tmp_path) as fake:
        fake.message(question, chat_id=101)
        [text] = fake.wait_for(1, chat_id=101)
    expected = bot.ask(question, session_id="compare")
    assert text.startswith(expected.answer)
    assert "来源：《" in text
    assert fake.sent[0]["parse_mode"] == "HTML"


def test_follow_up_dialogue_per_chat(bot: QABot, tmp_path: Path) -> None:
    with running(bot, tmp_path) as fake:
        fake.message("2019年衡阳有多少家高新技术企业？", chat_id=102)
        fake.message("2017年科技型中小企业有多少家？", chat_id=103)
        fake.wait_for(1, chat_id=102)
        fake.wait_for(1, chat_id=103)
        fake.message("那2020年呢？", chat_id=102)
        fake.message("那2018年呢？", chat_id=103)
        first = fake.wait_for(2, chat_id=102)
        second = fake.wait_for(2, chat_id=103)
    assert "273" in first[0] and "415" in first[1]
    assert "207" in second[0] and "73" in second[1]


def test_commands(bot: QABot, tmp_path: Path) -> None:
    with running(bot, tmp_path) as fake:
        for command in [
            "/start",
            "/help",
            "2019年衡阳有多少家高新技术企业？",
            "/sources",
            "/reset",
            "/sources",
        ]:
            fake.message(command, chat_id=104)
        start, help_text, answer, sources, reset, after_reset = fake.wait_for(6, chat_id=104)
    assert start.startswith("你好") and start.count("•") == 3
    assert "/reset" in help_text
    assert "273" in answer
    assert "依据" in sources and "273家" in sources
    assert "已清除" in reset
    assert "还没有" in after_reset
    assert "setMyCommands" in fake.calls


def test_group_messages_need_a_mention_or_reply(bot: QABot, tmp_path: Path) -> None:
    with running(bot, tmp_path) as fake:
        fake.message("2019年衡阳有多少家高新技术企业？", chat_id=-200, user_id=7, chat_type="group")
        fake.message(
            f"@{BOT_USERNAME} 南华大学研发了什么？", chat_id=-200, user_id=7, chat_type="group"
        )
        fake.message(
            "衡阳共有多少名科技专家？",
            chat_id=-200,
            user_id=7,
            chat_type="group",
            reply_to_bot=True,
        )
        texts = fake.wait_for(2, chat_id=-200)
    assert len(texts) == 2
    assert "激光器" in texts[0]
    assert "1007" in texts[1]


def test_allowlist_refuses_once(bot: QABot, tmp_path: Path) -> None:
    with running(bot, tmp_path, allowed_chat_ids=[105]) as fake:
        fake.message("南华大学研发了什么？", chat_id=106)
        fake.message("衡阳共有多少名科技专家？", chat_id=106)
        fake.message("南华大学研发了什么？", chat_id=105)
        fake.wait_for(1, chat_id=105)
        refused = fake.texts(chat_id=106)
    assert len(refused) == 1 and "授权" in refused[0]


def test_flood_limit_and_overlong_input(bot: QABot, tmp_path: Path) -> None:
    with running(bot, tmp_path, rate_limit_per_minute=2, max_question_chars=50) as fake:
        fake.message("问" * 60, chat_id=107)
        for _ in range(4):
            fake.message("南华大学研发了什么？", chat_id=107)
        texts = fake.wait_for(3, chat_id=107)
    assert "太长" in texts[0]
    assert "激光器" in texts[1]
    assert "太快" in texts[2]
    assert len(fake.texts(chat_id=107)) == 3


def test_long_reply_is_split_on_paragraphs() -> None:
    paragraph = "衡阳" * 1500
    pieces = split_message(f"{paragraph}\n\n{paragraph}\n\n{'😀' * 3000}")
    assert all(utf16_length(piece) <= 4096 for piece in pieces)
    assert pieces[0] == paragraph and pieces[1] == paragraph
    assert "".join(pieces[2:]) == "😀" * 3000


def test_escaping_keeps_html_valid(bot: QABot, tmp_path: Path) -> None:
    with running(bot, tmp_path) as fake:
        fake.message("<b>衡阳</b> & <script>高企</script> 2019年有多少家？", chat_id=108)
        fake.wait_for(1, chat_id=108)
    sent = fake.sent[0]
    assert sent["parse_mode"] == "HTML"
    assert html_error(sent["text"]) is None


def test_rejected_markup_is_resent_as_plain_text(bot: QABot, tmp_path: Path) -> None:
    fake = FakeTelegram()
    fake.fail("sendMessage", 400, "Bad Request: can't parse entities: unsupported tag", chat_id=109)
    with running(bot, tmp_path, fake) as fake:
        fake.message("南华大学研发了什么？", chat_id=109)
        [text] = fake.wait_for(1, chat_id=109)
    assert "激光器" in text
    assert fake.sent[0]["parse_mode"] is None


def test_flood_control_is_waited_out(bot: QABot, tmp_path: Path) -> None:
    fake = FakeTelegram()
    fake.fail("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1, chat_id=110)
    with running(bot, tmp_path, fake) as fake:
        fake.message("南华大学研发了什么？", chat_id=110)
        [text] = fake.wait_for(1, chat_id=110)
    assert "激光器" in text
    assert fake.calls.count("sendMessage") == 2


def test_blocked_user_is_skipped_and_others_served(bot: QABot, tmp_path: Path) -> None:
    fake = FakeTelegram()
    fake.fail("sendMessage", 403, "Forbidden: bot was blocked by the user", chat_id=111)
    with running(bot, tmp_path, fake) as fake:
        fake.message("南华大学研发了什么？", chat_id=111)
        fake.message("南华大学研发了什么？", chat_id=112)
        fake.wait_for(1, chat_id=112)
    assert fake.texts(chat_id=111) == []


def test_polling_recovers_from_server_errors_and_hangs(bot: QABot, tmp_path: Path) -> None:
    fake = FakeTelegram()
    fake.fail("getUpdates", 500, "Internal Server Error", times=2)
    fake.fail("getUpdates", 502, "Bad Gateway", delay=3.0)
    with running(bot, tmp_path, fake) as fake:
        fake.message("南华大学研发了什么？", chat_id=113)
        [text] = fake.wait_for(1, chat_id=113, timeout=30)
    assert "激光器" in text
    assert fake.calls.count("getUpdates") >= 4


def test_failing_answer_gets_an_apology(
    bot: QABot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(question: str, session_id: str = "default") -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(bot, "ask", broken)
    with running(bot, tmp_path) as fake:
        fake.message("南华大学研发了什么？", chat_id=114)
        [text] = fake.wait_for(1, chat_id=114)
    assert "抱歉" in text


def test_suggestion_buttons_ask_the_question(bot: QABot, tmp_path: Path) -> None:
    with running(bot, tmp_path) as fake:
        fake.message("衡阳市的常住人口是多少？", chat_id=115)
        [abstain] = fake.wait_for(1, chat_id=115)
        markup = (
            json.loads(fake.sent[0]["reply_markup"])
            if isinstance(fake.sent[0]["reply_markup"], str)
            else fake.sent[0]["reply_markup"]
        )
        first = markup["inline_keyboard"][0][0]
        fake.press(first["callback_data"], chat_id=115)
        texts = fake.wait_for(2, chat_id=115)
    assert "没有找到" in abstain
    assert fake.callback_answers
    assert "没有找到" not in texts[1]


def test_dialog_state_survives_a_restart(bot: QABot, tmp_path: Path) -> None:
    with running(bot, tmp_path) as fake:
        fake.message("2019年衡阳有多少家高新技术企业？", chat_id=116)
        fake.wait_for(1, chat_id=116)
    assert (tmp_path / "state.sqlite3").exists()
    bot.sessions.reset("telegram:116")  # as if the process had restarted
    with running(bot, tmp_path, FakeTelegram(next_update_id=100)) as fake:
        fake.message("那2020年呢？", chat_id=116)
        [text] = fake.wait_for(1, chat_id=116)
    assert "415" in text


def test_token_never_logged_even_at_debug(
    bot: QABot, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    redact_token(TOKEN)
    caplog.set_level(logging.DEBUG)
    with running(bot, tmp_path) as fake:
        fake.message("南华大学研发了什么？", chat_id=117)
        fake.wait_for(1, chat_id=117)
    assert any("getUpdates" in record.getMessage() for record in caplog.records)
    assert not any(TOKEN in record.getMessage() for record in caplog.records)


def stored_sessions(path: Path) -> dict[str, dict[str, object]]:
    """The dialog states in a state file, read as the next start would."""
    store = TelegramStore(path)
    try:
        return store.sessions()
    finally:
        store.close()


def cli_env(home: Path, base_url: str) -> dict[str, str]:
    """A minimal environment for `qa-bot telegram` pointed at a fake server."""
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "QA_BOT_CACHE_DIR": str(home),
        "QA_BOT_TELEGRAM__TOKEN": TOKEN,
        "QA_BOT_TELEGRAM__BASE_URL": base_url,
    }


def run_cli(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "qa_bot", "telegram"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )


def error_lines(stderr: str) -> list[str]:
    """stderr without the one warning every test run gets: the fake Bot API is not
    api.telegram.org (see settings.check_bot_api)."""
    return [line for line in stderr.splitlines() if "telegram.base_url sends" not in line]


def test_missing_token_is_one_line(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "QA_BOT_CACHE_DIR": str(tmp_path)}
    done = run_cli(env)
    assert done.returncode == 1
    assert done.stderr.strip().count("\n") == 0 and "telegram.token" in done.stderr


def test_rejected_token_is_one_line_without_the_token(tmp_path: Path) -> None:
    fake = FakeTelegram(token="another-token")
    server, base_url = serve(fake)
    try:
        done = run_cli(cli_env(tmp_path, base_url))
    finally:
        server.shutdown()
    assert done.returncode == 1
    [line] = error_lines(done.stderr)
    assert line == "qa-bot: error: Telegram rejected the token (QA_BOT_TELEGRAM__TOKEN)"
    assert TOKEN not in done.stderr + done.stdout


def test_unreachable_api_is_one_line(tmp_path: Path) -> None:
    done = run_cli(cli_env(tmp_path, "http://127.0.0.1:9/bot"))
    assert done.returncode == 1
    [line] = error_lines(done.stderr)
    assert line.startswith("qa-bot: error: cannot reach the Bot API at http://127.0.0.1:9/bot")
    assert TOKEN not in done.stderr + done.stdout


def test_unusable_state_file_is_one_line_and_kept(tmp_path: Path) -> None:
    state = tmp_path / "state"
    state.write_bytes(b"\x00garbage")
    env = {**cli_env(tmp_path, "http://127.0.0.1:9/bot"), "QA_BOT_TELEGRAM__STATE_FILE": str(state)}
    done = run_cli(env)
    assert done.returncode == 1
    [line] = error_lines(done.stderr)
    assert str(state) in line and "state" in line
    assert state.read_bytes() == b"\x00garbage"


def test_failed_start_keeps_the_saved_state(tmp_path: Path) -> None:
    """An unreachable API used to overwrite the state file with {}; an older JSON state file
    is now converted into the database, and a copy of the store kept beside it."""
    state = tmp_path / "state.json"
    dialog = DialogState(question="2019年衡阳有多少家高新技术企业？", years=[2019])
    state.write_text(json.dumps({"telegram:5": dialog.model_dump(mode="json")}), "utf-8")
    env = {**cli_env(tmp_path, "http://127.0.0.1:9/bot"), "QA_BOT_TELEGRAM__STATE_FILE": str(state)}
    assert run_cli(env).returncode == 1
    assert stored_sessions(state)["telegram:5"]["years"] == [2019]
    assert stored_sessions(tmp_path / "state.json.bak")["telegram:5"]["years"] == [2019]


def test_cli_answers_like_ask_and_saves_state_on_stop(tmp_path: Path) -> None:
    """`qa-bot telegram` as a process, pointed at the fake: same answer text as `qa-bot ask`."""
    question = "2019年衡阳有多少家高新技术企业？"
    fake = FakeTelegram()
    server, base_url = serve(fake)
    state = tmp_path / "tg-state.json"
    env = {
        **cli_env(tmp_path, base_url),
        "QA_BOT_TELEGRAM__STATE_FILE": str(state),
        "QA_BOT_LOG_LEVEL": "DEBUG",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "qa_bot", "telegram"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        fake.message(question, chat_id=301)
        [text] = fake.wait_for(1, chat_id=301, timeout=60)
    finally:
        time.sleep(0.2)
        process.send_signal(signal.SIGINT)
        _, logs = process.communicate(timeout=60)
        server.shutdown()
    asked = subprocess.run(
        [sys.executable, "-m", "qa_bot", "ask", question],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert text == asked.stdout.strip()
    assert process.returncode == 0
    assert "telegram:301" in stored_sessions(state)
    assert "getUpdates" in logs and TOKEN not in logs


def start_cli(env: dict[str, str], stderr: Path) -> subprocess.Popen[bytes]:
    """`qa-bot telegram` as a background process, its stderr going to a file (a pipe nobody
    reads would block a process that logs a lot)."""
    with stderr.open("ab") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "qa_bot", "telegram"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )


def test_kill_9_mid_burst_loses_no_question(tmp_path: Path) -> None:
    """A burst of 100 questions; the process is killed (SIGKILL) after the first answers and
    restarted: every question is answered, and the dialog goes on where it was."""
    fake = FakeTelegram(send_delay=0.05)
    server, base_url = serve(fake)
    env = {
        **cli_env(tmp_path, base_url),
        "QA_BOT_TELEGRAM__STATE_FILE": str(tmp_path / "st"),
        "QA_BOT_LOG_LEVEL": "DEBUG",
    }
    logs = tmp_path / "stderr"
    chats = range(401, 411)
    try:
        fake.message("2019年衡阳有多少家高新技术企业？", chat_id=400)
        process = start_cli(env, logs)
        fake.wait_for(1, chat_id=400, timeout=60)
        for _ in range(10):
            for chat in chats:
                fake.message(QUESTION, chat_id=chat)
        fake.wait_for(5, timeout=30)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        assert len(fake.texts()) < 100  # killed mid-burst
        process = start_cli(env, logs)
        for chat in chats:
            answers = fake.wait_for(10, chat_id=chat, timeout=60)
            assert all("激光器" in answer for answer in answers)
        fake.message("那2020年呢？", chat_id=400)
        assert "415" in fake.wait_for(2, chat_id=400, timeout=30)[-1]
    finally:
        process.kill()
        process.wait(timeout=30)
        server.shutdown()
    text = logs.read_text("utf-8")
    assert "getUpdates" in text and TOKEN not in text


def test_token_rejected_while_running_exits_with_one_line_after_saving(tmp_path: Path) -> None:
    """A 401 on getUpdates used to leave the process up but deaf."""
    fake = FakeTelegram()
    server, base_url = serve(fake)
    state = tmp_path / "st"
    env = {**cli_env(tmp_path, base_url), "QA_BOT_TELEGRAM__STATE_FILE": str(state)}
    process = start_cli(env, tmp_path / "stderr")
    try:
        fake.message("2019年衡阳有多少家高新技术企业？", chat_id=501)
        fake.wait_for(1, chat_id=501, timeout=60)
        fake.fail("getUpdates", 401, "Unauthorized", times=1000)
        fake.message(QUESTION, chat_id=502)  # ends the long poll in progress
        process.wait(timeout=30)
    finally:
        process.kill()
        process.wait()
        server.shutdown()
    assert process.returncode == 1
    [line] = error_lines((tmp_path / "stderr").read_text("utf-8"))
    assert "rejected the token while running" in line and TOKEN not in line
    assert stored_sessions(state)["telegram:501"]["years"] == [2019]


def test_dialog_state_is_on_disk_once_the_answer_is_sent(bot: QABot, tmp_path: Path) -> None:
    """Not 30 s later: a crash right after an answer keeps the follow-up working."""
    with running(bot, tmp_path) as fake:
        fake.message("2019年衡阳有多少家高新技术企业？", chat_id=120)
        fake.wait_for(1, chat_id=120)
        saved = wait_until(lambda: stored_sessions(tmp_path / "state.sqlite3").get("telegram:120"))
        fake.message("/reset", chat_id=120)
        fake.wait_for(2, chat_id=120)
        wait_until(lambda: "telegram:120" not in stored_sessions(tmp_path / "state.sqlite3"))
    assert saved["years"] == [2019]


def test_failed_saves_are_logged_and_retried(
    bot: QABot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    real = TelegramStore.commit
    failures: list[int] = []

    def flaky(
        store: TelegramStore, done: Collection[int], sessions: Mapping[str, str | None]
    ) -> None:
        if len(failures) < 3:
            failures.append(1)
            raise sqlite3.OperationalError("disk I/O error")
        real(store, done, sessions)

    monkeypatch.setattr(TelegramStore, "commit", flaky)
    caplog.set_level(logging.WARNING)
    with running(bot, tmp_path, retry_every=0.05) as fake:
        fake.message("2019年衡阳有多少家高新技术企业？", chat_id=121)
        fake.wait_for(1, chat_id=121)
        wait_until(lambda: stored_sessions(tmp_path / "state.sqlite3").get("telegram:121"))
    logged = [r for r in caplog.records if "could not save" in r.getMessage()]
    assert len(logged) == 3 and "disk I/O error" in logged[0].getMessage()


def long_reply(answer: str) -> Callable[..., Reply]:
    """A stand-in for ``QABot.ask`` that answers ``answer``, citing a document."""
    source = Source(doc_id="d", title="R&D <报告>", section="一、总则")

    def ask(question: str, session_id: str = "default") -> Reply:
        return Reply(
            question=question,
            answer=answer,
            text=answer,
            answered=True,
            confidence=1.0,
            kind="passage",
            sources=[source],
        )

    return ask


def test_long_reply_with_markup_is_split_before_rendering(
    bot: QABot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Splitting the rendered HTML cut inside ``&amp;``; Telegram refused the piece, and every
    piece was sent again as plain text."""
    answer = "R&D<投入>" * 600  # 4800 characters, 12000 once escaped
    monkeypatch.setattr(bot, "ask", long_reply(answer))
    with running(bot, tmp_path) as fake:
        fake.message("研发投入？", chat_id=122)
        fake.wait_for(2, chat_id=122)
        time.sleep(0.3)  # a duplicate would arrive now
    sent = [m for m in fake.sent if m["chat_id"] == 122]
    assert [m["parse_mode"] for m in sent] == ["HTML", "HTML"]
    assert all(html_error(m["text"]) is None for m in sent)
    texts = fake.texts(chat_id=122)
    assert texts[0] + texts[1] == f"{answer}\n来源：《R&D <报告>》 · 一、总则"
    assert sent[1]["text"].endswith("<i>来源：《R&amp;D &lt;报告&gt;》 · 一、总则</i>")


def test_refused_piece_falls_back_without_resending(
    bot: QABot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    answer = "衡阳" * 3000
    monkeypatch.setattr(bot, "ask", long_reply(answer))
    fake = FakeTelegram()
    fake.fail("sendMessage", 400, "Bad Request: can't parse entities", chat_id=123, after=1)
    with running(bot, tmp_path, fake) as fake:
        fake.message("衡阳？", chat_id=123)
        fake.wait_for(2, chat_id=123)
        time.sleep(0.3)  # a duplicate would arrive now
    sent = [m for m in fake.sent if m["chat_id"] == 123]
    assert [m["parse_mode"] for m in sent] == ["HTML", None]
    assert "".join(fake.texts(chat_id=123)) == f"{answer}\n来源：《R&D <报告>》 · 一、总则"


def test_group_mentions_are_entities_not_substrings(bot: QABot, tmp_path: Path) -> None:
    with running(bot, tmp_path) as fake:
        for text in [
            f"@{BOT_USERNAME}2 衡阳共有多少名科技专家？",
            f"x@{BOT_USERNAME}.com 衡阳共有多少名科技专家？",
            f"{QUESTION}@{BOT_USERNAME.upper()}",
        ]:
            fake.message(text, chat_id=-300, user_id=9, chat_type="group")
        [text] = fake.wait_for(1, chat_id=-300)  # a chat's messages are answered in order
    assert "激光器" in text


def test_flood_control_forgets_idle_users_and_stays_bounded() -> None:
    limiter = RateLimiter(per_minute=2, max_users=100)
    for user in range(5000):
        limiter.allow(user)
    assert len(limiter) <= 100
    assert [limiter.allow(7) for _ in range(3)] == [True, True, False]


def test_per_user_and_per_chat_memory_is_bounded(bot: QABot, tmp_path: Path) -> None:
    """Refusals, flood warnings, flood counters and per-chat locks used to grow forever."""
    insiders, outsiders = range(700, 720), range(600, 620)
    with running_adapter(
        bot, tmp_path, max_tracked=10, allowed_chat_ids=list(insiders), rate_limit_per_minute=1
    ) as (fake, adapter):
        for chat in outsiders:
            fake.message(QUESTION, chat_id=chat)
        for chat in insiders:
            fake.message(QUESTION, chat_id=chat)
            fake.message(QUESTION, chat_id=chat)
        fake.wait_for(20 + 2 * 20, timeout=30)
        assert adapter.application is not None
        processor = adapter.application.update_processor
        assert isinstance(processor, PerChatProcessor)
        wait_until(lambda: len(processor) == 0)  # no chat keeps a lock
    assert len(adapter.refused) <= 10 and len(adapter.warned) <= 10
    assert len(adapter.limiter) <= 10


def reopened(path: Path) -> TelegramStore:
    """The store as the next start opens it (the previous one closed, as after a crash)."""
    return TelegramStore(path)


def test_journal_recognises_resent_updates_and_hands_out_unanswered_ones(tmp_path: Path) -> None:
    """After a crash Telegram sends again what was not confirmed: what was answered is not
    answered again, and what was not is handed out once, from the journal."""
    store = reopened(tmp_path / "st")
    assert store.received([(1, "a"), (2, "b")]) == {1, 2}
    store.commit([1], {})
    store = reopened(tmp_path / "st")
    assert store.received([(1, "a"), (2, "b"), (3, "c")]) == {3}
    assert store.unanswered() == ["b", "c"]


def test_an_update_that_keeps_crashing_the_bot_is_dropped(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    reopened(tmp_path / "st").received([(7, "poison")])
    handed_out = [reopened(tmp_path / "st").unanswered() for _ in range(4)]
    assert handed_out == [["poison"]] * 3 + [[]]
    assert "dropping update 7" in caplog.text


def test_state_database_is_private(tmp_path: Path) -> None:
    """Item 21: the file of chat ids and dialog states, and its backup, are 0600."""
    from qa_bot.adapters.telegram_store import TelegramStore

    path = tmp_path / "state.sqlite3"
    path.write_bytes(b"")
    path.chmod(0o644)  # as an older version left it
    store = TelegramStore(path)
    backup = store.backup()
    assert path.stat().st_mode & 0o777 == 0o600
    assert backup.stat().st_mode & 0o777 == 0o600
