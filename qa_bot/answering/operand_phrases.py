"""Operand phrases: a question naming figures to combine (A加上B, A还是B多, 从A到B), cut into
one phrase per figure at its joining words (``resources/operations.txt``), each with its own
terms, years and places; the rest is context."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from qa_bot import lexicon
from qa_bot.answering.intent import Alternatives, Question, alternatives, contrasts
from qa_bot.tokenizer import Tokenizer


@cache
def operation_words() -> dict[str, frozenset[str]]:
    """The named word lists of ``resources/operations.txt`` (read once)."""
    found: dict[str, set[str]] = {}
    for line in lexicon.resource_lines("operations"):
        if line.strip() and not line.startswith("#"):
            name, words = line.split("\t", 1)
            found.setdefault(name.strip(), set()).update(words.split())
    return {name: frozenset(words) for name, words in found.items()}


@cache
def alternative_groups() -> tuple[Alternatives, ...]:
    """Contrasting words (contrasts.txt) and groups of alternatives (operations.txt)."""
    found = [
        alternatives(line.split("\t", 1)[1])
        for line in lexicon.resource_lines("operations")
        if line.startswith("alternatives\t")
    ]
    return (*contrasts(), *found)


@dataclass(frozen=True)
class Part:
    """One phrase of a question that names one operand: its text, terms and years."""

    text: str
    own: frozenset[str]
    years: tuple[int, ...]
    places: frozenset[str] = frozenset()


REMAINDER = re.compile(
    r"不算|不计|不包括|不含|除去|扣除|除掉|去掉|还剩|剩下|剩余|不是[^，,。？?]{1,12}的[^，,。？?]{0,6}(?:有)?(?:多少|几)"
)
"""Words asking what is left of a total once a part is taken out (110名人才里不算科技专家还剩
多少, 不是科技专家的有多少): a difference of the total and the part."""


def parts_of(
    question: Question, tokenizer: Tokenizer, listing: bool = True
) -> tuple[list[Part], set[str]]:
    """The question's operand phrases (two or more, or none) and its context terms.

    A phrase without a content term (2020年, 一共多少项) names no operand: "2020年和2021年，
    哪一年…多" compares two years of one series, which is not this module's business. What
    comes before 从 in "…从A到B…" is context only. Without ``listing``, 、 joins no operands:
    it lists inside one phrase (企业技术需求与高校、科研院所技术成果).
    """
    words = operation_words()
    joiners, starts, ends = words["joiners"], words["from"], words["to"]
    if not listing:
        joiners = joiners - {"、"}
    if lexicon.RATIO.search(question.normalised):
        joiners = joiners | {"是"}  # A是B的几倍
    if lexicon.ELIMINATED.search(question.normalised) or REMAINDER.search(question.normalised):
        joiners = joiners | words["remainder"]  # 进了初赛但没进决赛的
    segments: list[list[str]] = [[]]
    context: list[str] = []
    started = False
    for word in summed_as_one(tokenizer.words(question.normalised)):
        if word in starts and not started:
            started = True
            context, segments = [w for s in segments for w in s], [[]]
        elif word in joiners or (started and word in ends):
            segments.append([])
        else:
            segments[-1].append(word)
    parts = inherit([make_part(s, tokenizer) for s in segments])
    context_terms = set(tokenizer.tokenise("".join(context))) - lexicon.operators()
    return (parts if len(parts) >= 2 else []), context_terms


def summed_as_one(words: list[str]) -> list[str]:
    """jieba's 加|起来 as the one word 加起来 (A和B加起来一共征集了多少项): it adds up the
    phrases before it; taken for the joiner 加, it would make 起来…征集 a phrase of its own."""
    joined: list[str] = []
    for word in words:
        if word == "起来" and joined and joined[-1] == "加":
            joined[-1] = "加起来"
        else:
            joined.append(word)
    return joined


def inherit(made: list[Part]) -> list[Part]:
    """The phrases that name something; a phrase of a year alone takes what the other one
    names ("2021年论坛的院士比2020年多了几位": the 院士 of 2020), and so does one of a place
    and a stand-in for the measure ("雁峰区…的比重，比全市2019年的水平高几个百分点": the 比重
    of 全市 in 2019), keeping its own place."""
    named = [part for part in made if part.own]
    dated = [part for part in made if not part.own and part.years]
    if len(named) == 1 and len(dated) == 1 and named[0].years:
        return [
            part if part.own else Part(part.text, named[0].own, part.years)
            for part in made
            if part.own or part.years
        ]
    bare = [part for part in named if standing_in(part)]
    if len(named) == 2 and len(bare) == 1:
        other = next(part for part in named if part is not bare[0])
        measure = measure_of(other)
        return [
            Part(p.text, p.places | measure, p.years, p.places) if p in bare else p for p in named
        ]
    return named


def measure_of(part: Part) -> frozenset[str]:
    """A phrase's words for what is measured: not its places, nor words standing in for it."""
    return part.own - part.places - operation_words()["stand_ins"]


def standing_in(part: Part) -> bool:
    """Whether a phrase names only a place, with a year or a stand-in for the measure."""
    return (
        not measure_of(part) and bool(part.places) and (bool(part.years) or part.own != part.places)
    )


def modifiers_only(part: Part, is_common: Callable[[str], bool]) -> bool:
    """Whether a phrase names only a level or kind (国家级 of "国家级和省级高新区"), words
    of the alternatives, besides words found everywhere."""
    rest = {t for t in part.own if not is_common(t)}
    choices = {word for group in alternative_groups() for choice in group for word in choice}
    return bool(rest) and rest <= choices


def lend_heads(parts: list[Part], is_common: Callable[[str], bool]) -> list[Part]:
    """ "国家级和省级高新区": a phrase of modifiers alone takes the other phrases' other words."""
    choices = {word for group in alternative_groups() for choice in group for word in choice}
    lent = []
    for part in parts:
        if modifiers_only(part, is_common):
            others = {t for p in parts if p is not part for t in p.own if t not in choices}
            part = Part(part.text, part.own | others, part.years)
        lent.append(part)
    return lent


def make_part(words: list[str], tokenizer: Tokenizer) -> Part:
    """A phrase from its words: its content terms (no figures, no operators) and years."""
    text = "".join(words)
    own = {
        t
        for t in tokenizer.tokenise(text)
        if not t.replace(".", "", 1).isdigit() and t not in lexicon.operators()
    }
    places = frozenset(t for t in own if tokenizer.tag_of(t).startswith("ns"))
    return Part(text, frozenset(own), tuple(lexicon.years_in(text)), places)
