"""Term weighting and coverage: how much of what a question asks a text contains.

Raw BM25 scores are not comparable across questions, so evidence strength is expressed as
*coverage*: the idf-weighted share of the question's terms that a text contains. Terms the
knowledge base has never seen weigh the most: a question about something absent (常住人口)
cannot be covered, whatever else it shares. A term found only inside a longer word (大学 in
南华大学) counts for part.

A word the knowledge base never uses may still be asked for in other words: a synonym that the
knowledge base does use stands in for it (收成 → 收获, with ``synonym_credit``), and a word that
shares its characters, in order, with a word of the text counts for a little (科技奖 in
科学技术奖励, 技校 beside 技师学院: ``char_credit`` × the share of its characters found).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Set
from dataclasses import dataclass
from functools import lru_cache

from qa_bot.index import BM25Index
from qa_bot.lexicon import word_list
from qa_bot.synonyms import Synonyms, shipped
from qa_bot.text import mainland_wording
from qa_bot.tokenizer import NAME_TAGS, Tokenizer
from qa_bot.weights import ScoringWeights

_FEWEST_COMMON = 8  # passages: a word in fewer is no word found everywhere, in any knowledge
_CONTENT_TAGS = {"n", "e", "x", "j", "l", "i", "s", "t"}  # nouns, foreign words, idioms, …
# Pronouns, conjunctions, prepositions, particles, adverbs, directions, classifiers: words
# that name nothing a synonym could find. Numerals may (第一名 is 冠军 in a text).
_FUNCTION_TAGS = {"r", "c", "p", "u", "d", "f", "q", "y"}
# Spoken filler of one character: pronouns, classifiers, particles, modal words (咱, 些, 呗);
# a preposition or adverb may still carry the meaning (凭 for 凭借).
_FILLER_TAGS = {"r", "q", "u", "y", "e"}


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

    def __init__(
        self,
        tokenizer: Tokenizer,
        index: BM25Index,
        weights: ScoringWeights,
        synonyms: Synonyms | None = None,
    ) -> None:
        """``synonyms`` defaults to the shipped thesaurus (read on the first unknown word)."""
        self.tokenizer = tokenizer
        self.idf = index.idf
        self.index = index
        self.settings = weights
        self.synonyms = synonyms
        self.unknown_weight = math.log(index.size + 1) + 1.0
        self.terms = lru_cache(maxsize=16384)(self._terms)
        self.pieces = lru_cache(maxsize=4096)(self._pieces)
        self.stand_ins = lru_cache(maxsize=4096)(self._stand_ins)

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
        """The known words inside a term the knowledge base does not have (cached); not the
        role a deputy's title qualifies (副组长 holds 组长, but names someone else)."""
        deputy = deputy_of(term)
        return frozenset(p for p in self.tokenizer.sub_words(term) if p in self.idf and p != deputy)

    def another_role(self, term: str) -> bool:
        """Whether ``term`` is a deputy of a role the knowledge base names (副组长 where the
        texts say 组长): no text of that role says who the deputy is."""
        deputy = deputy_of(term)
        return term not in self.idf and deputy is not None and deputy in self.idf

    def _stand_ins(self, term: str) -> frozenset[str]:
        """Words the knowledge base uses for a term it never uses (cached as ``stand_ins``):
        its synonyms and its mainland wording (雷射 → 激光), aliases folded."""
        if term in self.idf or self.settings.synonym_credit == 0:
            return frozenset()
        if self.tokenizer.tag_of(term)[:1] in _FUNCTION_TAGS:
            return frozenset()
        synonyms = self.synonyms if self.synonyms is not None else shipped()
        candidates = {*synonyms.of(term), mainland_wording(term)}
        folded = {self.tokenizer.aliases.get(w, w) for w in candidates}
        known = frozenset(w for w in folded if w in self.idf and w != term)
        # 帝王 → 皇帝, 君主, 国王, 天子…: a word with many synonyms in the text is a class
        # of things, and any text about one of them would stand in for it.
        return known if len(known) <= self.settings.max_stand_ins else frozenset()

    def expansions(self, terms: list[str]) -> dict[str, float]:
        """The stand-ins of a question's terms, each with its weight in retrieval: together,
        a term's stand-ins weigh ``synonym_credit`` (a text holds one of them, seldom all)."""
        found: dict[str, float] = {}
        for term in terms:
            stand_ins = self.stand_ins(term)
            for word in sorted(stand_ins):
                share = self.settings.synonym_credit / len(stand_ins)
                found[word] = max(found.get(word, 0.0), share)
        return found

    def question_weights(self, terms: list[str], tags: dict[str, str]) -> dict[str, float]:
        """How much each question term matters: its idf when the knowledge base has it.

        An unknown noun (常住人口, 上市公司) weighs more than any known term, for a question
        about something absent must not be answered; an unknown verb or adverb (拿到, 花) or
        single character (奖) is more likely a paraphrase and weighs like a middling known
        term, but an unknown one-character pronoun, classifier or particle (咱, 些, 呗) is
        spoken filler and hardly counts; known verbs count a little less than nouns. A soft
        word (现在, 东西: listed in ``resources/soft.txt``) that the knowledge base never uses
        is left out.
        """
        weights = {}
        soft = word_list("soft")
        for term in terms:
            if term in soft and term not in self.idf:
                continue  # 现在, 东西: nothing to look for when the knowledge never says it
            if term not in self.idf and all(ch in self.tokenizer.stopwords for ch in term):
                continue  # 是从: jieba joined two function words
            if term in self.idf:
                verb = tags.get(term, "n")[:1] == "v"
                weights[term] = self.idf[term] * (self.settings.verb_share if verb else 1.0)
            elif len(term) > 1 and self.tag_of(term, tags)[:1] in _CONTENT_TAGS:
                weights[term] = self.unknown_weight
            elif len(term) == 1 and self.tag_of(term, tags)[:1] in _FILLER_TAGS:
                weights[term] = self.unknown_weight * self.settings.function_word_share
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
        """The weighted share of the asked terms found in ``found`` (sub-words, synonyms and
        shared characters count part)."""
        total = math.fsum(weights.values())
        if total == 0:
            return 0.0
        asked = weights.keys()
        whole_terms = (asked & found.words) | found.reassembled(asked)
        whole = math.fsum(weights[t] for t in whole_terms)
        partial_terms = (asked & found.parts) - whole_terms
        partial = self.settings.part_credit * math.fsum(weights[t] for t in partial_terms)
        for term in asked - whole_terms - partial_terms:
            partial += weights[term] * self.missing_credit(term, found)
        return (whole + partial) / total

    def missing_credit(self, term: str, found: Terms) -> float:
        """The share of credit for an asked term that ``found`` lacks as a word: part when it
        is inside a found word or its two halves are found apart, ``synonym_credit`` when a
        stand-in is found, and for a word the knowledge base never uses, ``char_credit`` ×
        the share of its characters found in order in one word of the text — or
        ``synonym_credit`` when it abbreviates one (``abbreviation_of``: 中科院, 北师大 name
        their full forms)."""
        settings = self.settings
        present = found.words | found.parts
        if len(term) == 1:
            return settings.part_credit if any(term in w for w in found.words) else 0.0
        if term in self.idf and split_among(term, found.words):
            return settings.part_credit  # 塔筒变压器 in 塔筒专用植物油变压器
        if term in self.idf or self.another_role(term):
            return 0.0
        if self.pieces(term) & present:
            return settings.part_credit  # 返回舱 shares 返回 with 返回器
        if self.stand_ins(term) & present:
            return settings.synonym_credit  # 收成 for 收获
        if settings.char_credit == 0:
            return 0.0
        if len(term) > 2 and any(abbreviation_of(term, word) for word in found.words):
            return settings.synonym_credit  # 中科院 for 中国科学院
        return settings.char_credit * max((shared_share(term, w) for w in found.words), default=0)

    def names(self, term: str, found: Terms) -> bool:
        """Whether ``found`` names ``term``: as a word, as the head of a compound (专家 in
        科技专家) but not inside a name (大学 in 南华大学 is not a university in general), or,
        for a term the knowledge base lacks, by one of its known pieces."""
        if term in found.words:
            return True
        tag_of = self.tokenizer.tag_of
        if any(w.endswith(term) and tag_of(w)[:2] not in NAME_TAGS for w in found.words):
            return True
        if term not in self.idf and self.pieces(term) & found.words:
            return True
        if splits_into(term, found.words) or (term[:-1] in found.words and len(term) > 2):
            return True  # 重大项目 named by 重大 … 项目; 人口数 by 人口
        return term not in self.idf and any(in_order(term, word) for word in found.words)

    def is_common(self, term: str) -> bool:
        """Whether a term is in so many passages that its absence from one says little: 5 % of
        them (衡阳 in its own city's news), and never fewer than a handful (a district named
        in 5 of 85 passages is a name the answer must give)."""
        return self.index.document_frequency(term) >= max(_FEWEST_COMMON, 0.05 * self.index.size)

    def surfaces(self, asked: Set[str]) -> set[str]:
        """How the asked terms can be written in a text: themselves, their aliases, and the
        known pieces of terms the knowledge base does not have."""
        found = set(asked)
        for term in asked:
            found.update(self.tokenizer.spellings(term))
            if term not in self.idf:
                found.update(self.pieces(term) | self.stand_ins(term))
                if self.settings.char_credit and len(term) > 1:
                    found.add(term[0])  # a word sharing its characters starts with the same
        return found


@lru_cache(maxsize=65536)
def shared_share(term: str, word: str) -> float:
    """The share of ``term``'s characters found in ``word`` in the same order, counted only
    when both start alike (科技奖 in 科学技术奖励: 1; 技校 in 技师学院: 0.5; 技校 in 学校: 0)."""
    if len(word) < 2 or term[0] != word[0] or word == term:
        return 0.0
    return longest_common_subsequence(term, word) / len(term)


def abbreviation_of(term: str, word: str) -> bool:
    """Whether ``term`` abbreviates ``word``, or the start of it, the way Chinese shortens
    names: every character of it in order within the word's first twice-its-length characters
    (中科院 of 中国科学院 and of 中国科学院地理研究所, 北师大 of 北京师范大学) — farther apart,
    a long word holds a few characters by chance."""
    return shared_share(term, word[: 2 * len(term)]) == 1.0


def longest_common_subsequence(a: str, b: str) -> int:
    """The length of the longest sequence of characters of ``a`` found in ``b`` in order."""
    previous = [0] * (len(b) + 1)
    for ch in a:
        current = [0]
        for n, other in enumerate(b):
            current.append(previous[n] + 1 if ch == other else max(previous[n + 1], current[n]))
        previous = current
    return previous[-1]


@lru_cache(maxsize=65536)
def deputy_of(term: str) -> str | None:
    """The role a deputy's title qualifies (副组长 → 组长, 常务副市长 → 市长), else None."""
    prefixes = sorted(word_list("deputies"), key=len, reverse=True)
    prefix = next((p for p in prefixes if term.startswith(p)), None)
    if prefix is None or len(term) - len(prefix) < 2:
        return None
    return term[len(prefix) :]


def split_among(term: str, words: frozenset[str]) -> bool:
    """Whether ``words`` hold both halves of ``term``, each of two or more characters (塔筒 and
    变压器 of 塔筒变压器, written apart in 塔筒专用植物油变压器)."""
    return any(term[:at] in words and term[at:] in words for at in range(2, len(term) - 1))
