"""Yes/no claims as other people put them, and questions a text answers only in part: each
test loads a small hand-made knowledge folder, so the rules are about Chinese, not one text."""

from __future__ import annotations

import pytest

from qa_bot import QABot
from qa_bot.answering.claim_checks import misstated
from qa_bot.answering.intent import analyse
from qa_bot.answering.phrasing import standardise
from qa_bot.lexicon import PART_OF_STATED, stated_counts
from qa_bot.text import normalise
from tests.conftest import BotOf

TOWN = """# 青山镇科技年报

2021年5月，湖南省长沙市、青山市被中国科协确认为“科创中国”试点城市。

2020年，青山镇引进青年人才1.2万人，引进博士50名。

青山镇的《乡村振兴模式》入选全国典型案例，是全省入选3个案例之一，也是该活动开展11年来全镇首次入选。

2018年4月，科技部、国家发改委发函明确，青山市入围17个创新型城市建设城市。

2020年7月10日，镇政府常务会议专题研究创新工作，镇委副书记、镇长王小明要求未达标指标的责任单位尽快补齐短板。

青山电气研发了我国首台100千瓦工业激光器，该激光器是国内目前最大功率的工业激光器，也是全球第二大功率的工业激光器。

2019年，青山镇高新技术产业增加值占GDP比重达到16.3%。

2020年4月9日，在青山镇党委四届八次全会上，《青山镇创新工作方案》正式出炉。

累计举办51期青山论坛，为企业搭建交流平台。

2020年12月，青山创新中心在青山科学城投入运营。

2020年8月11日，青山镇第四届机器人大赛决赛圆满收官。经过有序而激烈的现场角逐，入围决赛的31个项目分组决出名次。

2020年3月30日，由青山电气自主研发的植物油变压器，一次性通过短路承受能力、振动和内燃弧等试验。这意味着我国打破了外资企业在相关领域的技术垄断，实现了植物油变压器国产化。

2021年2月，镇政府组织队伍前往镇科技局调度科技创新工作。

变压器对可靠性要求极高，一直以来核心技术掌握在少数外资企业手中。

2015年9月，青山镇启动创新型乡镇建设工作。

青山镇是全市唯一一个获批建设省级生态乡镇的镇。
"""


FACTS = """- {subject: 青山论坛, attribute: 创办年份, value: "2018", unit: 年, kind: metric,
   doc: town, evidence: "青山论坛自2018年创办以来"}
"""


@pytest.fixture
def town(bot_of: BotOf) -> QABot:
    # the town's own names, as its maintainer lists them (青山 alone is also a common word)
    names = "青山 ns\n"
    return bot_of({"docs/town.md": TOWN, "facts/town.yaml": FACTS, "dict/userdict.txt": names})


@pytest.mark.parametrize(
    "question",
    ["青山论坛是办来干嘛的", "青山论坛干啥用的", "论坛有什么用", "青山论坛主要是干嘛用的"],
)
def test_what_something_is_for_is_answered_by_the_sentence_that_gives_its_purpose(
    town: QABot, question: str
) -> None:
    reply = town.ask(question, session_id=question)
    assert reply.answered and "交流平台" in reply.answer, reply.answer


def test_a_claim_about_another_year_gets_no_verdict_from_this_years_sentence(
    town: QABot,
) -> None:
    """Only 2020's figure is written: a claim about 2021 is neither confirmed nor denied."""
    reply = town.ask("有人说青山镇2021年引进了60名博士，报道里能核实吗？", session_id="year")
    assert not reply.answer.startswith(("不是", "是的", "没有"))


@pytest.mark.parametrize(
    ("question", "verdict", "stated"),
    [
        # a claim's spoken tail asks the same as 吗
        ("青山镇2020年引进青年人才1.2万人，这个数据对吗？", "是", "1.2万人"),
        ("青山镇2020年引进青年人才1.5万人，对不对？", "不是", "1.2万人"),
        ("2020年青山镇引进博士60名，没错吧？", "不是", "50名"),
        # an occasion's ordinal: 第二次 against 首次
        ("《乡村振兴模式》是该活动以来全镇第二次入选，对吧？", "不是", "首次"),
        # being the only one against a text that names it among others
        ("青山市是湖南唯一一个被中国科协确认为试点的城市，是吗？", "不是", "长沙市"),
        # … or against a text that calls it one of several
        ("《乡村振兴模式》应该是全省唯一一个入选的案例吧？", "不是", "3个案例之一"),
        # a second one claimed where the text says it is the only one
        ("青山镇是全市第二个获批建设省级生态乡镇的，准确吗？", "不是", "唯一"),
        # a figure, a partner or a set claimed against a text that says otherwise
        ("《乡村振兴模式》是全省入选的5个案例之一？", "不是", "3个"),
        ("青山市是跟株洲一起被中国科协确认为试点城市的吗？", "不是", "长沙市"),
        ("青山电气的激光器是200千瓦的，没错吧？", "不是", "100千瓦"),
        # a figure claimed in a unit: the sentence that gives a figure in it answers
        ("机器人大赛有50个项目进了决赛，是真的不？", "不是", "31个"),
        # a year the knowledge gives as the value, claimed in a statement ending in 吧
        ("青山论坛是2020年才第一次办的吧？", "不是", "2018"),
        ("青山论坛是2018年创办的吗？", "是", "2018"),
        # 国内 against 外资
        ("变压器的核心技术一直掌握在国内企业手里，对吗？", "不是", "外资"),
        # said as a statement with a question mark
        ("青山镇2020年引进的青年人才是1.2万人？", "是", "1.2万人"),
        # hearsay with no question word, and a spoken tail about the figure
        ("听说青山镇2020年引进了60名博士？", "不是", "50名"),
        ("青山镇2020年引进博士60名，这个数没写错吧", "不是", "50名"),
        ("青山镇2020年引进青年人才1.2万人、博士60名，对吗？", "不是", "50名"),  # the second
        # a superlative in a scope said in other words (全世界 for 全球), and the sentence
        # that ranks it shown rather than the power the question names it by
        ("青山电气那台100千瓦激光器是不是全世界功率最大的激光器", "不是", "第二大"),
        ("青山电气那台100千瓦激光器在国内算功率最大的吗", "是", "最大"),
        # a bound said in tenths of a share
        ("2019年青山镇高新技术产业增加值占GDP比重超过两成了吧", "不是", "16.3%"),
        # a numbered session, and "the only one" said 就…一个
        ("《青山镇创新工作方案》是在四届九次全会上出台的吧", "不是", "八次"),
        ("湖南就青山市一个被中国科协确认为试点城市吧", "不是", "长沙市"),
        # a journalist's check: the claim quoted after 我稿子里写, ended by 跟报道一致吗 /
        # 这样写对吗; a fifty-odd figure; a scope (国内) where the text says another (国际)
        ("我稿子里写“2020年青山镇引进博士50名”，这个数字跟报道一致吗？", "是", "50名"),
        ("青山镇2020年引进了六十多名博士，这样写对吗", "不是", "50名"),
        ("青山镇2020年引进了四十多名博士，和原文相符不", "是", "50名"),
        ("青山那台100千瓦激光器是全球最大功率的，这么说没错吗", "不是", "第二大"),
        # a quoted title followed by 这个称号 asks about the title
        ("青山市是不是拿到了“科创中国试点城市”这个称号", "是", "科创中国"),
        # hearsay said 有说法称; 连续 against 首次
        ("有说法称青山镇2020年引进了60名博士，是真的吗", "不是", "50名"),
        ("报上说青山镇2020年引进博士60名，这个数字没问题吧？", "不是", "50名"),
        ("有人说青山镇2020年引进了60名博士，报道里能核实吗？", "不是", "50名"),
        ("青山镇的《乡村振兴模式》已经连续几年入选全国典型案例了，对吧", "不是", "首次"),
        ("青山镇的《乡村振兴模式》是第一次入选全国典型案例吗", "是", "首次"),
        # a check asked as a request, after a page's wording (版面上写 …，请帮忙核实)
        ("我们版面上写“2020年青山镇引进博士60名”，请帮忙核实。", "不是", "50名"),
    ],
)
def test_yes_no_claims_get_a_verdict_with_the_stated_fact(
    town: QABot, question: str, verdict: str, stated: str
) -> None:
    reply = town.ask(question, session_id=question)
    assert reply.answered
    assert reply.answer.startswith(verdict)
    if verdict == "是":
        assert not reply.answer.startswith("不是")
    assert stated in reply.answer


def test_a_why_question_is_answered_by_the_sentence_that_says_what_it_means(
    town: QABot,
) -> None:
    reply = town.ask("为什么说青山电气的植物油变压器意义重大？", session_id="why")
    assert reply.answered
    assert "技术垄断" in reply.answer


@pytest.mark.parametrize(
    "question",
    [
        "青山镇科技局局长叫什么名字？",
        "植物油变压器是青山电气哪位工程师带队研发的？",
        "镇政府去镇科技局调度时，带队的是哪位镇领导？",
        "青山电气研发激光器的团队负责人是谁？",
        # a kind of place: the text names none
        "青山论坛是在哪个城市办的？",
    ],
)
def test_a_named_kind_of_person_or_place_is_not_answered_by_a_text_without_one(
    town: QABot, question: str
) -> None:
    reply = town.ask(question, session_id=question)
    assert not reply.answered


def test_a_how_long_question_is_not_answered_by_a_count(town: QABot) -> None:
    reply = town.ask("机器人大赛的决赛比了多长时间？", session_id="how-long")
    assert "31个" not in reply.answer.split("：")[0]


def test_spoken_fillers_do_not_hide_the_answer(town: QABot) -> None:
    reply = town.ask("咱青山镇最早是啥时候开始搞创新型乡镇建设的？", session_id="filler")
    assert reply.answered
    assert "2015年9月" in reply.answer


def test_the_members_of_a_set_named_by_its_count_are_not_its_count(town: QABot) -> None:
    reply = town.ask("与青山市一同入围的另外16个城市分别是哪些？", session_id="rest")
    assert not reply.answered
    assert "科技部" not in reply.answer.split("：")[0]
    # the set named by its count and asked about without 那 or 分别
    assert not town.ask("入围决赛的31个项目都是哪些项目", session_id="members").answered


def test_each_members_figure_is_not_the_total(bot_of: BotOf) -> None:
    text = "# 专家\n\n全镇实现了12个村科技专家服务团全覆盖，共有科技专家100名。\n"
    bot = bot_of({"docs/experts.md": text})
    assert not bot.ask("那100名科技专家在各村分别有多少人").answered


def test_a_list_of_people_does_not_answer_a_question_about_things(town: QABot) -> None:
    reply = town.ask("常务会议点名的未达标指标具体是哪几项？", session_id="things")
    assert reply.kind != "list"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # the asker's context before a colon
        ("我是中学老师，想给学生讲讲：青山镇2020年引进博士多少名？", "50名"),
        # how far a series has got is a count
        ("青山论坛办到第几期了？", "51期"),
        ("青山创新中心落在什么地方？", "青山科学城"),
    ],
)
def test_how_other_people_ask(town: QABot, question: str, expected: str) -> None:
    reply = town.ask(question, session_id=question)
    assert reply.answered
    assert expected in reply.answer


def test_a_share_is_not_answered_by_how_much_it_grew(bot_of: BotOf) -> None:
    text = "# 成交额\n\n青山镇技术市场成交额占GDP的比重增长1.8倍。\n"
    bot = bot_of({"docs/share.md": text})
    assert not bot.ask("青山镇技术市场成交额占GDP的比重是百分之多少").answered
    assert "1.8倍" in bot.ask("青山镇技术市场成交额占GDP的比重增长了几倍").answer


LANDING = "# 着陆\n\n2020年12月17日凌晨，青山一号返回器在预定区域安全着陆。\n"
LANDING_FACTS = (
    "- {subject: 青山一号返回器, attribute: 着陆, value: 在预定区域安全着陆, time: 2020-12-17,"
    ' kind: event, doc: landing, evidence: "青山一号返回器在预定区域安全着陆"}\n'
)


@pytest.mark.parametrize(
    ("question", "verdict"),
    [
        ("青山一号返回器是2020年12月16日凌晨着陆的吧", "不是"),
        ("青山一号返回器是11月着陆的吗", "不是"),
        ("青山一号返回器是2020年12月17日着陆的吗", "是"),
    ],
)
def test_a_claimed_day_is_checked_against_the_dated_event(
    bot_of: BotOf, question: str, verdict: str
) -> None:
    bot = bot_of({"docs/landing.md": LANDING, "facts/landing.yaml": LANDING_FACTS})
    reply = bot.ask(question)
    assert reply.answered and "12月17日" in reply.answer, reply.answer
    assert reply.answer.startswith("不是") == (verdict == "不是"), reply.answer


@pytest.mark.parametrize(
    ("question", "wrong"),
    [
        ("是102个项目、总投资353亿元吗？", 1),  # the second figure, in 亿元, is stated otherwise
        ("是102个项目、总投资533亿元吗？", None),
        ("是102个项目吗？", None),  # the figure in the unit asked is checked elsewhere
        ("登记入库726家，同比增长35%，是这样吧？", 0),
    ],
)
def test_every_figure_of_a_claim_is_checked(question: str, wrong: int | None) -> None:
    evidence = ["2021年登记入库726家，同比增长53%。", "总投资达533亿元的102个项目集中开工。"]
    asked = analyse(question, standardise(normalise(question)), [])
    unit = "家" if "家" in question else "个"
    assert misstated(asked, evidence, unit) == wrong


def test_a_claimed_multiple_and_a_claim_closed_by_bu(bot_of: BotOf) -> None:
    """是2019年的3倍吗 against a text that says 两倍 is 不是; 是全市第一不 asks yes or no."""
    bot = bot_of(
        {
            "docs/news.md": "# 青山纪事\n\n2020年，青山市共申报高新技术企业265家，申报数是2019年的"
            "两倍。\n\n柳溪区高新技术产业增加值占GDP比重达到33.8%，居全市第一。\n"
        }
    )
    assert bot.ask("2020年高企申报数是2019年的3倍吗").answer.startswith("不")
    assert bot.ask("2020年高企申报数是2019年的两倍吗").answer.startswith("是")
    assert bot.ask("柳溪区高新技术产业增加值占比是全市第一不").answer.startswith("是")


def test_a_part_of_a_stated_figure_is_asked_after_zhong() -> None:
    """78名获奖者中拿到…的有多少 asks for a part of the 78; 中国 / 中心 after a figure do not."""
    assert PART_OF_STATED.search("名获奖者中拿到特殊贡献奖的有多少人")
    assert PART_OF_STATED.search("家高企第二批报了多少")
    assert not PART_OF_STATED.search("名专家来自中国科学院")


def test_an_actual_outcome_is_not_answered_by_a_dated_application(bot_of: BotOf) -> None:
    """The date opening the sentence (2021年，…) gives no figure: the clauses that do only
    apply or hope, so 最后通过认定的有多少家 is not answered."""
    text = "# 企业\n\n2021年，全镇申报高新技术企业37家，全年有望净增18家。\n"
    bot = bot_of({"docs/firms.md": text})
    reply = bot.ask("2021年申报的37家高新技术企业，最后通过认定的有多少家")
    assert not reply.answered
    assert "申报或预计" in reply.answer


def test_who_else_is_not_answered_by_the_ones_the_question_names(bot_of: BotOf) -> None:
    """除了王芳和李明，其余6位是谁 against 王芳、李明等8位: the text names no one else."""
    bot = bot_of({"docs/forum.md": "# 论坛\n\n2022年，青山论坛邀请了王芳、李明等8位专家参会。\n"})
    other = bot.ask("青山论坛的8位专家里，除了王芳和李明，其余6位是谁？")
    assert not other.answered
    assert "没有列出" in other.answer
    assert bot.ask("青山论坛邀请了哪些专家参会？").answered


def test_the_rest_of_a_stated_set_counts_the_whole_set_too() -> None:
    """另外两个 (of a set of three, one named): a text giving only the 3 lists none of them."""
    assert stated_counts(normalise("入选的案例里，另外两个是什么")) == [("2", "个"), ("3", "个")]


def test_an_exact_figure_is_not_answered_by_an_approximate_one(bot_of: BotOf) -> None:
    """精确是多少 against 50余个: the text only gives an approximate count, and says so; a
    follow-up piece 精确数字是多少 stays part of the question it sharpens."""
    text = (
        "# 青山镇\n\n## 政策\n\n近年来，青山镇相继出台了50余个创新政策文件。\n\n"
        "## 村庄\n\n青山镇有12个村。\n"
    )
    bot = bot_of({"docs/policy.md": text})
    exact = bot.ask("青山镇出台的创新政策文件精确是多少个")
    assert not exact.answered and "约数" in exact.answer
    sharpened = bot.ask("青山镇出台了多少个创新政策文件？精确数字是多少？")
    assert not sharpened.answered and "约数" in sharpened.answer
    assert bot.ask("青山镇出台了多少个创新政策文件？").answered
    assert bot.ask("青山镇精确有多少个村").answered  # an exact count is given


def test_an_exact_figure_is_not_answered_by_an_approximate_fact(bot_of: BotOf) -> None:
    """A fact whose value is approximate (50余 个) does not answer 准确的数量是多少."""
    text = "# 政策\n\n近年来，青山镇相继出台了50余个创新政策文件。\n"
    fact = (
        '- {subject: 青山镇, attribute: 创新政策文件数量, value: "50余", unit: 个, kind: metric,\n'
        '   doc: policy, evidence: "相继出台了50余个创新政策文件"}\n'
    )
    bot = bot_of({"docs/policy.md": text, "facts/policy.yaml": fact})
    assert bot.ask("青山镇的创新政策文件有多少个").answered
    exact = bot.ask("青山镇的创新政策文件，准确的数量到底是多少个")
    assert not exact.answered and "约数" in exact.answer


_FIRMS = (
    "2020年，青山镇共申报高新技术企业26家，申报数是2019年的两倍。",
    '{subject: 青山镇, attribute: 申报高新技术企业数量, value: "26", unit: 家, time: "2020",'
    ' kind: metric, doc: clause, evidence: "2020年，青山镇共申报高新技术企业26家"}',
)
_EXPERTS = (
    "全市实现了12个县（市）区科技专家服务团全覆盖，共有科技专家1007名。",
    '{subject: 青山市, attribute: 科技专家服务团覆盖县区数量, value: "12", unit: 个,'
    ' kind: metric, doc: clause, evidence: "全市实现了12个县（市）区科技专家服务团全覆盖"}',
)


@pytest.mark.parametrize(
    ("folder", "question", "verdict", "stated"),
    [
        (_FIRMS, "2020年青山镇申报高新技术企业26家，是2019年的三倍吗？", "不是", "两倍"),
        (_FIRMS, "2020年青山镇申报高新技术企业26家，是2019年的两倍吗？", "是的", "两倍"),
        (_FIRMS, "2020年青山镇的申报数是不是达到了2019年的两倍？", "是的", "两倍"),  # no 家
        (_EXPERTS, "“全市12个县（市）区共有科技专家1700名”，对吗？", "不是", "1007名"),
    ],
)
def test_a_claim_is_checked_against_the_whole_sentence_of_its_fact(
    bot_of: BotOf, folder: tuple[str, str], question: str, verdict: str, stated: str
) -> None:
    """The fact's evidence is only the clause of its own figure (26家, 12个); the rest of its
    sentence (两倍, 1007名) decides a claimed multiple or a figure in another unit."""
    sentence, fact = folder
    bot = bot_of({"docs/clause.md": f"# 青山\n\n{sentence}\n", "facts/clause.yaml": f"- {fact}\n"})
    reply = bot.ask(question)
    assert reply.answered and reply.answer.startswith(verdict) and stated in reply.answer


@pytest.mark.parametrize(
    ("question", "verdict"),
    [
        ("同事稿子里写“2020年青山镇引进博士60名”，是不是写错了？", "有误"),
        ("2020年青山镇引进博士60名，报道有误吗", "有误"),
        ("2020年青山镇引进博士50名，有没有写错", "没有写错"),
        ("2020年青山镇引进博士50名，我没记错吧", "是的"),  # 没记错 asks whether it is right
    ],
)
def test_a_check_whether_a_claim_is_wrong_is_answered_the_way_it_asks(
    town: QABot, question: str, verdict: str
) -> None:
    """是不是写错了 answered 不是 would read as "not wrong": the verdict says 有误 instead."""
    reply = town.ask(question, session_id=question)
    assert reply.answer.startswith(verdict)
    assert "50名" in reply.answer


def test_an_alternative_rank_is_refuted_with_the_rank_stated(bot_of: BotOf) -> None:
    """排第二吧 against a fact whose rank is a qualifier: the reply says 不是 and the rank."""
    fact = (
        "- {subject: 柳溪区, attribute: 高新技术产业增加值占GDP比重, value: '33.8', unit: '%', "
        "qualifiers: [居全市第一], kind: metric, doc: news, "
        "evidence: 高新技术产业增加值占GDP比重达到33.8%，居全市第一}\n"
    )
    news = "# 青山纪事\n\n目前，柳溪区高新技术产业增加值占GDP比重达到33.8%，居全市第一。\n"
    bot = bot_of({"docs/news.md": news, "facts/news.yaml": fact})
    reply = bot.ask("柳溪区高新技术产业增加值占GDP的比重，在全市是排第二吧？")
    assert reply.answer.startswith("不是"), reply.answer
    assert "第一" in reply.answer
