"""The unanswered-question log and `qa-bot misses`."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from qa_bot import QABot
from qa_bot.cli import main
from qa_bot.misses import MissLog, read_misses
from qa_bot.models import Reply


def abstained(question: str) -> Reply:
    return Reply(
        question=question,
        answer="抱歉",
        text="抱歉",
        answered=False,
        confidence=0.0,
        kind="abstain",
    )


def test_concurrent_writers_lose_no_line(tmp_path: Path) -> None:
    log = MissLog(tmp_path / "misses.jsonl", abstain_threshold=0.4)

    def write(worker: int) -> None:
        for n in range(50):
            log.record(f"s{worker}", abstained(f"问题{worker}-{n}" * 5))

    threads = [threading.Thread(target=write, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    lines = (tmp_path / "misses.jsonl").read_text("utf-8").splitlines()
    assert len(lines) == 400
    assert all(json.loads(line)["answered"] is False for line in lines)


def test_only_misses_and_low_confidence_are_logged(tmp_path: Path) -> None:
    log = MissLog(tmp_path / "m.jsonl", abstain_threshold=0.4)
    confident = Reply(
        question="q", answer="a", text="a", answered=True, confidence=0.9, kind="fact"
    )
    shaky = confident.model_copy(update={"confidence": 0.45, "question": "shaky"})
    log.record("s", confident)
    log.record("s", shaky)
    log.record("s", abstained("missing"))
    assert [e["question"] for e in read_misses(tmp_path / "m.jsonl")] == ["shaky", "missing"]


def test_console_logs_and_misses_groups_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("QA_BOT_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(
        "sys.stdin",
        __import__("io").StringIO(
            "衡阳市的常住人口是多少？\n衡阳常住人口有多少\n南华大学研发了什么？\n"
        ),
    )
    assert main(["repl"]) == 0
    assert len(read_misses(tmp_path / "misses.jsonl")) == 2
    capsys.readouterr()
    assert main(["misses", "--top", "3"]) == 0
    out = capsys.readouterr().out
    assert "2× “衡阳市的常住人口是多少？”" in out
    assert "常住人口" in out.splitlines()[-1]


def test_eval_does_not_log(bot: QABot) -> None:
    assert bot.miss_log is None
