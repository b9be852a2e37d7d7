"""Conversation: follow-ups per session, clarification, sources, isolation and bounded state."""

from __future__ import annotations

import time

import pytest

from qa_bot import QABot
from qa_bot.dialog import DialogState, SessionStore, list_items, relative_years
from qa_bot.evaluation import load_question_set, run, summarise
from qa_bot.models import Reply

from .test_answers import QUESTIONS


def ask_all(bot: QABot, session: str, questions: list[str]) -> list[Reply]:
    bot.reset(session)
    return [bot.ask(q, session_id=session) for q in questions]


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        (["2019年衡阳有多少家高新技术企业？", "那2020年呢？"], "415"),
        (["2019年衡阳有多少家高新技术企业？", "科技型中小企业呢？"], "159"),
        (["2020年科技型中小企业有多少家？", "去年呢？"], "159"),
        (["南华大学研发了什么？", "它是谁研发的？"], "南华大学"),
        (["南华大学研发了什么？", "这个激光器有多大功率？"], "100千瓦"),
        (["哪些电商企业参加了2020社交电商衡阳峰会？", "第二个呢？"], "多牛资本"),
        (["2020年衡阳有多少家高新技术企业？", "申报的"], "265"),
        (["2020年衡阳有多少家高新技术企业？", "第二个"], "265"),
        (["衡州大道数字经济走廊全长多少公里？", "面积呢？"], "50"),
    ],
)
def test_follow_ups(bot: QABot, turns: list[str], expected: str) -> None:
    *_, last = ask_all(bot, "follow", turns)
    assert last.answered
    assert expected in last.answer


def test_source_of_the_last_answer(bot: QABot) -> None:
    *_, source = ask_all(bot, "src", ["2019年衡阳有多少家高新技术企业？", "出处？"])
    assert source.kind == "source"
    assert "《创新衡阳 乘势而上》" in source.answer
    assert "273家" in source.answer


def test_ambiguous_question_asks_which_one(bot: QABot) -> None:
    [reply] = ask_all(bot, "clarify", ["2020年衡阳有多少家高新技术企业？"])
    assert reply.kind == "clarify"
    assert "415" in reply.answer and "265" in reply.answer
    assert "哪一个" in reply.answer


def test_more_gives_further_answers_then_says_so(bot: QABot) -> None:
    replies = ask_all(bot, "more", ["有哪些院士莅临衡阳？", *["还有呢？"] * 6])
    answers = [r.answer for r in replies]
    assert len(set(answers[:2])) == 2
    assert "没有更多" in answers[-1]


def test_independent_question_does_not_inherit(bot: QABot) -> None:
    *_, reply = ask_all(
        bot, "fresh", ["2019年衡阳有多少家高新技术企业？", "衡阳共有多少名科技专家？"]
    )
    assert "1007" in reply.answer
    assert "2019" not in reply.answer


def test_interleaved_sessions_keep_their_own_state(bot: QABot) -> None:
    bot.reset("alice")
    bot.reset("bob")
    bot.ask("2019年衡阳有多少家高新技术企业？", session_id="alice")
    bot.ask("2017年科技型中小企业有多少家？", session_id="bob")
    alice = bot.ask("那2020年呢？", session_id="alice")
    bob = bot.ask("那2018年呢？", session_id="bob")
    assert "415" in alice.answer
    assert "73" in bob.answer and "科技型中小企业" in bob.answer


def test_reset_starts_afresh(bot: QABot) -> None:
    ask_all(bot, "reset", ["2019年衡阳有多少家高新技术企业？"])
    bot.reset("reset")
    reply = bot.ask("出处？", session_id="reset")
    assert not reply.answered


def test_state_round_trips_as_json(bot: QABot) -> None:
    ask_all(bot, "json", ["2020年衡阳有多少家高新技术企业？"])
    state = bot.sessions.get("json")
    again = DialogState.model_validate_json(state.model_dump_json())
    assert again == state
    assert again.options


def test_state_is_bounded() -> None:
    store = SessionStore(max_sessions=3, idle_seconds=60)
    for n in range(5):
        store.put(f"s{n}", DialogState(question="问" * 5000, items=["项"] * 100))
    assert len(store) == 3
    assert store.get("s0").question is None  # evicted: a fresh state
    kept = store.get("s4")
    assert kept.question is not None and len(kept.question) <= 300
    assert len(kept.items) <= 8


def test_idle_sessions_expire() -> None:
    store = SessionStore(max_sessions=10, idle_seconds=0.05)
    store.put("s", DialogState(question="问题"))
    time.sleep(0.1)
    assert store.get("s").question is None


def test_export_and_restore() -> None:
    store = SessionStore(max_sessions=10, idle_seconds=60)
    store.put("s", DialogState(question="问题", years=[2019]))
    copy = SessionStore(max_sessions=10, idle_seconds=60)
    copy.restore({**store.export(), "broken": {"years": "not a list"}})
    assert copy.get("s").years == [2019]
    assert len(copy) == 1


def test_relative_years_need_a_reference() -> None:
    assert relative_years("去年呢", [2020]) == "2019年呢"
    assert relative_years("去年呢", []) == "去年呢"


def test_list_items() -> None:
    answer = "京东、多牛资本、光云科技、阿里巴巴等国内60余家知名电商企业代表来衡交流分享。"
    assert list_items(answer) == ["京东", "多牛资本", "光云科技", "阿里巴巴"]


def test_development_dialogues_keep_their_accuracy(bot: QABot) -> None:
    items = [i for i in load_question_set(QUESTIONS / "dev.yaml") if i.turns]
    assert len(items) >= 25
    summary = summarise(run(bot, items))
    assert summary["dialogue_turn_accuracy"] >= 0.9
