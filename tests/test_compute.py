"""Computing and verifying across facts, on a small hand-made knowledge folder (a county school
sports meeting, not the shipped articles): sums, differences, ratios and comparisons of
different facts with the working shown, changes along a series, date intervals, and yes/no
questions decided from the facts (or honestly not decided)."""

from __future__ import annotations

import pytest

from qa_bot import QABot, Reply
from qa_bot.answering.operand_phrases import Part, parts_of

from .conftest import BotOf, load_folder

MEETING = """---
title: 青禾县中学生运动会
date: 2022-05
---
## 一、概况
2022年，青禾县中学生运动会共有参赛学生420名，其中男生230名，女生190名。运动会经费为50万元。
运动会有县级裁判员12名，市级裁判员5名。

## 二、成绩
本届运动会上，青禾一中选手获得金牌5枚。青禾一中选手还获得银牌3枚。青禾二中选手获得铜牌6枚。
跳远项目有60名选手进入初赛，31名选手进入决赛。

## 三、主办
本届运动会由青禾县教育局、青禾县体育局和青禾县团委联合主办，在株洲市体育中心举行。

## 四、历年
青禾县中学生运动会参赛学校2019—2022年分别为12所、15所、14所、18所。2022年参赛学校预计净增3所，2023年预计净增5所。

## 五、日程
2022年4月1日，运动会开始报名。2022年4月15日，运动会开幕。
"""


def fact(subject: str, attribute: str, value: str, evidence: str, **more: str) -> str:
    fields = ", ".join(f"{key}: {item}" for key, item in more.items())
    extra = f", {fields}" if fields else ""
    return (
        f'- {{subject: {subject}, attribute: {attribute}, value: "{value}", doc: meeting, '
        f'evidence: "{evidence}"{extra}}}\n'
    )


MEET = "青禾县中学生运动会"
FACTS = "".join(
    [
        fact(MEET, "参赛学生数量", "420", "共有参赛学生420名", unit="名", time='"2022"'),
        fact(MEET, "男生数量", "230", "其中男生230名", unit="名", time='"2022"'),
        fact(MEET, "女生数量", "190", "女生190名", unit="名", time='"2022"'),
        fact(MEET, "经费", "50", "运动会经费为50万元", unit="万元", time='"2022"'),
        fact(MEET, "县级裁判员数量", "12", "运动会有县级裁判员12名", unit="名"),
        fact(MEET, "市级裁判员数量", "5", "市级裁判员5名", unit="名"),
        fact("青禾一中", "金牌数量", "5", "青禾一中选手获得金牌5枚", unit="枚"),
        fact("青禾一中", "银牌数量", "3", "青禾一中选手还获得银牌3枚", unit="枚"),
        fact("青禾二中", "铜牌数量", "6", "青禾二中选手获得铜牌6枚", unit="枚"),
        fact("跳远项目", "初赛选手数量", "60", "跳远项目有60名选手进入初赛", unit="名"),
        fact("跳远项目", "决赛选手数量", "31", "31名选手进入决赛", unit="名"),
        fact(
            MEET,
            "主办单位",
            "青禾县教育局、青禾县体育局和青禾县团委",
            "由青禾县教育局、青禾县体育局和青禾县团委联合主办",
            kind="relation",
        ),
        fact(MEET, "举办地点", "株洲市体育中心", "在株洲市体育中心举行", kind="relation"),
        *(
            fact(
                MEET,
                "参赛学校数量",
                count,
                "参赛学校2019—2022年分别为12所、15所、14所、18所",
                unit="所",
                time=f'"{year}"',
            )
            for year, count in [(2019, "12"), (2020, "15"), (2021, "14"), (2022, "18")]
        ),
        *(
            fact(
                MEET,
                "参赛学校预计净增数量",
                count,
                f"{year}年预计净增{count}所",
                unit="所",
                time=f'"{year}"',
                qualifiers="[净增, 预计]",
            )
            for year, count in [(2022, "3"), (2023, "5")]
        ),
        fact(
            MEET,
            "开始报名",
            "开始报名",
            "2022年4月1日，运动会开始报名",
            kind="event",
            time="2022-04-01",
        ),
        fact(MEET, "开幕", "开幕", "2022年4月15日，运动会开幕", kind="event", time="2022-04-15"),
    ]
)


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> QABot:
    return load_folder(tmp_path_factory, {"docs/meeting.md": MEETING, "facts/meeting.yaml": FACTS})


def ask(bot: QABot, question: str) -> Reply:
    return bot.ask(question, session_id=question)


@pytest.mark.parametrize(
    ("question", "working"),
    [
        ("运动会男生加上女生一共多少名？", "230 + 190 = 420名"),
        ("男生比女生多多少名？", "230 − 190 = 40名"),
        ("青禾一中的金牌和银牌加起来一共几枚？", "5 + 3 = 8枚"),
        ("青禾一中的金牌和银牌加起来一共获得了几枚？", "5 + 3 = 8枚"),  # 加起来 is no joiner
        ("男生是女生的几倍？", "230 ÷ 190 ≈ 1.21"),
        ("2021年参赛学校比2020年少几所？", "15 − 14 = 1所"),  # one series: its own arithmetic
        ("市级和县级裁判员一共有多少名？", "5 + 12 = 17名"),  # 裁判员 lent to 市级
        ("跳远从初赛到决赛一共刷掉了多少名选手？", "60 − 31 = 29名"),  # dropped: a difference
        # what is left of a total once a part is taken out: a difference, without 一共
        ("跳远进了初赛但没进决赛的选手有几名？", "60 − 31 = 29名"),
        ("420名参赛学生里，不是男生的有多少名？", "420 − 230 = 190名"),
        ("参赛学生不算男生的话还剩多少名？", "420 − 230 = 190名"),
    ],
)
def test_figures_of_different_facts_are_combined_with_the_working(
    bot: QABot, question: str, working: str
) -> None:
    reply = ask(bot, question)
    assert reply.kind == "compute"
    assert working in reply.answer


def test_a_comparison_of_two_facts_names_the_larger(bot: QABot) -> None:
    reply = ask(bot, "参赛的男生多还是女生多？")
    assert reply.answer.startswith("男生更多")
    assert "230 > 190" in reply.answer


def test_figures_in_different_measures_are_not_added(bot: QABot) -> None:
    reply = ask(bot, "男生加上运动会经费一共是多少？")
    assert "不能直接相加" in reply.answer
    assert "230" in reply.answer and "50万元" in reply.answer


@pytest.mark.parametrize(
    ("question", "working"),
    [
        ("2019年到2022年参赛学校一共有多少所？", "12 + 15 + 14 + 18 = 59所"),
        ("2019年到2022年参赛学校合计多少所？", "12 + 15 + 14 + 18 = 59所"),
        ("2019年到2022年参赛学校一共多了多少所？", "18 − 12 = 6所"),  # a change in all
        # 净 says the change is net; it does not ask the 预计净增 figures
        ("2019年到2022年这几年，参赛学校一共净增加了多少所？", "18 − 12 = 6所"),
        ("22年比21年参赛学校净多了几所", "18 − 14 = 4所"),
        ("2022年参赛学校比2021年多出来几所？", "18 − 14 = 4所"),
        ("按预计，2023年参赛学校净增比2022年多几所", "5 − 3 = 2所"),
        # one year asked: its change from the year before it, not over the whole series
        ("2022年参赛学校增加了多少所？", "18 − 14 = 4所"),
        ("2021年参赛学校比上年减少了几所", "15 − 14 = 1所"),
    ],
)
def test_adding_up_a_series_is_not_its_change_in_all(
    bot: QABot, question: str, working: str
) -> None:
    assert working in ask(bot, question).answer


def test_a_multiple_of_a_year_the_series_lacks_is_not_computed_from_others(bot: QABot) -> None:
    """2018 has no figure: a multiple computed over 2019—2022 would answer another question."""
    assert "1.5倍" in ask(bot, "2022年参赛学校是2019年的几倍？").answer
    assert "倍" not in ask(bot, "2022年参赛学校是2018年的几倍？").answer


@pytest.mark.parametrize(
    "question",
    [
        "2019年到2022年参赛学校分别有多少所？",
        "请把2019年到2022年参赛学校逐年的数量列一下，我要做对比",
    ],
)
def test_each_year_of_a_range_is_listed(bot: QABot, question: str) -> None:
    assert "分别为12所、15所、14所、18所" in ask(bot, question).answer


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("2019年和2022年参赛学校有多少所？", "2019年12所、2022年18所"),
        ("19年到22年，参赛学校从多少所涨到多少所？帮我核一下两头的数", "12所、15所、14所、18所"),
    ],
)
def test_each_year_named_or_both_ends_of_a_range(bot: QABot, question: str, expected: str) -> None:
    """Two years named get a figure each, not the first one's alone; 从多少到多少 both ends."""
    assert expected in ask(bot, question).answer


def test_a_change_in_a_year_the_series_lacks_is_not_computed_from_others(bot: QABot) -> None:
    reply = ask(bot, "2024年参赛学校增加了多少所？")
    assert not reply.answered and "2024年" in reply.answer, reply.answer


def test_the_year_with_the_biggest_change_of_a_series(bot: QABot) -> None:
    reply = ask(bot, "哪一年参赛学校增加得最多？")
    assert reply.answer.startswith("2022年增加最多")
    assert "18 − 14 = 4所" in reply.answer


def test_the_days_between_two_dated_facts(bot: QABot) -> None:
    reply = ask(bot, "运动会开始报名后过了几天开幕？")
    # the timeline stage answers first; either way the two dates and the gap are stated
    assert "4月1日" in reply.answer and "4月15日" in reply.answer and "14天" in reply.answer


@pytest.mark.parametrize(
    ("question", "start", "shown"),
    [
        ("参赛学校是不是年年都在增加？", "不是", "2021年比上一年减少"),
        ("2019到2020年参赛学校是不是一直在增加？", "是的", "12所、15所"),
        ("运动会是教育局自己一家主办的吗？", "不是，共有3家", "青禾县团委"),
        ("青禾一中有没有拿铜牌？", "没有", "青禾一中"),  # …金牌5枚 or …银牌3枚
        ("青禾一中有没有拿金牌？", "有。", "5枚"),  # 有没有 is answered 有, not 是的
        ("2022年参赛学生有500名吗？", "不是", "420名"),
        ("2022年参赛学生超过400名了吗？", "是的", "420名"),
        ("2020年参赛学校比2021年多吗？", "是的", "15 > 14"),
        ("中学生运动会是在长沙举行的吗？", "不是", "株洲市"),
    ],
)
def test_yes_no_questions_are_verified_against_the_facts(
    bot: QABot, question: str, start: str, shown: str
) -> None:
    reply = ask(bot, question)
    assert reply.answered
    assert reply.answer.startswith(start), reply.answer
    assert shown in reply.answer


def test_a_negated_question_gets_the_facts_without_a_backwards_verdict(bot: QABot) -> None:
    reply = ask(bot, "青禾一中没有拿到金牌吗？")
    assert reply.answered
    assert not reply.answer.startswith(("是", "不是", "没有")), reply.answer
    assert "5枚" in reply.answer


def test_a_claim_the_facts_do_not_state_is_not_confirmed(bot: QABot) -> None:
    reply = ask(bot, "青禾一中的金牌数是全省第一吗？")
    assert not reply.answer.startswith("是")
    assert not reply.answered


def test_a_question_splits_at_joining_words_only(bot: QABot) -> None:
    pipeline = bot.pipeline

    def parts(text: str) -> list[Part]:
        question = pipeline.analyser.run(pipeline.guard.run(text))
        assert question is not None
        return parts_of(question, pipeline.scorer.tokenizer)[0]

    assert [p.text for p in parts("男生和女生一共多少名")] == ["男生", "女生一共多少名"]
    assert parts("参赛学生参与人数增加了多少") == []  # 参与, 增加 stay whole words
    assert parts("男生一共多少名") == []
    # A phrase of a year alone names what the other phrase names, in that year.
    first, second = parts("2020年和2021年参赛学校一共多少所")
    assert first.own == second.own != frozenset()
    assert (first.years, second.years) == ((2020,), (2021,))


def test_a_folder_without_facts_still_answers_yes_no_from_a_sentence(bot_of: BotOf) -> None:
    bot = bot_of({"docs/meeting.md": MEETING})
    reply = bot.ask("青禾一中选手有没有获得铜牌？")
    assert reply.answer.startswith("没有"), reply.answer
    reply = bot.ask("中学生运动会共有参赛学生500名吗？")
    assert reply.answer.startswith("不是"), reply.answer
    assert "420名" in reply.answer


LIBRARY = (
    "# 青禾县图书馆\n\n"
    "青禾县图书馆藏书30万册，是全市最大的县级图书馆，也是全省第二大的县级图书馆。\n"
)


@pytest.mark.parametrize(
    ("question", "start"),
    [
        ("青禾县图书馆是全省最大的县级图书馆吗？", "不是"),  # 全省第二大
        ("青禾县图书馆是不是全市最大的县级图书馆？", "是的"),
        ("青禾县图书馆藏书30万册，是真的吗？", "是的"),
        ("核实一下：青禾县图书馆藏书是40万册，对吗？", "不是"),
    ],
)
def test_a_claimed_rank_is_checked_within_its_scope(
    bot_of: BotOf,
    question: str,
    start: str,
) -> None:
    bot = bot_of({"docs/library.md": LIBRARY})
    reply = bot.ask(question)
    assert reply.answer.startswith(start), reply.answer
    assert "全省第二大" in reply.answer


CLUB = "# 读书会\n\n2022年3月，青山镇读书会成立，镇长李华任会长，教师王丽任秘书长。\n"


def test_a_claimed_post_is_checked_against_who_holds_it(bot_of: BotOf) -> None:
    bot = bot_of({"docs/club.md": CLUB})
    wrong = bot.ask("李华是读书会的秘书长吗？")
    assert wrong.answer.startswith("不是") and "李华任会长" in wrong.answer, wrong.answer
    assert not bot.ask("王丽是不是读书会的秘书长？").answer.startswith("不是")


GROWTH = "# 企业\n\n青山镇企业净增数量2020年、2021年分别为15家、18家。\n"
GROWTH_FACTS = "".join(
    f'- {{subject: 青山镇, attribute: 企业净增数量, value: "{n}", unit: 家, time: "{y}",'
    f" doc: growth, evidence: 青山镇企业净增数量2020年、2021年分别为15家、18家}}\n"
    for y, n in [(2020, 15), (2021, 18)]
)


def test_a_change_the_knowledge_states_is_looked_up_not_computed(bot_of: BotOf) -> None:
    files = {"docs/growth.md": GROWTH, "facts/growth.yaml": GROWTH_FACTS}
    bot = bot_of(files)
    reply = bot.ask("2020年青山镇企业净增了多少家？")
    assert "15家" in reply.answer and "−" not in reply.answer, reply.answer


APPLIED = "# 申报\n\n2021年，青山镇申报科技企业37家，预计全年科技企业总数将超过60家。\n"
APPLIED_FACTS = (
    '- {subject: 青山镇, attribute: 申报科技企业数量, value: "37", unit: 家, time: "2021",'
    " doc: applied, evidence: 青山镇申报科技企业37家}\n"
    '- {subject: 青山镇, attribute: 预计科技企业总数, value: "60", unit: 家, time: "2021",'
    " doc: applied, evidence: 预计全年科技企业总数将超过60家}\n"
)


def test_an_actual_outcome_is_not_answered_by_applied_or_expected_figures(bot_of: BotOf) -> None:
    files = {"docs/applied.md": APPLIED, "facts/applied.yaml": APPLIED_FACTS}
    bot = bot_of(files)
    actual = bot.ask("2021年青山镇申报了37家科技企业，最后实际认定了多少家？")
    assert not actual.answered and "没有提到实际的结果" in actual.answer, actual.answer
    passed = bot.ask("那37家科技企业，最后通过认定的有多少家？")  # 通过认定 asks the outcome too
    assert not passed.answered and "没有提到实际的结果" in passed.answer, passed.answer
    assert "37家" in bot.ask("2021年青山镇实际申报了多少家科技企业？").answer


COUNTED = "# 科技企业\n\n2021年，青山镇科技企业总数为80家，全年申报科技企业37家。\n"
COUNTED_FACTS = (
    '- {subject: 青山镇, attribute: 科技企业数量, value: "80", unit: 家, time: "2021",'
    " qualifiers: [总数], doc: counted, evidence: 青山镇科技企业总数为80家}\n"
    '- {subject: 青山镇, attribute: 申报科技企业数量, value: "37", unit: 家, time: "2021",'
    " qualifiers: [申报], doc: counted, evidence: 全年申报科技企业37家}\n"
)


@pytest.mark.parametrize(
    ("question", "verdict", "stated"),
    [
        # 申报 before the claimed figure says what is counted
        ("青山镇2021年申报的科技企业超过50家了吗？", "不是", "37家"),
        ("青山镇2021年申报的科技企业是80家吗？", "不是", "37家"),
        # 申报 after it is the claim itself
        ("青山镇2021年科技企业37家是申报的吗？", "是", "37家"),
    ],
)
def test_a_qualifier_before_a_claimed_figure_says_what_is_counted(
    bot_of: BotOf, question: str, verdict: str, stated: str
) -> None:
    bot = bot_of({"docs/counted.md": COUNTED, "facts/counted.yaml": COUNTED_FACTS})
    reply = bot.ask(question)
    assert reply.answer.startswith(verdict) and stated in reply.answer, reply.answer


def test_a_change_from_the_year_before_needs_the_year_before(bot_of: BotOf) -> None:
    """An undated figure has no year before it to be compared with."""
    files = {"docs/counted.md": COUNTED, "facts/counted.yaml": COUNTED_FACTS}
    files["docs/now.md"] = "# 现状\n\n目前，柳溪村拥有合作社12家，工业增加值占比达到20%。\n"
    bot = bot_of(files)
    undated = bot.ask("柳溪村12家合作社比上一年多了几家？")
    assert not undated.answered and "12家" in undated.answer, undated.answer


SHARES = (
    "# 高新产业\n\n2019年，青山县高新技术产业增加值占GDP比重达到16.3%。\n\n"
    "目前，红河镇高新技术产业增加值占GDP比重达到33.8%，居全县第一。\n"
)
SHARES_FACTS = (
    '- {subject: 青山县, attribute: 高新技术产业增加值占GDP比重, value: "16.3", unit: "%",'
    ' time: "2019", doc: shares, evidence: 2019年，青山县高新技术产业增加值占GDP比重达到16.3%}\n'
    '- {subject: 红河镇, attribute: 高新技术产业增加值占GDP比重, value: "33.8", unit: "%",'
    " doc: shares, evidence: 红河镇高新技术产业增加值占GDP比重达到33.8%}\n"
)


def test_a_place_and_a_stand_in_compare_the_other_phrase_s_measure(bot_of: BotOf) -> None:
    """比全县2019年的水平: 水平 stands for the share the first phrase names, the year is the
    county's alone (the town's share has none), and two shares differ by points."""
    bot = bot_of({"docs/shares.md": SHARES, "facts/shares.yaml": SHARES_FACTS})
    reply = bot.ask("红河镇高新技术产业增加值占GDP的比重，比青山县2019年的水平高几个百分点？")
    assert "17.5个百分点" in reply.answer, reply.answer
