"""Question analysis: type and time slots from how people ask."""

from __future__ import annotations

import pytest

from qa_bot.answering.intent import QType, analyse, contradicts
from qa_bot.answering.phrasing import standardise, strip_phrasing
from qa_bot.text import normalise


@pytest.mark.parametrize(
    ("question", "qtype"),
    [
        ("2019年衡阳有多少家高新技术企业？", QType.NUMBER),
        ("衡州大道数字经济走廊有多长", QType.NUMBER),
        ("衡阳哪一年获批建设国家创新型城市？", QType.DATE),
        ("嫦娥五号返回器啥时候着陆的", QType.DATE),
        ("谁研发了工业光纤激光器？", QType.WHO),
        ("国内功率最大的激光器是谁研发的？", QType.WHO),
        ("论坛在哪里举行？", QType.WHERE),
        ("有哪些院士参会？", QType.LIST),
        ("衡阳是否通过了评估？", QType.YESNO),
        ("南华大学研发了激光器吗？", QType.YESNO),
        ("哪一年高企最多？", QType.COMPARE),
        ("2017到2020年高企增加了多少家？", QType.COMPUTE),
        ("2017至2020年一共有多少家？", QType.COMPUTE),
        ("衡阳一共有多少名科技专家？", QType.NUMBER),
        ("高企增长了几倍", QType.COMPUTE),
        ("南华大学研发了什么？", QType.WHAT),
        ("这台激光器是全球功率最大的吗？", QType.YESNO),  # a claimed superlative
        ("哪一年高企最多吗？", QType.COMPARE),  # a question word still asks
        ("读书节的参与率是全镇第一不", QType.YESNO),  # a claim closed by 不
        ("图书馆有少儿阅览室没有", QType.YESNO),
        ("读书节是不是办了3天", QType.YESNO),
        ("How many 科技专家 does 衡阳 have?", QType.NUMBER),
    ],
)
def test_question_type(question: str, qtype: QType) -> None:
    assert analyse(question, standardise(normalise(question)), []).qtype == qtype


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("读书节是哪几天办的？", "day"),
        ("读书节办了哪几项活动？", "list"),
        ("读书节是哪一年办的？", "year"),
        ("哪家单位主办了读书节？", "organisation"),
        ("读书节是谁主持的？", "person"),
        ("读书节是全省最大的吗？", "yesno"),
        ("读书节的参与率在全省排第几？", "rank"),
        ("排名第8的镇占全县人口的比例是多少？", "percent"),
        ("读书节一共办了几批？", "count"),
        ("哪个党建案例入选了典型案例？", "name"),  # a modifier before the kind of name
        ("那个变压器的型号是什么？", "name"),
        ("哪个村举办了读书节？", "place"),
        ("新图书馆造价大概多少？", "amount"),  # a hedge before the question word
        ("读书节哪个时候办的", "date"),
        ("另外两个入选的案例是啥", "list"),  # the other members of a stated set
        ("其余3个村叫什么", "list"),
        ("另外两个入选了2020年全国典型案例的是啥案例", "list"),  # a long description between
        ("新图书馆牛在哪里", "description"),  # what is good about it, not where it is
        ("镇里去年出台的那个文件叫什么名字", "name"),  # a thing's name, not a person's
        ("那份实施方案全名叫什么", "name"),
        ("读书节的主持人叫什么名字", "person"),
        ("读书节办了几天？", "duration"),  # 几天 is how long, 第几天 a rank
        ("读书节开了多少个小时", "duration"),
        ("这几天镇上有什么活动", "list"),  # 这几天 says when, not how long
        ("青山镇技术合同成交额是多少", "amount"),  # any ...额 is a sum of money
        ("青山镇有多少名额", "count"),
        ("激光器是哪个教授团队研发的", "organisation"),
        ("那57家企业里，哪一家规模最大", "organisation"),  # 哪一家 asks for one of them
        ("第一台激光器是哪間大學研發的", "organisation"),  # 間, the Taiwan classifier
        ("研制出这台激光器的是哪一所高校？", "organisation"),  # 一所, and 高校 is a body
        ("哪所高等院校研发的", "organisation"),
    ],
)
def test_expected_answer_type(question: str, expected: str) -> None:
    """哪几 asks for several things, except 哪几天/哪几号, which ask for the days of one."""
    assert str(analyse(question, standardise(normalise(question)), []).expected) == expected


def test_time_slots() -> None:
    question = analyse("", normalise("二〇一七年至2020年，2018年4月呢"), [])
    assert question.years == [2017, 2020, 2018]
    assert question.year_range == (2017, 2020)
    assert question.months == ["2018-04"]


@pytest.mark.parametrize(
    ("question", "kept"),
    [
        ("您好，请问能告诉我2019年衡阳有多少高企吗？", "2019年衡阳有多少高企吗?"),
        ("我想问下领导小组组长是谁来着？", "领导小组组长是谁 ?"),
        ("How many 科技专家 does 衡阳 have?", "多少科技专家 衡阳 ?"),  # said in Chinese
        ("嫦娥五号跟衡阳有啥关系？", "嫦娥5号跟衡阳 ?"),
        ("核实一下数据：报名人数是300人，对吗？", "报名人数是300人吗?"),
        ("发稿前核实一下：报名人数是多少？", "报名人数是多少?"),
        ("我孙子想参加书法比赛，比赛在哪里办？", "比赛在哪里办?"),
        ("我市去年，报名人数有多少？", "我市去年,报名人数有多少?"),  # 我市 is the texts' word
        ("帮我确认一下，报名人数是300人吗？", "报名人数是300人吗?"),
        ("比赛是什么时候办的？要具体到月份", "比赛是什么时候办的"),
        ("2018到2020年这两年，报名人数增加了多少", "2018到2020年 ,报名人数增加了多少"),
        ("读书节那张照片，摄影是谁？", "读书节谁摄?"),  # the caption's credit
        ("科技专家服务团 专家总人数", "科技专家服务团 专家一共有多少人"),  # a keyword total
        ("读书节主要是图个什么？", "读书节的目的是什么?"),  # its purpose
        ("2021年9月，图书馆有什么新进展？", "2021年9月,图书馆发生了什么?"),  # what happened
        # a status got (拿到…资格, 被纳入…名单, 创成) is what texts call 获批 / 入围 / 创建
        ("青山镇拿到省级文明镇资格是在什么时候", "青山镇获批省级文明镇是在什么时候"),
        ("青山镇哪年被纳入省级文明镇名单", "青山镇哪一年入围省级文明镇"),
        ("青山园创成了什么级别的园区", "青山园成功创建什么级别的园区"),
        ("这台设备在全国排top几", "这台设备在全国第几"),  # top几 is a rank
        ("专家总数是多少", "专家一共有多少"),
        ("青山镇企业涨了多少倍", "青山镇企业增长了几倍"),  # times over, as texts say it
        ("比上年涨了多少", "同比涨了多少"),  # not 倍: growth over the year before, as texts say
        # English words said in Chinese, and no space left after them
        ("青山镇工业增加值占GDP多少percent", "青山镇工业增加值占GDP多少%"),
        ("那款机器人有哪些selling points", "那款机器人有哪些特点"),
        ("青山峰会 theme", "青山峰会 主题是什么"),  # a keyword question ending in a kind
        ("一共多少个项目，total investment 是多少", "一共多少个项目,总投资是多少"),
        ("R&D growth 多少", "R&D增长多少"),  # an acronym stays in a known run
        # a question written in English around a Chinese name: its known words are said in
        # Chinese, unknown ones dropped, a capitalised one (a name, a title) kept
        ("Who sent the thank-you letter to 青山职校?", "谁发来感谢信青山职校?"),
        ("Who sang Loose Talk Costs Lives?", "谁Loose Talk Costs Lives?"),
        # inside a sentence (after 多少, 了, 个) no space is left to split it
        (
            "青山镇有多少 companies 申报了 high-tech enterprise",
            "青山镇有多少企业申报了高新技术企业",
        ),
        ("寄信的是哪个 research institute", "寄信的是哪个研究所"),
        # an English name or title keeps its words: one of them is not in the vocabulary
        ("《Total Eclipse》是谁唱的", "《Total Eclipse》是谁唱的"),
        # an English sentence frame around Chinese names: its question words said in Chinese,
        # its articles and copulas dropped; a Title Case run is a name and stays
        ("青山园 is located where?", "青山园 位于哪里?"),
        ("青山电气 new 变压器 passed the tests on which date?", "青山电气 变压器 通过试验哪天?"),
        ("There is a photo of 青山职校 students. Who took the photo?", "照片青山职校 学生. 谁摄?"),
        ("Loose Talk Costs Lives是什么歌", "Loose Talk Costs Lives是什么歌"),
        ("青山杯分成哪几个组来比", "青山杯分成哪几个组"),  # 来比 only says it is done
        ("青山镇现在算不算文明镇了", "青山镇现在是不是文明镇了"),  # yes or no
        # Cantonese said in Mandarin, only when a Cantonese marker is there (体系 stays)
        ("帶隊嘅係邊個？佢當時係咩職位？", "带队的是谁?他当时是什么职位?"),
        ("青山職校有幾多個學生參與咗？", "青山职校有多少个学生参与了?"),
        ("呢個體系係咪青山嘅？", "这个体系是不是青山的?"),
        ("青山镇的政策体系是什么", "青山镇的政策体系是什么"),
        # 你知道吗 after a question is politeness
        ("青山论坛第一期是哪一年办的，你知道吗？", "青山论坛第一期是哪一年办的,"),
        # a guess after a which / how-many question is not the question
        ("青山镇和哪个镇一起获批的来着，红河镇吧？", "青山镇和哪个镇一起获批的 ?"),
        ("青山镇现在有多少家企业 两千多家是吧", "青山镇现在有多少家企业?"),
        ("青山镇有2000多家企业，是吧", "青山镇有2000多家企业吗"),  # a claim stays one
        ("青山镇连续几年入选了，对吧", "青山镇连续几年入选了吗"),
        # a request after the question asks nothing more
        ("青山镇有多少家企业？帮我核一下两头的数", "青山镇有多少家企业?"),
        ("青山镇有多少家企业？谢谢", "青山镇有多少家企业?"),
        ("青山镇有多少家企业？请问2019年呢", "青山镇有多少家企业? 2019年"),  # a question
        # a remark after the question asks nothing more; one with a figure may be a claim
        ("青山镇有多少家企业？感觉好少", "青山镇有多少家企业?"),
        ("青山镇有多少家企业？感觉2019年更多", "青山镇有多少家企业?感觉2019年更多"),
        # homework framing, and a date written with dots
        ("根据材料，青山镇有多少家企业？请简要回答。", "青山镇有多少家企业?"),
        ("2021.4 青山镇 调研 领导 姓名", "2021年4月 青山镇 调研 领导 姓名"),
        ("2021.4.15青山镇开了什么会", "2021年4月15日青山镇开了什么会"),
        ("青山镇产值2021.4亿元对吗", "青山镇产值2021.4亿元吗"),
        ("2019年到2020年青山镇企业多多少", "2019年到2020年青山镇企业多了多少"),
        ("青山镇企业至少多少家", "青山镇企业至少多少家"),
        ("青山镇企业2017—2020年的数据里，哪一年是谷底", "青山镇企业2017—2020年 ,哪一年最少"),
        ("大数据里哪一年峰值最高", "大数据里哪一年峰值最高"),
        ("青山镇境内的最低点位在何处", "青山镇境内的最低点位在何处"),
        ("那张照片，署名摄影是谁", "谁摄"),
        # a journalist's source framing, and a span of years given as background to one year
        (
            "根据报道，青山镇在2017到2020年间逐年统计企业数量，其中2019年有多少家",
            "青山镇逐年统计企业数量, 2019年有多少家",
        ),
        (
            "按报道给出的逐年数据，青山镇2020年的企业比2019年多了多少家",
            "青山镇2020年的企业比2019年多了多少家",
        ),
        (
            "报道列出了青山镇2017年至2020年的企业数量，哪一年最少",
            "青山镇2017年至2020年的企业数量,哪一年最少",
        ),
        # the wording asked for is what it is
        ("青山论坛的主题口号，原文是怎么写的？", "青山论坛的主题口号是什么?"),
        ("青山镇要聚焦的产业方向，用的是哪个概括性提法？", "青山镇要聚焦的产业方向是什么?"),
        # growth over the year before is 同比; a count of things more is not a rate
        ("青山镇企业跟前一年相比成长了多少百分比？", "青山镇企业同比增长了百分之多少?"),
        ("青山镇企业比上年涨了多少", "青山镇企业同比涨了多少"),
        ("青山镇企业比上年多了多少家", "青山镇企业比上年多了多少家"),
        # 比2019年净增 is the change between two years, not a figure called 净增
        ("青山镇2020年的企业比2019年净增了多少家", "青山镇2020年的企业比2019年增加了多少家"),
        ("青山园区拿了个啥国家级牌子", "青山园区拿了个什么国家级"),  # a spoken word for a title
        ("青山园区拿到过什么国家级的“双创”称号", "青山园区获得过什么国家级的“双创”"),
        ("那2018年呢 有多少", "那2018年"),  # a follow-up repeating the bare question after 呢
        ("請問報導裡講青山鎮2019年的企業有幾家", "青山镇2019年的企业有几家"),  # Taiwan 报导
        ("全镇各服务队里加起来有多少名志愿者", "全镇各服务队里一共有多少名志愿者"),  # not 里加
        # a fill-in-the-blank asks what fills the blank
        ("填空题：青山镇构建了“____”政策体系。", "青山镇构建了“什么”政策体系。"),
        ("青山镇（ ）年获批", "青山镇哪一年获批"),
        ("青山论坛是在2016年____月举办的", "青山论坛是在2016年几月举办的"),
    ],
)
def test_phrasing_is_stripped(question: str, kept: str) -> None:
    assert strip_phrasing(normalise(question)) == kept


def test_contrasting_words_contradict() -> None:
    assert contradicts({"国家", "重点实验室"}, {"省级", "重点实验室"})
    assert contradicts({"现任", "市委书记"}, {"时任", "市委书记"})
    assert not contradicts({"省级", "重点实验室"}, {"省级", "重点实验室"})
    assert not contradicts({"重点实验室"}, {"省级", "重点实验室"})
