"""Term weighting and coverage: how much of what a question asks a text contains.

Raw BM25 scores are not comparable across questions, so evidence strength is expressed as
*coverage*: the idf-weighted share of the question's terms that a text contains. Terms the
knowledge base has never seen weigh the most: a question about something absent (常住人口)
cannot be covered, whatever else it shares. A term found only inside a longer word (大学 in
南华大学) counts for part.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Set
from dataclasses import dataclass
from functools import lru_cache

from qa_bot.index import BM25Index
from qa_bot.tokenizer import Tokenizer
from qa_bot.weights import ScoringWeights

_NAME_TAGS = {"nr", "ns", "nt", "nz"}  # people, places, organisations, other names
_CONTENT_TAGS = {"n", "e", "x", "j", "l", "i", "s", "t"}  # nouns, foreign words, idioms, …


@dataclass(frozen=True)
class Terms:
    """A text's whole words and the sub-words found inside them (part → its words)."""

    words: frozenset[str]
    parts: frozenset[str]
    wholes: tuple[tuple[str, frozenset[str]], ...] = ()

    def __or__(self, other: Terms) -> Terms:
        return Terms(self.words | other.words, self.parts | other.parts, self.wholes + other.wholes)

    def reassembled(self, asked: Set[str]) -> set[str]:
        """Asked terms that together make up a whole word of the text (主办 + 单位 → 主办单位)."""
        found: set[str] = set()
        for _, inside in self.wholes:
            hits = asked & inside
            if len(hits) >= 2:
                found |= hits
        return found


EMPTY = Terms(frozenset(), frozenset())


def splits_into(term: str, words: Set[str]) -> bool:
    """Whether ``term`` is two or more of ``words`` written together (重大项目 = 重大 + 项目)."""
    if term in words:
        return False
    reachable = {0}
    for end in range(2, len(term) + 1):
        if any(start in reachable and term[start:end] in words for start in range(end - 1)):
            reachable.add(end)
    return len(term) in reachable


def in_order(short: str, word: str) -> bool:
    """Whether every character of ``short`` appears in ``word`` in the same order (科技奖 in
    科学技术奖励): how Chinese abbreviates a longer word."""
    rest = iter(word)
    return len(short) < len(word) and all(ch in rest for ch in short)


class TermScorer:
    """Weights of terms (their idf in the index) and the coverage of weighted terms by a text.

    Its caches are ``lru_cache``s, safe to share between threads.
    """

    def __init__(self, tokenizer: Tokenizer, index: BM25Index, weights: ScoringWeights) -> None:
        self.tokenizer = tokenizer
        self.idf = index.idf
        self.index = index
        self.settings = weights
        self.unknown_weight = math.log(index.size + 1) + 1.0
        self.terms = lru_cache(maxsize=16384)(self._terms)
        self.pieces = lru_cache(maxsize=4096)(self._pieces)

    def weight(self, term: str) -> float:
        """A term's idf; terms the knowledge base never uses weigh more than any known one."""
        return self.idf.get(term, self.unknown_weight)

    def _terms(self, text: str) -> Terms:
        """The words and sub-words of ``text`` (cached as ``terms``)."""
        words, parts = self.tokenizer.words_and_parts(text)
        wholes = tuple(
            (word, frozenset(self.tokenizer.sub_words(word)))
            for word in set(words)
            if len(word) > 3
        )
        return Terms(frozenset(words), frozenset(parts), wholes)

    def _pieces(self, term: str) -> frozenset[str]:
        """The known words inside a term the knowledge base does not have (cached)."""
        return frozenset(p for p in self.tokenizer.sub_words(term) if p in self.idf)

    def question_weights(self, terms: list[str], tags: dict[str, str]) -> dict[str, float]:
        """How much each question term matters: its idf when the knowledge base has it.

        An unknown noun (常住人口, 上市公司) weighs more than any known term, for a question
        about something absent must not be answered; an unknown verb or adverb (拿到, 花) or
        single character (奖) is more likely a paraphrase and weighs like a middling known
        term; known verbs count a little less than nouns.
        """
        weights = {}
        for term in terms:
            if term in self.idf:
                verb = tags.get(term, "n")[:1] == "v"
                weights[term] = self.idf[term] * (self.settings.verb_share if verb else 1.0)
            elif len(term) > 1 and self.tag_of(term, tags)[:1] in _CONTENT_TAGS:
                weights[term] = self.unknown_weight
            else:
                weights[term] = self.unknown_weight / 2
        return weights

    def tag_of(self, term: str, tags: dict[str, str]) -> str:
        """A term's tag; a term that jieba's tagger cut differently takes its pieces' tags
        (上花 → 上/f 花/v: not a noun)."""
        if term in tags:
            return tags[term]
        pieces = self.tokenizer.tags(term)
        return "n" if any(tag[:1] in _CONTENT_TAGS for tag in pieces.values()) else "v"

    def coverage(self, weights: Mapping[str, float], found: Terms) -> float:
        """The weighted share of the asked terms found in ``found`` (sub-words count part)."""
        total = sum(weights.values())
        if total == 0:
            return 0.0
        asked = weights.keys()
        whole_terms = (asked & found.words) | found.reassembled(asked)
        whole = sum(weights[t] for t in whole_terms)
        partial_terms = (asked & found.parts) - whole_terms
        for term in asked - whole_terms - partial_terms:
            if term not in self.idf and self.pieces(term) & (found.words | found.parts):
                partial_terms.add(term)  # 返回舱 shares 返回 with 返回器
            elif len(term) == 1 and any(term in word for word in found.words):
                partial_terms.add(term)  # 奖 inside 创新奖
        partial = sum(weights[t] for t in partial_terms)
        return (whole + self.settings.part_credit * partial) / total

    def names(self, term: str, found: Terms) -> bool:
        """Whether ``found`` names ``term``: as a word, as the head of a compound (专家 in
        科技专家) but not inside a name (大学 in 南华大学 is not a university in general), or,
        for a term the knowledge base lacks, by one of its known pieces."""
        if term in found.words:
            return True
        tag_of = self.tokenizer.tag_of
        if any(w.endswith(term) and tag_of(w)[:2] not in _NAME_TAGS for w in found.words):
            return True
        if term not in self.idf and self.pieces(term) & found.words:
            return True
        if splits_into(term, found.words):
            return True  # 重大项目 named by 重大 … 项目
        return term not in self.idf and any(in_order(term, word) for word in found.words)

    def is_common(self, term: str) -> bool:
        """Whether a term is in so many passages that its absence from one says little."""
        return self.index.document_frequency(term) >= max(2, 0.05 * self.index.size)

    def surfaces(self, asked: Set[str]) -> set[str]:
        """How the asked terms can be written in a text: themselves, their aliases, and the
        known pieces of terms the knowledge base does not have."""
        found = set(asked)
        for term in asked:
            found.update(self.tokenizer.spellings(term))
            if term not in self.idf:
                found.update(self.pieces(term))
        return found
