"""Typed candidates: the spans of a sentence that could answer a question of each answer type.

Sources, and what each catches (tested on the shipped articles and DRCD):

- patterns in ``resources/candidates.txt``: dates, durations, figures with units, amounts,
  percentages, ranks, quoted and 《》 names, enumerations, reason and manner words, and names
  next to a title (…院士, 市长…), organisation and place suffixes (…大学, …县);
- jieba's dictionary tags: nr (people), nt (organisations), ns (places) — only words jieba
  knows, so most people's names are missed by this source;
- the surname list: an unknown 2–3 character word starting with a common surname may be a
  person's name (catches 李兰娟, misses transliterated foreign names, which the · pattern has).
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import cache

from qa_bot import lexicon
from qa_bot.answering.answer_types import AnswerType
from qa_bot.tokenizer import Tokenizer

_TAG_TYPES = {"nr": AnswerType.PERSON, "nt": AnswerType.ORGANISATION, "ns": AnswerType.PLACE}
# An entity question accepts the other entity kinds too: 谁主办 is often answered by a body.
_ACCEPTS = {
    AnswerType.PERSON: (AnswerType.PERSON, AnswerType.ORGANISATION),
    AnswerType.ORGANISATION: (AnswerType.ORGANISATION, AnswerType.PERSON, AnswerType.PLACE),
    AnswerType.PLACE: (AnswerType.PLACE, AnswerType.ORGANISATION),
    AnswerType.DATE: (AnswerType.DATE,),
    AnswerType.COUNT: (AnswerType.COUNT, AnswerType.DURATION),
    AnswerType.NUMBER: (AnswerType.NUMBER, AnswerType.PERCENT, AnswerType.AMOUNT),
}


# Tags of words that are no one's name: verbs, adjectives, adverbs, numbers, pronouns, time,
# place and direction words.
_NOT_NAME_TAGS = frozenset("vadpcumqrtfs")
# What a question asking for a share says (the share, not how much it grew).
_SHARE = re.compile(r"比重|占比|比例|百分比|百分之|%")


@cache
def patterns() -> dict[AnswerType, re.Pattern[str]]:
    """One compiled pattern per answer type, from the resource file (read once)."""
    found: dict[AnswerType, list[str]] = defaultdict(list)
    for name, value in resource_rules():
        if not name.startswith("suffix:"):
            found[AnswerType(name)].append(value)
    return {kind: re.compile("|".join(f"(?:{p})" for p in parts)) for kind, parts in found.items()}


@cache
def suffixes() -> dict[AnswerType, tuple[str, ...]]:
    """The words names of a type end with (longest first), from the resource file."""
    return {
        AnswerType(name.removeprefix("suffix:")): tuple(sorted(value.split(), key=len)[::-1])
        for name, value in resource_rules()
        if name.startswith("suffix:")
    }


def resource_rules() -> list[tuple[str, str]]:
    """The (name, value) lines of ``resources/candidates.txt``."""
    rules = []
    for line in lexicon.resource_lines("candidates"):
        if line.strip() and not line.startswith("#"):
            name, value = line.split("\t", 1)
            rules.append((name.strip(), value.strip()))
    return rules


@cache
def surnames() -> frozenset[str]:
    """Common Chinese surnames (``resources/surnames.txt``)."""
    return frozenset(
        word
        for line in lexicon.resource_lines("surnames")
        if not line.startswith("#")
        for word in line.split()
    )


class CandidateFinder:
    """Finds the typed spans of a sentence."""

    def __init__(self, tokenizer: Tokenizer) -> None:
        self.tokenizer = tokenizer

    def spans(self, text: str, kind: AnswerType, strict: bool = False) -> list[str]:
        """Spans of ``text`` (normalised) that could be an answer of ``kind`` (``strict``:
        of that kind only, not of the kinds it usually accepts)."""
        found: list[str] = []
        for accepted in (kind,) if strict else _ACCEPTS.get(kind, (kind,)):
            pattern = patterns().get(accepted)
            if pattern is not None:
                matches = [m for m in pattern.finditer(text) if m.group()]
                if accepted == AnswerType.PERSON:
                    matches = self.whole_words(text, matches)
                found += [m.group() for m in matches]
            if accepted in _TAG_TYPES.values() or accepted in suffixes():
                tagged = self.tagged(text, accepted)
                if kind == AnswerType.PLACE and accepted == AnswerType.ORGANISATION:
                    tagged = [w for w in tagged if not (len(w) == 2 and w[0] in _LEVELS)]
                found += tagged
        return found

    def whole_words(self, text: str, matches: list[re.Match[str]]) -> list[re.Match[str]]:
        """The matches that begin and end between words and are no common word: a name
        before a title (张三院士) is a word of its own, while 参赛选手 and 全市专家 hold no name
        before 选手 (参赛 is a verb, 全市 a place word)."""
        edges = {0}
        for token in self.tokenizer.tagged(text):
            edges |= {token.start, token.start + len(token.word)}
        tag_of = self.tokenizer.tag_of
        return [
            m
            for m in matches
            if m.start() in edges
            and m.end() in edges
            and tag_of(m.group())[:1] not in _NOT_NAME_TAGS
        ]

    def tagged(self, text: str, kind: AnswerType) -> list[str]:
        """Dictionary words tagged as ``kind``; for people, likely names by surname; for
        organisations and places, words (or word pairs) that end with a typical suffix."""
        found = []
        endings = suffixes().get(kind, ())
        previous = ""
        for token in self.tokenizer.tagged(text):
            word = token.word
            if kind in _NAMED_BY_SUFFIX and len(word) == 2 and word[0] in _POINTING:
                previous = word
                continue  # 全省, 我市, 本院, 该所 point at a place or body, naming none
            if (len(word) >= 2 and _TAG_TYPES.get(token.tag[:2]) == kind) or (
                kind == AnswerType.PERSON and self.looks_like_name(word, token.tag)
            ):
                found.append(word)
            elif endings and word.endswith(endings):
                if len(word) >= 3 or (len(word) == 2 and word not in endings):
                    found.append(word)
                elif previous and re.fullmatch(r"[\u4e00-\u9fffA-Za-z]{2,}", previous):
                    found.append(previous + word)
            previous = word
        return found

    def looks_like_name(self, word: str, tag: str) -> bool:
        """An unknown 2–3 character Chinese word that starts with a common surname."""
        if tag != "x" or not 2 <= len(word) <= 3 or not re.fullmatch(r"[\u4e00-\u9fff]+", word):
            return False
        return word[0] in surnames() or word[:2] in surnames()

    def new_spans(
        self, text: str, kind: AnswerType, question: str, strict: bool = False
    ) -> list[str]:
        """Spans of ``kind`` that the question does not already contain; for a share (比重,
        占比, 百分之几), not a multiple (增长1.8倍 says how much it grew, not what it is)."""
        found = self.spans(text, kind, strict)
        if kind == AnswerType.PERCENT and _SHARE.search(question):
            found = [s for s in found if not s.endswith(("倍", "番"))]
        return [
            s
            for s in found
            if s not in question
            and not (strict and _QUOTES.sub("", s) in question)  # “中国创翼” asked as 中国创翼
            and not in_span(s, question)
            and not named_place(s, question)
        ]


_QUOTES = re.compile(r"[“”「」『』《》\"]")
_NAMED_BY_SUFFIX = frozenset({AnswerType.PLACE, AnswerType.ORGANISATION})
_POINTING = frozenset("全我本该各此这那其贵")
"""First characters of a two-character word that points at a place or body (全省, 我市, 该所)."""
_LEVELS = frozenset("省市县区镇乡村")  # 市委, 省委: the place's own body, which is no venue


_THING_CLASSIFIERS = "号所家项座台枚种类支批期届篇部本首场轮辆套吨亩层户栋条件米"
_THINGS_COUNTED = re.compile(rf"\d+(?:\.\d+)?[{_THING_CLASSIFIERS}]")


def without_things_counted(text: str) -> str:
    """``text`` without its figures that count things (803所, 嫦娥5号, 3家): none of them
    answers how many people (多少人, 几位)."""
    return _THINGS_COUNTED.sub("", text)


def named_place(span: str, question: str) -> bool:
    """Whether the span is a place the question names without its level (衡阳市 for 衡阳)."""
    core = span[:-1] if len(span) >= 3 and span[-1] in "省市县区镇村" else ""
    return bool(core) and core in question


def in_span(span: str, question: str) -> bool:
    """Whether the span's digits are all in the question (2020年 asked, 2020年12月 found is
    new; 2020 asked, 2020年 found is not)."""
    digits = re.findall(r"\d+", span)
    if not digits or re.search(r"[月日号]", span):
        return False
    return all(re.search(rf"(?<!\d){d}(?!\d)", question) for d in digits)


def names_of_kind(kind: str, text: str, question: str) -> list[str]:
    """The names in ``text`` that end in ``kind`` and that the question does not already
    write (东海大桥海上风电场 for 风电场): no dictionary tag or suffix list knows most of them."""
    found = re.findall(rf"[\u4e00-\u9fffA-Za-z0-9]{{1,12}}?{re.escape(kind)}", text)
    return [name for name in found if name != kind and name not in question]
