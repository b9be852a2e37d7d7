"""`qa-bot serve` as users meet it: a real server process on a loopback port, driven with
httpx and with the official `openai` client."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import openai
import pytest

from tests.http_server import Server, running_server, server_environment, wait_ready

KEY = "test-key-5f2c9a"
AUTH = {"Authorization": f"Bearer {KEY}"}
QUESTION = "2019年衡阳有多少家高新技术企业？"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    settings = {
        "QA_BOT_HTTP__API_KEYS": json.dumps([KEY, "second-key"]),
        "QA_BOT_HTTP__RATE_LIMIT_PER_MINUTE": "0",
        "QA_BOT_HTTP__TITLE": "市民问答",
    }
    with running_server(tmp_path_factory.mktemp("http"), settings) as running:
        yield running


@pytest.fixture()
def api(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, headers=AUTH, timeout=30) as client:
        yield client


@pytest.fixture()
def client(server: Server) -> openai.OpenAI:
    return openai.OpenAI(base_url=server.url + "/v1", api_key=KEY, max_retries=0)


def test_health_says_what_is_loaded(server: Server) -> None:
    health = httpx.get(server.url + "/api/health").json()
    assert health["status"] == "ready"
    assert health["documents"] == 2 and health["passages"] > 10


def test_a_question_gets_the_reply_with_its_ids(api: httpx.Client) -> None:
    response = api.post("/api/ask", json={"question": QUESTION})
    assert response.status_code == 200
    reply = response.json()
    assert "273" in reply["answer"] and reply["answered"] and reply["kind"] == "fact"
    assert reply["sources"][0]["title"] == "创新衡阳 乘势而上"
    assert reply["reply_id"] and reply["session_id"]
    again = api.post("/api/ask", json={"question": QUESTION}).json()
    assert again["session_id"] != reply["session_id"]  # a new conversation each time


def test_follow_ups_continue_the_session_until_reset(api: httpx.Client) -> None:
    session = api.post("/api/ask", json={"question": QUESTION}).json()["session_id"]
    follow = {"question": "那2021年呢？", "session_id": session}
    clarify = api.post("/api/ask", json=follow).json()
    assert clarify["kind"] == "clarify" and clarify["session_id"] == session
    assert any("377" in option for option in clarify["options"])
    chosen = api.post("/api/ask", json={"question": "第一个", "session_id": session}).json()
    assert "377" in chosen["answer"]
    assert api.post("/api/reset", json={"session_id": session}).json() == {"status": "ok"}
    fresh = api.post("/api/ask", json=follow).json()
    assert fresh["kind"] != "clarify" and "高新技术企业" not in fresh["answer"]


def test_examples_and_page_config(server: Server, api: httpx.Client) -> None:
    examples = api.get("/api/examples", params={"count": 2}).json()["examples"]
    assert len(examples) == 2 and all(e.endswith("？") for e in examples)
    config = httpx.get(server.url + "/api/config").json()  # open: the page needs it first
    assert config["title"] == "市民问答" and config["welcome"]
    assert config["api_key_required"] and config["max_question_chars"] == 500


def test_api_keys_are_required_and_never_logged(server: Server) -> None:
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": KEY}):
        response = httpx.post(server.url + "/api/ask", json={"question": "你好"}, headers=headers)
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Bearer"
        assert response.json()["error"]["code"] == "invalid_api_key"
    second = httpx.get(server.url + "/v1/models", headers={"Authorization": "Bearer second-key"})
    assert second.status_code == 200
    assert KEY not in server.log() and "second-key" not in server.log()


def test_feedback_is_kept_in_the_conversation_log(server: Server, api: httpx.Client) -> None:
    reply = api.post("/api/ask", json={"question": QUESTION}).json()
    rating = {"reply_id": reply["reply_id"], "rating": "down", "comment": "想看2020年的"}
    assert api.post("/api/feedback", json=rating).json() == {"status": "ok"}
    with sqlite3.connect(server.cache / "conversations.sqlite3") as db:
        row = db.execute(
            "SELECT channel, question, rating, comment FROM replies WHERE id = ?",
            (reply["reply_id"],),
        ).fetchone()
    assert row == ("api", QUESTION, "down", "想看2020年的")
    unknown = api.post("/api/feedback", json={**rating, "reply_id": "nope"})
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "unknown_reply"


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "code"),
    [
        ("POST", "/api/ask", b"{not json", 422, "invalid_request"),
        ("POST", "/api/ask", b'{"question": 5}', 422, "invalid_request"),
        ("POST", "/api/ask", b'{"question": "   "}', 422, "empty_question"),
        ("POST", "/api/ask", json.dumps({"question": "问" * 501}).encode(), 422,
         "question_too_long"),
        ("POST", "/api/ask", b'{"question": "' + b"x" * 70_000 + b'"}', 413, "body_too_large"),
        ("POST", "/api/feedback", b'{"reply_id": "a", "rating": "meh"}', 422, "invalid_request"),
        ("GET", "/api/ask", b"", 405, "method_not_allowed"),
        ("GET", "/nowhere", b"", 404, "not_found"),
        ("POST", "/v1/chat/completions", b'{"messages": [{"role": "system", "content": "x"}]}',
         400, "no_question"),
    ],
)  # fmt: skip
def test_every_error_is_a_json_body_without_internals(
    api: httpx.Client, method: str, path: str, body: bytes, status: int, code: str
) -> None:
    headers = {"Content-Type": "application/json"}
    response = api.request(method, path, content=body, headers=headers)
    assert response.status_code == status
    error = response.json()["error"]
    assert error["code"] == code and error["message"] and error["type"]
    assert "Traceback" not in response.text and 'File "' not in response.text


def test_the_openai_client_gets_answers_and_citations(client: openai.OpenAI) -> None:
    messages: list[dict[str, str]] = [{"role": "user", "content": QUESTION}]
    completion = client.chat.completions.create(
        model="qa-bot",
        messages=messages,
        user="alice-openai",
    )
    content = completion.choices[0].message.content or ""
    assert "273" in content and "来源：《创新衡阳 乘势而上》" in content
    assert completion.choices[0].finish_reason == "stop" and completion.model == "qa-bot"
    extra = completion.model_extra or {}
    assert extra["citations"][0]["snippet"] and extra["session_id"] == "alice-openai"
    follow = client.chat.completions.create(
        model="qa-bot",
        messages=[
            *messages,
            {"role": "assistant", "content": content},
            {"role": "user", "content": "那2020年呢？"},
        ],
        user="alice-openai",
    )
    assert "415" in (follow.choices[0].message.content or "")


def test_the_openai_client_streams(client: openai.OpenAI) -> None:
    stream = client.chat.completions.create(
        model="qa-bot",
        messages=[{"role": "user", "content": "南华大学研发了什么？"}],
        stream=True,
        extra_headers={"X-Session-Id": "stream-session"},
    )
    chunks = list(stream)
    text = "".join(chunk.choices[0].delta.content or "" for chunk in chunks)
    assert "光纤激光器" in text and "来源：" in text
    assert chunks[0].choices[0].delta.role == "assistant"
    assert chunks[-1].choices[0].finish_reason == "stop"
    last = chunks[-1].model_extra or {}
    assert last["citations"] and last["session_id"] == "stream-session"
    assert len({chunk.id for chunk in chunks}) == 1


def test_the_raw_stream_is_standard_server_sent_events(api: httpx.Client) -> None:
    body = {"messages": [{"role": "user", "content": QUESTION}], "stream": True}
    with api.stream("POST", "/v1/chat/completions", json=body) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        assert response.headers["x-session-id"]
        events = [line for line in response.iter_lines() if line]
    assert all(line.startswith("data: ") for line in events)
    assert events[-1] == "data: [DONE]"
    chunks = [json.loads(line[6:]) for line in events[:-1]]
    assert {chunk["object"] for chunk in chunks} == {"chat.completion.chunk"}


def test_the_openai_client_lists_one_model(client: openai.OpenAI) -> None:
    assert [model.id for model in client.models.list()] == ["qa-bot"]


def test_the_page_is_served_with_a_strict_policy(server: Server) -> None:
    page = httpx.get(server.url + "/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    policy = page.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "unsafe" not in policy
    assert page.headers["x-content-type-options"] == "nosniff"
    for asset in ("static/app.js", "static/app.css"):
        response = httpx.get(f"{server.url}/{asset}")
        assert response.status_code == 200 and asset in page.text
        assert not re.search(r"https?://", response.text), f"{asset} refers to another site"
    assert not re.search(r"https?://", page.text)
    assert "innerHTML" not in httpx.get(server.url + "/static/app.js").text


def test_openapi_lists_the_routes_and_the_reply_schema(server: Server) -> None:
    schema = httpx.get(server.url + "/openapi.json").json()
    assert {
        "/api/ask", "/api/reset", "/api/feedback", "/api/health", "/api/examples",
        "/v1/chat/completions", "/v1/models",
    } <= schema["paths"].keys()  # fmt: skip
    reply = schema["components"]["schemas"]["Reply"]
    assert {"answer", "text", "answered", "sources", "reply_id", "session_id"} <= reply[
        "properties"
    ].keys()
    assert "Source" in schema["components"]["schemas"]
    docs = httpx.get(server.url + "/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()
    assert not re.search(r"(src|href)=['\"]https?://", docs.text)  # no CDN


def test_a_bad_knowledge_folder_is_one_error_line(tmp_path: Path) -> None:
    bad = tmp_path / "kb" / "docs"
    bad.mkdir(parents=True)
    (bad / "a.md").write_text("---\ntitle: [unclosed\n---\n正文。\n", "utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "qa_bot", "serve", "--port", "0", "--knowledge", str(bad.parent)],
        env=server_environment(tmp_path / "cache", {}),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("qa-bot: error:")]
    assert len(errors) == 1 and "a.md" in errors[0]
    assert "Traceback" not in result.stderr


def test_two_workers_answer_from_another_folder_and_share_the_log(
    tmp_path: Path, make_knowledge: Callable[[dict[str, str | bytes]], Path]
) -> None:
    folder = make_knowledge({"docs/park.md": "---\ntitle: 园区简介\n---\n示范园区占地120公顷。\n"})
    settings = {"QA_BOT_HTTP__RATE_LIMIT_PER_MINUTE": "0"}
    arguments = ("--knowledge", str(folder))
    with running_server(tmp_path / "two", settings, workers=2, arguments=arguments) as server:
        for _ in range(20):  # both processes ready, whichever takes the connection
            assert wait_ready(server, 60)[-1] == "ready"
        for _ in range(6):
            reply = httpx.post(server.url + "/api/ask", json={"question": "示范园区占地多少？"})
            assert "120" in reply.json()["answer"]
            rating = {"reply_id": reply.json()["reply_id"], "rating": "up"}
            assert httpx.post(server.url + "/api/feedback", json=rating).status_code == 200
    with sqlite3.connect(server.cache / "conversations.sqlite3") as db:
        assert db.execute("SELECT count(*) FROM replies WHERE rating = 'up'").fetchone() == (6,)
    assert 'dialog.store = "memory"' in server.log()  # warned: follow-ups may lose context
