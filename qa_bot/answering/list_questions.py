"""What a list question asks: whether it asks for several items, how many, counted in what,
and the words that name the kind of item (哪些科技活动 → 科技, 活动). Generic Chinese rules in
``resources/lists.txt``."""

from __future__ import annotations

import re

from qa_bot.answering.intent import Question
from qa_bot.answering.list_marks import count_value, is_verb, rule
from qa_bot.tokenizer import Tokenizer

# Tags of words that cannot be part of the name of the kind of item asked for.
_NOT_A_NAME = frozenset("pcuryedfm")


def asks_for_list(normalised: str) -> bool:
    """Whether the question asks for several items."""
    return bool(rule("ask").search(normalised))


_BESIDES = re.compile(r"除了?([^，,。？?]{1,12}?)(?:以外|之外|外)?[,，]?(?:还|另外|其他|其余|其它)")


def named_besides(normalised: str) -> str:
    """What the question names as already known (除了网上办还推了哪几种 → 网上办), or "": the
    list holding it is the one asked about, and it is no answer itself."""
    said = _BESIDES.search(normalised)
    return said.group(1) if said else ""


def is_besides(item: str, named: str) -> bool:
    """Whether a list item is the one ``named_besides`` found (quotes aside)."""
    return bool(named) and item.strip("“”《》") in named


def asked_count(normalised: str) -> int | None:
    """The number of items a question names (哪六微 → 6, 这3个…分别是什么 → 3)."""
    match = rule("count").search(normalised)
    if match is None:
        return None
    numeral = next(group for group in match.groups() if group)
    return count_value(numeral)


def asked_unit(normalised: str) -> str:
    """The classifier a list question counts in (哪几位 → 位), 个 by default."""
    match = rule("unit").search(normalised)
    return match.group(1) if match else "个"


_QUOTED_KIND = re.compile(r"[“「『\"]([^”」』\"]{1,8})[”」』\"]")


def head_terms(normalised: str, tokenizer: Tokenizer) -> set[str]:
    """The terms naming the kind of item asked for: the words after the list word up to a
    verb or particle (哪些科技活动 → 科技, 活动; 哪些院士莅临 → 院士; 哪些园区和平台 → 园区,
    平台), else the nouns before it (天敌有哪些 → 天敌)."""
    match = rule("head").search(normalised)
    quoted = _QUOTED_KIND.match(match.group(1)) if match else None
    if quoted:  # 哪几个“引领”: a quoted word is the kind, whatever its tag
        return {quoted.group(1)}
    words = []
    for token in tokenizer.tagged(match.group(1)) if match else []:
        ordinal = token.word.startswith("第")  # 哪三个第一
        joins = rule("coordinate").fullmatch(token.word) is not None  # 园区和平台
        if joins:
            words.append(" ")
        elif (token.tag[:1] in _NOT_A_NAME and not ordinal) or is_verb(token.tag):
            break
        else:
            words.append(token.word)
    if not "".join(words).strip():
        words = kind_before(normalised, tokenizer)
    return set(tokenizer.tokenise(" ".join(words)))


def kind_before(normalised: str, tokenizer: Tokenizer) -> list[str]:
    """The nouns right before 有哪些 (马来穿山甲的天敌有哪些 → 天敌)."""
    match = rule("kind").search(normalised)
    words: list[str] = []
    for token in reversed(tokenizer.tagged(match.group(1)) if match else []):
        if token.tag[:1] in _NOT_A_NAME or is_verb(token.tag):
            break
        words.insert(0, token.word)
    return words


def asks_for_events(question: Question, head: set[str]) -> bool:
    """Whether the question asks what happened at a time: it names a time, and the items
    asked for are things that happened (事, 活动, 动静 …; or not named, with a month)."""
    if head:
        return bool(question.months or question.years) and any(
            rule("event").fullmatch(term) for term in head
        )
    return bool(question.months)
