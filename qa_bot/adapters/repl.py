"""The interactive console: line editing and history on a terminal, one answer per line piped."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from qa_bot.bot import QABot

if TYPE_CHECKING:
    from prompt_toolkit.input import Input
    from prompt_toolkit.output import Output

SESSION = "repl"
BANNER = (
    "qa-bot 问答控制台。输入问题后回车；help 查看命令，quit 或 Ctrl-D 退出，Ctrl-C 取消当前输入。"
)
COMMANDS = (
    ":help     显示本帮助（也可输入 help 或 帮助）\n"
    ":reset    清除对话上下文（追问从头开始）\n"
    ":sources  显示上一个回答的出处与原文\n"
    ":quit     退出（也可输入 quit、exit、退出，或按 Ctrl-D；Ctrl-C 取消当前输入）"
)
# Console commands; the bare words work too, as in Python's REPL and `rasa shell`.
QUIT = frozenset({":quit", ":q", ":exit", "quit", "exit", "退出"})
HELP = frozenset({":help", ":h", ":?", "help", "帮助"})


def sources_text(bot: QABot, session_id: str) -> str:
    """The last reply's sources with their snippets, one block per source."""
    reply = bot.last_reply(session_id)
    if reply is None or not reply.sources:
        return "还没有带出处的回答。"
    lines = []
    for number, source in enumerate(reply.sources, start=1):
        section = f" · {source.section}" if source.section else ""
        lines.append(f"[{number}] 《{source.title}》{section}（{source.passage_id}）")
        lines.append(f"    {source.snippet}")
    return "\n".join(lines)


def respond(bot: QABot, line: str, session_id: str = SESSION) -> str | None:
    """The console's output for one input line; None means quit.

    Commands never reach the bot, so they are not logged as unanswered questions. A line
    too long to be a question goes to the bot untouched, which refuses it at once.
    """
    text = line.strip()
    if len(text) > bot.settings.answer.max_question_chars:
        return bot.ask(text, session_id=session_id).text
    command = text.lower()
    if command.startswith("："):  # typed with a Chinese input method
        command = ":" + command[1:]
    if command in QUIT:
        return None
    if command in HELP:
        return COMMANDS
    if command == ":reset":
        bot.reset(session_id)
        return "已清除对话上下文。"
    if command == ":sources":
        return sources_text(bot, session_id)
    if command.startswith(":"):
        return f"没有 {text} 这个命令。可用的命令：\n{COMMANDS}"
    if not command:
        return ""
    return bot.ask(text, session_id=session_id).text


def run_lines(bot: QABot, lines: Iterable[str], out: TextIO) -> int:
    """Scriptable mode: answer each input line on stdout, stop at ``:quit`` or end of input."""
    for line in lines:
        output = respond(bot, line.rstrip("\n"))
        if output is None:
            break
        if output:
            print(output, file=out, flush=True)
    return 0


def run_terminal(
    bot: QABot, history_file: Path, input: Input | None = None, output: Output | None = None
) -> int:
    """Interactive mode with prompt_toolkit: wide-character aware editing, persistent history.

    As in Python's REPL, Ctrl-C drops the line being typed (or the answer being computed)
    and Ctrl-D on an empty line exits. ``input``/``output`` are for tests.
    """
    from prompt_toolkit import PromptSession

    from qa_bot.adapters.history import PrivateHistory

    history = PrivateHistory(history_file, bot.settings.answer.max_question_chars)
    session: PromptSession[str] = PromptSession(history=history, input=input, output=output)
    print(BANNER)
    while True:
        try:
            output_text = respond(bot, session.prompt("问> "))
        except KeyboardInterrupt:
            continue
        except EOFError:
            output_text = None
        if output_text is None:
            print("再见！")
            return 0
        if output_text:
            print(output_text)


def run(bot: QABot, history_file: Path) -> int:
    """Start the console: interactive on a terminal, line by line otherwise."""
    if sys.stdin.isatty() and sys.stdout.isatty():
        return run_terminal(bot, history_file)
    return run_lines(bot, sys.stdin, sys.stdout)
