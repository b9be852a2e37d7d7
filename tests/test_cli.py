"""The command line: ask (text and JSON), piped REPL, and one-line errors with exit codes."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from qa_bot import QABot
from qa_bot.adapters import repl
from qa_bot.cli import main

from .conftest import ROOT


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QA_BOT_CACHE_DIR", str(tmp_path / "cache"))


def test_ask_json_prints_a_reply(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "--json", "衡阳哪一年获批建设国家创新型城市？"]) == 0
    reply = json.loads(capsys.readouterr().out)
    assert reply["answered"] is True
    assert "2018年4月" in reply["answer"]
    assert reply["sources"][0]["title"]


def test_ask_unanswerable_prints_abstain(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "衡阳市的常住人口是多少？"]) == 0
    assert "没有找到" in capsys.readouterr().out


def test_bad_knowledge_folder_is_one_line_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "bad.md").write_text("---\ntitle: t\nwho: x\n---\n正文。", "utf-8")
    assert main(["ask", "问题", "--knowledge", str(tmp_path)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0
    assert "bad.md" in err and "who" in err


def test_invalid_setting_is_one_line_and_exit_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("QA_BOT_ANSWER__TOP_K", "many")
    assert main(["ask", "问题"]) == 1
    assert "answer.top_k" in capsys.readouterr().err


def test_repl_lines_answer_commands_and_quit(bot: QABot) -> None:
    lines = [
        "你好",
        "衡阳哪一年获批建设国家创新型城市？",
        ":sources",
        ":reset",
        ":sources",
        ":quit",
        "不会被读到",
    ]
    out = io.StringIO()
    assert repl.run_lines(bot, lines, out) == 0
    text = out.getvalue()
    assert "2018年4月" in text
    assert "[1] 《" in text
    assert "已清除对话上下文" in text
    assert "还没有带出处的回答" in text


def test_python_m_repl_piped_answers_one_line_per_question(tmp_path: Path) -> None:
    env = {**os.environ, "QA_BOT_CACHE_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "qa_bot", "repl"],
        input="衡阳哪一年获批建设国家创新型城市？\n衡阳市的常住人口是多少？\n",
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
        check=True,
    )
    assert "2018年4月" in done.stdout
    assert "没有找到" in done.stdout
    assert done.stderr == ""


def test_no_subcommand_opens_the_console(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("衡阳哪一年获批建设国家创新型城市？\n"))
    assert main([]) == 0
    assert "2018年4月" in capsys.readouterr().out


def test_python_m_qa_bot_without_arguments_opens_the_console(tmp_path: Path) -> None:
    env = {**os.environ, "QA_BOT_CACHE_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "qa_bot"],
        input="衡阳哪一年获批建设国家创新型城市？\n",
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert "2018年4月" in done.stdout


def test_output_to_a_closed_pipe_exits_quietly(tmp_path: Path) -> None:
    """`qa-bot ask … | head`: the reader has gone; no traceback, SIGPIPE's status."""
    env = {**os.environ, "QA_BOT_CACHE_DIR": str(tmp_path)}
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader exits before the answer is written
    try:
        done = subprocess.run(
            [sys.executable, "-m", "qa_bot", "ask", "衡阳哪一年获批建设国家创新型城市？"],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=ROOT,
            timeout=120,
        )
    finally:
        os.close(write_end)
    assert done.stderr == ""
    assert done.returncode == 141


@pytest.mark.parametrize(
    "argv",
    [
        ["ask", "-1年呢"],
        ["ask", "--json", "-1年呢"],
        ["ask", "-1年呢", "--json"],
        ["ask", "--", "-1年呢"],
        ["ask", "--json", "--", "-1年呢"],
        ["ask", "-衡阳哪一年获批建设国家创新型城市？"],
    ],
)
def test_question_starting_with_a_dash_is_a_question(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert captured.out.strip()
    if "--json" in argv:
        assert json.loads(captured.out)["question"].startswith("-")


def test_knowledge_value_is_not_taken_for_a_question(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "-1kb"
    assert main(["ask", "--knowledge", str(missing), "-1年呢"]) == 1
    assert "-1kb" in capsys.readouterr().err


def test_unknown_option_is_still_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["ask", "--jsno", "问题"])
    assert exited.value.code == 2
    assert "--jsno" in capsys.readouterr().err
