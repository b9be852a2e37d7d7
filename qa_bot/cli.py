"""The ``qa-bot`` command line; the only place that configures logging and chooses exit codes."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from qa_bot.errors import QaBotError
from qa_bot.settings import misses_file

if TYPE_CHECKING:
    from qa_bot.bot import QABot
    from qa_bot.settings import Settings

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_BELOW_TARGET, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


def build_parser() -> argparse.ArgumentParser:
    """Sub-commands: repl (default), ask, eval, telegram."""
    parser = argparse.ArgumentParser(
        prog="qa-bot", description="Answer questions in Chinese from a knowledge folder."
    )
    commands = parser.add_subparsers(dest="command")

    repl = commands.add_parser("repl", help="interactive console (the default)")
    add_knowledge_option(repl)

    ask = commands.add_parser("ask", help="answer one question")
    ask.add_argument("question", help="the question, e.g. 衡阳哪一年获批建设国家创新型城市？")
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
    misses.add_argument("--file", type=Path, help="the log (default: settings misses.file)")
    add_knowledge_option(misses)

    index = commands.add_parser("index", help="build or refresh the index cache")
    add_knowledge_option(index)

    check = commands.add_parser("check", help="list every problem of a knowledge folder")
    add_knowledge_option(check)

    telegram = commands.add_parser("telegram", help="run the Telegram bot (long polling)")
    add_knowledge_option(telegram)
    return parser


def add_knowledge_option(parser: argparse.ArgumentParser) -> None:
    """The ``--knowledge DIR`` option shared by every command that loads a bot."""
    parser.add_argument(
        "--knowledge", type=Path, metavar="DIR", help="knowledge folder (default: shipped one)"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; errors become one line on stderr and a non-zero exit code."""
    args = build_parser().parse_args(argv)
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
        }
        return handlers[command](args, settings)
    except QaBotError as exc:
        print(f"qa-bot: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED


def configure_logging(level: str) -> None:
    """Log to stderr at the configured level; never let libraries log request URLs."""
    logging.basicConfig(
        level=getattr(logging, level.upper(), logging.WARNING),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


def load_bot(args: argparse.Namespace, settings: Settings) -> QABot:
    """The bot over ``--knowledge`` or the settings' knowledge folder."""
    from qa_bot.bot import QABot

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

    bot = load_bot(args, settings)
    if settings.misses.in_chat:
        bot.log_misses(misses_file(settings))
    return repl.run(bot, settings.cache_dir / "repl_history")


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
    from qa_bot.adapters import telegram
    from qa_bot.errors import ConfigError

    token = settings.telegram.token
    if token is None or not token.get_secret_value().strip():
        raise ConfigError("telegram.token is not set: put the bot token in QA_BOT_TELEGRAM__TOKEN")
    telegram.redact_token(token.get_secret_value())
    bot = load_bot(args, settings)
    if settings.misses.in_chat:
        bot.log_misses(misses_file(settings))
    state_path = settings.telegram.state_file or settings.cache_dir / "telegram_state.sqlite3"
    telegram.run(bot, settings.telegram, state_path)
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
    from qa_bot.misses import group_misses, read_misses, report

    path = args.file or misses_file(settings)
    if not path.is_file():
        raise ConfigError(f"{path}: no unanswered-question log yet (it fills from repl/telegram)")
    bot = load_bot(args, settings)
    questions = [str(entry["question"]) for entry in read_misses(path)]
    known = bot.answerer.passages.index.idf.__contains__
    common = bot.answerer.passages.is_common
    groups = group_misses(questions, bot.tokenizer.tokenise, known, common)
    print(report(groups, args.top))
    return EXIT_OK


def cmd_index(args: argparse.Namespace, settings: Settings) -> int:
    """``qa-bot index``: load the knowledge folder, building its index cache if needed."""
    import time

    started = time.perf_counter()
    bot = load_bot(args, settings)
    index = bot.answerer.passages.index
    print(
        f"{bot.knowledge.root}: {len(bot.knowledge.documents)} documents, {index.size} passages, "
        f"{len(index.vocabulary)} terms; ready in {time.perf_counter() - started:.1f} s "
        f"(cache: {settings.cache_dir})"
    )
    return EXIT_OK
