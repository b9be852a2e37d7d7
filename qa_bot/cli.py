"""The ``qa-bot`` command line; the only place that configures logging and chooses exit codes."""

from __future__ import annotations

import argparse
import logging
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from qa_bot.errors import QaBotError
from qa_bot.settings import misses_file, state_file

if TYPE_CHECKING:
    from qa_bot.bot import QABot
    from qa_bot.settings import Settings

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_BELOW_TARGET, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what a shell reports for a Unix tool cut off by `| head`
# An argument that could be an option (-h, --json, --knowledge=DIR); "-1年呢" cannot.
OPTION_LIKE = re.compile(r"--?[A-Za-z]")


def build_parser() -> argparse.ArgumentParser:
    """Sub-commands: repl (default), ask, eval, telegram."""
    parser = argparse.ArgumentParser(
        prog="qa-bot", description="Answer questions in Chinese from a knowledge folder."
    )
    parser.set_defaults(knowledge=None)  # `qa-bot` alone is the console, on the default folder
    commands = parser.add_subparsers(dest="command")

    repl = commands.add_parser("repl", help="interactive console (the default)")
    add_knowledge_option(repl)

    ask = commands.add_parser("ask", help="answer one question")
    ask.add_argument(
        "question",
        help="the question, in Chinese (one starting with '-' may follow '--')",
    )
    ask.add_argument("--json", action="store_true", help="print the Reply as JSON")
    add_knowledge_option(ask)

    evaluate = commands.add_parser("eval", help="score the bot on a question set")
    evaluate.add_argument("questions", type=Path, help="question set (YAML, see README)")
    evaluate.add_argument("--json", action="store_true", help="print the report as JSON")
    evaluate.add_argument(
        "--min-accuracy",
        type=float,
        metavar="X",
        help="exit 3 when single-question accuracy is below X (0–1)",
    )
    evaluate.add_argument("--save-run", type=Path, metavar="FILE", help="save per-question results")
    evaluate.add_argument(
        "--compare", type=Path, metavar="FILE", help="show changes against a saved run"
    )
    add_knowledge_option(evaluate)

    misses = commands.add_parser("misses", help="group the questions the bot could not answer")
    misses.add_argument("--top", type=int, default=10, metavar="N", help="show N groups")
    misses.add_argument(
        "--file", type=Path, help="a JSON-lines misses log (default: the conversation log)"
    )
    add_knowledge_option(misses)

    report = commands.add_parser("report", help="summarise the conversation log")
    report.add_argument("--since", type=day, metavar="DATE", help="from this day on (YYYY-MM-DD)")
    report.add_argument("--top", type=int, default=10, metavar="N", help="show N of each list")
    add_knowledge_option(report)

    index = commands.add_parser("index", help="build or refresh the index cache")
    add_knowledge_option(index)

    check = commands.add_parser("check", help="list every problem of a knowledge folder")
    add_knowledge_option(check)

    telegram = commands.add_parser("telegram", help="run the Telegram bot (long polling)")
    add_knowledge_option(telegram)

    serve = commands.add_parser("serve", help="the HTTP API and the web chat page")
    serve.add_argument("--host", help="address to listen on (default: settings http.host)")
    serve.add_argument("--port", type=port, help="port (default: settings http.port)")
    serve.add_argument(
        "--workers", type=workers, help="processes (default: settings http.workers, 1)"
    )
    add_knowledge_option(serve)
    return parser


def day(text: str) -> str:
    """A ``--since`` value: a real date written YYYY-MM-DD."""
    from datetime import date

    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2025-01-31") from None


def port(text: str) -> int:
    """A ``--port`` value: 0 (any free port) to 65535."""
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (0–65535)")
    return int(text)


def workers(text: str) -> int:
    """A ``--workers`` value: 1 to 64."""
    if not text.isdigit() or not 1 <= int(text) <= 64:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of workers (1–64)")
    return int(text)


def add_knowledge_option(parser: argparse.ArgumentParser) -> None:
    """The ``--knowledge DIR`` option shared by every command that loads a bot."""
    parser.add_argument(
        "--knowledge", type=Path, metavar="DIR", help="knowledge folder (default: shipped one)"
    )


def dash_question(argv: list[str]) -> list[str]:
    """``ask "-1年呢"``: an argument that starts with '-' but cannot be an option is the
    question, so it is moved after ``--`` (argparse would take it for an unknown option).
    The value of ``--knowledge`` stays where it is.
    """
    if not argv or argv[0] != "ask" or "--" in argv:
        return argv
    kept: list[str] = []
    texts: list[str] = []
    for arg in argv[1:]:
        value_of_option = bool(kept) and len(kept[-1]) > 2 and "--knowledge".startswith(kept[-1])
        if arg.startswith("-") and not OPTION_LIKE.match(arg) and not value_of_option:
            texts.append(arg)
        else:
            kept.append(arg)
    return [argv[0], *kept, "--", *texts] if texts else argv


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; errors become one line on stderr and a non-zero exit code."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(dash_question(arguments))
    command = args.command or "repl"
    try:
        from qa_bot.settings import load_settings

        settings = load_settings()
        configure_logging(settings.log_level)
        handlers = {
            "repl": cmd_repl,
            "ask": cmd_ask,
            "eval": cmd_eval,
            "telegram": cmd_telegram,
            "check": cmd_check,
            "misses": cmd_misses,
            "index": cmd_index,
            "report": cmd_report,
            "serve": cmd_serve,
        }
        status = handlers[command](args, settings)
        sys.stdout.flush()  # here, so that a closed pipe is met inside this try
        return status
    except QaBotError as exc:
        print(f"qa-bot: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        discard_stdout()
        return EXIT_BROKEN_PIPE


def discard_stdout() -> None:
    """The reader of our output has gone (``qa-bot ask … | head``): point standard output at
    /dev/null, so that Python's flush at exit does not report the broken pipe a second time.
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real file descriptor behind sys.stdout
        pass


def configure_logging(level: str) -> None:
    """Log to stderr at the configured level; never let libraries log request URLs."""
    logging.basicConfig(
        level=getattr(logging, level.upper(), logging.WARNING),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


def load_bot(args: argparse.Namespace, settings: Settings, chat: bool = False) -> QABot:
    """The bot over ``--knowledge`` or the settings' knowledge folder. Only a chat channel
    (``chat``: the console, Telegram) uses a shared dialog store (Redis): ``ask``, ``eval``,
    ``index`` … keep their sessions to themselves and run without Redis."""
    from qa_bot.bot import QABot

    if not chat and settings.dialog.store != "memory":
        dialog = settings.dialog.model_copy(update={"store": "memory"})
        settings = settings.model_copy(update={"dialog": dialog})
    return QABot.load(knowledge_dir=args.knowledge, settings=settings)


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    """``qa-bot ask``: one question, the chat text or the Reply as JSON."""
    reply = load_bot(args, settings).ask(args.question, session_id="cli")
    if args.json:
        print(reply.model_dump_json(indent=2))
    else:
        print(reply.text)
    return EXIT_OK


def cmd_repl(args: argparse.Namespace, settings: Settings) -> int:
    """``qa-bot repl``: the console (interactive or piped)."""
    from qa_bot.adapters import repl

    bot = load_bot(args, settings, chat=True)
    attach_logs(bot, settings, "console")
    return repl.run(bot, state_file(settings, "repl_history"))


def attach_logs(bot: QABot, settings: Settings, channel: str) -> None:
    """Log a chat channel's misses and conversations, as the settings say."""
    if settings.misses.in_chat:
        bot.log_misses(misses_file(settings))
    if settings.conversations.enabled:
        from qa_bot.conversation_log import open_log

        bot.log_conversations(open_log(settings), channel)


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    """``qa-bot eval``: run a question set and print the report."""
    import json

    from qa_bot import evaluation

    items = evaluation.load_question_set(args.questions)
    results = evaluation.run(load_bot(args, settings), items)
    summary = evaluation.summarise(results)
    if args.compare:
        summary["changes"] = evaluation.compare_runs(results, args.compare)
    if args.save_run:
        evaluation.save_run(results, args.save_run)
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        print(evaluation.render(summary))
        if args.compare:
            print("\n" + evaluation.render_changes(summary["changes"]))
    if args.min_accuracy is not None and summary["accuracy"] < args.min_accuracy:
        print(
            f"qa-bot: accuracy {summary['accuracy']:.1%} is below {args.min_accuracy:.1%}",
            file=sys.stderr,
        )
        return EXIT_BELOW_TARGET
    return EXIT_OK


def cmd_telegram(args: argparse.Namespace, settings: Settings) -> int:
    """``qa-bot telegram``: long-poll the Bot API until stopped (Ctrl-C / SIGTERM)."""
    from qa_bot.adapters import telegram, telegram_logs
    from qa_bot.errors import ConfigError
    from qa_bot.settings import check_bot_api

    token = settings.telegram.token
    if token is None or not token.get_secret_value().strip():
        raise ConfigError("telegram.token is not set: put the bot token in QA_BOT_TELEGRAM__TOKEN")
    telegram_logs.redact_token(token.get_secret_value())
    check_bot_api(settings.telegram)
    bot = load_bot(args, settings, chat=True)
    attach_logs(bot, settings, "telegram")
    state_path = settings.telegram.state_file or state_file(settings, "telegram_state.sqlite3")
    telegram.run(bot, settings.telegram, state_path)
    return EXIT_OK


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    """``qa-bot serve``: the HTTP API and the web page until stopped (Ctrl-C / SIGTERM)."""
    from qa_bot.adapters import http_server
    from qa_bot.bot import check_dialog_store

    check_dialog_store(settings)
    http = settings.http
    http_server.serve(
        settings,
        args.knowledge,
        host=args.host or http.host,
        port=http.port if args.port is None else args.port,
        workers=args.workers or http.workers,
    )
    return EXIT_OK


def cmd_check(args: argparse.Namespace, settings: Settings) -> int:
    """``qa-bot check``: print every problem; exit 1 when any is an error."""
    from qa_bot.checks import check_folder

    root = args.knowledge or settings.knowledge_dir
    problems = check_folder(root, settings.cache_dir)
    for problem in problems:
        print(problem)
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    print(f"{root}: {errors} error(s), {warnings} warning(s)")
    return EXIT_ERROR if errors else EXIT_OK


def cmd_misses(args: argparse.Namespace, settings: Settings) -> int:
    """``qa-bot misses``: the logged unanswered questions, grouped, with likely gaps."""
    from qa_bot.errors import ConfigError
    from qa_bot.misses import misses_report
    from qa_bot.report import logged_misses, read_log

    path = args.file or misses_file(settings)
    if args.file is None and settings.conversations.enabled:
        print(logged_misses(load_bot(args, settings), read_log(settings), args.top))
        return EXIT_OK
    if not path.is_file():
        raise ConfigError(f"{path}: no unanswered-question log yet (it fills from repl/telegram)")
    print(misses_report(load_bot(args, settings), path, args.top))
    return EXIT_OK


def cmd_report(args: argparse.Namespace, settings: Settings) -> int:
    """``qa-bot report``: the conversation log summarised."""
    from qa_bot.report import read_log, render

    records = read_log(settings).records(args.since)
    print(render(load_bot(args, settings), records, args.top, args.since))
    return EXIT_OK


def cmd_index(args: argparse.Namespace, settings: Settings) -> int:
    """``qa-bot index``: load the knowledge folder, building its index cache if needed."""
    import time

    started = time.perf_counter()
    bot = load_bot(args, settings)
    stats = bot.stats()
    print(
        f"{bot.knowledge.root}: {stats['documents']} documents, {stats['passages']} passages, "
        f"{stats['terms']} terms; ready in {time.perf_counter() - started:.1f} s "
        f"(cache: {settings.cache_dir})"
    )
    return EXIT_OK
