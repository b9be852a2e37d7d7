"""Claims of a yes/no question that a text can contradict by what it says nearby: a
superlative within a scope (是全球最大的吗 against 全球第二大) and a post held by a named person
(郑建新是组长吗 against 郑建新任顾问，…邓群策任组长). Generic Chinese; the scope words are in
``resources/operations.txt``."""

from __future__ import annotations

import re

from qa_bot.answering.intent import Question
from qa_bot.answering.operands import operation_words
from qa_bot.sentences import clauses, sentences

_SUPERLATIVE = re.compile(r"最|第一|首")
_LOWER_RANK = re.compile(r"第(?:[二三四五六七八九十]|[2-9]|\d{2,})")
_RANK_REACH = 8  # characters after a scope word that a rank still belongs to (全球第二大功率)
_NAME_SIZES = (2, 3, 4)  # characters of a Chinese name before 任
_APPOINTED = re.compile(r"(?:担任|出任|兼任|任)([\u4e00-\u9fff]{2,8}?)(?=[，,。；;、]|$)")


def ranked_scope(question: Question) -> str | None:
    """The scope of a superlative the question claims (全球 of 是全球功率最大的吗), if any."""
    text = question.normalised
    for scope in sorted(operation_words()["scopes"], key=len, reverse=True):
        at = text.find(scope)
        if at >= 0 and _SUPERLATIVE.search(text[at + len(scope) : at + len(scope) + _RANK_REACH]):
            return scope
    return None


def lower_rank(scope: str, text: str) -> str | None:
    """The sentence of ``text`` with a clause that ranks something second or lower within
    ``scope`` (…国内最大，也是全球第二大…)."""
    for sentence in sentences(text):
        for clause in clauses(sentence):
            at = clause.find(scope)
            if at >= 0 and _LOWER_RANK.search(clause[at : at + len(scope) + _RANK_REACH]):
                return sentence
    return None


def other_post(question: Question, text: str) -> str | None:
    """The sentence of ``text`` where someone the question names takes one post (郑建新任顾问)
    while the post the question claims for them goes to someone else (…邓群策任组长)."""
    asked = question.normalised
    for sentence in sentences(text):
        own, claimed = [], []
        for match in _APPOINTED.finditer(sentence):
            before = sentence[: match.start()]
            named = any(len(before) >= k and before[-k:] in asked for k in _NAME_SIZES)
            if named:
                own.append(match.group(1))
            elif match.group(1) in asked:
                claimed.append(match.group(1))
        if own and claimed and not any(post in mine for post in claimed for mine in own):
            return sentence
    return None
