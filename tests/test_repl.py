"""The console: commands, Ctrl-C / Ctrl-D on a (simulated) terminal, and its history file."""

from __future__ import annotations

import io
import os
import stat
import sys
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from qa_bot import QABot
from qa_bot.adapters import repl
from qa_bot.misses import MissLog

QUESTION = "衡阳哪一年获批建设国家创新型城市？"


@pytest.fixture()
def misses(bot: QABot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The bot logs its misses to a fresh file for this test only."""
    path = tmp_path / "misses.jsonl"
    monkeypatch.setattr(bot, "miss_log", MissLog(path, bot.settings.answer.abstain_threshold))
    return path


@pytest.fixture()
def umask_zero() -> Iterator[None]:
    """No umask, so a file's mode is exactly what its creator asked for."""
    old = os.umask(0)
    yield
    os.umask(old)


@pytest.mark.parametrize("word", ["quit", "exit", "退出", ":quit", ":q", "QUIT", " :exit "])
def test_quit_words_end_the_console(bot: QABot, misses: Path, word: str) -> None:
    out = io.StringIO()
    assert repl.run_lines(bot, [word, QUESTION], out) == 0
    assert out.getvalue() == ""
    assert not misses.exists()


@pytest.mark.parametrize("word", ["help", "帮助", ":help", "Help"])
def test_help_words_list_the_commands(bot: QABot, misses: Path, word: str) -> None:
    output = repl.respond(bot, word)
    assert output is not None and ":reset" in output and ":quit" in output
    assert not misses.exists()


def test_unknown_command_lists_the_commands_and_is_not_a_miss(bot: QABot, misses: Path) -> None:
    output = repl.respond(bot, ":srouces")
    assert output is not None
    assert ":srouces" in output and ":sources" in output and ":quit" in output
    assert not misses.exists()


def test_a_real_miss_is_still_logged(bot: QABot, misses: Path) -> None:
    repl.respond(bot, "衡阳市的常住人口是多少？")
    assert misses.exists()


def test_over_long_line_is_refused_cheaply(bot: QABot) -> None:
    line = "问\x00" * 1_000_000 + "\n"
    out = io.StringIO()
    tracemalloc.start()
    try:
        assert repl.run_lines(bot, [line], out) == 0
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "问题太长了" in out.getvalue()
    assert peak < 2 * sys.getsizeof(line)  # at most one copy of the line, nothing per character


def run_terminal(bot: QABot, history: Path, keys: str) -> int:
    """The interactive console fed ``keys`` as if typed, output discarded."""
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        return repl.run_terminal(bot, history, input=pipe, output=DummyOutput())


def test_ctrl_c_cancels_the_line_and_ctrl_d_exits(
    bot: QABot, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    keys = "衡阳市的常住人口\x03" + QUESTION + "\r" + "\x04"
    assert run_terminal(bot, tmp_path / "history", keys) == 0
    out = capsys.readouterr().out
    assert "2018年4月" in out  # the console went on after Ctrl-C
    assert "没有找到" not in out  # the cancelled line was not asked
    assert out.rstrip().endswith("再见！")


def test_ctrl_c_during_an_answer_returns_to_the_prompt(
    bot: QABot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    answered = repl.respond
    calls: list[str] = []

    def interrupted_once(bot: QABot, line: str, session_id: str = repl.SESSION) -> str | None:
        calls.append(line)
        if len(calls) == 1:
            raise KeyboardInterrupt
        return answered(bot, line, session_id)

    monkeypatch.setattr(repl, "respond", interrupted_once)
    assert run_terminal(bot, tmp_path / "history", f"{QUESTION}\r{QUESTION}\r\x04") == 0
    assert len(calls) == 2
    assert "2018年4月" in capsys.readouterr().out


def test_history_file_is_private_and_keeps_no_over_long_lines(
    bot: QABot, tmp_path: Path, umask_zero: None
) -> None:
    history = tmp_path / "cache" / "repl_history"
    long_line = "长" * (bot.settings.answer.max_question_chars + 1)
    assert run_terminal(bot, history, f"{QUESTION}\r{long_line}\r\x04") == 0
    assert stat.S_IMODE(history.stat().st_mode) == 0o600
    text = history.read_text("utf-8")
    assert QUESTION in text and long_line not in text


def test_existing_history_file_is_made_private(
    bot: QABot, tmp_path: Path, umask_zero: None
) -> None:
    history = tmp_path / "repl_history"
    history.write_text("", "utf-8")
    history.chmod(0o644)
    assert run_terminal(bot, history, "\x04") == 0
    assert stat.S_IMODE(history.stat().st_mode) == 0o600
