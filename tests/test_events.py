"""Events as data and timeline questions, on a small hand-made knowledge folder (a school's
history, printed out of order as newspaper chronicles often are) and on the shipped one."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa_bot import QABot
from qa_bot.answering.timeline_cues import Op, operation, period_in
from qa_bot.dates import EventDate, Period, duration
from qa_bot.events import EventTable
from qa_bot.loader import load_knowledge
from qa_bot.models import Reply
from qa_bot.settings import Settings

from .conftest import write_knowledge

SCHOOL = """---
title: 青松中学校史
date: 2023-09
---
青松中学创办于1958年，是一所县属完全中学。2019年来，学校坚持以科技教育为特色。

## 学校大事记

1958年，青松中学创办，首任校长为李明远。

2001年3月，学校图书馆落成。

1985年9月，新教学楼投入使用。

2015年6月12日，学校举办首届科技节。

2015年6月20日，学生合唱团、舞蹈队在县文艺汇演中获一等奖。

2015年10月，学校通过省级示范性高中评估。

2020年12月，学校被评为县级平安校园。

2020年4月，学校启用智慧校园平台。

2020年11月，学校新建的体育馆落成。

2021年2月，学校成立青少年科学院。

## 近年发展

2022年5月8日，学校迎来建校以来规模最大的校友返校活动。2023年9月，学校获评全国文明校园。
2020年优秀教师名单另行公布。
"""
FACTS = """
- {subject: 青松中学, attribute: 成立, value: 青少年科学院, time: 2021-02, kind: event, doc: school,
   evidence: "2021年2月，学校成立青少年科学院。"}
"""


@pytest.fixture(scope="module")
def school(tmp_path_factory: pytest.TempPathFactory) -> Path:
    files: dict[str, str | bytes] = {"docs/school.md": SCHOOL, "facts/school.yaml": FACTS}
    return write_knowledge(tmp_path_factory.mktemp("school"), files)


@pytest.fixture(scope="module")
def table(school: Path) -> EventTable:
    return EventTable.from_knowledge(load_knowledge(school))


@pytest.fixture(scope="module")
def school_bot(school: Path, tmp_path_factory: pytest.TempPathFactory) -> QABot:
    return QABot.load(school, settings=Settings(cache_dir=tmp_path_factory.mktemp("cache")))


def ask(bot: QABot, question: str) -> Reply:
    return bot.ask(question, session_id=question)


# --- the event table ------------------------------------------------------------------------


def test_every_dated_sentence_is_an_event_in_time_order(table: EventTable) -> None:
    keys = [e.date.key for e in table]
    assert keys == sorted(keys)
    dates = [e.date.text() for e in table]
    assert dates[0] == "1958年"
    assert "2023年9月" in dates  # a date inside running text counts too
    texts = " ".join(e.what for e in table)
    assert "以科技教育为特色" not in texts  # 2019年来 is a span, not a date
    assert "优秀教师名单" not in texts  # 2020年优秀教师… names a list, it dates nothing


def test_a_hand_written_event_wins_over_its_sentence(table: EventTable) -> None:
    academy = [e for e in table if "青少年科学院" in e.what]
    assert len(academy) == 1
    assert academy[0].hand_written
    assert academy[0].who == "青松中学"
    assert academy[0].section == "学校大事记"


def test_dates_keep_their_precision(table: EventTable) -> None:
    by_text = {e.what: e.date for e in table}
    assert by_text["青松中学创办，首任校长为李明远"].precision == "year"
    assert by_text["学校图书馆落成"].precision == "month"
    assert by_text["学校举办首届科技节"].precision == "day"


def test_period_queries(table: EventTable) -> None:
    assert len(table.in_period(Period.years(2015))) == 3
    assert len(table.in_period(Period.month(2015, 6))) == 2
    second_quarter = table.in_period(Period.quarter(2020, 2))
    assert [e.what for e in second_quarter] == ["学校启用智慧校园平台"]
    assert [e.date.text() for e in table.in_period(Period.half(2015, first=False))] == [
        "2015年10月"
    ]
    # a bare year is in its year, but not known to be in any half of it
    assert len(table.in_period(Period.years(1958))) == 1
    assert not table.in_period(Period.half(1958, first=True))


def test_first_last_and_within_a_section(table: EventTable) -> None:
    chronicle = table.in_sections("大事记")
    assert [e.date.text() for e in chronicle.first()] == ["1958年"]
    assert [e.date.text() for e in chronicle.last()] == ["2021年2月"]
    assert [e.date.text() for e in table.last()] == ["2023年9月"]


def test_before_and_after_follow_dates_not_print_order(table: EventTable) -> None:
    library = next(e for e in table if e.what == "学校图书馆落成")
    assert [e.what for e in table.after(library)] == ["学校举办首届科技节"]
    assert [e.date.text() for e in table.before(library)] == ["1985年9月"]


@pytest.mark.parametrize(
    ("first", "second", "spoken"),
    [
        (EventDate(year=2020, month=12, day=12), EventDate(year=2020, month=12, day=17), "相隔5天"),
        (
            EventDate(year=2018, month=4),
            EventDate(year=2021, month=12),
            "按月份计约3年8个月（44个月）",
        ),
        (
            EventDate(year=2020, month=12, day=13),
            EventDate(year=2021, month=10),
            "按月份计约10个月",
        ),
        (EventDate(year=2016), EventDate(year=2019, month=5), "按年份计约3年"),
        (EventDate(year=2001, month=3), EventDate(year=2020, month=3), "按月份计约19年（228个月）"),
    ],
)
def test_durations_say_how_precise_they_are(
    first: EventDate, second: EventDate, spoken: str
) -> None:
    assert duration(first, second).spoken() == spoken
    assert duration(second, first).spoken() == spoken


# --- recognising timeline questions ---------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "op"),
    [
        ("校史大事记里最早的一件事是哪一年的", Op.FIRST),
        ("大事记一直记到了哪个月", Op.LAST),
        ("图书馆落成之后接着发生的是什么事", Op.AFTER),
        ("按时间顺序,科技节之前的那件事是什么", Op.BEFORE),
        ("体育馆落成后的下一个月有什么事", Op.NEXT_MONTH),
        ("图书馆落成和体育馆落成哪个在前", Op.ORDER),
        ("从图书馆落成到体育馆落成花了多长时间", Op.DURATION),
        ("2015年一共记了几件事", Op.COUNT),
        ("2015年6月有哪些事", Op.LIST),
        ("大事记里2015年都有些什么事", Op.LIST),
        ("大事记里2001年3月就记了1件事,是什么", Op.LIST),
        ("学校图书馆是哪一年落成的", None),
        ("最后进入决赛的有多少个项目", None),
        ("最早的一条铁路是哪条", None),
        ("截至哪一年全校有一千名学生", None),
        ("文件第一条是什么", None),
        ("大事记里第一条是什么", Op.FIRST),
        ("大事记最后一条讲的是什么", Op.LAST),
        ("大事记第一条说的啥", Op.FIRST),
        ("图书馆落成、科技节、体育馆落成,哪1件最早", Op.EARLIEST_OF),
        ("李明远、王刚、张华3位校长谁是最晚来的", Op.LATEST_OF),
        ("大事记中2015年的几件事,最晚发生的是哪1件", Op.LATEST_OF),
    ],
)
def test_timeline_questions_are_recognised_from_generic_cues(question: str, op: Op | None) -> None:
    assert operation(question) == op


def test_periods_named_in_questions() -> None:
    assert period_in("2021年一季度") == Period.quarter(2021, 1)
    assert period_in("2021年第2季度") == Period.quarter(2021, 2)
    assert period_in("2015年下半年") == Period.half(2015, first=False)
    assert period_in("2015年6月") == Period.month(2015, 6)
    assert period_in("2017年至2020年") == Period.years(2017, 2020)
    assert period_in("没有时间") is None


# --- answers --------------------------------------------------------------------------------


def test_first_event_of_the_chronicle(school_bot: QABot) -> None:
    reply = ask(school_bot, "大事记里最早的一件事是哪年的？")
    assert reply.answered
    assert "1958年" in reply.answer
    assert reply.sources[0].section == "学校大事记"


@pytest.mark.parametrize(
    "question",
    ["后面那个大事记，最早一条是哪一年的？", "大事记第一条说的啥", "大事记头一条写的什么"],
)
def test_words_pointing_at_the_chronicle_name_no_event(school_bot: QABot, question: str) -> None:
    """后面那个, 说的, 第一条 say where to look and what is asked, not which event."""
    reply = ask(school_bot, question)
    assert reply.answered
    assert "1958年" in reply.answer


def test_last_event_of_all_and_of_the_chronicle(school_bot: QABot) -> None:
    assert "2023年9月" in ask(school_bot, "最后一件事是什么？").answer
    assert "2021年2月" in ask(school_bot, "大事记一直记到了哪个月？").answer


def test_a_period_lists_all_its_events_numbered_with_the_count(school_bot: QABot) -> None:
    reply = ask(school_bot, "大事记里2015年6月有哪些事？")
    assert reply.kind == "list"
    assert "共有2件事" in reply.answer
    assert "1. " in reply.answer and "2. " in reply.answer
    assert "科技节" in reply.answer and "合唱团" in reply.answer
    assert len(reply.sources) == 2


def test_a_follow_up_picks_an_item_of_the_list(school_bot: QABot) -> None:
    school_bot.ask("大事记里2015年6月有哪些事？", session_id="items")
    reply = school_bot.ask("第二个呢？", session_id="items")
    assert "2015年6月20日" in reply.answer and "合唱团、舞蹈队" in reply.answer


def test_an_impossible_month_is_no_period(school_bot: QABot) -> None:
    assert period_in("2015年13月") is None
    assert "共有" not in ask(school_bot, "大事记里2015年13月有哪些事？").answer


def test_count_in_a_period(school_bot: QABot) -> None:
    assert "共有3件事" in ask(school_bot, "大事记里2015年一共记了几件事？").answer
    assert "共有3件事" in ask(school_bot, "2015年大事记里记了几件事？").answer
    assert "智慧校园" in ask(school_bot, "2020年第二季度有哪些事？").answer


def test_after_and_before_an_event_named_by_its_words(school_bot: QABot) -> None:
    after = ask(school_bot, "按时间先后，图书馆落成之后接着发生的是什么事？")
    assert "首届科技节" in after.answer
    before = ask(school_bot, "按时间顺序，首届科技节之前的那件事是啥？")
    assert "图书馆" in before.answer and "2001年3月" in before.answer


def test_the_month_after_an_event(school_bot: QABot) -> None:
    reply = ask(school_bot, "体育馆落成之后的下一个月，大事记里记了什么？")
    assert "2020年12月" in reply.answer and "平安校园" in reply.answer


def test_which_of_two_events_came_first(school_bot: QABot) -> None:
    reply = ask(school_bot, "学校体育馆落成和图书馆落成，哪个在前？")
    assert reply.answer.index("图书馆") < reply.answer.index("在前")
    assert "2001年3月" in reply.answer and "2020年11月" in reply.answer


def test_the_earliest_or_latest_of_several_listed_events(school_bot: QABot) -> None:
    """A、B、C哪件最早 names each event by its own words and answers with all in order."""
    reply = ask(school_bot, "体育馆落成、学校举办首届科技节、图书馆落成，这三件事哪一件最早？")
    assert reply.answered
    assert reply.answer.startswith("这3件事里最早的是：2001年3月，学校图书馆落成")
    assert reply.answer.index("2015年6月12日") < reply.answer.index("2020年11月")
    reply = ask(school_bot, "图书馆落成、体育馆落成、成立青少年科学院，哪件事最晚？")
    assert "最晚的是：2021年2月" in reply.answer


def test_the_first_or_last_of_a_period_of_the_chronicle(school_bot: QABot) -> None:
    """条目, 几件事 and 最 say which entries are meant, not what they are about."""
    assert "2001年3月" in ask(school_bot, "大事记里2001年的条目中，时间最早的是哪一件？").answer
    reply = ask(school_bot, "大事记中2015年的几件事，最晚发生的是哪一件？")
    assert "最晚的一件事：2015年10月" in reply.answer


def test_durations_between_two_named_events(school_bot: QABot) -> None:
    assert "相隔8天" in ask(school_bot, "从首届科技节到合唱团获一等奖隔了几天？").answer
    assert "19年8个月" in ask(school_bot, "从图书馆落成到体育馆落成花了多长时间？").answer
    assert (
        "按年份计约57年" in ask(school_bot, "从青松中学创办到通过示范性高中评估用了多少年？").answer
    )


def test_a_duration_asked_without_from_or_with_leading_words(school_bot: QABot) -> None:
    """A到B with no 从, and 一共用了 before 多长时间, still name the two events."""
    reply = ask(school_bot, "图书馆落成到体育馆落成，中间隔了多久？")
    assert "19年8个月" in reply.answer
    reply = ask(school_bot, "从图书馆落成到学校通过示范性高中评估，学校一共用了多长时间？")
    assert "14年7个月" in reply.answer


def test_an_ambiguous_event_is_not_guessed(school_bot: QABot) -> None:
    """落成 fits the library (2001) and the gym (2020) alike: the stage passes the question on."""
    pipeline = school_bot.pipeline
    question = pipeline.analyser.run(pipeline.guard.run("落成之后接着发生的是什么事？"))
    assert question is not None
    assert pipeline.timeline.run(question) is None


def test_a_period_without_events_is_said_honestly(school_bot: QABot) -> None:
    reply = ask(school_bot, "大事记里2010年有哪些事？")
    assert not reply.answered
    assert "2010年" in reply.answer and "1958年" in reply.answer


def test_an_ordinary_question_is_not_a_timeline_question(school_bot: QABot) -> None:
    pipeline = school_bot.pipeline
    question = pipeline.analyser.run(pipeline.guard.run("学校图书馆是哪一年落成的？"))
    assert question is not None
    assert pipeline.timeline.run(question) is None
    assert "2001年3月" in ask(school_bot, "学校图书馆是哪一年落成的？").answer


# --- the shipped knowledge ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("大事记里2019年记了几件事？", ["共有2件事"]),
        ("大事记中2020年11月有哪些事？", ["政协委员", "电商产业园"]),
        ("大事记里最后记的一件事是什么？", ["2021年12月"]),
        ("从获批建设国家创新型城市到通过评估，用了多长时间？", ["3年8个月"]),
        ("省科技厅来衡阳调研之后，大事记里接着记的是什么？", ["2021年1月", "毛伟明"]),
    ],
)
def test_timeline_questions_on_the_shipped_knowledge(
    bot: QABot, question: str, expected: list[str]
) -> None:
    reply = bot.ask(question)
    assert reply.answered
    for text in expected:
        assert text in reply.answer
