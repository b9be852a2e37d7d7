"""Load benchmark of ``qa-bot serve`` (not part of the test suite).

200 sessions × 5 questions, all sessions at once, over HTTP on 127.0.0.1 (httpx async, a new
connection per request as nginx proxies by default): each session asks its questions in turn,
a dialogue whose 2nd and 3rd questions are follow-ups. Set-ups: 1, 2 and 4 worker processes
with the in-process dialog store; 2 and 4 workers with ``dialog.store = "redis"``; and 2
servers × 2 workers on one Redis, the client sending each session's turns to the two servers
in turn (round robin: every follow-up reaches the other server, the worst case for a load
balancer without sticky sessions). Redis is Debian's redis-server on a loopback port
(append-only file, fsync every second). Prints throughput, latency percentiles, and per session
the replies lost (a request without a reply, or a reply missing from the conversation log),
duplicated (a reply logged twice or received twice) and out of order (the log's order differs
from the order sent), the follow-ups answered without their context and the sessions kept
(all follow-ups in context).

    .venv/bin/python benchmarks/http_load.py [--sessions 200] [--setups 1 2 4 2r 4r 2x2r]
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import sys
import tempfile
import time
from collections import Counter, defaultdict
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa_bot.conversation_log import ConversationLog  # noqa: E402
from tests.http_server import Server, running_server, wait_ready  # noqa: E402
from tests.redis_server import running_redis  # noqa: E402

# (question, what shows the answer is right: a kind or a figure; None: anything answered).
DIALOGUE = [
    ("2019年衡阳有多少家高新技术企业？", "273"),
    ("那2021年呢？", "kind:clarify"),  # a follow-up: needs the session's state
    ("第一个", "377"),  # an option of that clarification: needs it too
    ("南华大学研发了什么？", "激光器"),
    ("它有多大功率？", "100千瓦"),
]
FOLLOW_UPS = (1, 2)


@dataclass
class Session:
    """What one simulated user sent and got."""

    number: int
    session_id: str | None = None
    reply_ids: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    failures: int = 0
    without_context: int = 0


def right(reply: dict[str, object], expected: str) -> bool:
    if expected.startswith("kind:"):
        return reply.get("kind") == expected[5:]
    return expected in str(reply.get("answer", ""))


async def converse(client: httpx.AsyncClient, session: Session, urls: list[str]) -> None:
    """Ask the dialogue in turn, turn n to ``urls[(session + n) % len(urls)]`` (round robin
    over the servers); a failed request counts and the dialogue goes on."""
    for turn, (question, expected) in enumerate(DIALOGUE):
        body: dict[str, str] = {"question": question}
        if session.session_id:
            body["session_id"] = session.session_id
        url = urls[(session.number + turn) % len(urls)]
        started = time.perf_counter()
        try:
            response = await client.post(url + "/api/ask", json=body)
            response.raise_for_status()
            reply = response.json()
        except (httpx.HTTPError, ValueError):
            session.failures += 1
            continue
        session.latencies.append(time.perf_counter() - started)
        session.session_id = reply["session_id"]
        session.reply_ids.append(reply["reply_id"])
        if turn in FOLLOW_UPS and not right(reply, expected):
            session.without_context += 1


async def drive(urls: list[str], count: int) -> tuple[list[Session], float]:
    """All sessions at once, each with its own client that opens a new connection per
    request — as nginx proxies by default — so with several workers a session's requests
    land on any of them."""
    sessions = [Session(n) for n in range(count)]
    fresh = httpx.Limits(max_connections=1, max_keepalive_connections=0)
    clients = [httpx.AsyncClient(limits=fresh, timeout=120) for _ in sessions]
    started = time.perf_counter()
    await asyncio.gather(*(converse(c, s, urls) for c, s in zip(clients, sessions, strict=True)))
    elapsed = time.perf_counter() - started
    for client in clients:
        await client.aclose()
    return sessions, elapsed


def logged_ids(cache: Path, sessions: list[Session]) -> dict[str, list[str]]:
    """Each session's reply ids as the conversation log holds them, in the order written."""
    path = cache / "conversations.sqlite3"
    log = ConversationLog(path)
    keys = {log.pseudonym("http:" + s.session_id): s.session_id for s in sessions if s.session_id}
    log.close()
    found: dict[str, list[str]] = defaultdict(list)
    with sqlite3.connect(path) as db:
        for reply_id, session in db.execute("SELECT id, session FROM replies ORDER BY rowid"):
            if session in keys:
                found[str(keys[session])].append(str(reply_id))
    return found


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


@dataclass(frozen=True)
class Setup:
    """Servers × workers each, and where dialog state lives."""

    servers: int
    workers: int
    redis: bool

    @classmethod
    def parse(cls, text: str) -> Setup:
        """``4`` (4 workers), ``4r`` (on Redis), ``2x2r`` (2 servers × 2 workers on Redis)."""
        redis = text.endswith("r")
        servers, _, workers = text.removesuffix("r").rpartition("x")
        return cls(int(servers or 1), int(workers), redis)

    def name(self) -> str:
        shape = f"{self.servers} servers × " if self.servers > 1 else ""
        plural = "s" if self.workers > 1 else ""
        return f"{shape}{self.workers} worker{plural}, {'Redis' if self.redis else 'in-process'}"


def start(setup: Setup, folder: Path, stack: ExitStack) -> list[Server]:
    """The servers of ``setup``, every worker of each loaded; one cache folder (index and
    conversation log) for all."""
    settings = {
        "QA_BOT_HTTP__RATE_LIMIT_PER_MINUTE": "0",
        "QA_BOT_CACHE_DIR": str(folder / "cache"),
    }
    if setup.redis:
        redis_server = stack.enter_context(running_redis(folder / "redis", "everysec"))
        settings |= {"QA_BOT_DIALOG__STORE": "redis", "QA_BOT_DIALOG__REDIS_URL": redis_server.url}
    servers = []
    for number in range(setup.servers):
        server = running_server(folder / f"server{number}", settings, workers=setup.workers)
        servers.append(stack.enter_context(server))
    for server in servers:
        for _ in range(5 * setup.workers):  # every worker, not just the first, has loaded
            wait_ready(server, 120)
    return servers


def run(setup: Setup, count: int) -> list[str]:
    """One row of the table: fresh servers as ``setup`` says."""
    with tempfile.TemporaryDirectory() as name, ExitStack() as stack:
        folder = Path(name)
        servers = start(setup, folder, stack)
        sessions, elapsed = asyncio.run(drive([s.url for s in servers], count))
        log = logged_ids(folder / "cache", sessions)
    latencies = [t * 1000 for s in sessions for t in s.latencies]
    lost = duplicated = disordered = 0
    for s in sessions:
        logged = log.get(str(s.session_id), [])
        lost += s.failures + len(set(s.reply_ids) - set(logged))
        duplicated += (
            sum(n - 1 for n in Counter(logged).values()) + len(s.reply_ids) - len(set(s.reply_ids))
        )
        disordered += int([r for r in logged if r in s.reply_ids] != s.reply_ids)
    context = sum(s.without_context for s in sessions)
    kept = sum(s.without_context == 0 and s.failures == 0 for s in sessions)
    return [
        setup.name(),
        str(len(latencies)),
        f"{len(latencies) / elapsed:.0f}",
        f"{percentile(latencies, 0.5):.1f}",
        f"{percentile(latencies, 0.95):.1f}",
        f"{percentile(latencies, 0.99):.1f}",
        str(lost),
        str(duplicated),
        str(disordered),
        f"{context} of {len(FOLLOW_UPS) * count}",
        f"{kept} of {count}",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", type=int, default=200)
    parser.add_argument(
        "--setups", nargs="+", default=["1", "2", "4", "2r", "4r", "2x2r"],
        help="N workers; Nr: on Redis; SxNr: S servers × N workers on Redis (round robin)",
    )  # fmt: skip
    args = parser.parse_args()
    header = ["set-up", "replies", "replies/s", "p50 ms", "p95 ms", "p99 ms", "lost",
              "duplicated", "out of order", "follow-ups without context",
              "sessions kept"]  # fmt: skip
    rows = [run(Setup.parse(text), args.sessions) for text in args.setups]
    print(f"{args.sessions} sessions × {len(DIALOGUE)} questions, all sessions at once\n")
    print("| " + " | ".join(header) + " |")
    print("|" + "---:|" * len(header))
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
