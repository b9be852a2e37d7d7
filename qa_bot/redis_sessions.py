"""Dialog states in Redis, shared by every worker process and machine, so that a follow-up is
understood whichever worker answers it.

Each state is its pydantic model as JSON under ``qa-bot:dialog:<session>``, with a time to live
of ``dialog.idle_minutes`` (Redis forgets idle sessions itself). A turn holds the session's lock
(redis-py's ``Lock``: a key with a random token, set and released atomically) under
``qa-bot:lock:<session>``; the lock expires, so one left by a killed worker frees itself. Like
Rasa's RedisLockStore, a lock has a lifetime and a waiter gives up after a while.

Redis going away mid-run never fails an answer: the turn is answered without dialog state
(nothing saved), one warning is logged per outage and one when Redis is back, and the sessions
kept in Redis resume.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar
from urllib.parse import urlsplit

import redis
from redis.backoff import NoBackoff
from redis.exceptions import LockError, RedisError
from redis.retry import Retry

from qa_bot.dialog import DialogState
from qa_bot.errors import ConfigError

log = logging.getLogger(__name__)
T = TypeVar("T")

KEY_PREFIX = "qa-bot:dialog:"
LOCK_PREFIX = "qa-bot:lock:"
LOCK_SECONDS = 10.0  # a lock outlives no turn by more than this (a dead worker's expires)
WAIT_SECONDS = 15.0  # a turn waits this long for its session, then goes on without the lock
POLL_SECONDS = 0.02  # how often a waiting turn tries the lock again
SOCKET_SECONDS = 2.0  # connect and reply timeout: a hung Redis slows an answer this much
RETRY_SECONDS = 1.0  # after a failure Redis is left alone this long (answers are stateless)


class RedisStore:
    """Dialog states and per-session locks in one Redis database."""

    shared = True

    def __init__(
        self,
        client: redis.Redis,
        where: str,
        idle_seconds: float,
        lock_seconds: float = LOCK_SECONDS,
        wait_seconds: float = WAIT_SECONDS,
    ) -> None:
        """``where`` names the server in log lines (host and port, never a password)."""
        self.client = client
        self.where = where
        self.ttl_ms = max(1, round(idle_seconds * 1000))
        self.lock_seconds = lock_seconds
        self.wait_seconds = wait_seconds
        self.outage = Outage(where)
        self._turns = threading.local()

    @classmethod
    def connect(cls, url: str, idle_seconds: float) -> RedisStore:
        """The store at ``url``, checked with a PING.

        :raises ConfigError: naming ``dialog.redis_url`` and the server when it cannot be
            reached (or the URL is malformed).
        """
        where = server_name(url)
        try:
            client = redis.Redis.from_url(
                url,
                socket_timeout=SOCKET_SECONDS,
                socket_connect_timeout=SOCKET_SECONDS,
                retry=Retry(NoBackoff(), 1),  # one retry: a pooled connection Redis dropped
            )
            client.ping()
        except (RedisError, ValueError) as exc:
            reason = " ".join(str(exc).split()) or type(exc).__name__
            raise ConfigError(
                f"dialog.redis_url: cannot reach Redis at {where}: {reason}"
            ) from None
        return cls(client, where, idle_seconds)

    def get(self, session_id: str) -> DialogState:
        """The session's state; a fresh one when unknown, expired or Redis is down.

        A state not read because Redis was down is remembered (per thread), so that this
        turn's ``put`` does not overwrite the stored one should Redis be back by then.
        """
        raw = self.call(lambda: self.client.get(KEY_PREFIX + session_id) or b"")
        if raw is None:
            self.unread().add(session_id)
            return DialogState()
        self.unread().discard(session_id)
        if not raw:
            return DialogState()
        try:
            return DialogState.model_validate_json(raw)
        except ValueError:
            log.warning("dialog state of a session in Redis at %s is unreadable: reset", self.where)
            return DialogState()

    def has(self, session_id: str) -> bool:
        """Whether Redis holds a live state of the session."""
        return bool(self.call(lambda: self.client.exists(KEY_PREFIX + session_id)))

    def put(self, session_id: str, state: DialogState) -> None:
        """Store the session's new state for ``dialog.idle_minutes`` (lost if Redis is down).
        A turn that began without the stored state leaves it as it is."""
        if session_id in self.unread():
            self.unread().discard(session_id)
            return
        state = state.bounded()
        state.updated_at = time.time()
        text = state.model_dump_json()
        self.call(lambda: self.client.set(KEY_PREFIX + session_id, text, px=self.ttl_ms))

    def reset(self, session_id: str) -> None:
        """Forget the session."""
        self.unread().discard(session_id)
        self.call(lambda: self.client.delete(KEY_PREFIX + session_id))

    def unread(self) -> set[str]:
        """The sessions whose state this thread could not read from Redis in its turn."""
        sessions: set[str] | None = getattr(self._turns, "unread", None)
        if sessions is None:
            sessions = self._turns.unread = set()
        return sessions

    @contextmanager
    def lock(self, session_id: str) -> Iterator[None]:
        """Hold the session against every other worker for one exchange. Without Redis, or
        after waiting ``wait_seconds`` in vain, the exchange goes on unlocked (logged)."""
        lock = self.client.lock(
            LOCK_PREFIX + session_id,
            timeout=self.lock_seconds,
            sleep=POLL_SECONDS,
            blocking_timeout=self.wait_seconds,
        )
        acquired = self.call(lock.acquire)
        if acquired is False:
            log.warning(
                "a session stayed locked for %.0f s: answering without the lock", self.wait_seconds
            )
        try:
            yield
        finally:
            if acquired:
                self.release(lock)

    def release(self, lock: redis.lock.Lock) -> None:
        """Release a held lock; one that expired meanwhile (a turn slower than
        ``lock_seconds``) is only logged."""
        try:
            self.call(lock.release)
        except LockError:
            log.warning("a turn outlasted its session lock (%.0f s)", self.lock_seconds)

    def call(self, action: Callable[[], T]) -> T | None:
        """``action``'s result, or None when Redis fails (or failed a moment ago)."""
        if not self.outage.available():
            return None
        try:
            result = action()
        except LockError:
            raise
        except RedisError as exc:
            self.outage.failed(exc)
            return None
        self.outage.passed()
        return result


class Outage:
    """Whether Redis is down: one warning when an outage starts and one when it ends, not
    one per request; while down, Redis is tried again at most every ``RETRY_SECONDS``."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.down = False
        self._retry_at = 0.0
        self._lock = threading.Lock()

    def available(self) -> bool:
        """Whether to try Redis now."""
        return time.monotonic() >= self._retry_at

    def failed(self, exc: RedisError) -> None:
        with self._lock:
            self._retry_at = time.monotonic() + RETRY_SECONDS
            if self.down:
                return
            self.down = True
        reason = " ".join(str(exc).split()) or type(exc).__name__
        log.warning(
            "Redis at %s failed (%s): answering without dialog state until it is back",
            self.where,
            reason,
        )

    def passed(self) -> None:
        if not self.down:
            return
        with self._lock:
            was_down, self.down = self.down, False
        if was_down:
            log.warning("Redis at %s is back: dialog state is kept again", self.where)


def server_name(url: str) -> str:
    """Host, port and database of a Redis URL (a socket path for unix://), without the
    user name or password it may hold."""
    try:
        parts = urlsplit(url)
        if parts.scheme == "unix":
            return parts.path or "a unix socket"
        database = parts.path.strip("/") or "0"
        return f"{parts.hostname or 'localhost'}:{parts.port or 6379}/{database}"
    except ValueError:  # a port that is not a number
        return "an invalid URL"
