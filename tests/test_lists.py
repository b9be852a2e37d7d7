"""List questions (answering/lists.py, answering/enumerations.py): how the items of an
enumeration are read from a sentence, and how a question asking for several things is
answered with all of them — on a small hand-made knowledge folder (a town school), plus the
shipped articles."""

from __future__ import annotations

import pytest

from qa_bot import QABot
from qa_bot.answering.enumerations import EnumerationFinder
from qa_bot.answering.list_choice import regions_unlisted
from qa_bot.answering.list_questions import asked_count, asks_for_list
from qa_bot.settings import Settings
from qa_bot.text import normalise
from qa_bot.tokenizer import Tokenizer
from tests.conftest import BotOf

SCHOOL = """---
title: 青山镇中学概况
date: 2023-09
---
## 一、课程
青山镇中学创办于1998年。学校开设语文、数学、英语和科学四门主课，另有美术课。

## 二、社团
学生可以参加“书法社”“围棋社”“合唱团”等社团。

## 三、讲座
2023年，学校邀请王明远、李华清等专家来校讲座。

专家王明远、赵强生还参观了学校的实验室。

## 四、大事记
2023年5月，学校举办春季运动会。

2023年5月，学校举办校园读书节。

2023年6月，学校举办毕业典礼。

## 五、荣誉
学校在2022年获得3个一等奖、5个二等奖。
"""


@pytest.fixture(scope="module")
def school(tmp_path_factory: pytest.TempPathFactory) -> QABot:
    """One bot for the module: the questions asked here do not change it (sessions aside)."""
    root = tmp_path_factory.mktemp("kb")
    (root / "docs").mkdir()
    (root / "docs" / "school.md").write_text(SCHOOL, encoding="utf-8")
    return QABot.load(root, settings=Settings(cache_dir=root / "cache"))


@pytest.fixture(scope="module")
def finder(tokenizer: Tokenizer) -> EnumerationFinder:
    return EnumerationFinder(tokenizer)


@pytest.mark.parametrize(
    ("sentence", "items"),
    [
        # 、 between items, 和 before the last; the verb before and the count after stay out
        ("学校开设语文、数学、英语和科学四门主课。", ("语文", "数学", "英语", "科学")),
        # quoted names one after another
        ("学生可以参加“书法社”“围棋社”“合唱团”等社团。", ("书法社", "围棋社", "合唱团")),
        # a list inside quotes: the quotes bound it
        ("窗口推行“当场办、预约办、上门办”三种方式。", ("当场办", "预约办", "上门办")),
        # a list inside brackets
        ("打造“两个中心”（教学中心、科研中心）。", ("教学中心", "科研中心")),
        # the preposition before the first item, the verb after the last
        (
            "本次活动由市文化局、市教育局和青山镇政府联合主办。",
            ("市文化局", "市教育局", "青山镇政府"),
        ),
        # a particle inside the last word (合作|共赢) ends no item
        ("学校践行“勤学、善思、合作共赢”的校训。", ("勤学", "善思", "合作共赢")),
        # 包括 introduces the list
        ("图书馆设有三个阅览室，包括少儿阅览室、期刊阅览室、电子阅览室。", None),
    ],
)
def test_items_of_an_enumeration(
    finder: EnumerationFinder, sentence: str, items: tuple[str, ...] | None
) -> None:
    found = [e.items for e in finder.find(normalise(sentence))]
    expected = items or ("少儿阅览室", "期刊阅览室", "电子阅览室")
    assert expected in found


def test_count_and_open_end_of_an_enumeration(finder: EnumerationFinder) -> None:
    [counted] = [e for e in finder.find(normalise("学校开设语文、数学和英语三门主课。"))]
    assert counted.stated == 3 and not counted.open_ended
    [some] = [e for e in finder.find(normalise("王明远、李华清等5位专家来校讲座。"))]
    assert some.items == ("王明远", "李华清") and some.open_ended and some.stated == 5


def test_a_verb_between_two_lists_parts_them(finder: EnumerationFinder) -> None:
    found = [e.items for e in finder.find(normalise("读书会、合唱团入驻文化中心、青山书院。"))]
    assert ("读书会", "合唱团") in found
    assert ("文化中心", "青山书院") in found


@pytest.mark.parametrize(
    ("question", "listing", "count"),
    [
        ("学校开设了哪些课程？", True, None),
        ("学校开了哪四门主课？", True, 4),
        ("学校开了哪几门课？", True, None),
        ("这3个社团分别是什么？", True, 3),
        ("学校有什么特点？", False, None),  # a description, not a list
        ("学校是哪一年创办的？", False, None),
        ("读书节是哪几天办的？", False, None),  # days of one event, not a list
        ("学校哪2020年获奖？", False, None),  # a year is no count
    ],
)
def test_list_questions_and_their_counts(question: str, listing: bool, count: int | None) -> None:
    normalised = normalise(question)
    assert asks_for_list(normalised) is listing
    assert asked_count(normalised) == count


def test_every_item_numbered_with_the_count(school: QABot) -> None:
    reply = school.ask("学校开设了哪些主课？")
    assert reply.kind == "list" and reply.answered
    assert reply.answer.startswith("共4个：1. 语文；2. 数学；3. 英语；4. 科学。")
    assert "原文：学校开设语文、数学、英语和科学四门主课" in reply.answer
    assert reply.text.splitlines()[1:5] == ["1. 语文", "2. 数学", "3. 英语", "4. 科学"]
    assert reply.text.splitlines()[-1] == "来源：《青山镇中学概况》 · 一、课程"


def test_named_count_that_agrees(school: QABot) -> None:
    reply = school.ask("学校开了哪四门主课？")
    assert reply.kind == "list" and reply.answer.startswith("共4门：")


def test_named_count_that_disagrees_is_not_forced_into_a_list(school: QABot) -> None:
    reply = school.ask("学校开了哪三门主课？")
    assert reply.kind != "list"
    assert "语文" in reply.answer  # the sentence itself answers


def test_quoted_names_and_a_list_that_names_only_some(school: QABot) -> None:
    reply = school.ask("学生可以参加哪些社团？")
    assert reply.kind == "list"
    assert reply.answer.startswith("资料中列出3个：1. 书法社；2. 围棋社；3. 合唱团。")


def test_items_collected_across_sentences(school: QABot) -> None:
    reply = school.ask("学校邀请了哪些专家？")
    assert reply.kind == "list"
    for name in ("王明远", "李华清", "赵强生"):
        assert name in reply.answer
    assert reply.answer.count("王明远") == 2  # once listed, once in the quoted sentence


def test_what_happened_in_a_month(school: QABot) -> None:
    reply = school.ask("2023年5月学校有哪些活动？")
    assert reply.kind == "list"
    assert "春季运动会" in reply.answer and "读书节" in reply.answer
    assert "毕业典礼" not in reply.answer


def test_amounts_are_left_to_the_sentence(school: QABot) -> None:
    reply = school.ask("学校在2022年获得了哪些奖？")
    assert reply.kind != "list"
    assert "3个一等奖" in reply.answer


def test_a_list_of_something_absent_is_not_answered(school: QABot) -> None:
    assert not school.ask("学校有哪些食堂？").answered
    assert not school.ask("2023年5月火星上有哪些事？").answered


def test_second_item_of_a_list(school: QABot) -> None:
    school.ask("学生可以参加哪些社团？", session_id="u")
    assert "围棋社" in school.ask("第二个呢？", session_id="u").answer


def test_shipped_knowledge_six_modules(bot: QABot) -> None:
    reply = bot.ask("机关党建“六微”模式分成哪六个模块？")
    assert reply.kind == "list" and reply.answer.startswith("共6个：")
    for item in ("微支部", "微学习", "微党课", "微服务", "微创新", "微展播"):
        assert item in reply.answer


def test_shipped_knowledge_three_areas_in_one_sentence(bot: QABot) -> None:
    reply = bot.ask("衡州大道数字经济走廊重点打造的是哪三个区？")
    assert reply.answer.startswith("共3个：1. 数字经济创新引领区；2. 产业聚集区；3. 应用先导区。")


def test_shipped_knowledge_a_list_no_closer_than_the_fact_loses_to_it(bot: QABot) -> None:
    # The 探月精神 slogan covers the question's words as well as the fact does, but its items
    # are no 工作: on a tie the fact answers, whatever order the terms were summed in.
    reply = bot.ask("衡阳技师学院的学生参与了嫦娥五号任务的哪些工作？")
    assert reply.kind != "list" and "电子元器件组装" in reply.answer


def test_shipped_knowledge_people_named_in_two_articles(bot: QABot) -> None:
    reply = bot.ask("2021年大数据论坛来了哪些院士？")
    for name in ("匡廷云", "冯长根", "谭建荣", "侯立安"):
        assert name in reply.answer


@pytest.mark.parametrize(
    ("question", "not_a_term"),
    [
        ("选拔赛分了哪几个组？", "哪几个"),
        ("有哪几种办法？", "哪几种"),
        ("平时都组织了哪些活动？", "平时"),
    ],
)
def test_asking_words_and_fillers_are_no_terms(
    tokenizer: Tokenizer, question: str, not_a_term: str
) -> None:
    assert not_a_term not in tokenizer.tokenise(question)


def test_a_quoted_kind_picks_the_list_whose_items_are_of_it(bot_of: BotOf) -> None:
    """哪几个“引领”: the quoted word is the kind of item (引领 is tagged a verb), so the list
    of …引领 answers, not the list of the model's parts beside it."""
    text = (
        "# 青山党建\n\n青山镇党委探索“五微”模式，以抓政治引领、组织引领、能力引领为主线，"
        "打造微支部、微学习、微党课、微服务、微创新五大工作模块。\n"
    )
    bot = bot_of({"docs/party.md": text})
    reply = bot.ask("青山镇党委探索“五微”模式以哪几个“引领”为主线？")
    assert "1. 政治引领" in reply.answer and "1. 微支部" not in reply.answer, reply.answer


def test_besides_a_named_item_asks_the_rest_of_its_list(bot_of: BotOf) -> None:
    """除了网上办还有哪几种办法: the list that holds 网上办 is the one asked about (not 总揽、
    抓手 of the same sentence), and 网上办 itself is no answer."""
    text = (
        "# 政务\n\n青山镇以“一网通办”改革为总揽、“互联网+政务”平台建设为抓手，"
        "大力推行“网上办、容缺办、承诺办、预约办”。\n"
    )
    reply = bot_of({"docs/gov.md": text}).ask("一网通办 除了网上办还推了哪几种办法")
    listed = reply.answer.split("原文")[0]
    assert "容缺办" in listed and "预约办" in listed and "网上办" not in listed, reply.answer


def test_a_list_of_regions_asked_needs_regions(tokenizer: Tokenizer) -> None:
    # 跟哪些外省城市打通 is not answered by the two aims 总揽 and 一体化
    assert regions_unlisted({"外省", "城市"}, ["总揽", "“互联网+政务服务”一体化"], tokenizer)
    assert not regions_unlisted({"城市"}, ["湘潭市", "株洲"], tokenizer)
    assert not regions_unlisted({"企业"}, ["总揽", "一体化"], tokenizer)  # no region asked
