"""Conversation: follow-ups per session, clarification, sources, isolation and bounded state."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from qa_bot import QABot
from qa_bot.dialog import (
    DialogState,
    clauses,
    correction,
    list_items,
    relative_years,
    resolve,
    swap_topic,
)
from qa_bot.dialog_references import answered_thing, named_by_head, refer_back
from qa_bot.evaluation import load_question_set, run, summarise
from qa_bot.models import Reply
from qa_bot.sessions import SessionStore
from qa_bot.settings import Settings
from qa_bot.text import normalise
from qa_bot.tokenizer import Tokenizer

from .conftest import BotOf
from .test_answers import QUESTIONS


def ask_all(bot: QABot, session: str, questions: list[str]) -> list[Reply]:
    bot.reset(session)
    return [bot.ask(q, session_id=session) for q in questions]


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        (["2019年衡阳有多少家高新技术企业？", "那2020年呢？"], "415"),
        (["科技型中小企业二零二零年有多少家", "那二零二一年呢"], "726"),  # years in words
        (["2019年衡阳有多少家高新技术企业？", "第二年呢", "比上一年多多少"], "142"),
        (["2018年衡阳有多少家高新技术企业？", "那2019年呢", "比前一年多多少家？"], "76"),
        (["2019年衡阳有多少家高新技术企业？", "科技型中小企业呢？"], "159"),
        (["2020年科技型中小企业有多少家？", "去年呢？"], "159"),
        (["2020年科技型中小企业有多少家？", "再往前一年呢"], "159"),
        (["2018年衡阳有多少家高新技术企业？", "what about 2017"], "142"),
        (["2018年衡阳有多少家高新技术企业？", "and 2019?"], "273"),
        (["2020年科技型中小企业有多少家？", "那2018年呢 有多少"], "73"),  # the bare question again
        # an alternative of the same kind replaces its like (contrasts.txt)
        (["衡阳国家级高新技术产业开发区有几个", "省级的呢"], "2个"),
        (["衡阳技师学院在第一届全国职业技能大赛拿了几枚银牌", "优胜奖呢"], "8个"),
        (["南华大学研发了什么？", "它是谁研发的？"], "南华大学"),
        (["南华大学研发了什么？", "这个激光器有多大功率？"], "100千瓦"),
        # 它 after a what-thing question is the thing answered, not the maker asked about
        (["南华大学搞出来个啥全国首台的东西", "它啥时候正式启用的"], "2021年12月"),
        (["哪些电商企业参加了2020社交电商衡阳峰会？", "第二个呢？"], "多牛资本"),
        (["2020年衡阳有多少家高新技术企业？", "申报的"], "265"),
        (["2020年衡阳有多少家高新技术企业？", "第二个"], "265"),
        (["衡州大道数字经济走廊全长多少公里？", "面积呢？"], "50"),
        (["衡阳哪个区获批建设省级创新型区？", "它现在有多少家高企"], "57"),
        (["衡阳哪个区获批建设省级创新型区？", "它现在有多少家高企", "科研经费呢"], "6.2亿"),
        (["第三代杂交水稻双季稻平均亩产多少", "在哪儿种的"], "衡南"),
        (["第三代杂交水稻双季稻平均亩产多少", "在哪儿种的", "这是头一回破世界纪录吗"], "再次"),
        (["衡阳高企有多少家", "我是说2019年的"], "273"),
        (["2020年衡阳有多少家高新技术企业？", "不是这个，是申报的"], "265"),
        (["2019年衡阳有多少家高新技术企业？", "我问的是科技型中小企业"], "159"),
        (["衡阳市国家创新型城市建设领导小组组长是谁？", "顾问呢？他当时是什么职务"], "市委书记"),
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


def test_plain_question_gets_the_plain_figure_and_the_qualified_ones_in_a_line(
    bot: QABot,
) -> None:
    [reply] = ask_all(bot, "plain", ["2020年衡阳有多少家高新技术企业？"])
    assert reply.kind == "fact" and reply.answer.startswith("2020年，衡阳市高新技术企业数量为415家")
    assert "申报" in reply.answer and "265" in reply.answer and "哪一个" not in reply.answer


def test_question_with_only_qualified_figures_asks_which_one(bot: QABot) -> None:
    [reply] = ask_all(bot, "clarify", ["2021年衡阳有多少家高新技术企业？"])
    assert reply.kind == "clarify"
    assert "377" in reply.answer and "180" in reply.answer
    assert "哪一个" in reply.answer


def test_more_gives_further_answers_then_says_so(bot: QABot) -> None:
    replies = ask_all(bot, "more", ["有哪些院士莅临衡阳？", *["还有呢？"] * 6])
    answers = [r.answer for r in replies]
    assert len(set(answers[:2])) == 2
    assert "没有更多" in answers[-1]


def test_question_with_its_own_subject_and_measure_inherits_nothing(bot: QABot) -> None:
    *_, reply = ask_all(
        bot, "own", ["雁峰区有多少家高新技术企业？", "衡州大道数字经济走廊有多长？"]
    )
    assert "23公里" in reply.answer
    assert "117" not in reply.answer and "高新技术企业" not in reply.answer


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
        entities = {"person": ["名" * 5000] * 100}
        store.put(f"s{n}", DialogState(question="问" * 5000, items=["项"] * 100, entities=entities))
    assert len(store) == 3
    assert store.get("s0").question is None  # evicted: a fresh state
    kept = store.get("s4")
    assert kept.question is not None and len(kept.question) <= 300
    assert len(kept.items) <= 8
    assert len(kept.entities["person"]) <= 8 and len(kept.entities["person"][0]) <= 300


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


@pytest.mark.parametrize(
    ("message", "meant"),
    [
        ("里面聚了多少家企业？", "数字走廊聚了多少家企业？"),
        ("这里面有几个园区", "数字走廊有几个园区"),
        ("它有多长", "数字走廊有多长"),
        ("园区里面有几家企业", "园区里面有几家企业"),  # 里面 after a noun is that noun's
    ],
)
def test_it_is_what_the_last_answer_was_about(bot: QABot, message: str, meant: str) -> None:
    state = DialogState(question="数字走廊有多长？", entity="数字走廊")
    assert refer_back(message, state, bot.tokenizer) == meant


@pytest.mark.parametrize(
    ("entity", "message", "meant"),
    [
        ("光纤激光器", "那研发总共花了多少钱？", "光纤激光器研发总共投入了多少经费?"),
        ("光纤激光器", "那南华大学研发了什么？", "那南华大学研发了什么?"),  # names its own
        ("衡阳市", "那科技型中小企业有多少家", "那科技型中小企业有多少家"),  # a place: swapped
    ],
)
def test_a_question_opening_with_then_goes_on_about_the_last_thing(
    bot: QABot, entity: str, message: str, meant: str
) -> None:
    state = DialogState(question="光纤激光器的功率是多少？", entity=entity)
    assert resolve(message, state, bot.tokenizer).question == meant


@pytest.mark.parametrize(
    ("text", "entity", "meant"),
    [
        ("信是哪天发来的", "感谢信", "感谢信是哪天发来的"),
        ("大学研发了什么", "南华大学", "南华大学研发了什么"),
        ("论坛的主题是什么", "大数据高峰论坛", "大数据高峰论坛的主题是什么"),
        ("信息化水平如何", "感谢信", "信息化水平如何"),  # 信息化 is no 信
        ("感谢信是哪天发来的", "感谢信", "感谢信是哪天发来的"),
        ("信是哪天发来的", None, "信是哪天发来的"),
    ],
)
def test_a_head_noun_opening_a_follow_up_is_the_last_thing(
    text: str, entity: str | None, meant: str
) -> None:
    assert named_by_head(text, entity) == meant


def test_the_kind_a_follow_up_asks_for_is_no_subject_of_its_own(bot: QABot) -> None:
    state = DialogState(question="哪个案例入选了？", entity="“六微”模式提升机关党建水平")
    meant = resolve("是哪个单位搞的？", state, bot.tokenizer).question
    assert meant == "“六微”模式提升机关党建水平是哪个单位搞的?"


def test_the_title_a_which_question_gets_is_what_it_then_refers_to(town: QABot) -> None:
    pipeline = town.pipeline
    question = pipeline.analyser.run(pipeline.guard.run("博物馆的哪个项目受到了称赞？"))
    assert question is not None
    answer = "省文物局称赞了博物馆的《古籍修复》项目。"
    assert pipeline.referents.answered(question, {}, answer) == "古籍修复"


def test_relative_years_need_a_reference() -> None:
    assert relative_years("去年呢", [2020]) == "2019年呢"
    assert relative_years("去年呢", []) == "去年呢"
    assert relative_years("第2年呢", [2017]) == "2018年呢"  # 第二年, once normalised
    assert relative_years("那次年会在哪开的", [2020]) == "那次年会在哪开的"  # that annual meeting


def test_list_items() -> None:
    answer = "京东、多牛资本、光云科技、阿里巴巴等国内60余家知名电商企业代表来衡交流分享。"
    assert list_items(answer) == ["京东", "多牛资本", "光云科技", "阿里巴巴"]


def test_development_dialogues_keep_their_accuracy(bot: QABot) -> None:
    items = [i for i in load_question_set(QUESTIONS / "dev.yaml") if i.turns]
    assert len(items) >= 25
    summary = summarise(run(bot, items))
    assert summary["dialogue_turn_accuracy"] >= 0.9


# References back to the last answer, by kind, on a small hand-made knowledge folder (a town,
# not the shipped articles): the rules are about Chinese, not about one knowledge base.
TOWN = """---
title: 青山镇文化建设
date: 2023-01
---
## 博物馆
2021年6月，青山镇博物馆正式开馆，馆长由王海涛担任，副馆长由李秀英担任。

青山镇博物馆由绿林建筑公司承建，总投资3200万元。

王海涛此前是青山镇中学校长。

李秀英此前是县文化馆研究员。

2022年，青山镇博物馆吸引游客5万人次。

## 文化站
2022年9月，青山镇文化站建成，站长由张建国担任。

张建国此前是县图书馆馆员。

青山镇文化站由红星装饰公司承建，总投资800万元。

## 灯会
2021年6月，第一届青山灯会在石桥村举办，吸引游客2万人次。

2022年，第二届青山灯会吸引游客3.5万人次。

石桥村位于青山镇东部，共有农户420户。

柳溪村位于青山镇西部，共有农户360户。

2022年5月，青山读书节在柳溪村举办。

## 来信
2022年3月，省文物局给青山镇博物馆发来一封表扬信，信中称赞博物馆的古籍修复项目。

2022年10月，市文联给青山读书节发来一封感谢信，信中称赞读书节的志愿者团队。

## 绿道
青山绿道全长18公里，沿途设有6个驿站。
"""


@pytest.fixture()
def town(make_knowledge: Callable[[dict[str, str | bytes]], Path], tmp_path: Path) -> QABot:
    root = make_knowledge({"docs/town.md": TOWN})
    return QABot.load(root, settings=Settings(cache_dir=tmp_path / "cache"))


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        # 他 / 这位… → the person of the last answer
        (["青山镇文化站站长是谁？", "他此前是做什么的？"], ["县图书馆馆员"]),
        (["博物馆副馆长是谁？", "这位副馆长此前是做什么的？"], ["县文化馆研究员"]),
        # 这家公司 → the organisation
        (["青山镇文化站由哪家公司承建？", "这家公司承建的项目总投资多少？"], ["800万元"]),
        # 那里 → the place
        (["第一届青山灯会在哪里举办？", "那儿有多少户农户？"], ["420"]),
        # 同一个月 → the month of the last answer
        (["青山镇博物馆什么时候开馆？", "同一个月还举办了什么活动？"], ["灯会"]),
        # 这封信 → the word of the last answer ending in 信
        (["省文物局给博物馆发来了什么？", "这封信称赞了什么？"], ["古籍修复项目"]),
        (["市文联给读书节发来了什么？", "这封信称赞了什么？"], ["志愿者团队"]),
        # a question without a subject of its own takes the last topic
        (["第一届青山灯会吸引了多少游客？", "在哪里举办的？"], ["石桥村"]),
        # 它 → the entity that answered "哪个村"
        (["哪个村举办了第一届青山灯会？", "它位于哪里？"], ["青山镇东部"]),
        # a correction replaces what the last question asked
        (["2022年青山灯会吸引了多少游客？", "不对，我说的是2021年"], ["2万"]),
        # a fragment and a question in one message: 她 is the fragment's answer
        (["博物馆馆长是谁？", "副馆长呢？她此前是做什么的"], ["李秀英", "研究员"]),
    ],
)
def test_references_take_the_entity_of_their_kind(
    town: QABot, turns: list[str], expected: list[str]
) -> None:
    *_, last = ask_all(town, "refer", turns)
    assert last.answered
    for text in expected:
        assert text in last.answer


def test_a_self_contained_question_inherits_nothing(town: QABot) -> None:
    *_, reply = ask_all(town, "own", ["石桥村共有多少户农户？", "青山绿道有多长？"])
    assert "18公里" in reply.answer
    assert "420" not in reply.answer and "石桥村" not in reply.answer


def test_they_two_are_the_people_of_the_last_answer(town: QABot) -> None:
    ask_all(town, "two", ["博物馆馆长和副馆长分别是谁？"])
    state = town.sessions.get("two")
    rewritten = resolve("他们两人此前是做什么的？", state, town.tokenizer).question
    assert "王海涛" in rewritten and "李秀英" in rewritten and "他们" not in rewritten


def test_a_correction_of_the_topic_keeps_the_rest_of_the_question(town: QABot) -> None:
    ask_all(town, "topic", ["2022年青山灯会吸引了多少游客？"])
    state = town.sessions.get("topic")
    rewritten = resolve("我问的是博物馆", state, town.tokenizer).question
    assert "博物馆" in rewritten and "2022年" in rewritten and "游客" in rewritten
    assert "灯会" not in rewritten and "我问" not in rewritten


def test_a_demonstrative_in_a_description_is_no_reference(town: QABot) -> None:
    ask_all(town, "described", ["青山镇文化站站长是谁？"])
    state = town.sessions.get("described")
    message = "博物馆开馆时任命的那位馆长是谁？"
    assert "张建国" not in resolve(message, state, town.tokenizer).question


def test_a_reference_with_nothing_to_refer_to_is_left_alone(town: QABot) -> None:
    ask_all(town, "nobody", ["青山绿道有多长？"])  # an answer without a person or a month
    state = town.sessions.get("nobody")
    assert resolve("他此前是做什么的？", state, town.tokenizer).question == "他此前是做什么的?"


def test_entities_of_an_answer_by_kind(town: QABot) -> None:
    pipeline = town.pipeline
    question = pipeline.analyser.run(pipeline.guard.run("青山镇博物馆的馆长是谁？"))
    assert question is not None
    answer = "2021年6月，青山镇博物馆正式开馆，馆长由王海涛担任。博物馆由绿林建筑公司承建。"
    found = pipeline.referents.find(question, answer)
    assert found["person"][0] == "王海涛"
    assert found["organisation"][0] == "绿林建筑公司"
    assert found["month"] == ["2021年6月"]
    assert found["year"] == ["2021年"]
    assert pipeline.referents.answered(question, found, answer) is None  # 它 is no person
    built = pipeline.analyser.run(pipeline.guard.run("哪家公司承建了青山镇博物馆？"))
    assert built is not None
    found = pipeline.referents.find(built, answer)
    assert pipeline.referents.answered(built, found, answer) == "绿林建筑公司"
    cleft = pipeline.analyser.run(pipeline.guard.run("青山镇博物馆是哪家公司承建的？"))
    assert cleft is not None  # about the museum: 它 stays the museum
    assert pipeline.referents.answered(cleft, found, answer) is None


@pytest.mark.parametrize(
    ("message", "meant"),
    [
        ("我是说2019年的", "2019年的"),
        ("不是这个，是申报的", "申报的"),
        ("我问的是科技型中小企业", "科技型中小企业"),
        ("不对，我说的是2020年的", "2020年的"),
        ("2019年的呢", None),
        ("我是说", ""),
    ],
)
def test_corrections(message: str, meant: str | None) -> None:
    assert correction(normalise(message)) == meant


def test_clauses_split_only_a_fragment_followed_by_a_question() -> None:
    assert clauses("顾问呢？他当时是什么职务") == ["顾问呢？", "他当时是什么职务"]
    asked_twice = "双创大赛有多少项目进了初赛？最后进决赛的又有多少"
    assert clauses(asked_twice) == [asked_twice]


def test_it_after_who_is_still_the_thing_asked_about(bot_of: BotOf) -> None:
    """它 never means a person: after 拖拉机是谁研发的 → 青山农机厂, 它 is still the
    tractor, so 它是什么时候投产的 asks when the tractor went into production."""
    bot = bot_of(
        {
            "docs/news.md": "# 青山纪事\n\n青山农机厂研发了全省首台5吨电动拖拉机。"
            "2023年6月，全省首台5吨电动拖拉机在青山镇正式投产。\n"
        }
    )
    first, then = ask_all(bot, "it", ["全省首台5吨电动拖拉机是谁研发的", "它是什么时候正式投产的"])
    assert "青山农机厂" in first.answer
    assert then.answered and "2023年6月" in then.answer
    asked = ["全省首台5吨电动拖拉机是哪家单位研发的", "它是什么时候正式投产的"]  # the body
    assert "2023年6月" in ask_all(bot, "body", asked)[-1].answer


FORUMS = (
    "# 青山纪事\n\n2020年12月13日，2020年青山读书论坛在青山市举行。\n\n"
    "2020年青山读书论坛以“书香青山，阅读未来”为主题，由青山市文联主办。\n\n"
    "2021年青山读书论坛以“读书明理”为主题，由青山市教育局主办。\n"
)


def test_a_property_asked_alone_is_the_topics(bot_of: BotOf) -> None:
    """主题是什么 names one common noun and nothing else: it asks the 2020 forum's theme, and
    the topic stays the forum (with its year), so 谁主办的 asks who organised that forum."""
    bot = bot_of({"docs/news.md": FORUMS})
    replies = ask_all(bot, "forum", ["2020年青山读书论坛哪天开的", "主题是什么", "谁主办的"])
    assert "书香青山" in replies[1].answer.split("。")[0]
    assert "文联" in replies[2].answer.split("。")[0]


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        (["2020年衡阳科技型中小企业有多少家？", "第二年呢？", "多了多少家？"], "254"),
        (["2019年衡阳有多少家高新技术企业？", "比上年多了多少家"], "76"),
        (["衡阳18年有多少家高企", "那20年呢", "两年之间多了多少家"], "218"),  # the two asked
        # growth over the year before is the stated 同比增长53% when the text gives one
        (["衡阳科技型中小企业2020年有多少家", "那21年呢？", "同比增长了多少？"], "53%"),
    ],
)
def test_a_bare_change_is_between_the_years_the_dialog_asked(
    bot: QABot, turns: list[str], expected: str
) -> None:
    """多了多少家 names nothing: it asks how much the last figure changed since the year asked
    before it (or the year before)."""
    assert expected in ask_all(bot, "change", turns)[-1].answer


def test_a_measure_of_money_after_a_count_asks_that_measure_instead(bot: QABot) -> None:
    """总投资呢 after …开工有多少个项目 asks the same event's investment, not 总投资 as a new
    topic in place of 重大项目; 面积呢 after 全长多少 still swaps the measure."""
    turns = ["2021年3月那次重大项目集中开工有多少个项目？", "总投资呢？"]
    assert "533亿元" in ask_all(bot, "investment", turns)[-1].answer
    assert (
        "50平方公里" in ask_all(bot, "area", ["衡州大道数字经济走廊全长多少", "面积呢"])[-1].answer
    )


def test_a_share_asked_alone_is_the_share_of_the_figure_just_answered(bot: QABot) -> None:
    """占GDP多少 names GDP and nothing of its own: it asks the share of the last figure, not
    the share another district reports."""
    turns = ["衡阳2019年高新技术产业产值多少？", "增加值呢？", "占GDP多少？"]
    assert "16.3%" in ask_all(bot, "share", turns)[-1].answer
    turns = [*turns[:2], "占GDP比重呢？", "那2020年这个比重是多少？"]  # 呢, then another year
    replies = ask_all(bot, "share again", turns)
    assert "16.3%" in replies[2].answer
    assert not replies[3].answered and "2019年" in replies[3].answer  # only 2019's is known


TOWN_NEWS = (
    "# 青山镇\n\n2020年4月9日，在青山镇党委四届八次全会上，《青山镇创新工作方案》正式出炉。\n\n"
    "青山论坛自2018年创办以来，已举办5届。\n\n2020年青山论坛在镇文化中心举行，主题是乡村振兴。\n"
)
FOUNDED = (
    '- {subject: 青山论坛, attribute: 创办年份, value: "2018", unit: 年, kind: metric,\n'
    '   doc: news, evidence: "青山论坛自2018年创办以来"}\n'
    "- {subject: 2020年青山论坛, attribute: 主题, value: 乡村振兴, kind: relation,\n"
    '   doc: news, evidence: "2020年青山论坛在镇文化中心举行，主题是乡村振兴"}\n'
)


def test_that_with_only_a_question_word_asks_about_the_last_answer(bot_of: BotOf) -> None:
    """那是哪一天 names nothing itself: it asks the day of what was just answered."""
    bot = bot_of({"docs/news.md": TOWN_NEWS})
    replies = ask_all(bot, "day", ["青山镇是在什么会议上推出创新工作方案的？", "那是哪一天？"])
    assert replies[1].answered and "4月9日" in replies[1].answer


def test_a_year_in_the_topics_name_does_not_date_a_founding_year(bot_of: BotOf) -> None:
    """2020年青山论坛是哪年创办的 (what a follow-up on the 2020 edition becomes) is answered by
    the undated 创办年份: the 2020 names the edition, not the time of the founding."""
    bot = bot_of({"docs/news.md": TOWN_NEWS, "facts/news.yaml": FOUNDED})
    reply = bot.ask("2020年青山论坛是哪年创办的")
    assert reply.answered and "2018" in reply.answer


def test_a_new_topic_opening_with_the_old_ones_modifier_replaces_it_whole(town: QABot) -> None:
    """那省级农业科技园区呢 after 省级工程技术研究中心: the whole phrase is the new topic,
    not 省级 alone (省级农业科技园区工程技术研究中心)."""
    question = "青山镇有几家省级工程技术研究中心？"
    rewritten = swap_topic(question, "省级农业科技园区", town.tokenizer)
    assert rewritten == "青山镇有几家省级农业科技园区?"
    # a word of its length with the same head is what it replaces (初赛, not 选拔赛)
    asked = "青山杯选拔赛有多少个项目进入初赛？"
    assert swap_topic(asked, "决赛", town.tokenizer) == "青山杯选拔赛有多少个项目进入决赛?"


def test_it_is_the_thing_a_what_thing_question_got(tokenizer: Tokenizer) -> None:
    """南华大学搞出来个啥首台的东西 is answered with a laser; 它 next means the laser. The
    thing is the nouns after the question's own word (首台), past a figure, its unit and 的."""
    question = "青山农机厂造了个啥全省首台的东西"
    answer = "青山农机厂研制了全省首台50马力拖拉机，填补了空白。"
    assert answered_thing(question, answer, tokenizer) == "拖拉机"
    made = "青山大学研发了国内首创的智能灌溉系统。"
    assert answered_thing("青山大学搞出了什么首创的产品", made, tokenizer) == "智能灌溉系统"
    assert answered_thing("青山大学研发了什么", made, tokenizer) is None  # no thing word


def test_a_follow_up_that_goes_on_about_the_last_question(bot: QABot) -> None:
    """湖南还有哪个城市同时被确认 names too little alone; 还有 / 同时 say it is about the
    question just asked, whose words then find the answer."""
    *_, reply = ask_all(
        bot,
        "carry",
        ["衡阳是什么时候被中国科协确认为“科创中国”试点城市的？", "湖南还有哪个城市同时被确认？"],
    )
    assert reply.answered and "长沙" in reply.answer


def test_a_short_follow_up_naming_one_common_noun_asks_about_the_last_thing(bot: QABot) -> None:
    """来了几个院士 after two questions on the 2020 forum asks how many came to it, not to
    the 2021 forum, though 院士 alone finds that one too."""
    *_, reply = ask_all(
        bot,
        "came",
        ["2020年那个大数据科技传播与应用高峰论坛是哪天开的", "谁办的呀", "来了几个院士"],
    )
    assert reply.answered and "10位院士" in reply.answer and "26位" not in reply.answer


def test_a_follow_up_going_on_with_its_own_year_does_not_take_the_last_years(
    bot: QABot,
) -> None:
    """2020年的产值又是多少 after two 2019 questions asks 2020's figure, which is not given."""
    turns = ["2019年衡阳高新技术产业实现产值多少亿元？", "增加值呢？", "2020年的产值又是多少？"]
    *_, reply = ask_all(bot, "again", turns)
    assert not reply.answered and "1685.7" not in reply.answer


def test_inside_it_opening_a_follow_up_is_the_last_thing(bot: QABot) -> None:
    turns = ["衡州大道那个数字经济走廊有多长啊？", "里头有多少家高新技术企业？"]
    *_, reply = ask_all(bot, "inside", turns)
    assert reply.answered and "117" in reply.answer


def test_this_honour_and_a_bare_when_ask_about_the_honour_just_named(bot: QABot) -> None:
    """这个称号 is the quoted honour of the last answer; 具体是什么时候 (具体 is filler) asks
    when the last answer's thing was given."""
    turns = [
        "衡阳国家高新区获批了什么国家级称号？",
        "这个称号是哪个部门评定的？",
        "具体是什么时候？",
    ]
    _, by, when = ask_all(bot, "honour", turns)
    assert by.answered and "发改委" in by.answer
    assert when.answered and "2020年12月" in when.answer


def test_switching_the_year_and_a_change_from_a_named_year(bot: QABot) -> None:
    """换成2018年呢 is 那2018年呢; 比2017年多了多少 is the change from 2017 to the year just
    asked, computed from the series."""
    turns = ["衡阳2020年高新技术企业有多少家？", "换成2018年呢？", "比2017年多了多少？"]
    _, switched, change = ask_all(bot, "switch", turns)
    assert "197" in switched.answer
    assert "55" in change.answer


def test_this_district_is_the_named_district_not_a_kind_of_one(bot: QABot) -> None:
    """After 雁峰区获批建设省级创新型县（市）区, 该区 is 雁峰区, a place name, not the kind."""
    *_, reply = ask_all(bot, "district", ["雁峰区获批建设啥了", "该区有多少家高企"])
    assert reply.answered and "57" in reply.answer


def test_a_weak_guess_with_the_last_questions_words_is_no_answer(bot: QABot) -> None:
    """另外两个湖南的是啥 is not in the text; asked again with 全国一共选了几个 beside it, it
    only shares 湖南 and 全国 with a sentence about a factory: the bot says it does not know."""
    turns = [
        "衡阳哪个党建经验入选了中国改革2020年度典型案例",
        "全国一共选了几个",
        "湖南有几个",
        "另外两个湖南的是啥",
    ]
    *_, reply = ask_all(bot, "guess", turns)
    assert not reply.answered


def test_a_follow_up_after_a_fact_about_the_citys_projects_is_about_the_projects(
    bot: QABot,
) -> None:
    """The fact's subject is the city (衡阳市一季度重大项目集中开工…), which the question never
    named: 在哪儿举行的 asks where the projects' ceremony was held, not some event in the city."""
    turns = ["2021年3月那次重大项目集中开工，开工了多少个项目？", "总投资多少？", "在哪儿举行的？"]
    *_, reply = ask_all(bot, "projects", turns)
    assert reply.answered and "数字经济走廊" in reply.answer


def test_who_they_are_after_how_many_asks_for_the_members_counted(bot: QABot) -> None:
    """都有谁 after 来了几位院士 asks which academicians came, not who held the forum."""
    turns = ["2020年的大数据科技传播与应用高峰论坛是哪天开的？", "来了几位院士？", "都有谁？"]
    *_, reply = ask_all(bot, "members", turns)
    assert reply.answered and "李兰娟" in reply.answer


def test_adding_up_the_last_two_answers(bot: QABot) -> None:
    """这两类加起来一共多少家 after two figure questions adds the two figures, with the working."""
    turns = [
        "截至目前，衡阳已建成省级重点实验室多少家？",
        "省级工程技术研究中心呢？",
        "这两类加起来一共多少家？",
    ]
    *_, reply = ask_all(bot, "both", turns)
    assert reply.answered and "31 + 20 = 51" in reply.answer
