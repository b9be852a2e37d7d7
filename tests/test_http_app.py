"""The HTTP app in process (FastAPI's TestClient): loading, limits, CORS and errors, each
under settings made for the test."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from qa_bot import QABot
from qa_bot.adapters.http_app import create_app
from qa_bot.adapters.http_state import BotHolder
from qa_bot.conversation_log import ConversationLog
from qa_bot.settings import HttpSettings, Settings

QUESTION = "2019年衡阳有多少家高新技术企业？"


def client_for(bot: QABot, tmp_path: Path, **http: object) -> TestClient:
    settings = Settings(cache_dir=tmp_path, http=HttpSettings.model_validate(http))
    holder = BotHolder.ready(bot.reconfigured(settings), ConversationLog(tmp_path / "c.sqlite3"))
    return TestClient(create_app(settings, holder))


def test_health_answers_while_loading_and_questions_wait(bot: QABot, tmp_path: Path) -> None:
    release = threading.Event()

    def load() -> tuple[QABot, ConversationLog | None]:
        release.wait(10)
        return bot, None

    holder = BotHolder(load)
    with TestClient(create_app(Settings(cache_dir=tmp_path), holder)) as client:
        health = client.get("/api/health")
        assert health.status_code == 503 and health.json()["status"] == "loading"
        waiting = client.post("/api/ask", json={"question": QUESTION})
        assert waiting.status_code == 503 and waiting.headers["retry-after"] == "1"
        assert waiting.json()["error"]["code"] == "loading"
        release.set()
        assert holder.loaded.wait(10)
        assert client.get("/api/health").json()["status"] == "ready"
        assert "273" in client.post("/api/ask", json={"question": QUESTION}).json()["answer"]


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/api/ask", {"question": QUESTION, "session_id": "s"}),
        ("POST", "/api/reset", {"session_id": "s"}),
        ("POST", "/api/feedback", {"reply_id": "r", "rating": "up"}),
        ("GET", "/api/examples", None),
        ("POST", "/v1/chat/completions", {"model": "qa-bot", "messages": [
            {"role": "user", "content": QUESTION}]}),
        ("POST", "/v1/chat/completions", {"model": "qa-bot", "stream": True, "messages": [
            {"role": "user", "content": QUESTION}]}),
    ],
)  # fmt: skip
def test_no_route_answers_before_the_knowledge_is_loaded(
    bot: QABot, tmp_path: Path, method: str, path: str, body: dict[str, object] | None
) -> None:
    """A worker still loading (each of ``--workers N`` loads on its own) refuses with 503 and
    Retry-After, so a load balancer or client tries again; it never answers without its
    knowledge."""
    release = threading.Event()

    def load() -> tuple[QABot, ConversationLog | None]:
        release.wait(30)
        return bot, None

    holder = BotHolder(load)
    with TestClient(create_app(Settings(cache_dir=tmp_path), holder)) as client:
        response = client.request(method, path, json=body)
        release.set()
    assert response.status_code == 503 and response.headers["retry-after"] == "1"
    assert response.json()["error"]["code"] == "loading"


def test_a_failed_load_shows_in_health(tmp_path: Path) -> None:
    def load() -> tuple[QABot, ConversationLog | None]:
        raise RuntimeError("disk on fire")

    holder = BotHolder(load)
    holder.run()
    with TestClient(create_app(Settings(cache_dir=tmp_path), holder)) as client:
        health = client.get("/api/health")
        assert health.status_code == 503 and health.json()["status"] == "error"
        assert "disk on fire" not in health.text
        assert client.post("/api/ask", json={"question": "x"}).json()["error"]["code"] == (
            "load_failed"
        )


def test_the_rate_limit_answers_429_with_retry_after(bot: QABot, tmp_path: Path) -> None:
    client = client_for(bot, tmp_path, rate_limit_per_minute=2)
    for _ in range(2):
        assert client.post("/api/ask", json={"question": QUESTION}).status_code == 200
    refused = client.post("/api/ask", json={"question": QUESTION})
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert refused.json()["error"]["type"] == "rate_limit_error"
    assert client.get("/api/health").status_code == 200  # health is never limited


def test_a_chunked_body_over_the_limit_is_refused(bot: QABot, tmp_path: Path) -> None:
    client = client_for(bot, tmp_path, max_body_bytes=2048)

    def body() -> Iterator[bytes]:
        yield b'{"question": "'
        for _ in range(10):
            yield b"x" * 500
        yield b'"}'

    response = client.post("/api/ask", content=body(), headers={"Content-Type": "application/json"})
    assert response.status_code == 413 and response.json()["error"]["code"] == "body_too_large"
    chunks = iter([b'{"question": "', QUESTION.encode(), b'"}'])
    small = client.post("/api/ask", content=chunks, headers={"Content-Type": "application/json"})
    assert small.status_code == 200


def test_cors_allows_only_the_configured_sites(bot: QABot, tmp_path: Path) -> None:
    client = client_for(bot, tmp_path, cors_origins=["https://www.example.gov.cn"])
    preflight = {"Access-Control-Request-Method": "POST"}
    allowed = client.options(
        "/api/ask", headers={"Origin": "https://www.example.gov.cn", **preflight}
    )
    assert allowed.headers["access-control-allow-origin"] == "https://www.example.gov.cn"
    other = client.options("/api/ask", headers={"Origin": "https://evil.example", **preflight})
    assert "access-control-allow-origin" not in other.headers


def test_an_unexpected_failure_is_a_json_500_without_a_trace(
    bot: QABot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(cache_dir=tmp_path)
    broken = bot.reconfigured(settings)

    def explode(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("secret internals")

    monkeypatch.setattr(broken, "ask", explode)
    app = create_app(settings, BotHolder.ready(broken))
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.post("/api/ask", json={"question": QUESTION})
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "internal"
    assert "secret internals" not in response.text and "ZeroDivision" not in response.text


def test_http_sessions_never_meet_other_channels(bot: QABot, tmp_path: Path) -> None:
    client = client_for(bot, tmp_path)
    console = bot.reconfigured(bot.settings)
    console.ask(QUESTION, session_id="shared-name")
    reply = client.post("/api/ask", json={"question": "那2020年呢？", "session_id": "shared-name"})
    assert reply.json()["kind"] != "clarify"


def test_markup_is_a_question_and_broken_unicode_a_clear_error(bot: QABot, tmp_path: Path) -> None:
    client = client_for(bot, tmp_path)
    markup = client.post("/api/ask", json={"question": "<img src=x onerror=alert(1)>"})
    assert markup.status_code == 200 and markup.json()["answered"] is False
    assert markup.json()["question"] == "<img src=x onerror=alert(1)>"
    raw = b'{"question": "\\ud800 what", "session_id": "x"}'
    response = client.post("/api/ask", content=raw, headers={"Content-Type": "application/json"})
    assert response.status_code == 422
    assert response.json()["error"]["message"].startswith("question: ")


def test_feedback_without_a_log_says_so(bot: QABot, tmp_path: Path) -> None:
    settings = Settings(cache_dir=tmp_path)
    client = TestClient(create_app(settings, BotHolder.ready(bot.reconfigured(settings))))
    reply = client.post("/api/ask", json={"question": QUESTION}).json()
    assert reply["reply_id"] is None
    rated = client.post("/api/feedback", json={"reply_id": "x", "rating": "up"})
    assert rated.status_code == 404 and rated.json()["error"]["code"] == "no_log"


def test_framing_follows_the_settings(bot: QABot, tmp_path: Path) -> None:
    assert client_for(bot, tmp_path).get("/").headers["x-frame-options"] == "SAMEORIGIN"
    embedded = client_for(bot, tmp_path, frame_ancestors=["https://www.example.gov.cn"]).get("/")
    assert (
        "frame-ancestors 'self' https://www.example.gov.cn"
        in embedded.headers["content-security-policy"]
    )
    assert "x-frame-options" not in embedded.headers
