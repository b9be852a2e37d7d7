"""Fixed phrasings of the bot: citation lines, abstain, help and refusal messages."""

from __future__ import annotations

import re

from qa_bot.models import SUGGESTIONS_HEADING, Source

ABSTAIN = "抱歉，知识库里没有找到能回答这个问题的内容。"
# A near miss: the text is about what was asked, but says nothing of the asked kind.
LACKS_KIND = "抱歉，知识库里有相关内容，但没有提到{what}。最接近的记载是：{found}"
ASKED_KIND = {
    "year": "是哪一年",
    "month": "是几月",
    "day": "具体是哪一天",
    "date": "具体时间",
    "duration": "用了多长时间",
    "percent": "具体比例",
    "amount": "具体金额",
    "count": "具体数量",
    "number": "具体数字",
    "rank": "具体名次",
    "person": "具体是谁",
    "organisation": "具体是哪个单位",
    "place": "具体地点",
}
MEANING = "它具体指什么"  # a term the text uses without saying what it means
EMPTY = "请输入一个问题，例如：{example}"
TOO_LONG = "问题太长了（{length} 个字符），请精简到 {limit} 个字符以内再问。"
NOT_A_QUESTION = "没看懂这个问题，请用中文描述想了解的内容，例如：{example}"
HELP = (
    "我可以回答知识库中文档里的问题（目前收录 {documents} 篇文档），"
    "会给出简短答案并注明出处。可以这样问："
)
SUGGEST = SUGGESTIONS_HEADING


def citation(source: Source) -> str:
    """The source line shown under an answer: document title and section."""
    return source.citation


def reply_text(answer: str, sources: list[Source], suggestions: list[str]) -> str:
    """What a chat shows: the answer, its source line, and any suggested questions."""
    lines = [answer]
    if sources:
        lines.append(citation(sources[0]))
    if suggestions:
        lines.append(SUGGEST)
        lines.extend(f"· {question}" for question in suggestions)
    return "\n".join(lines)


def time_text(time: str | None) -> str:
    """``2020`` → 2020年, ``2020-12`` → 2020年12月, ``2020-12-13`` → 2020年12月13日."""
    if not time:
        return ""
    parts = [int(p) for p in time.split("-")]
    return "".join(f"{value}{unit}" for value, unit in zip(parts, "年月日", strict=False))


def metric_statement(subject: str, attribute: str, value: str, unit: str, time: str | None) -> str:
    """One sentence stating a figure with subject and time (2019年，衡阳市…为273家)."""
    when = time_text(time)
    prefix = f"{when}，" if when and not subject.startswith(when) else ""
    link = "" if _LINKED.search(attribute) else "为"  # 比重达到 16.3%, not 比重达到为
    return f"{prefix}{subject}{attribute}{link}{value}{unit}"


_LINKED = re.compile(r"(?:达到|达|为|是|有|约|超过|共计|累计)$")


def series_text(values: list[tuple[str, str]]) -> str:
    """``2017年142家、2018年197家`` from (time, value+unit) pairs."""
    return "、".join(f"{time_text(time)}{value}" for time, value in values)


UNDATED = "知识库里的这个数据没有注明年份，不能确定是不是{when}的：{statement}"
AS_REPORTED = "据{when}的报道：{statement}"
# The best fact is the figure the question states and asks a part of (231名博士里有多少…).
STATED_ONLY = "抱歉，知识库里只有问题中已经提到的这个总数：{statement}没有提到其中的细分数字。"
# The question asks for an actual figure; the knowledge has only applied-for or expected ones.
FORECAST_ONLY = "抱歉，知识库里只有申报或预计的数字：{statement}没有提到实际的结果。"
# The question asks which members of a set it names by its count (那17个城市都是哪些).
APPROXIMATE_ONLY = "抱歉，知识库里只有一个约数：{statement}没有给出精确的数字。"
NEW_RECORD_ONLY = "抱歉，知识库里只说刷新了纪录：{statement}没有提到原来的纪录。"
THEN_ONLY = "抱歉，知识库里只有当时的职务：{statement}没有提到现在的。"
MEMBERS_UNSAID = "抱歉，知识库里只有问题中已经提到的这个数量：{statement}没有列出具体是哪些。"
# The best fact counts several things (or batches) together; the question names only some.
TOTAL_ONLY = "抱歉，知识库里只有几类（几批）合在一起的数字：{statement}没有单独提到问的这一部分。"
MISSING_TIME = "知识库里没有{when}的{what}数据；有数据的年份是：{known}。"
COMPARE = "{when}{degree}{direction}：{statement}（{series}）。"
DIFFERENCE = (
    "{start}至{end}，{subject}{attribute}从{first}增至{last}，增加{working}"
    "（增长约{growth}倍，为{start}的{ratio}倍）。"
)
DECREASE = "{start}至{end}，{subject}{attribute}从{first}降至{last}，减少{working}。"
TOTAL = "{start}至{end}，{subject}{attribute}合计{total}{unit}（{series}；{working}）。"
PER_ITEM = "{statement}，共{count}，平均每{item}约{average}"  # + （533 ÷ 102 ≈ 5.23亿元）。
AVERAGE = "{start}至{end}，{subject}{attribute}平均每年{average}{unit}（{series}；{working}）。"
CHANGE_MOST = (
    "{when}{verb}最{direction}：{statement}，比{before}{verb}{working}（各年变化：{changes}）。"
)
RATE_MOST = "{when}{verb}最{direction}：{statement}，比{before}{verb}{rate}%（{working}）。"
# Figures of different facts (A加上B, A还是B多): the facts, then the working.
SUM_OF = "{items}；合计：{working}。"
DIFFERENCE_OF = "{items}；{label}：{working}。"
RATIO_OF = "{items}；{first}是{second}的{ratio}倍（{working}）。"
COMPARE_OF = "{label}{degree}{direction}：{items}（{working}）。"
INTERVAL = "{first}；{second}；相隔：{working}。"
UNITS_DIFFER = "{items}。单位不同（{units}），不能直接{verb}。"
YES = "是的。{statement}"
NO = "不是。{statement}"
NO_HAVE = "没有。{statement}"
NOT_WRONG = "没有写错。"  # 是的 to a question whether a claim is wrong (是不是写错了)
IS_WRONG = "有误。"  # 不是 to it
HAVE = "有"  # 是的 to a question about having something (有没有…)
NOT_ONLY = "不是，共有{count}{unit}：{statement}"
EACH_YEAR = "{start}至{end}，{subject}{attribute}分别为{series}。"
NAMED_YEARS = "{subject}{attribute}：{series}。"
TREND_YES = "是的。{start}至{end}，{subject}{attribute}分别为{series}，逐年{verb}。"
TREND_NO = "不是。{start}至{end}，{subject}{attribute}分别为{series}；{when}比上一年{other}。"
UNSURE = "知识库里没有能确定这一点的内容。相关的是：{statement}"
PLAIN_FIGURE = "{answer}另外，{others}。"
CLARIFY = "找到{count}个相关数据：{options}。你问的是哪一个？可以回复“第一个”或说明年份。"
SOURCE = "依据：{citation}：“{evidence}”"
NO_SOURCE = "还没有可以说明出处的回答，先问一个问题吧。"
NO_MORE = "没有更多相关内容了。"
ITEM = "第{number}个是：{item}"
NO_ITEM = "上一个回答里没有第{number}项。"

# Questions about the documents themselves (answering/documents.py).
DOC_ANSWERS = {
    "author": "《{title}》的作者：{value}。",
    "date": "《{title}》发表于{value}。",
    "source": "《{title}》出自{value}。",
    "title": "标题是《{value}》。",
}
BYLINE = "《{title}》里的《{heading}》署名：{author}。"
SIGNATURE_ONLY = "抱歉，《{title}》里的《{heading}》只署名“{author}”，没有写出作者的名字。"
DOC_FIELDS = {"author": "作者", "date": "发表日期", "source": "出处", "title": "标题"}
DOC_MISSING = "《{title}》没有注明{what}。"
DOC_NO_PAPER = "《{title}》只注明出自“{value}”，没有写明是哪家报纸或媒体。"
DOC_NO_DAY = "《{title}》只注明了发表于{value}，没有具体到哪一天。"
DOC_SUMMARY = "《{title}》主要讲：{lead}"
DOC_PARTS = "全文分{count}个部分：{parts}。"
DOC_SECTIONS = "《{title}》共{count}个部分：{parts}。"
SECTION_PARTS = "《{title}》的“{heading}”分为{count}个部分：{parts}。"
DOC_NO_SECTIONS = "《{title}》没有分部分，也没有小标题。"
DOC_CATALOGUE = "知识库收录了{count}篇文档：{items}。"
IN_DOCUMENT = "见《{title}》：{answer}"
DOC_PAST_END = "知识库只收录了{count}篇文档：{items}。"
DOC_CLARIFY = "有{count}篇文档可能是你问的：{options}。你问的是哪一篇？可以回复“第一篇”或篇名。"
# Timeline answers (answering/timeline_text.py).
EVENT_EXTREME = "{where}最{which}的一件事：{statement}"
EVENTS_EXTREME = "{where}最{which}的是{date}的{count}件事：{items}。"
EVENTS_IN = "{where}共有{count}件事：{items}。"
NO_EVENTS = "{where}没有{period}的记录；有记录的年份是：{known}。"
NEIGHBOUR = "{anchor}（{date}）{side}，{lead}：{statement}"
NEIGHBOURS = "{anchor}（{date}）{side}，{lead}{when}的{count}件事：{items}。"
NO_NEIGHBOUR = "{anchor}（{date}）{side}没有更多记录了。"
EVENTS_MONTH = "{anchor}（{date}）的{which}一个月即{month}，{where}共有{count}件事：{items}。"
NO_EVENTS_MONTH = "{anchor}（{date}）的{which}一个月即{month}，{where}没有记录。"
ORDER = "{first}（{first_date}）在前，{second}（{second_date}）在后。"
EXTREME_OF = "这{count}件事里最{which}的是：{statement}按时间先后：{ordered}。"
SAME_TIME = "两件事都在{date}，知识库里分不出先后：{first}；{second}。"
DURATION = "从{first_date}（{first}）到{second_date}（{second}），{gap}。"
LIST_ALL = "共{count}{unit}：{items}"
LIST_SOME = "资料中列出{count}{unit}{total}：{items}"
LIST_TOTAL = "（原文共{total}{unit}，未一一列出）"
QUOTE = "原文：{quote}"
PART_MISSING = "知识库里没有找到“{part}”的答案"


def listed(items: list[str]) -> str:
    """Items as one line: ``A和B`` for two short ones, ``1. A；2. B；3. C`` for more (or for
    items that are sentences)."""
    if len(items) <= 2 and not any("，" in item or len(item) > 20 for item in items):
        return "和".join(items)
    return "；".join(f"{number}. {item}" for number, item in enumerate(items, start=1))


def list_text(header: str, items: list[str], marks: list[str], places: list[str]) -> str:
    """What a chat shows for a list: the count, one item a line (each with the mark of its
    source when there are several) and the source line (``places`` are citation lines)."""
    lines = [header]
    numbered = enumerate(zip(items, marks, strict=True), start=1)
    lines += [f"{n}. {item}{mark}" for n, (item, mark) in numbered]
    if len(places) == 1:
        lines.append(places[0])
    else:
        cited = [f"[{n}]{place.removeprefix('来源：')}" for n, place in enumerate(places, 1)]
        lines.append("来源：" + "；".join(cited))
    return "\n".join(lines)


def parts_text(lines: list[str], cited: list[str]) -> str:
    """What a chat shows for a several-part question: each answer with its own source line
    (one shared source line when every answer comes from the same place)."""
    named = [c for c in cited if c]
    if len(set(named)) <= 1:
        return "\n".join([*lines, *named[:1]])
    out = []
    for line, source in zip(lines, cited, strict=True):
        out.append(line)
        if source:
            out.append(f"   {source}")
    return "\n".join(out)
