"""The HTTP adapter: a FastAPI app with the JSON API (``/api``), the OpenAI-compatible API
(``/v1``, in ``openai_api``), the web chat page (``/``, files in ``qa_bot/web``) and, when
configured, the WeChat and WeCom callbacks (``/wechat``, ``/wecom``).

Routes are thin: they read a request, call the bot (``http_state.BotHolder``) and answer.
``http_guard`` holds what stands in front of them (keys, rate limit, body limit, security
headers, JSON errors); ``http_server`` runs the app under uvicorn.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Header, Query
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline

import qa_bot
from qa_bot.adapters import openai_api, wechat, wecom
from qa_bot.adapters.http_guard import (
    ApiError,
    BodyLimit,
    KeyCheck,
    RateLimit,
    SecurityHeaders,
    install_error_handlers,
)
from qa_bot.adapters.http_models import (
    AskRequest,
    ErrorBody,
    Examples,
    FeedbackRequest,
    Health,
    PageConfig,
    ResetRequest,
    Status,
)
from qa_bot.adapters.http_state import BotHolder
from qa_bot.bot import QABot
from qa_bot.conversation_log import ConversationLog, open_log
from qa_bot.models import Reply
from qa_bot.settings import Settings, load_settings

ERRORS: dict[int | str, dict[str, object]] = {
    code: {"model": ErrorBody} for code in (401, 413, 422, 429, 503)
}
WEB_CHANNEL = "web"  # what the page sends as X-QA-Channel (the conversation log's channel)


def web_folder() -> Path:
    """The chat page's files, shipped inside the package."""
    return Path(str(resources.files("qa_bot"))) / "web"


def create_app(settings: Settings, holder: BotHolder) -> FastAPI:
    """The app over ``holder``'s bot; a holder not yet loaded starts loading at start-up."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if not holder.loaded.is_set():
            holder.start()
        yield

    app = FastAPIOffline(
        title=settings.http.title,
        version=qa_bot.__version__,
        description="Questions in Chinese answered from a knowledge folder, with sources.",
        lifespan=lifespan,
        redoc_url=None,
        swagger_ui_parameters={"validatorUrl": None},
    )
    keys = KeyCheck(settings.http.api_keys)
    limit = RateLimit(settings.http.rate_limit_per_minute)
    app.include_router(api_router(settings, holder, keys, limit))
    app.include_router(openai_api.router(settings, holder, keys, limit))
    app.include_router(page_router())
    if settings.wechat.token:
        app.include_router(wechat.router(settings, holder))
    if settings.wecom.token:
        app.include_router(wecom.router(settings, holder))
    app.mount("/static", StaticFiles(directory=web_folder()), name="static")
    install_error_handlers(app)
    if settings.http.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.http.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type", "X-Session-Id", "X-QA-Channel"],
            expose_headers=["X-Session-Id", "Retry-After"],
        )
    app.add_middleware(BodyLimit, limit=settings.http.max_body_bytes)
    app.add_middleware(SecurityHeaders, frame_ancestors=settings.http.frame_ancestors)
    return app


def api_router(
    settings: Settings, holder: BotHolder, keys: KeyCheck, limit: RateLimit
) -> APIRouter:
    """``/api``: ask, reset, feedback, examples (behind the keys), health and the page's
    configuration (open)."""
    router = APIRouter(prefix="/api", tags=["api"], responses=ERRORS)
    guarded = [Depends(keys)]

    @router.post("/ask", dependencies=[*guarded, Depends(limit)])
    def ask(request: AskRequest, x_qa_channel: Annotated[str | None, Header()] = None) -> Reply:
        """Answer a question; follow-ups pass the ``session_id`` of the earlier reply. The
        reply's ``reply_id`` is what ``/api/feedback`` rates."""
        question = checked_question(request.question, settings.http.max_question_chars)
        channel = WEB_CHANNEL if x_qa_channel == WEB_CHANNEL else "api"
        return holder.ask(question, request.session_id, channel)

    @router.post("/reset", dependencies=[*guarded, Depends(limit)])
    def reset(request: ResetRequest) -> Status:
        """Forget a conversation (the page's "新对话")."""
        holder.reset(request.session_id)
        return Status()

    @router.post("/feedback", dependencies=[*guarded, Depends(limit)])
    def feedback(request: FeedbackRequest) -> Status:
        """Rate a reply 👍 (``up``) or 👎 (``down``), with an optional comment."""
        holder.require()  # 503 while loading
        if holder.log is None:
            raise ApiError(404, "feedback is not kept: the conversation log is off", "no_log")
        if not holder.log.rate(request.reply_id, request.rating, request.comment):
            raise ApiError(404, "no such reply in the conversation log", "unknown_reply")
        return Status()

    @router.get("/examples", dependencies=guarded)
    def examples(count: Annotated[int, Query(ge=1, le=50)] = 3) -> Examples:
        """Questions the bot answers."""
        return Examples(examples=holder.bot.examples(count))

    @router.get("/health", responses={503: {"model": Health}})
    def health() -> JSONResponse:
        """``loading`` (503) until the knowledge is loaded, then ``ready`` with its size."""
        body = Health(status=holder.status, version=qa_bot.__version__)
        if holder.status == "ready":
            body = body.model_copy(update=holder.bot.stats())
        elif holder.status == "error":
            body.error = "the knowledge could not be loaded; the server log says why"
        code = 200 if body.status == "ready" else 503
        return JSONResponse(body.model_dump(exclude_none=True), status_code=code)

    @router.get("/config")
    def config() -> PageConfig:
        """The chat page's title and welcome text (settings ``http.title``, ``http.welcome``)."""
        return PageConfig(
            title=settings.http.title,
            welcome=settings.http.welcome,
            max_question_chars=settings.http.max_question_chars,
            api_key_required=keys.required,
            feedback=settings.conversations.enabled,
        )

    return router


def checked_question(question: str, limit: int) -> str:
    """The question, or a 422 when it is blank or longer than ``http.max_question_chars``."""
    if not question.strip():
        raise ApiError(422, "question: the question is empty", "empty_question")
    if len(question) > limit:
        raise ApiError(
            422, f"question: {len(question)} characters, at most {limit}", "question_too_long"
        )
    return question


def page_router() -> APIRouter:
    """``/``: the chat page."""
    router = APIRouter(include_in_schema=False)

    @router.get("/")
    def page() -> FileResponse:
        return FileResponse(web_folder() / "index.html", media_type="text/html; charset=utf-8")

    return router


def loader(
    settings: Settings,
    knowledge_dir: Path | None,
    on_failure: Callable[[BaseException], None] | None = None,
) -> BotHolder:
    """A holder that loads the bot over ``knowledge_dir`` and opens the conversation log;
    ``on_failure`` hears why it could not."""

    def load() -> tuple[QABot, ConversationLog | None]:
        bot = QABot.load(knowledge_dir=knowledge_dir, settings=settings)
        if not settings.conversations.enabled:
            return bot, None
        conversation_log = open_log(settings)
        bot.log_conversations(conversation_log, "api")
        return bot, conversation_log

    return BotHolder(load, on_failure)


KNOWLEDGE_VARIABLE = "QA_BOT_SERVE_KNOWLEDGE"  # --knowledge, handed to worker processes


def app_from_environment() -> FastAPI:
    """The app of one worker process of ``qa-bot serve --workers N`` (uvicorn's factory):
    settings from the usual sources, the knowledge folder from the parent's ``--knowledge``."""
    settings = load_settings()
    folder = os.environ.get(KNOWLEDGE_VARIABLE)
    return create_app(settings, loader(settings, Path(folder) if folder else None))
