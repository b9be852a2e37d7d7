"""``qa-bot serve``: the HTTP app under uvicorn, a production ASGI server (HTTP/1.1 with
keep-alive, graceful shutdown on SIGTERM, several worker processes if asked)."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

import uvicorn
from fastapi import FastAPI

from qa_bot.adapters.http_app import KNOWLEDGE_VARIABLE, create_app, loader
from qa_bot.errors import QaBotError
from qa_bot.settings import Settings

log = logging.getLogger(__name__)
FACTORY = "qa_bot.adapters.http_app:app_from_environment"
GRACE_SECONDS = 10


def serve(
    settings: Settings, knowledge_dir: Path | None, host: str, port: int, workers: int
) -> None:
    """Serve until stopped (Ctrl-C or SIGTERM). The knowledge loads in the background, so the
    server answers ``/api/health`` at once.

    :raises QaBotError: when the knowledge or the conversation log cannot be loaded (one
        process: the server stops; with several, each worker's health says "error").
    """
    if workers > 1 and settings.dialog.store == "memory":
        log.warning(
            '%d workers with dialog.store = "memory": each keeps its own dialog state, so a '
            "follow-up answered by another worker loses its context; set dialog.store = "
            '"redis" (README, Deployment)',
            workers,
        )
    if workers > 1:  # as uvicorn.run does: each worker process builds its own app
        if knowledge_dir is not None:
            os.environ[KNOWLEDGE_VARIABLE] = str(knowledge_dir.resolve())
        uvicorn.run(FACTORY, factory=True, workers=workers, **server_options(settings, host, port))
        return
    failures: list[BaseException] = []
    server: uvicorn.Server | None = None

    def stop(exc: BaseException) -> None:
        failures.append(exc)
        if server is not None:
            server.should_exit = True

    app = create_app(settings, loader(settings, knowledge_dir, on_failure=stop))
    server = uvicorn.Server(server_config(app, settings, host, port))
    server.run()
    if failures:
        failure = failures[0]
        raise failure if isinstance(failure, QaBotError) else QaBotError("loading failed")


def server_config(app: FastAPI, settings: Settings, host: str, port: int) -> uvicorn.Config:
    """uvicorn's configuration (as ``uvicorn.run`` above): the client address from trusted
    proxies' X-Forwarded-For, no Server header, a graceful shutdown."""
    return uvicorn.Config(app, **server_options(settings, host, port))


def server_options(settings: Settings, host: str, port: int) -> dict[str, Any]:
    """What every server start shares: address, trusted proxies, no Server header, logging,
    a graceful shutdown."""
    return {
        "host": host,
        "port": port,
        "proxy_headers": True,
        "forwarded_allow_ips": settings.http.forwarded_allow_ips,
        "server_header": False,
        "log_level": log_level(settings),
        "timeout_graceful_shutdown": GRACE_SECONDS,
    }


def log_level(settings: Settings) -> str:
    """uvicorn logs its start and each request at INFO (DEBUG when the settings say so)."""
    return "debug" if settings.log_level.upper() == "DEBUG" else "info"
