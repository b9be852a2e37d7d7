"""Which enumeration answers a list question: the signs that a list is of the kind asked for
(…等科技活动, items ending in 区 for 哪几个区), that it is no answer (its items repeat the
question, or are amounts), and the choice among lists that match about as well."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from qa_bot.answering.analysis import focus_words
from qa_bot.answering.enumerations import Enumeration
from qa_bot.answering.intent import Question
from qa_bot.answering.list_marks import rule
from qa_bot.text import normalise
from qa_bot.tokenizer import Tokenizer


@dataclass(frozen=True)
class Found:
    """An enumeration in a sentence of a passage, and how well it matches the question."""

    enumeration: Enumeration
    position: int
    sentence: str
    relevance: float
    rank: int  # of its passage in retrieval
    local: float  # how well the rest of its clause covers the question (打造|A区、B区)
    echo: float  # the share of its items that repeat a word of the question
    kinded: float  # the share of its items that contain the kind asked for (…区 for 哪几个区)
    named: bool  # the words around it name the kind asked for (…等科技活动, 天敌有…)
    coverage: float  # how much of the question its sentence covers (as the reader counts)


def choose(found: list[Found], asked: int | None, margin: float) -> Found:
    """The enumeration to answer with: among those close to the most relevant, one with the
    asked number of items, else the most relevant; ties (one sentence, several lists) go to
    the list whose items contain the kind asked for (…区 for 哪几个区), then to the one whose
    clause matches best, then to one that is not a bare pair (A和B), then to the
    better-retrieved passage."""
    top = max(f.relevance for f in found)
    close = [f for f in found if f.relevance >= top - margin]

    def preference(f: Found) -> tuple[bool, float, float, float, bool, int]:
        counted = asked is not None and agrees(f.enumeration, asked)
        return (counted, f.relevance, f.kinded, f.local, not f.enumeration.paired, -f.rank)

    return max(close, key=preference)


def without_kind(enumeration: Enumeration, head: set[str]) -> Enumeration:
    """The enumeration without the word naming the kind in front of its first item when the
    other items lack it (专家王明远、赵强生 → 王明远, 赵强生)."""
    first, others = enumeration.items[0], enumeration.items[1:]
    for term in head:
        leads = len(term) > 1 and first.startswith(term) and len(first) > len(term)
        if leads and not any(other.startswith(term) for other in others):
            return replace(enumeration, items=(first[len(term) :], *others))
    return enumeration


def amounts(enumeration: Enumeration) -> bool:
    """Whether every item holds a figure (142家、197家; 1枚银牌和8个优胜奖)."""
    return all(rule("amount").search(item) for item in enumeration.items)


def likely_pair(found: Found, asked: int | None) -> bool:
    """Whether a bare pair (A和B) is worth offering: the words around it or its items are of
    the kind asked for, or two things are asked for (和 joins much that is no list); a pair
    with a one-character item only when the words around it name the kind (天敌有虎及云豹)."""
    if any(len(item) < 2 for item in found.enumeration.items):
        return found.named
    return asked == 2 or found.named or found.kinded > 0


def too_short(enumeration: Enumeration, asked: int | None) -> bool:
    """Whether a list has fewer items than the question asks for and does not say it names
    only some (…等): the other 16 cities are not the two ministries of the sentence."""
    if asked is None or enumeration.open_ended or agrees(enumeration, asked):
        return False
    return len(enumeration.items) < asked


def agrees(enumeration: Enumeration, asked: int) -> bool:
    """Whether an enumeration has the asked number of items (or says it has)."""
    return asked in {len(enumeration.items), enumeration.stated}


def around(enumeration: Enumeration) -> str:
    """The clause of an enumeration without its items: what it says about them."""
    text = enumeration.clause
    for item in enumeration.items:
        text = text.replace(item, "，", 1)
    return text


def echo(question: Question, head: set[str], enumeration: Enumeration) -> float:
    """The share of the items that are mostly words of the question (other than the words
    naming the kind of item): an answer names new things (组织引领 does not answer 组织了哪些,
    中国经济体制改革杂志社 may answer 中国改革…是谁发起的)."""
    words = [t for t in question.asked if len(t) > 1 and t not in head]
    echoing = 0
    for item in enumeration.items:
        text = normalise(item).lower()
        if 2 * sum(len(w) for w in words if w in text) >= len(text):
            echoing += 1
    return echoing / len(enumeration.items)


def kind_of(item: str, term: str) -> bool:
    """Whether an item names a thing of the kind ``term``: it contains the word, or for a
    one-character kind (奖, 人, 区), ends with it (特殊贡献奖, not 奖励基金)."""
    return item.endswith(term) if len(term) == 1 else term in item


def share(enumeration: Enumeration, head: set[str]) -> float:
    """The share of the items that name a thing of the kind asked for."""
    kinded = [i for i in enumeration.items if any(kind_of(normalise(i), t) for t in head)]
    return len(kinded) / len(enumeration.items)


def shares(candidate: Found, chosen: list[Found]) -> bool:
    """Whether an enumeration names one of the chosen items (the same list, told twice)."""
    mine = {normalise(i) for i in candidate.enumeration.items}
    if any(candidate.enumeration is f.enumeration for f in chosen):
        return False
    return any(mine & {normalise(i) for i in f.enumeration.items} for f in chosen)


def regions_unlisted(head: set[str], items: Sequence[str], tokenizer: Tokenizer) -> bool:
    """Whether the question asks for regions (哪些省份, 哪些外省城市) and no item is one: not
    a place name, and not a name ending in a region word (湘潭市, 广东省)."""
    lists = focus_words()
    if not head & lists["region_noun"]:
        return False
    suffixes = tuple(lists["region_suffix"])
    for item in map(normalise, items):
        if item.endswith(suffixes) or any(
            t.startswith("ns") for t in tokenizer.tags(item).values()
        ):
            return False
    return True
