"""The OpenAI-compatible API: ``POST /v1/chat/completions`` and ``GET /v1/models``, so any
OpenAI client (the ``openai`` package, chat front-ends, other systems) can ask the bot.

The last user message is the question; earlier messages are ignored, because the bot keeps
the dialog itself, keyed by the request's ``user`` field or an ``X-Session-Id`` header (else
a new conversation, whose id comes back in that header and in ``session_id``). The sources go
in an extra ``citations`` field, which OpenAI clients keep but do not need.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Header, Response
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from qa_bot.adapters.http_guard import ApiError, KeyCheck, RateLimit
from qa_bot.adapters.http_models import SESSION_ID_CHARS, ErrorBody
from qa_bot.adapters.http_state import BotHolder
from qa_bot.models import Reply, Source
from qa_bot.settings import Settings

MODEL = "qa-bot"
CHANNEL = "openai"
PIECE = re.compile(r"[^。！？；\n]*[。！？；\n]?")  # stream a reply a sentence at a time


class ContentPart(BaseModel):
    """A part of a message's content (only ``text`` parts are read)."""

    model_config = ConfigDict(extra="allow")

    type: str
    text: str | None = None


class ChatMessage(BaseModel):
    """One message of the conversation the client sends."""

    model_config = ConfigDict(extra="allow")

    role: str
    content: str | list[ContentPart] | None = None

    def text(self) -> str:
        if isinstance(self.content, list):
            return "".join(part.text or "" for part in self.content if part.type == "text")
        return self.content or ""


class ChatCompletionRequest(BaseModel):
    """OpenAI's chat completion request; sampling options (temperature …) are accepted and
    ignored: the answer comes from the knowledge, not from sampling."""

    model_config = ConfigDict(extra="allow")

    model: str = MODEL
    messages: list[ChatMessage] = Field(min_length=1)
    stream: bool = False
    user: str | None = Field(default=None, max_length=SESSION_ID_CHARS)


class AssistantMessage(BaseModel):
    role: Literal["assistant"] = "assistant"
    content: str


class Choice(BaseModel):
    index: int = 0
    message: AssistantMessage
    finish_reason: Literal["stop"] = "stop"


class Usage(BaseModel):
    """Counted in characters (the bot has no tokenizer of OpenAI's)."""

    prompt_tokens: int
    completion_tokens: int
    total_tokens: int


class ChatCompletion(BaseModel):
    """OpenAI's chat completion, with the bot's ``citations`` and ids as extra fields."""

    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str = MODEL
    choices: list[Choice]
    usage: Usage
    citations: list[Source]
    session_id: str
    reply_id: str | None = None


class ModelCard(BaseModel):
    id: str = MODEL
    object: Literal["model"] = "model"
    created: int = 0
    owned_by: str = "qa-bot"


class ModelList(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelCard]


def router(settings: Settings, holder: BotHolder, keys: KeyCheck, limit: RateLimit) -> APIRouter:
    """``/v1``: chat completions and the model list, behind the API keys."""
    errors: dict[int | str, dict[str, object]] = {
        code: {"model": ErrorBody} for code in (400, 401, 413, 422, 429, 503)
    }
    guarded = [Depends(keys)]
    routes = APIRouter(prefix="/v1", tags=["openai"], responses=errors, dependencies=guarded)

    @routes.post(
        "/chat/completions",
        dependencies=[Depends(limit)],
        response_model=ChatCompletion,
        responses={200: {"content": {"text/event-stream": {}}}},
    )
    def chat_completions(
        request: ChatCompletionRequest,
        response: Response,
        x_session_id: Annotated[str | None, Header(max_length=SESSION_ID_CHARS)] = None,
    ) -> ChatCompletion | StreamingResponse:
        """Answer the last user message; with ``stream: true`` as server-sent events
        (``chat.completion.chunk`` objects, then ``data: [DONE]``)."""
        question = last_question(request.messages, settings.http.max_question_chars)
        reply = holder.ask(question, request.user or x_session_id or None, CHANNEL)
        session = reply.session_id or ""
        completion = ChatCompletion(
            id=f"chatcmpl-{reply.reply_id or session}",
            created=int(time.time()),
            choices=[Choice(message=AssistantMessage(content=reply.text))],
            usage=Usage(
                prompt_tokens=len(question),
                completion_tokens=len(reply.text),
                total_tokens=len(question) + len(reply.text),
            ),
            citations=reply.sources,
            session_id=session,
            reply_id=reply.reply_id,
        )
        if request.stream:
            return StreamingResponse(
                stream(completion, reply),
                media_type="text/event-stream",
                headers={"X-Session-Id": session, "Cache-Control": "no-store"},
            )
        response.headers["X-Session-Id"] = session
        return completion

    @routes.get("/models")
    def models() -> ModelList:
        """The one model: ``qa-bot``."""
        return ModelList(data=[ModelCard()])

    return routes


def last_question(messages: list[ChatMessage], limit: int) -> str:
    """The text of the last user message.

    :raises ApiError: 400 when there is none, 422 when it is blank or too long.
    """
    for message in reversed(messages):
        if message.role == "user":
            text = message.text()
            if not text.strip():
                raise ApiError(422, "messages: the last user message is empty", "empty_question")
            if len(text) > limit:
                raise ApiError(422, f"messages: the question has {len(text)} characters, "
                               f"at most {limit}", "question_too_long")  # fmt: skip
            return text
    raise ApiError(400, "messages: no message with role 'user'", "no_question")


def stream(completion: ChatCompletion, reply: Reply) -> Iterator[str]:
    """The reply as server-sent events in OpenAI's chunk format: the role, the text a
    sentence at a time, a last chunk with ``finish_reason`` and the citations, ``[DONE]``."""
    head = {"id": completion.id, "object": "chat.completion.chunk",
            "created": completion.created, "model": MODEL}  # fmt: skip

    def chunk(delta: dict[str, str], finish: str | None = None, **extra: object) -> str:
        body = {**head, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
        return "data: " + json.dumps({**body, **extra}, ensure_ascii=False) + "\n\n"

    yield chunk({"role": "assistant", "content": ""})
    for piece in PIECE.findall(reply.text):
        if piece:
            yield chunk({"content": piece})
    yield chunk(
        {},
        "stop",
        citations=[s.model_dump() for s in reply.sources],
        session_id=completion.session_id,
        reply_id=completion.reply_id,
    )
    yield "data: [DONE]\n\n"
