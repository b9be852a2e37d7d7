"""The unanswered-question log and `qa-bot misses`."""

from __future__ import annotations

import itertools
import json
import stat
import sys
import threading
from pathlib import Path
from types import FrameType

import pytest

from qa_bot import QABot, misses
from qa_bot.cli import main
from qa_bot.misses import MissLog, group_misses, misses_report, read_misses
from qa_bot.models import Reply
from qa_bot.settings import MissesSettings


def abstained(question: str) -> Reply:
    return Reply(
        question=question,
        answer="抱歉",
        text="抱歉",
        answered=False,
        confidence=0.0,
        kind="abstain",
    )


def questions(path: Path) -> list[str]:
    entries, skipped = read_misses(path)
    assert skipped == 0
    return [str(entry["question"]) for entry in entries]


def test_concurrent_writers_lose_no_line(tmp_path: Path) -> None:
    log = MissLog(tmp_path / "misses.jsonl", low_confidence=0.55)

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
    log = MissLog(tmp_path / "m.jsonl", low_confidence=0.55)
    confident = Reply(
        question="q", answer="a", text="a", answered=True, confidence=0.9, kind="fact"
    )
    shaky = confident.model_copy(update={"confidence": 0.45, "question": "shaky"})
    log.record("s", confident)
    log.record("s", shaky)
    log.record("s", abstained("missing"))
    assert questions(tmp_path / "m.jsonl") == ["shaky", "missing"]


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
    assert len(questions(tmp_path / "misses.jsonl")) == 2
    capsys.readouterr()
    assert main(["misses", "--top", "3"]) == 0
    out = capsys.readouterr().out
    assert "2× “衡阳市的常住人口是多少？”" in out
    assert "常住人口" in out.splitlines()[-1]


def test_eval_does_not_log(bot: QABot) -> None:
    assert bot.miss_log is None


def test_lone_surrogates_are_logged(tmp_path: Path) -> None:
    log = MissLog(tmp_path / "m.jsonl", low_confidence=0.55)
    log.record("\ud800", abstained("问题\udc00？"))
    log.record("telegram:\udfff", abstained("另一个问题"))
    assert questions(tmp_path / "m.jsonl") == ["问题?？", "另一个问题"]


def test_chat_ids_are_stored_as_salted_hashes(tmp_path: Path) -> None:
    path = tmp_path / "misses.jsonl"
    MissLog(path, 0.55).record("telegram:123456789", abstained("一"))
    MissLog(path, 0.55).record("telegram:123456789", abstained("二"))  # a restarted bot
    MissLog(tmp_path / "other.jsonl", 0.55).record("telegram:123456789", abstained("三"))
    assert "123456789" not in path.read_text("utf-8")
    sessions = [e["session"] for e in read_misses(path)[0]]
    other = read_misses(tmp_path / "other.jsonl")[0][0]["session"]
    assert sessions[0] == sessions[1] != other  # same chat, same salt; another salt differs
    for private in (path, path.with_name("misses.jsonl.salt")):
        assert stat.S_IMODE(private.stat().st_mode) == 0o600


def test_an_unwritable_log_does_not_stop_answers(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "not-a-folder").write_text("")
    log = MissLog(tmp_path / "not-a-folder" / "misses.jsonl", 0.55)
    log.record("s", abstained("一"))
    assert "could not log" in caplog.text


def test_an_older_readable_log_is_made_private(tmp_path: Path) -> None:
    path = tmp_path / "misses.jsonl"
    path.write_text("")
    path.chmod(0o644)
    MissLog(path, 0.55).record("s", abstained("一"))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_log_rotates_by_size_and_keeps_a_few_files(tmp_path: Path) -> None:
    path = tmp_path / "misses.jsonl"
    log = MissLog(path, 0.55, MissesSettings(max_bytes=1000, keep=2))
    for number in range(60):
        log.record("s", abstained(f"问题{number:02d}"))
    files = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("misses.jsonl"))
    assert files == ["misses.jsonl", "misses.jsonl.1", "misses.jsonl.2", "misses.jsonl.salt"]
    assert all((tmp_path / name).stat().st_size <= 1000 for name in files)
    kept = questions(path)
    assert kept == [f"问题{number:02d}" for number in range(60 - len(kept), 60)]


def test_log_rotates_by_age(tmp_path: Path) -> None:
    path = tmp_path / "misses.jsonl"
    old = {"time": "2001-01-01T00:00:00", "session": "x", "question": "旧问题"}
    path.write_text(json.dumps(old, ensure_ascii=False) + "\n", "utf-8")
    MissLog(path, 0.55, MissesSettings(max_days=30)).record("s", abstained("新问题"))
    assert [e["question"] for e in read_misses(path.with_name("misses.jsonl.1"))[0]] == ["旧问题"]
    assert questions(path) == ["旧问题", "新问题"]  # the report still reads both


def test_unreadable_lines_are_skipped_and_counted(tmp_path: Path, bot: QABot) -> None:
    path = tmp_path / "misses.jsonl"
    good = json.dumps({"question": "南华大学的校长是谁？"}, ensure_ascii=False).encode()
    torn = good[: good.index("校".encode()) + 1]  # cut inside a three-byte character
    path.write_bytes(b"\n".join([good, torn, good, b"[1, 2]", good]) + b"\n")
    entries, skipped = read_misses(path)
    assert len(entries) == 3 and skipped == 2
    assert misses_report(bot, path, 3).splitlines()[0] == "skipped 2 unreadable lines"


def test_grouping_work_grows_linearly() -> None:
    """Count the lines executed while grouping (deterministic, unlike a timing): twice the
    questions must cost about twice the work, not four times."""
    assert lines_executed(800) < 2.3 * lines_executed(400)


def lines_executed(count: int) -> int:
    questions = [f"问 独{n}甲 独{n}乙 独{n}丙 独{n}丁" for n in range(count)]  # 问 in all
    executed = 0

    def trace(frame: FrameType, event: str, arg: object) -> object:
        nonlocal executed
        if frame.f_code.co_filename != misses.__file__:
            return None
        executed += event == "line"
        return trace

    sys.settrace(trace)
    try:
        groups = group_misses(questions, str.split, lambda t: False, lambda t: False)
    finally:
        sys.settrace(None)
    assert len(groups) == count  # every question is its own topic
    return executed


def test_grouping_joins_alike_questions() -> None:
    asked = ["高铁站 在 哪里", "高铁站 在 哪", "机场 有 几个", "高铁站 在 哪里 呢", "机场 几个"]
    groups = group_misses(asked, str.split, lambda t: True, lambda t: False)
    assert [g.questions for g in groups] == [
        ["高铁站 在 哪里", "高铁站 在 哪", "高铁站 在 哪里 呢"],
        ["机场 有 几个", "机场 几个"],
    ]


def test_dictionary_advice_only_for_words_of_the_documents(tmp_path: Path, bot: QABot) -> None:
    """A phrase made of two known words is not a dictionary term unless the documents use it;
    a term the documents use and jieba splits is."""
    path = tmp_path / "misses.jsonl"
    log = MissLog(path, 0.55)
    term = split_document_term(bot)
    for question in [f"{term}是什么？", f"{term}是什么意思？", "高新如今呢？", "高新如今怎么样？"]:
        log.record("s", abstained(question))
    report = misses_report(bot, path, 5)
    advice = [line for line in report.splitlines() if "userdict" in line]
    assert advice and all(term in line and "高新如今" not in line for line in advice)
    assert any("高新如今" in line and "document" in line for line in report.splitlines())


def split_document_term(bot: QABot) -> str:
    """A phrase of the documents that jieba cuts into two rarer two-character words."""
    words = bot.tokenizer.tokenise("\n".join(p.text for p in bot.knowledge.passages))
    is_common = bot.is_common
    for first, second in itertools.pairwise(words):
        phrase = first + second
        if len(first) == len(second) == 2 and not (is_common(first) or is_common(second)):
            in_text = any(phrase in p.text for p in bot.knowledge.passages)
            if in_text and not bot.tokenizer.is_whole_word(phrase):
                return phrase
    raise AssertionError("no split phrase in the documents")
