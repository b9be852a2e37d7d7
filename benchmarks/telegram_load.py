"""Load benchmark of the Telegram adapter (not part of the test suite).

200 simulated chats × 5 questions each go through the fake Bot API server (real HTTP on
127.0.0.1) to the real python-telegram-bot Application. Checks that every message is answered
exactly once and in per-chat order, and reports throughput and end-to-end latency (from the
update being queued to the reply arriving at the server).

    .venv/bin/python benchmarks/telegram_load.py [--chats 200] [--questions 5]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa_bot import QABot  # noqa: E402
from tests.fake_telegram import FakeTelegram, running  # noqa: E402

# Each question's answer holds its marker, so order and duplicates can be checked.
QUESTIONS = [
    ("2017年衡阳有多少家高新技术企业？", "142"),
    ("2018年衡阳有多少家高新技术企业？", "197"),
    ("2019年衡阳有多少家高新技术企业？", "273"),
    ("衡阳共有多少名科技专家？", "1007"),
    ("第三代杂交水稻双季稻平均亩产达到多少公斤？", "1603.9"),
]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chats", type=int, default=200)
    parser.add_argument("--questions", type=int, default=5)
    args = parser.parse_args()
    bot = QABot.load()
    fake = FakeTelegram()
    total = args.chats * args.questions
    queued: dict[tuple[int, int], float] = {}
    with (
        tempfile.TemporaryDirectory() as folder,
        running(bot, Path(folder), fake, rate_limit_per_minute=1000),
    ):
        started = time.perf_counter()
        for turn in range(args.questions):
            for chat in range(1, args.chats + 1):
                question, _ = QUESTIONS[turn % len(QUESTIONS)]
                queued[(chat, turn)] = time.perf_counter()
                fake.message(question, chat_id=chat)
        fake.wait_for(total, timeout=600)
        elapsed = time.perf_counter() - started
        time.sleep(1.0)  # anything duplicated would arrive now
    by_chat: dict[int, list[tuple[str, float]]] = {}
    for message in fake.sent:
        by_chat.setdefault(message["chat_id"], []).append((message["text"], message["received"]))
    latencies, problems = [], []
    for chat in range(1, args.chats + 1):
        answers = by_chat.get(chat, [])
        if len(answers) != args.questions:
            problems.append(f"chat {chat}: {len(answers)} answers")
            continue
        for turn, (text, received) in enumerate(answers):
            if QUESTIONS[turn % len(QUESTIONS)][1] not in text:
                problems.append(f"chat {chat}: answer {turn + 1} out of order")
            latencies.append(received - queued[(chat, turn)])
    print(f"messages: {total} sent, {len(fake.sent)} answered, problems: {len(problems)}")
    for problem in problems[:10]:
        print("  ", problem)
    print(f"throughput: {total / elapsed:.1f} answers/s over {elapsed:.1f} s")
    p50, p95 = percentile(latencies, 0.5) * 1000, percentile(latencies, 0.95) * 1000
    print(f"latency: p50 {p50:.0f} ms, p95 {p95:.0f} ms")


if __name__ == "__main__":
    main()
