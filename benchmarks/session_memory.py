"""Measure the memory the dialog states of many sessions take (not part of the test suite).

Each session asks a real question (so its state holds a real reply with sources); the store's
size is measured with tracemalloc. Then more sessions than ``dialog.max_sessions`` are added to
show that the store stays bounded.

    .venv/bin/python benchmarks/session_memory.py [--sessions 10000]
"""

from __future__ import annotations

import argparse
import time
import tracemalloc

from qa_bot import QABot

QUESTIONS = [
    "2019年衡阳有多少家高新技术企业？",
    "2020年衡阳有多少家高新技术企业？",
    "南华大学研发了什么？",
    "哪些电商企业参加了2020社交电商衡阳峰会？",
    "衡阳哪一年获批建设国家创新型城市？",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", type=int, default=10_000)
    args = parser.parse_args()
    bot = QABot.load()
    bot.ask(QUESTIONS[0])
    bot.reset("default")
    tracemalloc.start()
    before = tracemalloc.take_snapshot()
    started = time.perf_counter()
    for n in range(args.sessions):
        bot.ask(QUESTIONS[n % len(QUESTIONS)], session_id=f"user-{n}")
    elapsed = time.perf_counter() - started
    after = tracemalloc.take_snapshot()
    grown = sum(stat.size_diff for stat in after.compare_to(before, "filename"))
    print(f"sessions stored:        {len(bot.sessions):,}")
    print(
        f"memory for their state: {grown / 2**20:.1f} MiB ({grown / len(bot.sessions):,.0f} B each)"
    )
    print(f"asking took:            {elapsed:.1f} s ({elapsed / args.sessions * 1000:.2f} ms each)")
    limit = bot.settings.dialog.max_sessions
    for n in range(limit // 5):
        bot.ask(QUESTIONS[0], session_id=f"extra-{n}")
    print(f"after {limit // 5:,} more: {len(bot.sessions):,} stored (bound {limit:,})")


if __name__ == "__main__":
    main()
