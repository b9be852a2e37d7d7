"""The platforms' message APIs (WeChat's customer-service messages, WeCom's app messages),
used only for answers that missed the 5-second deadline of the callback.

Both work the same way: an access token from the app's id and secret, valid ``expires_in``
seconds (7200) and limited in how often it may be fetched, so it is kept until shortly before
it expires; then a JSON POST with ``?access_token=``. A token the platform calls invalid or
expired (40001, 40014, 42001) is fetched again once. The secret and the token travel in URLs,
so httpx's request log (INFO) is kept quiet and no URL is logged here.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

import httpx

log = logging.getLogger(__name__)
STALE_TOKEN_CODES = frozenset({40001, 40014, 42001})
EARLY_SECONDS = 300  # fetch a new token this long before the old one expires
TIMEOUT_SECONDS = 10.0

Body = Callable[[str, str], dict[str, object]]  # (user, text) → the message's JSON


class ApiFailure(Exception):
    """The platform refused a call (its errcode and errmsg) or could not be reached."""


class MessageApi:
    """Sends text messages to users of one app; thread-safe."""

    def __init__(
        self, name: str, token_url: str, token_params: Mapping[str, str], send_url: str,
        body: Body,
    ) -> None:  # fmt: skip
        """``token_url`` with ``token_params`` gives the access token; ``send_url`` takes the
        ``body`` of a text message."""
        self.name = name
        self.token_url = token_url
        self.token_params = dict(token_params)
        self.send_url = send_url
        self.body = body
        self._token: tuple[str, float] | None = None  # (token, expires at, monotonic)
        self._lock = threading.Lock()
        self._client = httpx.Client(timeout=TIMEOUT_SECONDS)
        for noisy in ("httpx", "httpcore"):  # their request lines hold the secret
            logging.getLogger(noisy).setLevel(logging.WARNING)

    def send(self, user: str, text: str) -> bool:
        """Send ``text`` to ``user``; a failure is logged (one line) and returns False."""
        for attempt in (1, 2):
            token = None
            try:
                token = self.token()
                self.call("POST", self.send_url, {"access_token": token}, self.body(user, text))
                return True
            except ApiFailure as exc:
                code, reason = exc.args
                if attempt == 1 and token is not None and code in STALE_TOKEN_CODES:
                    self.forget(token)
                    continue
                log.warning("%s: the message API did not take a late answer: %s",
                            self.name, reason)  # fmt: skip
                return False
        return False

    def token(self) -> str:
        """The access token, fetched when there is none or it is about to expire.

        :raises ApiFailure: when it cannot be fetched.
        """
        with self._lock:
            if self._token is not None and time.monotonic() < self._token[1]:
                return self._token[0]
            answer = self.call("GET", self.token_url, self.token_params, None)
            token, lifetime = answer.get("access_token"), answer.get("expires_in", 7200)
            if not isinstance(token, str) or not isinstance(lifetime, int):
                raise ApiFailure(0, "the token answer holds no access_token")
            self._token = (token, time.monotonic() + max(lifetime - EARLY_SECONDS, 60))
            return token

    def forget(self, token: str) -> None:
        """Drop ``token`` (the platform called it invalid), unless already replaced."""
        with self._lock:
            if self._token is not None and self._token[0] == token:
                self._token = None

    def call(
        self, method: str, url: str, params: Mapping[str, str], body: dict[str, object] | None
    ) -> dict[str, Any]:
        """One API call's JSON answer.

        :raises ApiFailure: on a network error, a non-JSON answer or a non-zero errcode.
        """
        try:
            response = self._client.request(method, url, params=params, json=body)
            answer = response.json()
        except httpx.HTTPError as exc:
            raise ApiFailure(0, f"{type(exc).__name__} calling {httpx.URL(url).path}") from None
        except ValueError:
            raise ApiFailure(0, f"HTTP {response.status_code}, not JSON") from None
        if not isinstance(answer, dict):
            raise ApiFailure(0, "the answer is not a JSON object")
        code = answer.get("errcode", 0)
        if code:
            raise ApiFailure(code, f"errcode {code}: {answer.get('errmsg', '')}")
        return answer
