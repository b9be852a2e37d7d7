"""The conversation log on PostgreSQL (``conversations.database_url``), against a real server
started for these tests: several processes write one log, ``qa-bot report`` reads it, ratings,
retention, and the errors a person sees when the server is away."""

from __future__ import annotations

import logging
import subprocess
import sys
import textwrap
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from qa_bot.cli import main
from qa_bot.conversation_log import ConversationLog, open_log
from qa_bot.errors import ConfigError
from qa_bot.log_databases import PostgresDatabase
from qa_bot.settings import Settings
from tests.postgres_server import free_port, missing_reason, postgres_server
from tests.test_conversation_log import assert_ratings_are_stored_on_their_reply, reply

psycopg = pytest.importorskip("psycopg")
needs_server = pytest.mark.skipif(missing_reason() is not None, reason=str(missing_reason()))

WRITER = textwrap.dedent(
    """
    import sys
    from qa_bot.conversation_log import open_log
    from qa_bot.settings import Settings
    from tests.test_conversation_log import assert_ratings_are_stored_on_their_reply, reply

    log = open_log(Settings())
    for n in range(int(sys.argv[2])):
        log.record(sys.argv[1], "same-user", reply(f"{sys.argv[1]} 问题 {n}"))
    """
)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """One server for the module (initdb takes a few seconds)."""
    with postgres_server() as url:
        yield url


@pytest.fixture()
def database_url(server: str) -> str:
    """A fresh, empty database on the server for one test."""
    name = f"t{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    return server.rsplit("/", 1)[0] + "/" + name


@needs_server
def test_two_processes_write_one_log_and_the_report_reads_both(
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("QA_BOT_CONVERSATIONS__DATABASE_URL", database_url)
    monkeypatch.setenv("QA_BOT_CACHE_DIR", str(tmp_path))
    root = Path(__file__).resolve().parent.parent
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, channel, "15"], cwd=root)
        for channel in ("web", "telegram")
    ]
    assert [writer.wait(timeout=60) for writer in writers] == [0, 0]

    assert main(["report"]) == 0
    out = capsys.readouterr().out
    assert "30 questions" in out
    assert "web 15" in out and "telegram 15" in out
    records = open_log(Settings()).records()
    assert {r.session for r in records} == {records[0].session}  # one salt for all machines
    assert "same-user" not in records[0].session
    assert not (tmp_path / "conversations.sqlite3").exists()  # nothing went to SQLite


@needs_server
def test_ratings_are_stored_on_their_reply(database_url: str) -> None:
    log = ConversationLog(PostgresDatabase(database_url))
    assert_ratings_are_stored_on_their_reply(log)
    log.record("api", "\ud800", reply("lone \udc00 surrogate"))
    assert log.records()[-1].question == "lone \\udc00 surrogate"


@needs_server
def test_records_past_the_retention_are_deleted(database_url: str) -> None:
    log = ConversationLog(PostgresDatabase(database_url), retention_days=30)
    log.record("web", "s", reply("old"))
    log.record("web", "s", reply("new"))
    with psycopg.connect(database_url, autocommit=True) as db:
        db.execute("UPDATE replies SET time = '2000-01-01T00:00:00' WHERE question = 'old'")
    log.close()
    later = ConversationLog(PostgresDatabase(database_url), retention_days=30)
    assert [r.question for r in later.records()] == ["new"]


@needs_server
def test_a_lost_connection_costs_one_record_and_is_restored(
    database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    log = ConversationLog(PostgresDatabase(database_url))
    log.record("web", "s", reply("before"))
    with psycopg.connect(database_url, autocommit=True) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid != pg_backend_pid()"
        )
    with caplog.at_level(logging.WARNING):
        lost = log.record("web", "s", reply("during"))
    assert lost.reply_id and lost.answer == "答案"  # the answer still goes out
    assert "could not log a reply" in caplog.text
    log.record("web", "s", reply("after"))  # reconnected
    assert [r.question for r in log.records()] == ["before", "after"]


def test_an_unreachable_server_is_one_error_naming_setting_and_host(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    port = free_port()  # nothing listens there
    url = f"postgresql://qabot:s3cret-pw@127.0.0.1:{port}/qabot"
    with pytest.raises(ConfigError) as caught:
        PostgresDatabase(url, connect_timeout=2)
    message = str(caught.value)
    assert message.startswith("conversations.database_url: ")
    assert f"127.0.0.1:{port}" in message and "s3cret-pw" not in message

    monkeypatch.setenv("QA_BOT_CONVERSATIONS__DATABASE_URL", url)
    monkeypatch.setenv("QA_BOT_CACHE_DIR", str(tmp_path))
    assert main(["report"]) == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "conversations.database_url" in err
    assert "s3cret-pw" not in err and "Traceback" not in err
