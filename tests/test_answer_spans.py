"""What part of a long sentence an answer gives: a list is given whole, and a model number
is what a 型号 question needs — on a hand-made folder, so the rules are about Chinese."""

from __future__ import annotations

import pytest

from qa_bot import QABot, lexicon
from qa_bot.sentences import whole_list
from qa_bot.text import normalise
from tests.conftest import BotOf

PLANT = """# 青山电气新品

2020年12月13日—14日，青山镇第二届新能源技术交流大会在青山科学城举行，包括张华等5位院士在内的300余名专家学者参会，大会旨在鼓励新能源从业者融合发展、跨领域拓展、跨区域协作。

2020年3月30日，在国家电器产品检验中心，由青山电气自主研发的QS-(H)F-800/35风电专用变压器一次性通过短路试验。

青山电气的风电变压器通过省级鉴定，被评定为国内领先水平。
"""


@pytest.fixture
def plant(bot_of: BotOf) -> QABot:
    return bot_of({"docs/plant.md": PLANT})


def test_a_list_at_the_end_of_a_long_sentence_is_given_whole(plant: QABot) -> None:
    reply = plant.ask("青山镇新能源技术交流大会办这个活动的目的是什么", session_id="t")
    assert reply.answered
    assert "融合发展、跨领域拓展、跨区域协作" in reply.answer, reply.answer


def test_a_model_number_question_is_not_answered_without_a_model_number(plant: QABot) -> None:
    reply = plant.ask("青山电气获得省级鉴定的那个变压器型号是什么", session_id="t")
    assert "QS-(H)F-800/35" in reply.answer or not reply.answered, reply.answer
    assert "国内领先水平" not in reply.answer or not reply.answered


def test_a_model_number_question_finds_the_sentence_with_the_number(plant: QABot) -> None:
    reply = plant.ask("那个风电专用变压器的型号是多少", session_id="t")
    assert reply.answered
    assert "QS-(H)F-800/35" in reply.answer


@pytest.mark.parametrize(
    ("start", "end", "budget", "widened"),
    [
        (0, 2, 30, (0, 4)),  # ends inside the list: runs on to its last item
        (3, 4, 30, (1, 4)),  # begins inside it: starts at its first item
        (0, 2, 5, (0, 2)),  # too long to finish: left as it is
        (4, 5, 30, (4, 5)),  # no list at its ends
    ],
)
def test_a_clause_run_is_widened_to_whole_lists(
    start: int, end: int, budget: int, widened: tuple[int, int]
) -> None:
    parts = ["开幕，", "活动旨在鼓励融合发展、", "跨领域拓展、", "跨区域协作，", "此后再议。"]
    assert whole_list(parts, start, end, budget) == widened


def test_a_run_opening_with_yici_takes_the_clause_it_points_at() -> None:
    """并以此构建… says what it built on in the clause before it: the run takes that clause
    when it fits (the reader ranks runs that leave it out lower)."""
    parts = ["出台《甲办法》，", "并以此构建乙体系，", "相继出台了丙，", "全面推进。"]
    assert whole_list(parts, 1, 4, 20) == (0, 4)
    assert whole_list(parts, 1, 4, 5) == (1, 4)
    assert whole_list(["出台《甲办法》，", "构建乙体系，", "全面推进。"], 1, 3, 20) == (1, 3)


@pytest.mark.parametrize(
    ("question", "asks_code"),
    [
        ("那个变压器的型号是什么", True),
        ("占士·邦的编号是？", True),
        ("JAXR API的代号是什么？", True),
        ("是什么型号的", True),
        ("注册中心更换时，代码需不需要修改？", False),  # program code, not a code asked for
    ],
)
def test_a_model_number_is_asked_only_by_asking_for_one(question: str, asks_code: bool) -> None:
    assert (lexicon.CODE_ASKED.search(normalise(question)) is not None) == asks_code


AWARD = (
    "# 青山纪事\n\n2020年10月23日，由全国信息协会主办的以“数聚政府·链接未来”为主题的2020年"
    "政府信息化大会上，青山市行政审批服务局凭借在“一件事一次办”跨域通办改革中的突出贡献，"
    "荣获“2020政府信息化管理创新奖”。\n\n2020年12月20日，在浙江绍兴召开的全国改革年会暨"
    "地方改革推进高层研讨会上，对入选的50个典型案例进行了表彰。其中，青山市的《“三微”模式》"
    "入选，是全省入选3个案例之一，也是我市首次入选。\n"
)


def test_an_answer_cut_from_a_long_sentence_keeps_the_asked_kind(bot_of: BotOf) -> None:
    """The date that opens a long sentence is kept when the rest of it answers 哪天颁的, and
    全省 / 我市 name no place: 在哪个城市 is answered by the clause with 绍兴."""
    bot = bot_of({"docs/news.md": AWARD})
    assert "10月23日" in bot.ask("政府信息化管理创新奖是哪天颁的").answer
    assert "绍兴" in bot.ask("三微那个案例是在哪个城市开会表彰的").answer


def test_a_kind_named_in_its_names_needs_such_a_name(plant: QABot, bot_of: BotOf) -> None:
    """哪个风电场: names of wind farms end in 风电场, so the test centre (or a word jieba tags
    as a place) is no answer; a sentence naming one is."""
    reply = plant.ask("青山电气那款风电专用变压器首台装在哪个海上风电场？", session_id="t")
    assert not reply.answered, reply.answer
    bot = bot_of(
        {
            "docs/plant.md": PLANT
            + "\n2021年5月，首台QS-(H)F-800/35变压器在东海大桥海上风电场投运。\n"
        }
    )
    reply = bot.ask("青山电气那款风电专用变压器首台装在哪个海上风电场？", session_id="t")
    assert reply.answered and "东海大桥海上风电场" in reply.answer, reply.answer


def test_a_fact_naming_only_what_the_question_quotes_names_no_document(bot_of: BotOf) -> None:
    """那个“1”是哪份文件: a fact whose only name is the “1+X” the question quotes answers
    nothing; the sentence that names the 《document》 does."""
    text = (
        "# 青山政策\n\n出台《关于加快建设青山科技强镇的意见》，并以此构建“1+X”制度政策体系，"
        "相继出台了《青山镇支持众创空间发展实施细则》《青山镇人才发展实施意见》《青山镇科技金融实施办法》"
        "等50余个创新性政策文件，形成了覆盖人才、金融、平台、载体等方面的政策支持体系，"
        "全方位推进科技强镇建设工作。\n"
    )
    facts = (
        "- {subject: 青山镇, attribute: 构建, value: “1+X”制度政策体系, kind: relation,"
        " doc: policy, evidence: 并以此构建“1+X”制度政策体系}\n"
    )
    bot = bot_of({"docs/policy.md": text, "facts/policy.yaml": facts})
    reply = bot.ask("青山镇“1+X”政策体系里的那个“1”是哪份文件？", session_id="t")
    assert "《关于加快建设青山科技强镇的意见》" in reply.answer, reply.answer


def test_a_figure_in_chinese_numerals_and_traditional_characters_answers_how_many(
    bot_of: BotOf,
) -> None:
    # A how-many question is weakly answered by a sentence without a figure; 二十五歲 is one,
    # though neither in digits nor in simplified characters.
    bot = bot_of({"docs/poet.md": "# 李白\n\n李白二十五歲時隻身離開四川，開始了廣泛漫遊。\n"})
    reply = bot.ask("李白幾歲時離開四川？")
    assert reply.answered and "二十五歲" in reply.answer


def test_a_share_of_the_asked_measure_does_not_give_the_measure(bot_of: BotOf) -> None:
    # 占GDP比重 measures the part: it says nothing of how large the GDP was.
    text = "# 青山镇年报\n\n2019年，青山镇高新技术产业增加值占GDP比重达到16.3%。\n"
    bot = bot_of({"docs/report.md": text})
    reply = bot.ask("青山镇2019年GDP是多少？")
    assert not reply.answered and "GDP" in reply.answer  # said as it was asked, not "gdp"
    share = bot.ask("青山镇2019年高新技术产业增加值占GDP比重是多少？")
    assert share.answered and "16.3%" in share.answer
