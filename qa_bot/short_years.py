"""Two-digit years (21年初, 高企19年有几家, 19年比18年): made whole where they are clearly years,
and left alone where they are spans (用了10年, 10年来)."""

from __future__ import annotations

import re

from qa_bot import lexicon

SHORT_YEAR = re.compile(
    r"(?<![\d.])(\d{2})年(?=年?[初底末]|[上下]半年|前?[一二三四1-4]个?季度|第[一二三四1-4]个?季度"
    r"|头一个季度|首季度|\d{1,2}月)"
)
"""A year written with two digits where only a year fits (21年初, 19年3月, 20年一季度); a
duration (3年, 10年来) never matches: it has one digit or no calendar word after it."""
LEADING_SHORT_YEAR = re.compile(
    r"(?:^|(?<=[，,：:在于是从到至那]))(\d{2})年(?![\d来前后间里内多半时代度龄级左上以])"
    r"(?!的(?![呢吗]|[?？]*$))"
)
"""A two-digit year opening a question or a clause (20年成果对接会…, 在21年…, 16年的呢): spoken
for a year; a span of years there says 来 / 间 / 多 / 的 after it (20年来, 10年间, 20年的时间)."""
ASKED_SHORT_YEAR = re.compile(
    r"(?<![\d.了用花过历近这那前后余多办干做去来每第达续整共计比])(\d{2})年"
    r"(?![\d来前后间里内多半时代度龄级左上以])"
    r"(?=[^，,。？?]{0,12}?有?(?:几[个家项名位所座件]?(?![年月天周])|多少))"
)
"""A two-digit year in the clause that asks how many (科小19年几家, 高企19年有几家, 衡阳16年
高新技术企业有多少家): spoken for a year; after a verb or a word of span (用了10年, 过去10年,
连续10年) or before one (10年来, 10年内) it is a span of years."""
PAIRED_SHORT_YEARS = re.compile(r"(?<![\d.])(\d{2})年(比|和|与|跟|同|较|对比)(\d{2})年")
"""Two two-digit years compared (19年比18年多了多少): both are years."""
COMPARED_SHORT_YEAR = re.compile(
    r"(?<=[比和与跟同较是])(\d{2})年(?![\d来前后间里内多半时代度龄级左上以])"
)
"""A two-digit year compared with a full year the question names (2018年比17年少了多少,
2020年…是19年的两倍吗): a year too."""


def full_years(text: str) -> str:
    """Two-digit years made whole where they are clearly years (21年初 → 2021年初; 00–49 are
    taken as 20xx, 50–99 as 19xx)."""

    def year(digits: str) -> str:
        short = int(digits)
        return f"{2000 + short if short < 50 else 1900 + short}年"

    def whole(match: re.Match[str]) -> str:
        return year(match.group(1))

    def pair(match: re.Match[str]) -> str:
        return f"{year(match.group(1))}{match.group(2)}{year(match.group(3))}"

    text = PAIRED_SHORT_YEARS.sub(pair, SHORT_YEAR.sub(whole, text))
    text = ASKED_SHORT_YEAR.sub(whole, text)
    if lexicon.FULL_YEAR.search(text):
        text = COMPARED_SHORT_YEAR.sub(whole, text)
    return LEADING_SHORT_YEAR.sub(whole, text)
