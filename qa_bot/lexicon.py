"""Written Chinese, in one place: how texts write years, dates, figures, units and sums.

Every module that reads a year, a quantity or a counting unit uses the named, compiled
patterns here, so a new way of writing a date is taught once. Word lists shipped with the
package (``resources/*.txt``) are read on first use, never at import.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

# A four-digit year of the 20th or 21st century: the one place this pattern is written.
_YEAR = r"(?:19|20)\d{2}"
# Dashes and words that join the two ends of a range (2017—2020, 2017年至2020年).
_RANGE_JOIN = r"(?:—|–|-|~|～|至|到)"

FULL_YEAR = re.compile(rf"(?<!\d){_YEAR}年")
"""A year written whole (2018年), which a two-digit year may be compared with."""
YEAR_WORD = re.compile(rf"(?<!\d)({_YEAR})\s*年?")
"""A year, optionally followed by 年 (years named in a question)."""
YEAR_NUMBER = re.compile(rf"(?<!\d)({_YEAR})(?!\d)")
"""A year as a standalone number inside running text."""
YEAR_RANGE = re.compile(rf"(?<!\d)({_YEAR})\s*(?:年)?\s*{_RANGE_JOIN}\s*({_YEAR})")
"""An explicit range of years: 2017—2020, 2017年至2020年."""
YEAR_SPAN = re.compile(rf"{_YEAR}\s*年?(?:\s*{_RANGE_JOIN}\s*{_YEAR}\s*年?)?")
"""A year or a range of years as written, for replacing it in a sentence."""
YEAR_WITH_DE = re.compile(rf"(?<!\d){_YEAR}\s*年?(?:的)?")
"""A year with its trailing 的 (2020年的), removed to leave a follow-up's topic."""
TIME_WORD = re.compile(
    rf"(?<!\d)(?:{_YEAR}年(?:\d{{1,2}}月(?:\d{{1,2}}[日号])?)?|\d{{1,2}}月(?:\d{{1,2}}[日号])?)"
)
"""A point in time as written: 2020年, 2020年12月, 12月17日."""
YEAR_MONTH = re.compile(rf"(?<!\d)({_YEAR})年(\d{{1,2}})月")
"""A year and month: 2021年5月."""
LEADING_DATE = re.compile(
    rf"^({_YEAR})年(?:(\d{{1,2}})月(?:(\d{{1,2}})日)?)?(?:[—\-至到~～]\d{{1,2}}日)?"
)
"""A date opening a sentence (2020年12月17日，…), with an optional day range."""
EVENT_DATE = re.compile(
    rf"(?<!\d)({_YEAR})年(?:(\d{{1,2}})月(?:(\d{{1,2}})[日号])?)?"
    r"(?:\s*[—–\-~～至到]\s*(\d{1,2})[日号])?"
)
"""A date as an event is dated: a year, a year-month or a day (2020年12月13日), with an
optional last day of a span (2020年12月13日—14日)."""
NOT_AN_EVENT_DATE = re.compile(
    r"^(?:来|以来|起|至今|之前|以前|之后|以后|前|后|初|底|末|中|上半年|下半年|度|[—–\-~～至到])"
)
"""What after a date makes it a span or a vague time rather than the date of an event
(2019年来, 2021年底, 2017年至…)."""
YEAR_OPENING_EVENT = re.compile(r"^[，,、\s]")
"""What follows a bare year that opens the sentence of an event (2015年，…); without it the
year is part of a name or a phrase (2020年大数据…论坛, 2021年科技型中小企业…)."""
PART_OF_STATED = re.compile(
    r"^[^，,。？?！!]{0,16}?(?:里面|里头|当中|之中|中间|(?:里|中)(?=[，,有的拿获得是属被入来]|$))"
    r"|各|分别|^[^，,。？?！!]{0,4}[，,]?\s*(?:其中)?第[一二三四五六七八九十\d]+[批期届轮次]"
)
"""What after a figure a question states makes it ask for a part of that figure: 231名博士
里（有多少…）, 26位院士当中, 78名获奖者中拿到…的, 265家，第一批和第二批各是多少, 265家高企第二批."""
EACH = re.compile(r"分别|各")  # each member of a set: 1007名专家在各区分别有多少人
_MEMBERS_ASKED = re.compile(
    rf"{EACH.pattern}|都是哪些|都有哪些|是哪些|是哪几|有哪些|有哪几|叫什么名|都是谁|都有谁|都叫什么"
    # the one that is most … of a set: 102个项目里投资最大的是哪个, 12个县里哪个县…最多
    r"|(?:里面|里头|当中|之中|里|中)[,，]?[^，,。？?]{0,10}?(?:最|第一)[^，,。？?]{0,8}?哪(?![里儿])"
    r"|(?:里面|里头|当中|之中|里|中)[,，]?[^，,。？?]{0,4}?哪[^，,。？?]{0,10}?(?:最|第一)"
)
_SMALLEST_SET = 3  # 这两个 / 分别是A还是B name their two members in the question itself
_NAMED_PAIR = re.compile(r"这$|还是|[和与及、跟]")
"""What shows a question names the two members of a set of two itself (A和B这2个分别…)."""
_ONE_OF_PAIR = re.compile(r"还是|还有|另一")
"""What after a set of two shows the question names one member (…分别是A还有哪一个)."""
STATED_SET = re.compile(r"(?:那|那些|上述|另外|其余|其他|其它|剩下)的?$")
"""What before a figure a question states makes it name a known set (那17个城市, 上述7个团队,
另外2个):
the question then asks about its members, which a text giving only the count does not say."""
QUARTER = re.compile(rf"(?<!\d)({_YEAR})\s*年?的?\s*第?([1-4一二三四])季度")
"""A quarter of a year: 2021年一季度, 2021年第2季度."""
HALF_YEAR = re.compile(rf"(?<!\d)({_YEAR})\s*年?的?\s*(上|下)半年")
"""A half of a year: 2021年上半年."""
EVENT_PLACE = re.compile(
    r"在([\u4e00-\u9fffA-Za-z0-9“”\-]{2,20}?)(?:隆重|正式|顺利|成功|安全)?"
    r"(?:举行|举办|召开|开幕|闭幕|启用|着陆|落户|开园|开业|投入运营|成立)"
)
"""Where an event took place: 在珠晖区可津小学举办 → 珠晖区可津小学."""
DATED_RANGE_SERIES = re.compile(
    rf"([\u4e00-\u9fffA-Za-z]{{2,20}}?)({_YEAR})\s*(?:年)?\s*[—–\-至到~～]\s*({_YEAR})年?"
    r"(?:分别|依次)(?:为|是|达)"
    r"((?:\d+(?:\.\d+)?[\u4e00-\u9fff%]{0,3}[、，,和及]?)+)"
)
"""A yearly series stated at once: X2017—2020年分别为142家、197家、273家、415家."""
YEAR_IN_NAME = re.compile(r"\d{4}年?")
"""A year inside a name (2020年中国…论坛), removed to find the name's family."""
DATE_EVIDENCE = re.compile(r"\d{4}年\d|\d{1,2}月|\d{1,2}日|\d{4}年[，,]")
"""Text that states a date."""

NUMBER = re.compile(r"\d+(?:\.\d+)?")
"""A figure in digits."""
DIGIT = re.compile(r"\d")
"""Any digit (a text with a figure in it)."""
SUPERLATIVE_EVIDENCE = re.compile(r"\d|最|第一")
"""A figure or a superlative (the answer to a which-is-most question)."""
AGENT_EVIDENCE = re.compile(r"由|主办|研发|院士|书记|市长|省长|公司|大学|学院|协会|局|部|委")
"""Words near the name of a person or body that did something."""
PLACE_EVIDENCE = re.compile(r"在|位于|于|落户|地区|区|县|市")
"""Words near a place."""
ENUMERATION = re.compile(r"、|和|及|等")
"""Marks of an enumeration."""
_NOT_A_DATE = r"(?![\d.]*[年月日])"
QUANTITY = re.compile(
    rf"\d+(?:\.\d+)?{_NOT_A_DATE}"
    r"|[一二三四五六七八九十百千万两]+(?:[个家项名位人倍次岁座种件条所米吨元]|公里|公尺|英尺|公斤)"
)
"""A quantity that is not part of a date (the answer to a how-many question)."""
QUANTITY_EVIDENCE = re.compile(
    rf"\d+(?:\.\d+)?{_NOT_A_DATE}|[一二三四五六七八九十百千万两]+[个家项名位人倍次米]"
)
"""A quantity, written in digits or in Chinese numerals with a classifier."""

# Counting units after which a numeral span is a real quantity (text normalisation).
NUMERAL_UNITS = (
    "年|月|日|号|时|点钟|个|家|项|名|位|人|倍|次|期|届|批|条|所|座|台|件|元|块|"
    "亿|万|公里|平方公里|公斤|千克|千瓦|米|岁|天|周|季度|类|种|枚|篇|本|场|轮|类|支|"
    "辆|套|吨|亩|层|户|栋|分钟|小时|秒"
)
# Units a question may ask a count or amount in (多少家, 几倍, 多少亿元).
ASKED_UNITS = (
    "平方公里|公里|公斤|千瓦|亿元|万元|元|家|个|名|位|项|倍|人|件|条|期|届|次|枚|所|座|台"
    "|批|场|轮|篇|本|辆|户|亩|吨|套"
)
ASKED_UNIT = re.compile(rf"(?:多少|几)({ASKED_UNITS})")
"""The unit of a how-many question: 多少家 → 家."""
# Units a stated figure comes in (达到 273 家, 为 6.2 亿元).
FIGURE_UNITS = (
    "万亿元|亿元|万元|元|平方公里|公里|公斤|千瓦|万人|家|个|名|位|项|倍|人|件|条|期|届|次|%"
)
FIGURE_STATEMENT = re.compile(
    r"([\u4e00-\u9fffA-Za-z（）()]{2,24}?)(达到|达|为|增长了|增长|突破|超过|共有|有)"
    rf"(\d+(?:\.\d+)?)\s*({FIGURE_UNITS})"
)
"""A figure stated about something: X达到/为/增长 N 单位."""
# A question or demonstrative word with a classifier (几家, 哪天, 哪几个, 那条, 这个), or a
# question word with the character jieba glued to it (哪一位, 哪国, 哪场, 何年, 何处, 什么样; not
# the name 哪吒): never a term — no answer sentence says it, so it only dilutes coverage.
ASKING_CLASSIFIER = re.compile(
    r"^(?:(几|哪几|哪|那|这|多少|每|各)[个家项名位人年月日天次条所座台件期届批种类枚只份处款部]?"
    r"|哪一?(?!吒)[\u4e00-\u9fff]?|何[年处人种时地方物事日月故以在为]?|什么样的?|啥样)$"
)

# Words that make a message a question (a fragment such as 科技型中小企业？ has none).
QUESTION_WORD = re.compile(
    r"多少|几|什么|哪|谁|吗|是否|是不是|有没有|怎|如何|何|多[长大高远久重深宽厚]"
)

SUM_WORDS = "合计|总共|一共|共计|加起来|总和|之和|累计"
SUM = re.compile(SUM_WORDS)
"""Words asking to add figures up."""
_NET_CHANGE = re.compile(rf"(?:{SUM_WORDS})净?(?:多了|多出|增加|增长|涨|减少|少了|下降|降)")
"""一共多了 / 总共增加了: how much a figure changed in all, not a sum of the figures."""


def asks_sum(normalised: str) -> bool:
    """Whether the question asks to add figures up (2017至2020年一共有多少), not for the change
    over them (2018到2020年一共多了多少家)."""
    return SUM.search(normalised) is not None and _NET_CHANGE.search(normalised) is None


SEVERAL_YEARS = re.compile(r"历年|各年|这几年|几年来|每年|逐年|每一年")
"""Words asking about every year of a series."""
FROM_TO_VALUES = re.compile(r"(?:从|由)(?:多少|几)[^，,。？?]{0,8}?(?:到|至|成|为)了?(?:多少|几)")
"""Words asking for a figure at both ends of a span (从多少涨到多少, 由几家增加到几家)."""
AVERAGE = re.compile(r"平均")
"""Words asking for an average."""
WHOLE_YEAR = re.compile(r"全年|整年|一整年|年底|年末|年终|一年下来")
"""A figure for a year as a whole (2021年全年), which only a later report can give."""
# A model or serial number is asked (型号是什么, 编号是？; not 代码需要修改吗); it is written with
# digits, or Latin letters with digits (SR-12500/35, A320, JSR 93, 007): text without one does
# not answer, and the word itself (型号) weighs like a function word.
CODE_WORD = "型号|编号|代号|代码|牌号"
CODE_ASKED = re.compile(
    rf"(?:{CODE_WORD})(?:是|为|叫)?(?:什么|多少|啥|几|哪|[?？]*$)|(?:什么|哪个|哪一?)(?:{CODE_WORD})"
)
CODE = re.compile(r"[A-Za-z]+\s?\d|\d+[A-Za-z]|[A-Za-z0-9]+[-/.][A-Za-z0-9]|\d{2,}")


def misses_code(question: str, text: str) -> bool:
    """Whether the (normalised) question asks for a model number and ``text`` holds none."""
    return CODE_ASKED.search(question) is not None and CODE.search(text) is None


FEWEST = re.compile(r"最(少|低|小|早)")
"""Words asking for the smallest or earliest."""
DIFFERENCE = re.compile(
    r"相差|差距|差(?:了)?(?:多少|几)|(?:多|少|高|低)(?:出|报|过)?了?(?:多少|几)|"
    r"刷掉|淘汰|筛掉|减少了|少了|掉了|多出"
)
"""Words asking how far apart two figures are (多多少, 相差, 刷掉了多少)."""
ELIMINATED = re.compile(r"刷掉|淘汰|筛掉|落选|出局|[没未]能?(?:进(?!行|一步|展|口|出)|入围)")
"""Words asking how many dropped out between two stages (初赛到决赛一共刷掉了多少): a difference,
however 一共 reads."""
RATIO = re.compile(r"是.{0,24}的(?:多少|几)倍|(?:多少|几)倍于")
"""Words asking how many times one figure is another (A是B的几倍)."""
DATE_UNITS = frozenset("年月日号")
"""The characters that end a date's number (2019年, 12月, 17日)."""
TIMES = re.compile(r"倍|翻了?[几一两二三四五\d]*番")
"""Words of a multiple (增长了几倍, 翻了几番): a ratio asked, not a difference."""
CHANGE = re.compile(r"增加|增长|增多|涨|上升|提高|减少|下降|降低|增幅|增量|变化")
"""Words asking about the change between consecutive figures (哪一年增加得最多)."""
NET = re.compile(r"^净(?:多|少)?$")
"""净 (净增加, 净多了): net, of the change asked, not a word the figure's name has."""
FALLING = re.compile(r"减少|下降|降低|下滑|回落|跌")
"""Words of a fall (哪一年减少得最多)."""
WHICH_YEAR = re.compile(r"哪一?年|哪个年份")
"""Words asking which year."""
FASTEST = re.compile(r"最快|最慢|增幅|降幅|增速|幅度")
"""Words asking for the relative change rather than the absolute one."""
MORE_THAN = re.compile(
    r"(?:超过|多于|高于|大于|不止|突破|超出)\s*(\d+(?:\.\d+)?)|"
    r"(\d+(?:\.\d+)?)\s*[\u4e00-\u9fff%]{0,3}以上"
)
"""A claim that a figure is above a number (超过200家, 200家以上)."""
LESS_THAN = re.compile(
    r"(?:不到|少于|低于|小于|不足|未满|没到)\s*(\d+(?:\.\d+)?)|"
    r"(\d+(?:\.\d+)?)\s*[\u4e00-\u9fff%]{0,3}(?:以下|以内)"
)
"""A claim that a figure is below a number (不到200家, 200家以下)."""
COMPARISON_CLAIM = re.compile(
    r"比.{1,24}?(?:更|还|要)?(多(?!少)|少|高|低|大|小|早|晚)"
    r"(?:一些|一点|些|得多|很多|不少)?了?(?:吗|呢|么|没有)?[?？!。]*$"
)
"""A claim that one figure is above or below another (A比B多吗)."""
SMALLER = re.compile(
    r"(?:最|更|较|比较)(?:少|低|小|慢|早)|(?<![多减缩])(?:少|低|小)(?:一些|一点|些|点)?[?？!。吗呢]*$"
)
"""The words of a comparison that ask for the smaller figure (更少, 最低)."""
ASKED_FIGURE = re.compile(
    rf"(?<![第\d.])(\d+(?:\.\d+)?)\s*((?:万|亿)?(?:{FIGURE_UNITS}|{ASKED_UNITS}|册|场|批|篇|本|辆|户|亩|吨|米|套))"
)
"""A figure with its unit stated in a question (有300家吗, 藏书40万册吗)."""
NEGATED_CLAIM = re.compile(
    r"(?<!有)没有(?!没)|(?<!有)没(?![有])|未(?!来|满)|(?<!是)不是(?!不)|并非"
)
"""A yes/no question whose claim is negated (还没有通过吗): 是 / 不是 would read backwards."""
ERROR_ASKED = re.compile(r"(?<![没不])(?:写|说|记|搞|弄|算|打|报|印)错|有误|有错")
"""A check whether a claim is wrong (是不是写错了, 有误吗): 是的 / 不是 would read backwards."""
HAVE_QUESTION = re.compile(r"有没有|有无|没有")
"""A yes/no question about having something, answered 有 / 没有 rather than 是 / 不是."""
DURATION = re.compile(r"(?<![这那近])(?:几|多少)(?:个)?(天|月|周|年)")  # 这几年 names a span
"""A question asking how long passed between two dates (过了几天)."""


@cache
def word_list(name: str) -> frozenset[str]:
    """A word list of Chinese in general shipped with the package (``resources/NAME.txt``)."""
    return frozenset(
        line.strip() for line in resource_lines(name) if line.strip() and not line.startswith("#")
    )


@cache
def resource_lines(name: str) -> tuple[str, ...]:
    """The lines of ``resources/NAME.txt`` (read once)."""
    text = resources.files("qa_bot.resources").joinpath(f"{name}.txt").read_text("utf-8")
    return tuple(text.split("\n"))


def stated_sets(normalised: str) -> list[re.Match[str]]:
    """The figures of three or more a question states as a set: after 那 / 上述, or followed
    by 分别 / 各 / 都是哪些 (那17个城市, 7个团队分别是哪几个, 7个团队都是哪些)."""
    return [
        m
        for m in ASKED_FIGURE.finditer(normalised)
        if set_size(m, normalised)
        and (
            STATED_SET.search(normalised[: m.start()])
            or _MEMBERS_ASKED.search(normalised[m.end() :])
        )
    ]


_THE_REST = re.compile(r"(?:另外|其余|其他|剩下)的?$")  # 另外16个城市: 17 with the one named


def stated_counts(normalised: str) -> list[tuple[str, str]]:
    """Each stated set's count and unit (see ``stated_sets``), and for the rest of a set
    (另外16个城市, 另外两个) the whole set's count too: the 17 with the one named."""
    counts = []
    for match in stated_sets(normalised):
        number, unit = match.group(1), match.group(2)
        counts.append((number, unit))
        if _THE_REST.search(normalised[: match.start()]) and number.isdigit():
            counts.append((str(int(number) + 1), unit))
    return counts


def set_size(figure: re.Match[str], normalised: str) -> bool:
    """Whether a stated figure is big enough to name a set whose members the question does
    not say: three or more, or two when nothing names the pair (2个园区分别叫什么, not
    A和B这2个分别…)."""
    size = float(figure.group(1))
    if size != 2:
        return size >= _SMALLEST_SET
    before, after = normalised[: figure.start()], normalised[figure.end() :]
    return not (_NAMED_PAIR.search(before) or _ONE_OF_PAIR.search(after))


def operators() -> frozenset[str]:
    """Words that ask for an operation rather than name a topic (增加, 合计, 平均 …)."""
    return word_list("operators")


def years_in(text: str) -> list[int]:
    """Years named in the text, in order, without repeats."""
    found: list[int] = []
    for match in YEAR_WORD.finditer(text):
        year = int(match.group(1))
        if year not in found:
            found.append(year)
    return found


def year_numbers(text: str) -> set[int]:
    """Every year written as a standalone number in ``text``."""
    return {int(y) for y in YEAR_NUMBER.findall(text)}
