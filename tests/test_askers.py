"""How other people ask: a story told around the question, a question passed on from someone
else, pressing words (在线等), a two-digit year, English frames and a kind restated in
Chinese — on a hand-made folder, so the rules are about Chinese, not about the shipped
articles."""

from __future__ import annotations

import pytest

from qa_bot import QABot
from qa_bot.dialog import DialogState, resolve
from qa_bot.dialog_replies import topic

from .conftest import load_folder

TOWN = """# 青山镇科技创新

青山镇共有科技专家320名，覆盖全部村（社区）。

青山镇高新技术企业2019—2020年分别为35家、52家。

青山大道科创走廊全长12公里、面积18平方公里，重点打造创新引领区和产业聚集区。

青山大学研发了我国首台50千瓦工业光纤激光器，填补了省内空白。

2019年9月，青山大学新校区正式启用。

2021年12月，我国首台50千瓦工业光纤激光器在青山镇正式启用。

青山镇科技专家人数居全市第二。青山镇高新技术产业增加值占GDP比重达到33.8%，居全市第一。

2021年5月，青山电商峰会举办，京东、阿里巴巴、拼多多等30余家知名电商企业参加。

青山镇第三代杂交水稻双季稻平均亩产达到1500公斤。

2019年5月，青山镇入选省级创新型乡镇。

2021年10月，青山镇科技年会举办，张华、李明等12位院士参会。
"""


# Facts name their subject (青山大学, 青山镇), which a follow-up must not take for what 它 or
# 排第几 is about.
FACTS = """\
- {subject: 青山大学, attribute: 工业光纤激光器功率, value: "50", unit: 千瓦, doc: town,
   evidence: "青山大学研发了我国首台50千瓦工业光纤激光器"}
- {subject: 青山镇, attribute: 科技专家数量, value: "320", unit: 名, doc: town,
   evidence: "青山镇共有科技专家320名"}
- {subject: 青山镇, attribute: 高新技术产业增加值占GDP比重, value: "33.8", unit: "%", doc: town,
   evidence: "青山镇高新技术产业增加值占GDP比重达到33.8%"}
"""


@pytest.fixture(scope="module")
def town(tmp_path_factory: pytest.TempPathFactory) -> QABot:
    return load_folder(tmp_path_factory, {"docs/town.md": TOWN, "facts/town.yaml": FACTS})


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # the asker's story before or after the question is no topic to look up
        ("老师让我们查资料，青山镇一共有多少名科技专家呀？", "320名"),
        ("我在做产业授信评估，青山镇2020年高新技术企业有多少家？", "52家"),
        ("青山大学研发的光纤激光器功率多大？我想给客户推荐一下", "50千瓦"),
        # a question passed on from someone else, with a request to look it up
        ("客户问青山大道科创走廊到底有多长，帮我查下", "12公里"),
        # pressing for the answer
        ("青山镇科技专家有几名啊 在线等", "320名"),
        # a two-digit year in the clause that asks how many
        ("青山镇19年高新技术企业有多少家", "35家"),
        # an interjection and a spoken lead-in, 的公司 for 企业, 整了 for 有
        ("哎我问一嘴，青山镇2020年那会儿高新技术的公司一共整了多少家啊？", "52家"),
        # a multiple choice asks the question before its options
        (
            "选择题：青山镇是哪一年入选省级创新型乡镇的？A. 2017年 B. 2019年 C. 2020年 D. 2021年",
            "2019年",
        ),
        # 哪一位 asks a person, not how many there were
        ("青山镇科技年会来的院士是哪一位？", "张华"),
        # Cantonese with only a final 㗎 to mark it
        ("工業光纖激光器係幾時正式啟用㗎？", "2021年12月"),
        # 选进…名单 is 入选: 名单 says only that something was chosen
        ("青山镇是哪年被选进省级创新型乡镇名单的？", "2019年"),
        # English frames, a unit in English, and the kind asked restated in Chinese
        (
            "Which university developed China's first 50kW industrial fiber laser? 哪所大学",
            "青山大学",
        ),
        ("Which well-known companies came to the 青山电商峰会? 列几家", "京东"),
    ],
)
def test_questions_as_other_people_ask_them_are_answered(
    town: QABot, question: str, expected: str
) -> None:
    reply = town.ask(question, session_id=question)
    assert reply.answered and expected in reply.answer, reply.answer


@pytest.mark.parametrize(
    "question",
    [
        # the story is discounted, but what the asking clause lacks still is not there
        "我老家也种双季稻，我想知道青山镇早稻和晚稻各自亩产是多少？",
        # a two-digit year the text lacks is not answered by another year's figure
        "青山镇18年高新技术企业有多少家",
        # all of a stated set asked, and the text names two of the twelve
        "青山镇科技年会的12位院士都是谁？",
    ],
)
def test_a_story_does_not_hide_what_the_question_lacks(town: QABot, question: str) -> None:
    reply = town.ask(question, session_id=question)
    assert not reply.answered, reply.answer


def test_a_follow_up_swaps_the_property_asked_after_a_framed_question(town: QABot) -> None:
    town.ask("有位听众问：青山大道科创走廊全长多少？", session_id="radio")
    reply = town.ask("那面积呢？", session_id="radio")
    assert reply.answered and "18平方公里" in reply.answer, reply.answer


def test_it_means_the_thing_the_last_question_pointed_at(town: QABot) -> None:
    """它 after 青山大学研发的那台激光器 is the laser, not the university the answer names."""
    town.ask("青山大学研发的那台工业光纤激光器是100千瓦的吧？", session_id="laser")
    reply = town.ask("它是什么时候正式启用的？", session_id="laser")
    assert reply.answered and "2021年12月" in reply.answer, reply.answer


@pytest.mark.parametrize(
    "message", ["在全市排第几？", "排名第几", "居全市第几", "这个比例在全市排第几"]
)
def test_a_rank_follow_up_asks_about_the_figure_just_given(town: QABot, message: str) -> None:
    """Not about the answer's subject alone (青山镇在全市排第几 would find another rank)."""
    state = DialogState(question="青山镇科技专家人数是多少？", entity="青山镇")
    resolved = resolve(message, state, town.tokenizer).question
    assert resolved.startswith("青山镇科技专家人数") and "第几" in resolved, resolved


@pytest.mark.parametrize(
    ("before", "found", "question", "kept"),
    [
        # what the question counts is no new topic
        ("青山镇", "乡镇", "2018年4月一共选了几个乡镇？", "青山镇"),
        # a property of the topic carried on, named after it
        ("青山镇", "高新技术产业增加值", "青山镇的高新技术产业增加值占GDP多少？", "青山镇"),
        ("青山灯会", "青山灯会主题", "2020年青山灯会主题是什么", "青山灯会"),
        # a new topic the question names first
        ("青山镇", "青山大学", "青山大学在青山镇哪里？", "青山大学"),
    ],
)
def test_the_dialog_keeps_its_topic_unless_the_question_names_a_new_one(
    before: str, found: str, question: str, kept: str
) -> None:
    assert topic(before, found, question) == kept


@pytest.mark.parametrize(
    ("message", "verdicts"),
    [
        ("稿子里写“青山镇共有科技专家320名，高新技术产业增加值占GDP比重达到33.8%”，都对吧？", 2),
        ("讲话稿说“青山镇共有科技专家320名，高新技术产业增加值占GDP比重达到35%”，没问题吧", 1),
    ],
)
def test_each_figure_of_a_quoted_statement_is_checked(
    town: QABot, message: str, verdicts: int
) -> None:
    """A journalist checking a sentence with two figures gets a verdict on each, and the wrong
    one corrected (不是 … 33.8%)."""
    reply = town.ask(message, session_id=message)
    assert reply.kind == "multi" and reply.answer.count("是的") == verdicts, reply.answer
    assert "320名" in reply.answer and "33.8%" in reply.answer
