"""Near misses that name another occasion or repeat the question's own figure: the text has the
topic, not what is asked (第一届 when only the sixth is written; 开了4次会是为了什么 answered by
"4次"; 所长叫什么 where no one is named; 哪个酒店 where only the city is). On a hand-made
folder, so the rules are about Chinese, not about the shipped articles."""

from __future__ import annotations

import pytest

from qa_bot import QABot

from .conftest import load_folder

TOWN = """# 青山镇大事

2021年4月，第六届青山镇青少年机器人大赛在青山小学举办。

2020年，第四届“青山杯”创业大赛举行，其中31个项目成功入围决赛。

2021年5月，镇长王强组织召开4次专题会议，调度文明镇迎检工作。

青山研究所向青山职校发来感谢信，称赞学生踏实工作。

2020年12月，青山科技论坛在青山镇举行，200余名专家学者参会。

2021年，青山镇申报高新技术企业88家，申报数创历史新高。2020年，青山镇共申报两批高新技术企业61家。

青山镇科技型企业2017—2018年分别为40家、25家。

2021年3月，青山镇重大项目集中开工，总投资达50亿元的20个项目集中开工。

2019年，青山镇高新技术产业增加值占GDP比重达到16.3%。

青山大学研发了我国首台50千瓦工业光纤激光器，是国内最大功率的工业光纤激光器，也是全球第二大功率的工业激光器。

2021年6月，青山镇科技工作推进大会召开，镇长王强出席并讲话。

2019年5月，成立青山镇科技创新领导小组，镇长王强任组长。

2021年，青山镇技术市场成交额占GDP的比重增长1.8倍。

2020年12月，青山高新区被省发改委评为“省级双创示范基地”。

2021年，青山镇试验基地水稻平均亩产达到900公斤，再次刷新全省纪录。

2020年4月9日，在青山镇党委四届八次全会上，《青山镇创新激励措施》正式出炉。

翻阅《青山镇创新激励措施》，支持创新的政策多达20条。

2021年5月，举办2021青山电商峰会，京东、拼多多等20余家知名电商企业代表来青山交流分享。

2018年，青山镇成立人才工作小组，时任镇长李华任组长。

2020年12月，省科技厅来青山镇调研科技创新工作。

第四届“青山杯”创业大赛共有60个项目进入初赛。

青山镇与全国最大的技术转移平台“红河科技”共建青山科创港。

2019年来，青山镇以“一件事一次办”跨域通办改革为总揽、“互联网+政务服务”一体化平台建设为抓手。

2020年，青山镇全年投入科研经费6.2亿元，投入总量位居全县第一。
"""

FACTS = """\
- {subject: 第四届“青山杯”创业大赛, attribute: 入围决赛项目数量, value: "31", unit: 个,
   time: "2020", doc: town, evidence: "其中31个项目成功入围决赛"}
- {subject: 王强, attribute: 组织召开专题会议次数, value: "4", unit: 次, time: "2021-05",
   doc: town, evidence: "2021年5月，镇长王强组织召开4次专题会议，调度文明镇迎检工作。"}
- {subject: 青山镇, attribute: 申报高新技术企业数量, value: "88", unit: 家, time: "2021",
   qualifiers: [历史新高], doc: town,
   evidence: "2021年，青山镇申报高新技术企业88家，申报数创历史新高"}
- {subject: 青山镇, attribute: 申报高新技术企业数量, value: "61", unit: 家, time: "2020",
   doc: town, evidence: "2020年，青山镇共申报两批高新技术企业61家"}
- {subject: 青山镇, attribute: 出台创新激励措施, value: 镇党委四届八次全会, time: "2020-04-09",
   kind: event, doc: town,
   evidence: "2020年4月9日，在青山镇党委四届八次全会上，《青山镇创新激励措施》正式出炉。"}
- {subject: 第四届“青山杯”创业大赛, attribute: 进入初赛项目数量, value: "60", unit: 个,
   time: "2020", doc: town, evidence: "第四届“青山杯”创业大赛共有60个项目进入初赛"}
- {subject: 青山镇, attribute: 重大项目集中开工项目数量, value: "20", unit: 个, time: "2021-03",
   doc: town, evidence: "总投资达50亿元的20个项目集中开工"}
- {subject: 青山镇, attribute: 重大项目集中开工总投资, value: "50", unit: 亿元, time: "2021-03",
   doc: town, evidence: "总投资达50亿元的20个项目集中开工"}
"""


@pytest.fixture(scope="module")
def town(tmp_path_factory: pytest.TempPathFactory) -> QABot:
    return load_folder(tmp_path_factory, {"docs/town.md": TOWN, "facts/town.yaml": FACTS})


@pytest.mark.parametrize(
    "question",
    [
        "第一届青山镇青少年机器人大赛是哪年办的",  # only the sixth is written
        "第三届青山杯创业大赛有多少个项目进了决赛",  # a fact of the fourth
        "青山研究所的所长叫什么",  # a post asked by name, and no one named
        "青山科技论坛在青山镇哪个酒店开的",  # a venue of a kind, and only the town said
        "全球功率最大的工业激光器是哪家研发的",  # the text's laser is the world's second
        "2021年6月青山镇科技工作推进大会在哪儿开的",  # it was held, and no place is said
        "2020年青山镇第一批申报了多少家高新技术企业",  # 61 is both batches together
        "青山镇科技创新领导小组副组长由谁担任",  # only the 组长 is named
        "2021年青山镇技术合同成交额是多少",  # an amount asked; a share's growth is no amount
        "青山大学那台50千瓦激光器的研发团队带头人叫什么名字",  # a role, and no one named
        "青山镇水稻刷新纪录之前，原来的全省纪录是亩产多少公斤",  # only the new record is said
        "2021青山电商峰会是在哪个场馆开的",  # a venue asked, and no building named
        "李华现在在哪里任职",  # 时任镇长 is the post he held then
        "2020年12月省科技厅来青山镇调研，带队的是哪位厅领导",  # no one named
        "红河科技这个平台总部设在哪个城市",  # 青山 is where the 科创港 is, not the 总部
        "青山镇的跨域通办是跟哪些外省城市打通的",  # 总揽和一体化 are no cities
        "青山镇2020年的GDP总量是多少亿元",  # 总量 of GDP, not of research spending
    ],
)
def test_another_occasion_or_a_missing_detail_is_not_an_answer(town: QABot, question: str) -> None:
    reply = town.ask(question, session_id=question)
    assert not reply.answered, reply.text


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("第六届青山镇青少年机器人大赛在哪办的", "青山小学"),
        ("第四届青山杯创业大赛有多少个项目进了决赛", "31个"),
        ("国内功率最大的工业光纤激光器是哪家研发的", "青山大学"),  # first in that scope
        # the count the question gives is not what it asks
        ("21年5月镇长连开4次专题会议是为了调度什么工作", "迎检"),
        # 2017年少了 is 2017 年 少了, not 年少 ("young"); 掉 and 很 say how it went
        ("科技型企业2018年好像掉得很厉害，比2017年少了多少家？", "15家"),
        # an average per item: the total and its count of one sentence, divided
        ("21年3月集中开工那批项目，平均下来每个项目投资多少", "2.5亿元"),
        # the figure is given; what it is a share of is asked
        ("百分之十六点三说的是什么的比重", "增加值"),
        # English inside a sentence, after 多少 and 了
        ("2021年青山镇有多少 companies 申报了 high-tech enterprise？", "88家"),
        ("2020年青山镇申报了多少家高新技术企业", "61家"),
        ("青山镇科技创新领导小组组长由谁担任", "王强"),
        ("青山镇水稻亩产达到了多少公斤", "900公斤"),
        ("李华当时是什么职务", "镇长"),
        # the claim is checked on the 决赛 it names, not on the 初赛 with its 60
        ("第四届青山杯创业大赛决赛有60个项目，是这样吗", "31个"),
        # a count of 条 is not the meeting's 四届八次 the event fact names
        ("青山镇出台的创新激励措施有多少条", "20条"),
        # a choice names both options; the sentence that answers names the right one
        ("被评为“省级双创示范基地”的是青山高新区还是红河高新区", "青山高新区"),
    ],
)
def test_the_asked_occasion_answers(town: QABot, question: str, expected: str) -> None:
    reply = town.ask(question, session_id=question)
    assert reply.answered and expected in reply.text, reply.text


def test_a_follow_up_year_keeps_the_measure_not_the_wording(town: QABot) -> None:
    # 创了历史新高 is said of 2021's figure; 那2020年呢 asks the same measure in 2020
    first = town.ask("21年高企申报数创了历史新高 到底报了多少家", session_id="year")
    assert "88家" in first.text
    follow = town.ask("那2020年呢", session_id="year")
    assert follow.answered and "61家" in follow.text, follow.text


def test_one_batch_of_a_counted_whole_is_not_answered_by_the_total(town: QABot) -> None:
    # 61 is both batches together: the reply says so instead of giving it as the first's
    reply = town.ask("2020年青山镇第一批申报了多少家高新技术企业", session_id="batch")
    assert not reply.answered and "61家" in reply.answer and "合在一起" in reply.answer
