"""A real ``redis-server`` (Debian's package) on a free loopback port in a temporary folder,
for the tests of the shared dialog store; tests skip when it is not installed."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis

from tests.http_server import free_port

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
needs_redis = pytest.mark.skipif(
    not Path(REDIS_SERVER).is_file(),
    reason="redis-server is not installed (apt-get install redis-server); .ci/run installs it",
)


class RedisServer:
    """One redis-server process; ``stop`` and ``start`` again keep its data (append-only
    file, fsynced on every write), as a restarted production Redis would."""

    def __init__(self, folder: Path, appendfsync: str = "always") -> None:
        """``appendfsync``: ``always`` (no write lost on a crash; tests) or ``everysec``."""
        self.folder = folder
        self.appendfsync = appendfsync
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 20.0) -> None:
        """Start and wait until it answers PING."""
        command = [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--dir", str(self.folder), "--save", "", "--appendonly", "yes"]
        command += ["--appendfsync", self.appendfsync, "--logfile", str(self.folder / "redis.log")]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        client = redis.Redis(port=self.port, socket_connect_timeout=1)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if client.ping():
                    client.close()
                    return
            except redis.RedisError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start:\n{self.log()}")

    def stop(self) -> None:
        """Stop it (SIGTERM, as a supervisor does) and wait until it is gone."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def client(self) -> redis.Redis:
        return redis.Redis(port=self.port)

    def log(self) -> str:
        path = self.folder / "redis.log"
        return path.read_text("utf-8", "replace") if path.is_file() else ""


@contextmanager
def running_redis(folder: Path, appendfsync: str = "always") -> Iterator[RedisServer]:
    """A started Redis, stopped afterwards."""
    folder.mkdir(parents=True, exist_ok=True)
    server = RedisServer(folder, appendfsync)
    server.start()
    try:
        yield server
    finally:
        server.stop()
