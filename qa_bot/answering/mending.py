"""Words jieba joined across a word boundary of the question (组比 in 分成哪几个组比的, 位省 in
陈飞三位省领导): a word the knowledge base never uses, with a function
character at either end (a preposition, pronoun, particle, conjunction, adverb or stopword),
and that jieba only guessed (no dictionary word), stands for what is left once those are
taken off, when the knowledge uses that (省) or one character is left (组). Left whole, such a
word weighs as much as a name the knowledge lacks, and the question is refused. A dictionary
word (一等奖) is asked as it is: it may well be what the knowledge lacks.
"""

from __future__ import annotations

from collections.abc import Container

from qa_bot.tokenizer import Tokenizer

_FUNCTION_TAGS = ("p", "r", "u", "c", "y", "d")  # not numerals: 两电, 三色 are names


def mended(terms: list[str], known: Container[str], tokenizer: Tokenizer) -> list[str]:
    """``terms`` with each word joined across a boundary replaced by its core."""
    return [core(term, known, tokenizer) for term in terms]


def core(term: str, known: Container[str], tokenizer: Tokenizer) -> str:
    """What is left of ``term`` without function characters at its ends, when that is what
    the question asks; else ``term`` itself."""
    if term in known or len(term) < 2 or tokenizer.in_dictionary(term):
        return term  # a dictionary word (一等奖) the knowledge lacks is asked as it is
    if any(ch.isascii() for ch in term):
        return term
    start, end = 0, len(term)
    while start < end and function_character(term[start], tokenizer):
        start += 1
    while end > start and function_character(term[end - 1], tokenizer):
        end -= 1
    left = term[start:end]
    if not left or left == term:
        return term
    if left in known or len(left) == 1:
        return left
    return term


def function_character(char: str, tokenizer: Tokenizer) -> bool:
    """Whether a character on its own is a function word (比, 位, 几, 的, 都)."""
    return char in tokenizer.stopwords or tokenizer.tag_of(char)[:1] in _FUNCTION_TAGS
