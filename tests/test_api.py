"""The Python API: Reply fields, sessions, and valid replies for any input whatsoever."""

from __future__ import annotations

import json
import sys
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qa_bot import QABot, Reply
from qa_bot.answering.examples import fact_questions
from qa_bot.misses import MissLog
from qa_bot.models import Fact


def test_reply_contract(bot: QABot) -> None:
    reply = bot.ask("衡阳哪一年获批建设国家创新型城市？", session_id="api")
    assert reply.answered
    assert "2018年4月" in reply.answer
    assert reply.answer.count("。") == 1
    assert 0.0 <= reply.confidence <= 1.0
    assert reply.sources and reply.sources[0].doc_id
    assert reply.text.startswith(reply.answer)
    assert "来源：《" in reply.text


def test_unanswerable_question_abstains_with_suggestions(bot: QABot) -> None:
    reply = bot.ask("衡阳市的常住人口是多少？")
    assert not reply.answered
    assert reply.kind == "abstain"
    assert "没有找到" in reply.answer
    assert 2 <= len(reply.suggestions) <= 3
    for suggestion in reply.suggestions:
        assert bot.ask(suggestion).answered


@pytest.mark.parametrize(
    ("question", "fragment"),
    [
        ("", "请输入一个问题"),
        ("   \n\t ", "请输入一个问题"),
        ("？？？！！！", "没看懂"),
        ("😀🎉👍", "没看懂"),
        ("问" * 10_001, "问题太长了"),
    ],
)
def test_bad_questions_get_a_friendly_reply(bot: QABot, question: str, fragment: str) -> None:
    reply = bot.ask(question)
    assert not reply.answered
    assert fragment in reply.answer


@pytest.mark.parametrize(
    "question",
    [
        "<b>衡阳</b>有多少家高企？",
        "*衡阳* _高企_ [链接](http://x)",
        "衡阳\x00\x1b[31m高企\ud800有多少家",
    ],
)
def test_markup_and_control_characters_do_not_break_answers(bot: QABot, question: str) -> None:
    reply = bot.ask(question)
    assert isinstance(reply, Reply)
    assert reply.text


def test_greeting_gets_help_with_examples(bot: QABot) -> None:
    reply = bot.ask("你好")
    assert reply.kind == "help"
    assert reply.suggestions


def test_reset_forgets_the_session(bot: QABot) -> None:
    bot.ask("衡阳哪一年获批建设国家创新型城市？", session_id="r1")
    assert bot.last_reply("r1") is not None
    bot.reset("r1")
    assert bot.last_reply("r1") is None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.characters(), max_size=300))
def test_any_unicode_gives_a_valid_reply(bot: QABot, question: str) -> None:
    reply = bot.ask(question, session_id="fuzz")
    assert isinstance(reply, Reply)
    assert reply.answer and reply.text
    assert 0.0 <= reply.confidence <= 1.0
    reply.model_dump_json()


def test_over_long_question_is_refused_before_any_cleaning(bot: QABot) -> None:
    question = "问\x00" * 1_000_000
    tracemalloc.start()
    try:
        reply = bot.ask(question)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert not reply.answered
    assert "问题太长了（2000000 个字符）" in reply.answer
    assert len(reply.question) <= bot.settings.answer.max_question_chars + 1
    assert peak < sys.getsizeof(question) // 4  # nothing built in proportion to the question


def test_surrounding_white_space_does_not_count_towards_the_length_limit(bot: QABot) -> None:
    padding = " " * bot.settings.answer.max_question_chars
    reply = bot.ask(padding + "衡阳哪一年获批建设国家创新型城市？" + padding)
    assert reply.answered and "2018年4月" in reply.answer


@pytest.mark.parametrize("session_id", ["\ud800", "a\udfffb", "\\ud800", "\udc80\\"])
def test_session_id_with_lone_surrogates_is_safe(
    bot: QABot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, session_id: str
) -> None:
    monkeypatch.setattr(bot, "miss_log", MissLog(tmp_path / "misses.jsonl", 0.4))
    assert not bot.ask("衡阳市的常住人口是多少？", session_id=session_id).answered
    assert bot.ask("2019年衡阳有多少家高新技术企业？", session_id=session_id).answered
    assert "415" in bot.ask("那2020年呢？", session_id=session_id).answer
    assert bot.last_reply(session_id) is not None
    json.dumps(bot.sessions.export(), ensure_ascii=False).encode("utf-8")
    assert (tmp_path / "misses.jsonl").read_text("utf-8")
    bot.reset(session_id)
    assert bot.last_reply(session_id) is None


def test_sessions_that_differ_only_by_surrogates_stay_apart(bot: QABot) -> None:
    bot.ask("2019年衡阳有多少家高新技术企业？", session_id="\\ud800")
    bot.reset("\ud800")
    assert bot.last_reply("\\ud800") is not None
    bot.reset("\\ud800")


def test_a_suggested_question_names_its_year_once() -> None:
    """A subject that starts with its year (2020年论坛) is not given the year again."""
    fact = Fact(
        subject="2020年青山论坛",
        attribute="参会专家数量",
        value="200",
        unit="名",
        time="2020",
        doc="d",
        evidence="2020年青山论坛参会专家200名",
    )
    assert fact_questions([fact]) == ["2020年青山论坛参会专家数量是多少？"]


def test_an_operation_on_a_fact_that_matches_nothing_asked_is_not_made(bot: QABot) -> None:
    """比上年增长了几倍 once paired the asked figure with an unrelated one (a medal count),
    whose negative match score made an invalid reply: the ask raised instead of answering."""
    reply = bot.ask("衡阳现在技术合同交易额做到比上年增长了几倍")
    assert 0.0 <= reply.confidence <= 1.0
    assert "枚" not in reply.answer
