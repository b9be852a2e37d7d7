"""Several questions in one message (answering/parts.py): where a message is split, what each
part carries over from the first, and the one reply that answers every part with its own
source — on a small hand-made knowledge folder (a town library), plus the shipped articles."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from qa_bot import QABot
from qa_bot.answering.parts import split_question
from qa_bot.settings import Settings
from qa_bot.text import normalise

LIBRARY = """---
title: 青山镇图书馆
date: 2023-05
---
## 一、概况
青山镇图书馆于2019年3月开馆。2021年6月，图书馆完成扩建。馆藏图书12万册。

## 二、服务
2022年，图书馆接待读者5.6万人次。举办讲座36场，其中少儿讲座20场。

## 三、志愿者
图书馆有志愿者40名，他们来自镇中学和卫生院。
"""


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> QABot:
    """One bot for the module: the questions asked here do not change it (sessions aside)."""
    root = tmp_path_factory.mktemp("kb")
    (root / "docs").mkdir()
    (root / "docs" / "library.md").write_text(LIBRARY, encoding="utf-8")
    return QABot.load(root, settings=Settings(cache_dir=root / "cache"))


@pytest.fixture(scope="module")
def tags(bot: QABot) -> Callable[[str], list[tuple[str, str]]]:
    return bot.pipeline.tags


def split(message: str, tags: Callable[[str], list[tuple[str, str]]]) -> list[str]:
    return [part.question for part in split_question(normalise(message), tags)]


@pytest.mark.parametrize(
    ("message", "parts"),
    [
        # a question mark between two questions; the second takes the first one's subject
        (
            "2022年图书馆接待了多少读者？举办了多少场讲座？",
            ["2022年图书馆接待了多少读者", "2022年图书馆举办了多少场讲座"],
        ),
        # a comma and 又: 又 goes, the subject comes
        (
            "图书馆有多少名志愿者，又藏了多少册书",
            ["图书馆有多少名志愿者", "图书馆藏了多少册书"],
        ),
        # 其中 opens the second question
        (
            "2022年举办了多少场讲座，其中少儿讲座有几场",
            ["2022年举办了多少场讲座", "2022年举办少儿讲座有几场"],
        ),
        # A和B分别…: one question for each thing named
        ("开馆和扩建分别是哪一年", ["开馆是哪一年", "扩建是哪一年"]),
        # a joining character inside a word joins nothing (同学)
        ("入选的6位同学分别叫什么名字", []),
        # times named before 分别 share the rest
        ("2019年和2020年分别接待了多少读者", ["2019年接待了多少读者", "2020年接待了多少读者"]),
        # a subject and a 的… shared by short things (开馆和闭馆的时间)
        ("图书馆开馆和闭馆的时间分别是几点", ["图书馆开馆的时间是几点", "图书馆闭馆的时间是几点"]),
        # 以及 before a second how-many
        (
            "图书馆有多少名志愿者以及多少册藏书",
            ["图书馆有多少名志愿者", "图书馆多少册藏书"],
        ),
        # a later piece asking the same about another time or thing (…？2023年呢？)
        (
            "图书馆2022年接待了多少读者？2023年呢？",
            ["图书馆2022年接待了多少读者", "图书馆2023年接待了多少读者"],
        ),
        ("图书馆有多少名志愿者？馆员呢？", ["图书馆有多少名志愿者", "图书馆有多少名馆员"]),
        # 、 before a second question, which may ask 多大 / 多长
        ("阅览室有多长、面积多大", ["阅览室有多长", "阅览室面积多大"]),
        (
            "图书馆有多少名志愿者、多少册藏书",
            ["图书馆有多少名志愿者", "图书馆多少册藏书"],
        ),
        # voice input and keyword typing put a space where the comma goes
        (
            "2022年图书馆接待了多少读者 举办了多少场讲座",
            ["2022年图书馆接待了多少读者", "2022年图书馆举办了多少场讲座"],
        ),
        # a later piece with its own subject before 又 keeps only the first one's time
        (
            "2022年图书馆接待了多少读者 志愿者又有多少名",
            ["2022年图书馆接待了多少读者", "2022年志愿者有多少名"],
        ),
        # …，还有 + a piece with a subject of its own asks about that subject
        (
            "2022年图书馆接待了多少读者，还有镇中学有多少名志愿者",
            ["2022年图书馆接待了多少读者", "2022年镇中学有多少名志愿者"],
        ),
        # a later piece opening with 比 has its own predicate: the first one's verb stays
        (
            "图书馆现在藏书达到了多少册 比上年增加了多少",
            ["图书馆现在藏书达到了多少册", "图书馆现在藏书比上年增加了多少"],
        ),
        # a later piece's ordinal takes the place of the first one's
        (
            "2022年的36场讲座第一批办了几场 第二批办了几场",
            ["2022年的36场讲座第一批办了几场", "2022年的36场讲座第2批办了几场"],
        ),
        # 它 opening a later piece is the first piece's subject
        (
            "青山镇图书馆哪一年开馆的 它藏了多少册书",
            ["青山镇图书馆哪一年开馆的", "青山镇图书馆藏了多少册书"],
        ),
    ],
)
def test_split_question_into_standalone_parts(
    message: str, parts: list[str], tags: Callable[[str], list[tuple[str, str]]]
) -> None:
    assert split(message, tags) == [normalise(p) for p in parts]


@pytest.mark.parametrize(
    "message",
    [
        "2019年，图书馆接待了多少读者？",  # a time before the question asks nothing itself
        "图书馆有哪些服务和活动？",  # 和 between things, one question
        "近几年来读者增加了多少？",  # 几年来 asks nothing
        "《谁动了我的奶酪？》这本书放在哪一层？",  # a question mark inside a title
        "几何课在哪个教室上？",  # 几何 is no question word
        "图书馆的志愿者、读者一共有多少？",  # 、 between things, one question
        "多高校联合办的讲座有几场？",  # 多高校 asks nothing
        "“是不是该闭馆了”，管理员问的是谁？",  # a question quoted inside the question
        "1967年，全镇20几所学校的学生，在哪里集会？",  # 20几所 is twenty-odd, no question
        "图书馆 2022年 讲座 有几场",  # keywords and one question
        "《青山 往事》这本书放在哪一层？",  # a space inside a title
    ],
)
def test_one_question_is_not_split(
    message: str, tags: Callable[[str], list[tuple[str, str]]]
) -> None:
    assert split(message, tags) == []


def test_every_part_is_answered_with_its_own_source(library: QABot) -> None:
    reply = library.ask("图书馆有多少名志愿者？2022年接待了多少读者？")
    assert reply.kind == "multi" and reply.answered
    assert reply.answer.startswith("1. ") and "；2. " in reply.answer
    assert "40" in reply.answer and "5.6万" in reply.answer
    assert {s.section for s in reply.sources[:2]} == {"三、志愿者", "二、服务"}
    assert "三、志愿者" in reply.text and "二、服务" in reply.text


def test_a_part_without_answer_is_named(library: QABot) -> None:
    reply = library.ask("图书馆有多少名志愿者？馆长叫什么名字？")
    assert reply.answered and reply.kind == "multi"
    assert "40" in reply.answer
    assert "馆长叫什么名字" in reply.answer.split("2. ", 1)[1]


def test_no_part_answered_is_an_honest_abstention(library: QABot) -> None:
    reply = library.ask("馆长叫什么名字？图书馆有几台电梯？")
    assert not reply.answered and reply.kind == "abstain"


def test_second_part_takes_the_first_parts_time(library: QABot) -> None:
    reply = library.ask("2022年接待了多少读者，又举办了多少场讲座？")
    assert "5.6万" in reply.answer and "36" in reply.answer


def test_things_before_each_are_answered_one_by_one(library: QABot) -> None:
    reply = library.ask("图书馆开馆和扩建分别是什么时候？")
    assert "2019年3月" in reply.answer and "2021年6月" in reply.answer
    assert reply.answer.index("2019年3月") < reply.answer.index("2021年6月")


def test_second_item_after_a_several_part_answer(library: QABot) -> None:
    library.ask("图书馆有多少名志愿者？馆藏图书有多少册？", session_id="u")
    follow = library.ask("第二个呢？", session_id="u")
    assert "12万" in follow.answer


def test_shipped_knowledge_first_quarter_projects_and_investment(bot: QABot) -> None:
    reply = bot.ask("2021年一季度集中开工了多少个项目，总投资是多少？")
    assert "102" in reply.answer and "533" in reply.answer


def test_shipped_knowledge_two_dates_at_once(bot: QABot) -> None:
    reply = bot.ask("嫦娥五号返回器着陆和803所发来感谢信分别是哪天？")
    assert "12月17日" in reply.answer and "12月12日" in reply.answer


def test_parts_that_each_find_only_what_the_message_states_are_no_answer(bot: QABot) -> None:
    """Every part finds its topic but only the total the message states (265家): the reply
    says so, rather than answering the whole message with that total."""
    reply = bot.ask("2020年申报的265家高企 第一批报了多少 第二批报了多少")
    assert not reply.answered
    assert "只有问题中已经提到的这个总数" in reply.answer
