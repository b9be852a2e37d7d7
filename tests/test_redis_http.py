"""Several `qa-bot serve` processes sharing one real Redis (Debian's redis-server on a loopback
port): a dialogue goes on whichever process answers, a killed worker loses no session, and
a Redis restart mid-run is survived."""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from .http_server import Server, running_server
from .redis_server import RedisServer, needs_redis, running_redis

pytestmark = needs_redis
QUESTION = "2019年衡阳有多少家高新技术企业？"
FOLLOW_UP = "那2021年呢？"  # needs the state: a clarification offering 377 (2021 申报)
OUTAGE = "answering without dialog state until it is back"
RECOVERY = "is back: dialog state is kept again"


@dataclass
class Cluster:
    """One Redis and two servers on it, with the settings to start more."""

    redis: RedisServer
    a: Server
    b: Server
    settings: dict[str, str]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    root = tmp_path_factory.mktemp("cluster")
    with running_redis(root / "redis") as redis_server:
        settings = {
            "QA_BOT_DIALOG__STORE": "redis",
            "QA_BOT_DIALOG__REDIS_URL": redis_server.url,
            "QA_BOT_HTTP__RATE_LIMIT_PER_MINUTE": "0",
            "QA_BOT_CACHE_DIR": str(root / "cache"),  # one index cache and conversation log
        }
        with running_server(root / "a", settings) as a, running_server(root / "b", settings) as b:
            yield Cluster(redis_server, a, b, settings)


def ask(server: Server, question: str, session_id: str | None = None) -> dict[str, object]:
    body = {"question": question} | ({"session_id": session_id} if session_id else {})
    response = httpx.post(server.url + "/api/ask", json=body, timeout=60)
    response.raise_for_status()
    reply: dict[str, object] = response.json()
    return reply


def in_context(reply: dict[str, object]) -> bool:
    options = reply.get("options") or []
    assert isinstance(options, list)
    return reply["kind"] == "clarify" and any("377" in str(o) for o in options)


def test_a_dialogue_alternates_between_two_servers_and_keeps_its_follow_ups(
    cluster: Cluster,
) -> None:
    first = ask(cluster.a, QUESTION)
    session = str(first["session_id"])
    assert "273" in str(first["answer"])
    assert in_context(ask(cluster.b, FOLLOW_UP, session))
    assert "377" in str(ask(cluster.a, "第一个", session)["answer"])
    assert "激光器" in str(ask(cluster.b, "南华大学研发了什么？", session)["answer"])
    assert "100千瓦" in str(ask(cluster.a, "它有多大功率？", session)["answer"])


def test_killing_a_worker_mid_load_loses_no_session(cluster: Cluster, tmp_path: Path) -> None:
    """Every conversation that got an answer from the killed server goes on elsewhere."""
    with running_server(tmp_path / "victim", cluster.settings) as victim:
        started = [str(ask((cluster.a, victim)[n % 2], QUESTION)["session_id"]) for n in range(12)]
        answered: list[str] = []

        def flood() -> None:
            while True:
                try:
                    answered.append(str(ask(victim, QUESTION)["session_id"]))
                except (httpx.HTTPError, KeyError):
                    return

        threads = [threading.Thread(target=flood) for _ in range(4)]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 30
        while len(answered) < 8 and time.monotonic() < deadline:
            time.sleep(0.02)
        victim.process.send_signal(signal.SIGKILL)  # mid-load: requests are in flight
        victim.process.wait(10)
        for thread in threads:
            thread.join(30)
    assert len(answered) >= 8
    lost = [s for s in started + answered if not in_context(ask(cluster.b, FOLLOW_UP, s))]
    assert not lost


def test_redis_restarted_mid_run_recovers(cluster: Cluster) -> None:
    kept = str(ask(cluster.a, QUESTION)["session_id"])
    cluster.redis.stop()
    try:
        for _ in range(3):  # the servers answer on, without dialog state
            session = str(ask(cluster.a, QUESTION)["session_id"])
            reply = ask(cluster.b, FOLLOW_UP, session)
            assert reply["answer"] and not in_context(reply)
    finally:
        cluster.redis.start()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:  # each server tries Redis again within a second
        session = str(ask(cluster.a, QUESTION)["session_id"])
        if in_context(ask(cluster.b, FOLLOW_UP, session)):
            break
        time.sleep(0.2)
    assert in_context(ask(cluster.b, FOLLOW_UP, session))
    assert in_context(ask(cluster.a, FOLLOW_UP, kept))  # kept by Redis across the restart
    for server in (cluster.a, cluster.b):
        log = server.log()
        assert log.count(OUTAGE) == 1 and log.count(RECOVERY) == 1, log[-2000:]
        assert "Traceback" not in log
