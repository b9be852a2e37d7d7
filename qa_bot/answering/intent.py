"""Question analysis: the question type and its time slots, from generic Chinese patterns."""

from __future__ import annotations

import re
from collections.abc import Sequence, Set
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache

from qa_bot import lexicon
from qa_bot.answering.answer_types import AnswerType, expected_type
from qa_bot.lexicon import years_in


class QType(StrEnum):
    """What kind of answer the question wants."""

    COMPUTE = "compute"
    COMPARE = "compare"
    LIST = "list"
    YESNO = "yesno"
    DATE = "date"
    NUMBER = "number"
    WHO = "who"
    WHERE = "where"
    WHAT = "what"


# Checked in order: the first matching pattern decides the type.
_TYPE_PATTERNS: list[tuple[QType, re.Pattern[str]]] = [
    (QType.WHO, re.compile(r"谁|哪位|\bwho\b")),  # 最大的…是谁研发的 asks for a name
    (
        QType.COMPUTE,
        re.compile(
            r"(增加|增长|多出|减少|提高|上升|下降|净增|上涨|涨|降)了?(多少|几)|(?<!多)(多|少)了(多少|几)|增长.{0,3}几倍|翻了几|"
            r"比.{1,20}(多|少|高|低)(出来|出|报|过)?(了)?(多少|几)|差(了)?多少|相差|平均|几倍|"
            r"(刷掉|淘汰|筛掉)了?(多少|几)"
        ),
    ),
    # 是全球最大的吗 claims a superlative: a yes/no question unless a question word asks more.
    (QType.YESNO, re.compile(r"^(?!.*(?:哪|谁|什么|多少|几)).*(?:是否|是不是|吗[?？!！。]*$)")),
    # 是全市第一不 / 有这回事没有: a claim closed by 不 / 没有 asks yes or no.
    (
        QType.YESNO,
        re.compile(
            r"^(?!.*(?:哪|谁|什么|多少|几|怎)).*(?:是|有|算)[^，,。？?]{1,12}(?:不|没有?)[?？!！。]*$"
        ),
    ),
    (QType.COMPARE, re.compile(r"\b(most|least|highest|lowest)\b")),
    (QType.COMPARE, re.compile(r"最(多|少|高|低|大|小|快|早|晚)|哪一?年.{0,12}(更|较)(多|少|高)")),
    (
        QType.COMPARE,  # A还是B多; 2020年和2021年，哪一年…的多
        re.compile(
            r"还是.{1,20}(多|少|高|低|大|小)(一些|一点|些|呢)?[?？!。]*$|"
            r"哪一?[年个项家种类].{0,16}(多(?!少)|(?<!多)少|高|低|大|小)(一些|一点|些)?[?？!。]*$"
        ),
    ),
    (
        QType.LIST,
        re.compile(r"哪些|有什么(?!区别|不同)|都有谁|有哪几|列举|都是什么|包括什么|包含什么"),
    ),
    (QType.YESNO, re.compile(r"是否|是不是|有没有|对不对|能不能|吗[?？!！。]*$")),
    (
        QType.DATE,
        re.compile(
            r"哪一?年|什么时候|何时|哪一?天|几月|哪个月|什么时间|哪个时间|日期|几号|多会儿|"
            r"\bwhen\b|what year"
        ),
    ),
    (
        QType.NUMBER,
        re.compile(
            r"多少|几[个家项名位人倍次期届批条所座台件亿万公里公斤千瓦天年]?|数量|多大|多高|多长|多远|规模|比重|占比"
        ),
    ),
    (
        QType.WHO,
        re.compile(
            r"谁|哪位|什么人|哪个人|哪个单位|哪家|哪个机构|哪个部门|哪所|由哪|什么单位|什么机构"
        ),
    ),
    (QType.WHERE, re.compile(r"哪里|在哪|什么地方|哪儿|何处|地点|位于|\bwhere\b")),
    (QType.NUMBER, re.compile(r"how (many|much|long|big|large)")),
]


@dataclass
class Question:
    """An analysed question: normalised text, index terms, type and time slots."""

    raw: str
    normalised: str
    terms: list[str]
    qtype: QType
    years: list[int] = field(default_factory=list)
    year_range: tuple[int, int] | None = None
    months: list[str] = field(default_factory=list)
    weights: dict[str, float] = field(default_factory=dict)
    hints: frozenset[str] = frozenset()
    unit: str | None = None
    names: set[str] = field(default_factory=set)  # proper nouns (places, people, bodies)
    quoted: set[str] = field(default_factory=set)  # names put in quotes (「电视之父」)
    asked: set[str] = field(default_factory=set)  # content terms: no figures, no operators
    expansions: dict[str, float] = field(default_factory=dict)  # stand-in → retrieval weight
    expected: AnswerType | None = None  # what kind of thing is asked for
    focus: str | None = None  # the noun asked about (多少名学生 → 学生): the answer must name it
    role: str | None = None  # the noun before 是谁 / 是什么 (论坛的主题是什么 → 主题)
    names_kind: bool = False  # asks a kind of person or place by name (哪位教授, 哪个县): strict
    kind_word: str | None = None  # 哪个海上风电场 → 风电场: what the answer's name ends with
    parts: list[str] = field(default_factory=list)  # sub-questions (room for later stages)


# Adding up is asked for only over several years (2017至2020年一共…); "一共有多少" alone
# asks for one figure.
def question_type(normalised: str) -> QType:
    """The first type whose pattern matches; WHAT when none does."""
    normalised = normalised.lower()
    several_years = len(years_in(normalised)) >= 2 or bool(lexicon.SEVERAL_YEARS.search(normalised))
    if lexicon.SUM.search(normalised) and several_years:
        return QType.COMPUTE
    for qtype, pattern in _TYPE_PATTERNS:
        if pattern.search(normalised):
            return qtype
    return QType.WHAT


def year_range_in(normalised: str) -> tuple[int, int] | None:
    """An explicit range such as 2017—2020 or 2017年至2020年."""
    match = lexicon.YEAR_RANGE.search(normalised)
    if not match:
        return None
    start, end = int(match.group(1)), int(match.group(2))
    return (start, end) if start < end else None


def months_in(normalised: str) -> list[str]:
    """Year-months named in the text as ``YYYY-MM``."""
    return [
        f"{int(y):04d}-{int(m):02d}"
        for y, m in lexicon.YEAR_MONTH.findall(normalised)
        if 1 <= int(m) <= 12
    ]


@cache
def hints() -> tuple[tuple[str, frozenset[str]], ...]:
    """(question word, attribute words) pairs from ``resources/hints.txt`` (read once)."""
    found = []
    for line in lexicon.resource_lines("hints"):
        if line.strip() and not line.startswith("#"):
            pattern, words = line.split("\t", 1)
            found.append((pattern.strip(), frozenset(words.split())))
    return tuple(found)


Alternatives = tuple[frozenset[str], ...]


@cache
def contrasts() -> tuple[Alternatives, ...]:
    """Groups of mutually exclusive alternatives from ``resources/contrasts.txt`` (read once);
    an alternative is one word or several that mean the same (国家|国家级)."""
    return tuple(
        alternatives(line)
        for line in lexicon.resource_lines("contrasts")
        if line.strip() and not line.startswith("#")
    )


def alternatives(line: str) -> Alternatives:
    """``国家|国家级 省级`` → ({国家, 国家级}, {省级})."""
    return tuple(frozenset(choice.split("|")) for choice in line.split())


def contradicts(asked: Set[str], found: Set[str], groups: Sequence[Alternatives] = ()) -> bool:
    """Whether ``found`` uses a word that excludes one the question uses (省级 for 国家)."""
    return any(excludes(group, asked, found) for group in [*contrasts(), *groups])


def excludes(group: Alternatives, asked: Set[str], found: Set[str]) -> bool:
    """Whether ``asked`` names an alternative of ``group`` and ``found`` only other ones."""
    mine = {i for i, choice in enumerate(group) if asked & choice}
    theirs = {i for i, choice in enumerate(group) if found & choice}
    return bool(mine and theirs and not mine & theirs)


def attribute_hints(normalised: str) -> frozenset[str]:
    """Attribute words implied by the question's wording (多长 → 全长, 长度 …)."""
    found: set[str] = set()
    for pattern, words in hints():
        if pattern in normalised:
            found |= words
    return frozenset(found)


def asked_unit(normalised: str) -> str | None:
    """The counting unit a how-many question names (多少家 → 家, 增长了几倍 → 倍)."""
    match = lexicon.ASKED_UNIT.search(normalised)
    return match.group(1) if match else None


def analyse(raw: str, normalised: str, terms: list[str]) -> Question:
    """Build the Question for already normalised text and its index terms."""
    return Question(
        raw=raw,
        normalised=normalised,
        terms=terms,
        qtype=question_type(normalised),
        years=years_in(normalised),
        year_range=year_range_in(normalised),
        months=months_in(normalised),
        hints=attribute_hints(normalised),
        unit=asked_unit(normalised),
        expected=expected_type(normalised),
    )
