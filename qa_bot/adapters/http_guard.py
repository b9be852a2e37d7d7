"""What stands in front of the HTTP routes: API keys, the per-client rate limit, the request
body limit, security headers, and one JSON error body for every error (no stack trace ever
leaves the server)."""

from __future__ import annotations

import hmac
import logging
import math
import threading
import time
from collections import deque
from collections.abc import Sequence
from typing import Annotated

from cachetools import TTLCache
from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import SecretStr
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from qa_bot.adapters.http_models import ErrorBody, ErrorDetail

log = logging.getLogger(__name__)
WINDOW_SECONDS = 60.0
MAX_CLIENTS = 10_000  # client addresses the rate limit remembers
ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    405: "invalid_request_error",
    413: "invalid_request_error",
    422: "invalid_request_error",
    429: "rate_limit_error",
    503: "service_unavailable",
}
bearer = HTTPBearer(auto_error=False, description="an API key from the http.api_keys setting")


class ApiError(Exception):
    """An error answered as JSON with ``status``; ``code`` is a stable machine-readable name."""

    def __init__(
        self, status: int, message: str, code: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.headers = headers or {}


def error_response(
    status: int, message: str, code: str | None, headers: dict[str, str] | None = None
) -> JSONResponse:
    """The JSON error body every error gets."""
    kind = ERROR_TYPES.get(status, "server_error" if status >= 500 else "invalid_request_error")
    body = ErrorBody(error=ErrorDetail(message=message, type=kind, code=code))
    return JSONResponse(body.model_dump(), status_code=status, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    """Every error, also an unexpected one, becomes a JSON body without internals."""

    async def api_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, ApiError)
        return error_response(exc.status, exc.message, exc.code, exc.headers)

    async def http_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, HTTPException)
        message = {404: "no such route", 405: "method not allowed"}.get(exc.status_code)
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code)
        headers = dict(exc.headers or {})
        return error_response(exc.status_code, message or str(exc.detail), code, headers)

    async def invalid(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        problems = []
        for error in exc.errors()[:3]:
            where = ".".join(str(part) for part in error.get("loc", ()) if part != "body")
            problems.append(f"{where}: {error.get('msg', 'invalid')}" if where else error["msg"])
        return error_response(422, "; ".join(problems) or "invalid request", "invalid_request")

    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
        return error_response(500, "internal error; the server log has the details", "internal")

    app.add_exception_handler(ApiError, api_error)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(RequestValidationError, invalid)
    app.add_exception_handler(Exception, unexpected)


class KeyCheck:
    """A route dependency: with ``http.api_keys`` set, a request needs one of them as a
    bearer token. Keys are compared in constant time and never logged."""

    def __init__(self, keys: Sequence[SecretStr]) -> None:
        self._keys = [k.get_secret_value().encode("utf-8") for k in keys if k.get_secret_value()]

    @property
    def required(self) -> bool:
        return bool(self._keys)

    def __call__(
        self, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
    ) -> None:
        if not self._keys:
            return
        given = (credentials.credentials if credentials else "").encode("utf-8", "replace")
        matched = False
        for key in self._keys:  # every key is compared, so the time says nothing
            matched |= hmac.compare_digest(given, key)
        if not matched:
            headers = {"WWW-Authenticate": "Bearer"}
            raise ApiError(401, "a valid API key is required (Authorization: Bearer …)",
                           "invalid_api_key", headers)  # fmt: skip


class RateLimit:
    """A route dependency: at most ``per_minute`` requests per client address in any sliding
    minute (0: no limit); beyond it, 429 with ``Retry-After`` in seconds."""

    def __init__(self, per_minute: int, max_clients: int = MAX_CLIENTS) -> None:
        self.per_minute = per_minute
        self._times: TTLCache[str, deque[float]] = TTLCache(max_clients, WINDOW_SECONDS)
        self._lock = threading.Lock()

    def __call__(self, request: Request) -> None:
        client = request.client.host if request.client else "unknown"
        wait = self.wait(client)
        if wait is not None:
            raise ApiError(429, f"too many requests: try again in {wait} s", "rate_limited",
                           {"Retry-After": str(wait)})  # fmt: skip

    def wait(self, client: str) -> int | None:
        """Count a request of ``client``: None when allowed, else the seconds to wait."""
        if self.per_minute <= 0:
            return None
        now = time.monotonic()
        with self._lock:
            times = self._times.get(client) or deque()
            while times and now - times[0] >= WINDOW_SECONDS:
                times.popleft()
            if len(times) >= self.per_minute:
                return max(1, math.ceil(WINDOW_SECONDS - (now - times[0])))
            times.append(now)
            self._times[client] = times
        return None


class BodyLimit:
    """ASGI middleware: a request body over ``limit`` bytes gets 413 before any route reads
    it (by its Content-Length, or while a chunked body arrives)."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"0")
        if not declared.isdigit() or int(declared) > self.limit:
            await self.refuse(scope, receive, send)
            return
        chunks: list[Message] = []
        size = 0
        while True:
            message = await receive()
            chunks.append(message)
            size += len(message.get("body", b""))
            if size > self.limit:
                await self.refuse(scope, receive, send)
                return
            if message["type"] != "http.request" or not message.get("more_body"):
                break

        async def replay() -> Message:
            return chunks.pop(0) if chunks else await receive()

        await self.app(scope, replay, send)

    async def refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = error_response(
            413, f"the request body is over {self.limit} bytes", "body_too_large"
        )
        await response(scope, receive, send)


PAGE_CSP = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors {ancestors}"
)
# Swagger UI starts itself with an inline script; the docs show no user text.
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)
DOCS_PREFIXES = ("/docs", "/static-offline-docs")


class SecurityHeaders:
    """ASGI middleware: a Content-Security-Policy that allows nothing from elsewhere, no
    sniffing, no referrer, framing only by ``frame_ancestors``, and no caching of API
    answers."""

    def __init__(self, app: ASGIApp, frame_ancestors: Sequence[str] = ()) -> None:
        self.app = app
        ancestors = " ".join(["'self'", *frame_ancestors])
        self.page_csp = PAGE_CSP.format(ancestors=ancestors).encode("ascii")
        self.frame = [] if frame_ancestors else [(b"x-frame-options", b"SAMEORIGIN")]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        csp = DOCS_CSP.encode("ascii") if path.startswith(DOCS_PREFIXES) else self.page_csp
        extra = [
            (b"content-security-policy", csp),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"no-referrer"),
            *self.frame,
        ]
        if path.startswith(("/api/", "/v1/")):
            extra.append((b"cache-control", b"no-store"))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)
