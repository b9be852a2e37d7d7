"""Where the conversation log is kept: a SQLite file (one machine) or PostgreSQL (several).

The log itself (``conversation_log``) speaks one SQL dialect to either, written with ``?``
placeholders; the PostgreSQL side hands psycopg ``%s``. What differs is here: how to connect,
the schema (PostgreSQL has no ``rowid``, so a ``seq`` column keeps the insertion order), where
the salt of the session hashes lives (a 0600 file beside the SQLite file; a row of the
database for PostgreSQL, so every machine hashes a session the same way), and the driver's
errors, which both turn into ``LogDatabaseError`` for the log to report and carry on.
"""

from __future__ import annotations

import logging
import secrets
import sqlite3
import time
from abc import ABC, abstractmethod
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qa_bot.errors import ConfigError, QaBotError
from qa_bot.misses import load_salt
from qa_bot.private_files import open_private_database

if TYPE_CHECKING:
    import psycopg

log = logging.getLogger(__name__)
Row = tuple[Any, ...]
Statement = tuple[str, Sequence[Sequence[object]]]  # SQL and the rows of parameters it runs for
RECONNECT_EVERY_SECONDS = 10.0  # while PostgreSQL is away, how often a write tries again

COLUMNS_SQL = """
    time TEXT NOT NULL,
    channel TEXT NOT NULL,
    session TEXT NOT NULL,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    kind TEXT NOT NULL,
    answered INTEGER NOT NULL,
    confidence {real} NOT NULL,
    sources TEXT NOT NULL,
    rating TEXT,
    comment TEXT,
    rated TEXT
);
CREATE INDEX IF NOT EXISTS replies_time ON replies (time);
CREATE TABLE IF NOT EXISTS imports (name TEXT PRIMARY KEY, time TEXT NOT NULL);
"""
SQLITE_SCHEMA = "CREATE TABLE IF NOT EXISTS replies (\n    id TEXT PRIMARY KEY," + (
    COLUMNS_SQL.format(real="REAL")
)
POSTGRES_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS replies (\n    id TEXT PRIMARY KEY,\n    seq BIGSERIAL,"
    + COLUMNS_SQL.format(real="DOUBLE PRECISION")
    + "CREATE TABLE IF NOT EXISTS salt (id INTEGER PRIMARY KEY, value BYTEA NOT NULL);\n"
)


class LogDatabaseError(QaBotError):
    """Reading or writing the log's database failed (a full disk, a server gone away)."""


class LogDatabase(ABC):
    """One conversation-log database: statements in a transaction, queries, the salt."""

    name: str  # for messages: the file, or the server without its password
    order: str  # the column that orders records written in the same second

    @abstractmethod
    def write(self, statements: Sequence[Statement]) -> int:
        """Run ``statements`` in one transaction; the rows the last one changed.

        :raises LogDatabaseError: when the database cannot be written.
        """

    @abstractmethod
    def query(self, sql: str, parameters: Sequence[object] = ()) -> list[Row]:
        """The rows of a query.

        :raises LogDatabaseError: when the database cannot be read.
        """

    @abstractmethod
    def salt(self) -> bytes:
        """The secret the session hashes are made with (made once, then kept)."""

    @abstractmethod
    def close(self) -> None:
        """Close the connection."""


class SQLiteDatabase(LogDatabase):
    """A 0600 SQLite file in WAL mode: processes of one machine share it."""

    order = "rowid"

    def __init__(self, path: Path) -> None:
        """:raises ConfigError: naming the file when it is not a usable SQLite database."""
        self.path, self.name = path, str(path)
        try:
            self._db = open_private_database(path, SQLITE_SCHEMA, "NORMAL")
        except (sqlite3.Error, OSError) as exc:
            raise ConfigError(f"{path}: cannot open the conversation log: {exc}") from None

    def write(self, statements: Sequence[Statement]) -> int:
        try:
            with self._db:
                count = 0
                for sql, rows in statements:
                    count = self._db.executemany(sql, rows).rowcount
                return count
        except sqlite3.Error as exc:
            raise LogDatabaseError(str(exc)) from None

    def query(self, sql: str, parameters: Sequence[object] = ()) -> list[Row]:
        try:
            return self._db.execute(sql, parameters).fetchall()
        except sqlite3.Error as exc:
            raise LogDatabaseError(str(exc)) from None

    def salt(self) -> bytes:
        try:
            return load_salt(self.path.with_name(self.path.name + ".salt"))
        except OSError as exc:
            raise ConfigError(f"{self.path}.salt: cannot be made or read: {exc}") from None

    def close(self) -> None:
        self._db.close()


class PostgresDatabase(LogDatabase):
    """A PostgreSQL database (psycopg 3) that the servers of several machines write to.

    One connection, used under the log's lock. When the server goes away mid-run a write fails
    (the log warns and the answer still goes out); the next write after a pause reconnects.
    """

    order = "seq"

    def __init__(self, url: str, connect_timeout: int = 5) -> None:
        """Connect and put the schema in place.

        :raises ConfigError: naming ``conversations.database_url`` and the server (never
            the password) when the database cannot be reached or used.
        """
        import psycopg
        from psycopg.conninfo import conninfo_to_dict

        self._url, self._timeout = url, connect_timeout
        try:
            info = conninfo_to_dict(url)
        except psycopg.Error:
            raise ConfigError(
                "conversations.database_url: not a PostgreSQL URL "
                "(postgresql://user:password@host:5432/database)"
            ) from None
        self._password = str(info.get("password") or "")
        host, port = info.get("host") or "localhost", info.get("port") or 5432
        self.name = f"postgresql://{host}:{port}/{info.get('dbname') or ''}"
        self._retry_at = 0.0
        try:
            self._db: psycopg.Connection[Row] | None = self._connect()
        except psycopg.Error as exc:
            raise ConfigError(
                f"conversations.database_url: cannot use the conversation log at "
                f"{self.name}: {self._quiet(exc)}"
            ) from None

    def _connect(self) -> psycopg.Connection[Row]:
        """A new connection with the schema in place (autocommit: each ``write`` opens
        its own transaction)."""
        import psycopg

        db = psycopg.connect(self._url, autocommit=True, connect_timeout=self._timeout)
        with db.transaction():
            db.execute("SELECT pg_advisory_xact_lock(7271)")  # two machines starting at once
            db.execute(POSTGRES_SCHEMA)
        return db

    def _connection(self) -> psycopg.Connection[Row]:
        """The open connection, or a new one when the last was lost (tried again at most
        every ``RECONNECT_EVERY_SECONDS``, so a server that is away does not slow answers)."""
        import psycopg

        if self._db is not None and not self._db.closed and not self._db.broken:
            return self._db
        if time.monotonic() < self._retry_at:
            raise LogDatabaseError(f"{self.name} is unreachable; trying again shortly")
        try:
            self._db = self._connect()
        except psycopg.Error as exc:
            self._retry_at = time.monotonic() + RECONNECT_EVERY_SECONDS
            raise LogDatabaseError(self._quiet(exc)) from None
        log.info("conversation log: reconnected to %s", self.name)
        return self._db

    def write(self, statements: Sequence[Statement]) -> int:
        import psycopg

        db = self._connection()
        try:
            with db.transaction(), db.cursor() as cursor:
                for sql, rows in statements:
                    cursor.executemany(sql.replace("?", "%s"), rows)
                return cursor.rowcount
        except psycopg.Error as exc:
            raise LogDatabaseError(self._quiet(exc)) from None

    def query(self, sql: str, parameters: Sequence[object] = ()) -> list[Row]:
        import psycopg

        db = self._connection()
        try:
            return db.execute(sql.replace("?", "%s"), parameters).fetchall()
        except psycopg.Error as exc:
            raise LogDatabaseError(self._quiet(exc)) from None

    def salt(self) -> bytes:
        """The salt row, made by the first machine to start (the same for all)."""
        fresh = secrets.token_bytes(32)
        try:
            self.write([("INSERT INTO salt VALUES (1, ?) ON CONFLICT (id) DO NOTHING", [[fresh]])])
            return bytes(self.query("SELECT value FROM salt WHERE id = 1")[0][0])
        except LogDatabaseError as exc:
            raise ConfigError(
                f"conversations.database_url: cannot read the salt at {self.name}: {exc}"
            ) from None

    def close(self) -> None:
        if self._db is not None:
            self._db.close()

    def _quiet(self, exc: Exception) -> str:
        """The first line of a driver error, without the password should it appear."""
        text = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        return text.replace(self._password, "***") if self._password else text


def open_database(target: Path | str) -> LogDatabase:
    """The log database: a SQLite file at a path, or PostgreSQL at a ``postgresql://`` URL.

    :raises ConfigError: naming the file or the setting when it cannot be used.
    """
    if isinstance(target, str):
        return PostgresDatabase(target)
    return SQLiteDatabase(target)
