"""The conversation log (SQLite), `qa-bot report`, and `qa-bot misses` reading the log."""

from __future__ import annotations

import io
import json
import sqlite3
import stat
import threading
import time
from pathlib import Path

import pytest

from qa_bot import QABot
from qa_bot.cli import main
from qa_bot.conversation_log import ConversationLog
from qa_bot.errors import ConfigError
from qa_bot.misses import load_salt
from qa_bot.models import Reply, ReplyKind, Source


def reply(question: str, answered: bool = True, kind: ReplyKind = "fact") -> Reply:
    source = Source(doc_id="d1", title="标题", section="一、节", passage_id="d1#1", snippet="证据")
    return Reply(
        question=question,
        answer="答案" if answered else "抱歉",
        text="答案",
        answered=answered,
        confidence=0.9 if answered else 0.0,
        kind=kind,
        sources=[source] if answered else [],
    )


def test_a_record_holds_the_reply_and_a_hashed_session(tmp_path: Path) -> None:
    log = ConversationLog(tmp_path / "c.sqlite3")
    logged = log.record("web", "user-42", reply("2019年有多少？"))
    assert logged.reply_id
    (record,) = log.records()
    assert record.id == logged.reply_id
    assert (record.channel, record.question, record.answer, record.kind) == (
        "web",
        "2019年有多少？",
        "答案",
        "fact",
    )
    assert record.answered and record.confidence == 0.9
    assert record.sources[0]["title"] == "标题" and record.sources[0]["snippet"] == "证据"
    assert "user-42" not in record.session and len(record.session) == 16
    assert log.pseudonym("user-42") == record.session  # one session's questions group together
    assert b"user-42" not in (tmp_path / "c.sqlite3").read_bytes()


def test_the_log_is_private_and_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    ConversationLog(path).record("web", "s", reply("q"))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "c.sqlite3.salt").stat().st_mode) == 0o600
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_feedback_is_stored_on_its_reply(tmp_path: Path) -> None:
    assert_ratings_are_stored_on_their_reply(ConversationLog(tmp_path / "c.sqlite3"))


def assert_ratings_are_stored_on_their_reply(log: ConversationLog) -> None:
    """A rating lands on its reply and a later one replaces it (any log database)."""
    first = log.record("api", "s", reply("one"))
    log.record("api", "s", reply("two"))
    assert first.reply_id is not None
    assert log.rate(first.reply_id, "up")
    assert log.rate(first.reply_id, "down", "数字不对")  # a later rating replaces it
    assert not log.rate("no-such-reply", "up")
    ratings = [(r.question, r.rating, r.comment) for r in log.records()]
    assert ratings == [("one", "down", "数字不对"), ("two", None, None)]


def test_records_past_the_retention_are_deleted(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    log = ConversationLog(path, retention_days=30)
    log.record("web", "s", reply("old"))
    log.record("web", "s", reply("new"))
    with sqlite3.connect(path) as db:
        db.execute("UPDATE replies SET time = '2000-01-01T00:00:00' WHERE question = 'old'")
    log.close()
    assert [r.question for r in ConversationLog(path, retention_days=30).records()] == ["new"]


def test_concurrent_writers_lose_no_record(tmp_path: Path) -> None:
    log = ConversationLog(tmp_path / "c.sqlite3")
    other = ConversationLog(tmp_path / "c.sqlite3")  # as a second server process would

    def write(target: ConversationLog, worker: int) -> None:
        for n in range(40):
            target.record("api", f"s{worker}", reply(f"问题{worker}-{n}"))

    threads = [threading.Thread(target=write, args=(log if w % 2 else other, w)) for w in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({r.id for r in log.records()}) == 240


def test_any_text_is_stored(tmp_path: Path) -> None:
    log = ConversationLog(tmp_path / "c.sqlite3")
    log.record("api", "\ud800", reply("lone \udc00 surrogate <img src=x>"))
    assert log.records()[0].question == "lone \\udc00 surrogate <img src=x>"


def test_an_unusable_file_is_one_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    path.write_bytes(b"not a database" * 100)
    with pytest.raises(ConfigError, match=r"c\.sqlite3: cannot open the conversation log"):
        ConversationLog(path)


def test_the_bot_records_each_reply_with_its_channel(bot: QABot, tmp_path: Path) -> None:
    logged = bot.reconfigured(bot.settings)
    logged.log_conversations(ConversationLog(tmp_path / "c.sqlite3"), "console")
    first = logged.ask("2019年衡阳有多少家高新技术企业？", session_id="u1")
    second = logged.ask("那2020年呢？", session_id="u1", channel="web")
    assert first.reply_id and second.reply_id and first.reply_id != second.reply_id
    assert logged.conversation_log is not None
    records = logged.conversation_log.records()
    assert [(r.channel, r.question) for r in records] == [
        ("console", "2019年衡阳有多少家高新技术企业？"),
        ("web", "2020年衡阳有多少家高新技术企业？"),
    ]
    assert records[0].session == records[1].session
    assert bot.ask("南华大学研发了什么？").reply_id is None  # a bot without a log


def test_a_clarification_lists_its_options(bot: QABot) -> None:
    bot.ask("2019年衡阳有多少家高新技术企业？", session_id="clarify-options")
    clarify = bot.ask("那2021年呢？", session_id="clarify-options")
    assert clarify.kind == "clarify"
    assert any("377" in option for option in clarify.options)
    chosen = bot.ask("第一个", session_id="clarify-options")
    assert "377" in chosen.answer


def test_report_and_misses_read_the_console_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("QA_BOT_CACHE_DIR", str(tmp_path))
    yesterday = time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(time.time() - 86400))
    older = {"time": yesterday, "session": "x", "question": "市长是谁？"}
    (tmp_path / "misses.jsonl").write_text(json.dumps(older, ensure_ascii=False) + "\n", "utf-8")
    questions = "衡阳市的常住人口是多少？\n衡阳常住人口有多少\n南华大学研发了什么？\n"
    monkeypatch.setattr("sys.stdin", io.StringIO(questions))
    assert main(["repl"]) == 0
    log = ConversationLog(tmp_path / "conversations.sqlite3")
    answered = [r for r in log.records() if r.answered]
    assert log.rate(answered[0].id, "down", "太简略")
    capsys.readouterr()

    assert main(["report"]) == 0
    out = capsys.readouterr().out
    assert "4 questions" in out  # three from the console, one imported from misses.jsonl
    assert "channels: console 3, imported 1" in out
    assert "常住人口" in out and "市长是谁" in out
    assert "“南华大学研发了什么？”" in out and "太简略" in out
    assert "× 《" in out  # the most-cited documents

    assert main(["misses"]) == 0  # imported once only: not counted twice
    misses = capsys.readouterr().out
    assert "2× “衡阳市的常住人口是多少？”" in misses and "1× “市长是谁？”" in misses

    assert main(["report", "--since", "2030-01-01"]) == 0
    assert "no conversations logged since 2030-01-01" in capsys.readouterr().out


def test_processes_starting_together_share_one_salt(tmp_path: Path) -> None:
    """Threads stand in for server workers that start at the same moment: each must hash with
    the one salt that ends up in the file (a second salt would split sessions in the log)."""
    start = threading.Barrier(8)
    salts: list[bytes] = []

    def make() -> None:
        start.wait()
        salts.append(load_salt(tmp_path / "c.sqlite3.salt"))

    threads = [threading.Thread(target=make) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(salts)) == 1
    assert salts[0] == (tmp_path / "c.sqlite3.salt").read_bytes().strip()
    assert [p.name for p in tmp_path.iterdir()] == ["c.sqlite3.salt"]  # no temporary left


def test_an_import_skips_misses_logged_here_a_second_apart(tmp_path: Path) -> None:
    log = ConversationLog(tmp_path / "c.sqlite3")
    log.record("console", "s", reply("常住人口是多少？", answered=False, kind="abstain"))
    logged = log.records()[0].time
    earlier = time.strftime(
        "%Y-%m-%dT%H:%M:%S",
        time.localtime(time.mktime(time.strptime(logged, "%Y-%m-%dT%H:%M:%S")) - 1),
    )
    lines = [
        {"time": earlier, "session": "x", "question": "常住人口是多少？"},  # the same miss
        {"time": "2000-01-01T00:00:00", "session": "y", "question": "市长是谁？"},
    ]
    misses = tmp_path / "misses.jsonl"
    misses.write_text("".join(json.dumps(line) + "\n" for line in lines), "utf-8")
    assert log.import_misses(misses) == 1
    assert log.import_misses(misses) == 0
