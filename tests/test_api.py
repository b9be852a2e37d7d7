"""The Python API: Reply fields, sessions, and valid replies for any input whatsoever."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qa_bot import QABot, Reply


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
