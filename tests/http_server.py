"""`qa-bot serve` as a subprocess on a free loopback port, for the HTTP, web and load tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx


@dataclass
class Server:
    """A running server: its base URL, its cache folder (logs live there) and its output."""

    url: str
    cache: Path
    output: Path
    process: subprocess.Popen[bytes]

    def log(self) -> str:
        """What the server printed so far."""
        return self.output.read_text("utf-8", "replace")


def free_port() -> int:
    """A loopback port nobody listens on (the server binds it a moment later)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def server_environment(cache: Path, settings: dict[str, str]) -> dict[str, str]:
    """This environment without any QA_BOT_* variable, plus the cache folder and ``settings``."""
    kept = {k: v for k, v in os.environ.items() if not k.upper().startswith("QA_BOT_")}
    return {**kept, "QA_BOT_CACHE_DIR": str(cache), **settings}


@contextmanager
def running_server(
    folder: Path,
    settings: dict[str, str] | None = None,
    workers: int = 1,
    arguments: tuple[str, ...] = (),
    timeout: float = 90.0,
) -> Iterator[Server]:
    """Start ``qa-bot serve`` in ``folder`` and wait until /api/health says ready; stop it
    (SIGTERM, then SIGKILL) afterwards."""
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    output = folder / "server.log"
    command = [sys.executable, "-m", "qa_bot", "serve", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--workers", str(workers), *arguments]
    environment = server_environment(folder / "cache", settings or {})
    with output.open("wb") as sink:
        process = subprocess.Popen(
            command, cwd=folder, env=environment, stdout=sink, stderr=subprocess.STDOUT
        )
    server = Server(f"http://127.0.0.1:{port}", folder / "cache", output, process)
    try:
        wait_ready(server, timeout)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_ready(server: Server, timeout: float) -> list[str]:
    """Poll /api/health until "ready"; the statuses seen on the way.

    :raises RuntimeError: with the server's output when it exits or never gets ready.
    """
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(
                f"qa-bot serve exited ({server.process.returncode}):\n{server.log()}"
            )
        try:
            status = httpx.get(server.url + "/api/health", timeout=5).json()["status"]
        except httpx.HTTPError:
            status = "down"
        seen.append(status)
        if status == "ready":
            return seen
        time.sleep(0.1)
    raise RuntimeError(f"qa-bot serve not ready after {timeout} s:\n{server.log()}")
