"""The interactive console: line editing and history on a terminal, one answer per line piped."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from qa_bot.bot import QABot

SESSION = "repl"
BANNER = "qa-bot 问答控制台。输入问题后回车；:help 查看命令，:quit 或 Ctrl-D 退出。"
COMMANDS = (
    ":help     显示本帮助\n"
    ":reset    清除对话上下文（追问从头开始）\n"
    ":sources  显示上一个回答的出处与原文\n"
    ":quit     退出（也可用 Ctrl-D）"
)


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
    """The console's output for one input line; None means quit."""
    command = line.strip()
    if command in {":quit", ":q", ":exit"}:
        return None
    if command == ":help":
        return COMMANDS
    if command == ":reset":
        bot.reset(session_id)
        return "已清除对话上下文。"
    if command == ":sources":
        return sources_text(bot, session_id)
    if not command:
        return ""
    return bot.ask(line, session_id=session_id).text


def run_lines(bot: QABot, lines: Iterable[str], out: TextIO) -> int:
    """Scriptable mode: answer each input line on stdout, stop at ``:quit`` or end of input."""
    for line in lines:
        output = respond(bot, line.rstrip("\n"))
        if output is None:
            break
        if output:
            print(output, file=out, flush=True)
    return 0


def run_terminal(bot: QABot, history_file: Path) -> int:
    """Interactive mode with prompt_toolkit: wide-character aware editing, persistent history."""
    from prompt_toolkit import PromptSession
    from prompt_toolkit.history import FileHistory

    history_file.parent.mkdir(parents=True, exist_ok=True)
    session: PromptSession[str] = PromptSession(history=FileHistory(str(history_file)))
    print(BANNER)
    while True:
        try:
            line = session.prompt("问> ")
        except (EOFError, KeyboardInterrupt):
            print("再见！")
            return 0
        output = respond(bot, line)
        if output is None:
            print("再见！")
            return 0
        if output:
            print(output)


def run(bot: QABot, history_file: Path) -> int:
    """Start the console: interactive on a terminal, line by line otherwise."""
    if sys.stdin.isatty() and sys.stdout.isatty():
        return run_terminal(bot, history_file)
    return run_lines(bot, sys.stdin, sys.stdout)
