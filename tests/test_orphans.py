"""Tokenising workers die with their parent: `kill -9` of `qa-bot index` leaves no orphans."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAIRS = "城市企业科技创新研发平台项目资金人才产业发展建设服务政策经济数字制造园区"
WORDS = [PAIRS[i : i + 2] for i in range(0, len(PAIRS), 2)]
pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or (os.cpu_count() or 1) < 2,
    reason="needs /proc and a pool of at least two workers",
)


def children(pid: int) -> list[int]:
    """The live child processes of ``pid`` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            stat = read_stat(int(entry.name))
            if stat is not None and int(stat[1]) == pid and stat[0] != "Z":
                found.append(int(entry.name))
    return found


def read_stat(pid: int) -> list[str] | None:
    """[state, parent pid] of a process, or None when it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text.rsplit(")", 1)[1].split()[:2]


def alive(pid: int) -> bool:
    stat = read_stat(pid)
    return stat is not None and stat[0] != "Z"


def big_knowledge(root: Path) -> Path:
    """A knowledge folder large enough that tokenising it takes a few seconds."""
    rng = random.Random(7)
    docs = root / "docs"
    docs.mkdir(parents=True)
    for number in range(20):
        paragraphs = ["".join(rng.choices(WORDS, k=40)) + "。" for _ in range(1000)]
        text = f"# 文档{number}\n\n" + "\n\n".join(paragraphs)
        (docs / f"doc{number}.md").write_text(text, encoding="utf-8")
    return root


def test_kill_9_of_index_ends_its_workers(tmp_path: Path) -> None:
    knowledge = big_knowledge(tmp_path / "kb")
    env = {**os.environ, "QA_BOT_CACHE_DIR": str(tmp_path / "cache")}
    command = ["-m", "qa_bot", "index", "--knowledge", str(knowledge)]
    assert_workers_die_with(start(command, env))


# A pool whose workers only have the portable watchdog (the Linux prctl is switched off).
WATCHDOG_ONLY = """
import multiprocessing, os, time
from concurrent.futures import ProcessPoolExecutor
from qa_bot import orphans

orphans.ask_kernel = lambda: None
context = multiprocessing.get_context("fork")
with ProcessPoolExecutor(
    2, mp_context=context, initializer=orphans.die_with_parent, initargs=(os.getpid(),)
) as pool:
    list(pool.map(time.sleep, [0.01, 0.01]))
    time.sleep(60)
"""


def test_watchdog_alone_ends_orphaned_workers() -> None:
    assert_workers_die_with(start(["-c", WATCHDOG_ONLY], dict(os.environ)))


def start(arguments: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    """Python running ``arguments`` on this checkout's package."""
    return subprocess.Popen(
        [sys.executable, *arguments],
        env={**env, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def assert_workers_die_with(parent: subprocess.Popen[bytes]) -> None:
    """Wait for two workers of ``parent``, kill -9 it, and expect them gone within 5 s."""
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 60
        while len(workers) < 2 and parent.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
            workers = children(parent.pid)
        assert len(workers) >= 2, "qa-bot index finished before its workers could be seen"
        parent.send_signal(signal.SIGKILL)
        parent.wait()
        deadline = time.monotonic() + 5
        while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [pid for pid in workers if alive(pid)]
    finally:
        parent.kill()
        for pid in workers:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
