"""The request and response bodies of the HTTP API (``/api``): the OpenAPI schema is made
from these, and from ``Reply`` and ``Source``."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SESSION_ID_CHARS = 128


class AskRequest(BaseModel):
    """A question, in a conversation (``session_id``) or starting one."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"question": "2019年有多少家高新技术企业？"}]}
    )

    question: str = Field(min_length=1, description="the question, in Chinese")
    session_id: str | None = Field(
        default=None,
        max_length=SESSION_ID_CHARS,
        description="the conversation to continue (from an earlier reply); none: a new one",
    )


class ResetRequest(BaseModel):
    """Forget a conversation: its follow-ups start afresh."""

    session_id: str = Field(min_length=1, max_length=SESSION_ID_CHARS)


class FeedbackRequest(BaseModel):
    """👍 or 👎 for a reply (by the ``reply_id`` it came with), with an optional comment."""

    reply_id: str = Field(min_length=1, max_length=64)
    rating: Literal["up", "down"]
    comment: str | None = Field(default=None, max_length=1000)


class Status(BaseModel):
    """A plain acknowledgement."""

    status: Literal["ok"] = "ok"


class Health(BaseModel):
    """Whether the knowledge is loaded: ``loading`` (503), ``ready``, or ``error`` (503)."""

    status: Literal["loading", "ready", "error"]
    version: str
    documents: int | None = None
    passages: int | None = None
    terms: int | None = None
    error: str | None = None


class Examples(BaseModel):
    """Questions the bot answers, for a chat to offer."""

    examples: list[str]


class PageConfig(BaseModel):
    """What the chat page shows before the first question (from the ``[http]`` settings)."""

    title: str
    welcome: str
    max_question_chars: int
    api_key_required: bool
    feedback: bool  # whether 👍/👎 are kept (the conversation log is on)


class ErrorDetail(BaseModel):
    """What went wrong, in the shape OpenAI's API uses (so its clients show the message)."""

    message: str
    type: str
    code: str | None = None


class ErrorBody(BaseModel):
    """The body of every error response."""

    error: ErrorDetail
