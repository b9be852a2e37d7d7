"""Passage answers: retrieve passages with BM25, then pick the sentence that answers.

Raw BM25 scores are not comparable across questions, so the evidence strength is expressed as
*coverage*: the idf-weighted share of the question's terms that the chosen sentence (and its
passage) contain. Terms the knowledge base has never seen weigh the most: a question about
something absent (常住人口) cannot be covered, whatever else it shares. A term found only
inside a longer word (大学 in 南华大学) counts half.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Set
from dataclasses import dataclass
from functools import lru_cache

from qa_bot.answering.intent import QType, Question, contradicts
from qa_bot.answering.sentences import as_sentence, clauses, sentences
from qa_bot.index import BM25Index
from qa_bot.models import Passage
from qa_bot.text import normalise
from qa_bot.tokenizer import Tokenizer

PART_CREDIT = 0.5
SHORT_SENTENCE = 40  # characters: shorter sentences are answered together with the next
TITLE_SHARE = 0.3  # weight of a question term that is in the document's title, within it
VERB_SHARE = 0.6  # verbs vary most between a question and its answer (达到 / 为, 参加 / 莅临)
_CONTENT_TAGS = {"n", "e", "x", "j", "l", "i", "s", "t"}  # nouns, foreign words, idioms, …

_TYPE_EVIDENCE: dict[QType, re.Pattern[str]] = {
    QType.NUMBER: re.compile(
        r"\d+(?:\.\d+)?(?![\d.]*[年月日])|[一二三四五六七八九十百千万两]+[个家项名位人倍次米]"
    ),
    QType.COMPUTE: re.compile(r"\d"),
    QType.COMPARE: re.compile(r"\d|最|第一"),
    QType.DATE: re.compile(r"\d{4}年\d|\d{1,2}月|\d{1,2}日|\d{4}年[，,]"),
    QType.WHO: re.compile(r"由|主办|研发|院士|书记|市长|省长|公司|大学|学院|协会|局|部|委"),
    QType.WHERE: re.compile(r"在|位于|于|落户|地区|区|县|市"),
    QType.LIST: re.compile(r"、|和|及|等"),
}


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


@dataclass
class Candidate:
    """A passage's best sentence and how well it answers."""

    rank: float
    position: int
    sentence: str
    terms: Terms
    sentence_coverage: float
    passage_coverage: float


@dataclass
class PassageAnswer:
    """The best sentence found for a question, with its evidence strength."""

    passage: Passage
    sentence: str
    answer: str
    score: float
    coverage: float
    sentence_coverage: float
    ranked: list[tuple[Passage, float]]
    missing_names: set[str]
    runners_up: list[str]


class PassageSearch:
    """BM25 over the passages of a knowledge base, plus sentence selection."""

    def __init__(
        self,
        passages: list[Passage],
        titles: dict[str, str],
        tokenizer: Tokenizer,
        max_answer_chars: int,
        index: BM25Index | None = None,
    ) -> None:
        """``index`` (of ``indexed_text`` of each passage, in order) is built when not given."""
        self.passages = passages
        self.titles = titles
        self.tokenizer = tokenizer
        self.max_answer_chars = max_answer_chars
        self.index = index or BM25Index.build(
            [tokenizer.index_terms(indexed_text(p, titles.get(p.doc_id, ""))) for p in passages]
        )
        self._documents: dict[str, str] = {}
        self._by_doc: dict[str, list[int]] = {}
        self._unknown_weight = math.log(self.index.size + 1) + 1.0
        self._sentences = lru_cache(maxsize=4096)(self._split)
        self._sentence_terms = lru_cache(maxsize=16384)(self.terms)
        self._pieces = lru_cache(maxsize=4096)(self._find_pieces)

    def weight(self, term: str) -> float:
        """A term's idf; terms the knowledge base never uses weigh more than any known one."""
        return self.index.idf.get(term, self._unknown_weight)

    def terms(self, text: str) -> Terms:
        """The words and sub-words of ``text``."""
        words, parts = self.tokenizer.words_and_parts(text)
        wholes = tuple(
            (word, frozenset(self.tokenizer.sub_words(word)))
            for word in set(words)
            if len(word) > 3
        )
        return Terms(frozenset(words), frozenset(parts), wholes)

    def question_weights(self, terms: list[str], tags: dict[str, str]) -> dict[str, float]:
        """How much each question term matters: its idf when the knowledge base has it.

        An unknown noun (常住人口, 上市公司) weighs more than any known term, for a question
        about something absent must not be answered; an unknown verb or adverb (拿到, 花) or
        single character (奖) is more likely a paraphrase and weighs like a middling known
        term; known verbs count a little less than nouns.
        """
        weights = {}
        for term in terms:
            if term in self.index.idf:
                verb = tags.get(term, "n")[:1] == "v"
                weights[term] = self.index.idf[term] * (VERB_SHARE if verb else 1.0)
            elif len(term) > 1 and self.tag_of(term, tags)[:1] in _CONTENT_TAGS:
                weights[term] = self._unknown_weight
            else:
                weights[term] = self._unknown_weight / 2
        return weights

    def tag_of(self, term: str, tags: dict[str, str]) -> str:
        """A term's tag; a term that jieba's tagger cut differently takes its pieces' tags
        (上花 → 上/f 花/v: not a noun)."""
        if term in tags:
            return tags[term]
        pieces = self.tokenizer.tags(term)
        return "n" if any(tag[:1] in _CONTENT_TAGS for tag in pieces.values()) else "v"

    def coverage(self, weights: Mapping[str, float], found: Terms) -> float:
        """The weighted share of the asked terms found in ``found`` (sub-words count half)."""
        total = sum(weights.values())
        if total == 0:
            return 0.0
        asked = weights.keys()
        whole_terms = (asked & found.words) | found.reassembled(asked)
        whole = sum(weights[t] for t in whole_terms)
        partial_terms = (asked & found.parts) - whole_terms
        for term in asked - whole_terms - partial_terms:
            if term not in self.index.idf and self.pieces(term) & (found.words | found.parts):
                partial_terms.add(term)  # 返回舱 shares 返回 with 返回器
            elif len(term) == 1 and any(term in word for word in found.words):
                partial_terms.add(term)  # 奖 inside 创新奖
        partial = sum(weights[t] for t in partial_terms)
        return (whole + PART_CREDIT * partial) / total

    def pieces(self, term: str) -> frozenset[str]:
        """The known words inside a term the knowledge base does not have (cached)."""
        return self._pieces(term)

    def _find_pieces(self, term: str) -> frozenset[str]:
        return frozenset(p for p in self.tokenizer.sub_words(term) if p in self.index.idf)

    def is_common(self, term: str) -> bool:
        """Whether a term is in so many passages that its absence from one says little."""
        return self.index.document_frequency(term) >= max(2, 0.05 * self.index.size)

    def retrieve(self, terms: list[str], k: int) -> list[tuple[Passage, float]]:
        """The top ``k`` passages for the terms, best first."""
        return [(self.passages[i], score) for i, score in self.index.top(terms, k)]

    def _heading_terms(self, position: int) -> Terms:
        """The terms of the passage's title and innermost heading (they describe it all)."""
        passage = self.passages[position]
        return self.terms(f"{self.titles.get(passage.doc_id, '')}\n{heading(passage)}")

    def focus(self, asked: Mapping[str, float], position: int) -> dict[str, float]:
        """Weights for choosing a sentence: terms of the document's title count little, for
        the answer sentence often says 其 / 它 where the first sentence names the subject."""
        title = normalise(self.titles.get(self.passages[position].doc_id, "")).lower()
        return {t: w * (TITLE_SHARE if t in title else 1.0) for t, w in asked.items()}

    def document_text(self, doc_id: str) -> str:
        """A document's title and passages, normalised (for checking that a name occurs)."""
        if not self._by_doc:
            for position, passage in enumerate(self.passages):
                self._by_doc.setdefault(passage.doc_id, []).append(position)
        text = self._documents.get(doc_id)
        if text is None:
            parts = [self.titles.get(doc_id, "")]
            parts += [
                self.passages[n].section + self.passages[n].text for n in self._by_doc[doc_id]
            ]
            text = self._documents[doc_id] = normalise("\n".join(parts)).lower()
        return text

    def _split(self, position: int) -> list[tuple[str, str]]:
        """The sentences of passage ``position``, each with its normalised form (cached)."""
        return [(s, normalise(s).lower()) for s in sentences(self.passages[position].text)]

    def sentence_terms(self, sentence: str, normalised: str, surfaces: Set[str]) -> Terms:
        """A sentence's terms — or none, without running jieba, when the sentence contains
        none of the surface forms of the asked terms (most sentences of most passages)."""
        if not any(surface in normalised for surface in surfaces):
            return EMPTY
        return self._sentence_terms(sentence)

    def surfaces(self, asked: Set[str]) -> set[str]:
        """How the asked terms can be written in a text: themselves, their aliases, and the
        known pieces of terms the knowledge base does not have."""
        found = set(asked)
        for term in asked:
            found.update(self.tokenizer.spellings(term))
            if term not in self.index.idf:
                found.update(self.pieces(term))
        return found

    def answer(
        self, question: Question, hits: list[tuple[int, float]], names: set[str]
    ) -> PassageAnswer | None:
        """The best sentence among the retrieved passages ``hits`` (``index.top``), or None
        when nothing matches.

        ``names`` are the proper nouns of the question; any that the chosen passage's document
        lacks (and that are not everywhere in the knowledge base) are reported as missing.
        """
        if not hits:
            return None
        surfaces = self.surfaces(question.weights.keys())
        candidates = [
            self.best_in_passage(question, position, score / hits[0][1], surfaces)
            for position, score in hits
        ]
        candidates.sort(key=lambda c: -c.rank)
        best = candidates[0]
        scores = dict(hits)
        return PassageAnswer(
            passage=self.passages[best.position],
            sentence=best.sentence,
            answer=self.concise(self.with_next(best.position, best.sentence), question),
            score=scores[best.position],
            coverage=best.passage_coverage,
            sentence_coverage=best.sentence_coverage,
            ranked=[(self.passages[i], s) for i, s in hits],
            missing_names=self.missing(question, best, names),
            runners_up=[self.concise(c.sentence, question) for c in candidates[1:]],
        )

    def best_in_passage(
        self, question: Question, position: int, relative_score: float, surfaces: Set[str]
    ) -> Candidate:
        """The passage's sentence that best answers: what it covers of the question (title
        words aside), what its passage covers, the passage's BM25 rank, the kind of thing
        asked for."""
        asked = question.weights
        split = [
            (text, self.sentence_terms(text, normalised, surfaces))
            for text, normalised in self._sentences(position)
        ]
        passage_terms = self._heading_terms(position)
        for _, terms in split:
            passage_terms = passage_terms | terms
        passage_coverage = self.coverage(asked, passage_terms)
        focus = self.focus(asked, position)
        best: Candidate | None = None
        for sentence, terms in split:
            rank = (
                0.55 * self.coverage(focus, terms)
                + 0.25 * passage_coverage * relative_score**2
                + type_bonus(question, sentence)
            )
            if best is None or rank > best.rank:
                coverage = self.coverage(asked, terms)
                best = Candidate(rank, position, sentence, terms, coverage, passage_coverage)
        assert best is not None  # every passage has a sentence
        return best

    def missing(self, question: Question, best: Candidate, names: set[str]) -> set[str]:
        """Rare names of the question that the answer's document never mentions, and a
        marker when the sentence contradicts the question (省级 for 国家)."""
        document = self.document_text(self.passages[best.position].doc_id)
        missing = {
            name
            for name in names
            if not self.is_common(name)
            and not any(s in document for s in [name, *self.tokenizer.spellings(name)])
        }
        if contradicts(question.weights.keys(), best.terms.words):
            missing.add("(contradiction)")
        return missing

    def with_next(self, position: int, sentence: str) -> str:
        """A short sentence with the one after it, when both fit in an answer: what a short
        sentence introduces ("其叶螺旋状排列") is often said in the next one."""
        texts = [text for text, _ in self._sentences(position)]  # original sentences
        at = texts.index(sentence)
        if len(sentence) < SHORT_SENTENCE and at + 1 < len(texts):
            joined = sentence + texts[at + 1]
            if len(joined) <= self.max_answer_chars:
                return joined
        return sentence

    def concise(self, sentence: str, question: Question) -> str:
        """The sentence itself, or its best run of clauses when it is too long.

        Each clause is tokenised once; a run's terms are the union of its clauses' terms.
        """
        if len(sentence) <= self.max_answer_chars:
            return as_sentence(sentence)
        parts = clauses(sentence)
        part_terms = [self.terms(part) for part in parts]
        asked = question.weights
        best, best_rank = parts[0], -math.inf
        for start in range(len(parts)):
            run, terms = "", EMPTY
            for part, found in zip(parts[start:], part_terms[start:], strict=True):
                if run and len(run) + len(part) > self.max_answer_chars:
                    break
                run, terms = run + part, terms | found
                rank = self.coverage(asked, terms) + type_bonus(question, run) - 0.0002 * len(run)
                if rank > best_rank:
                    best, best_rank = run, rank
        return as_sentence(best[: self.max_answer_chars])


def heading(passage: Passage) -> str:
    """The innermost heading above a passage ("" when none)."""
    return passage.section.rsplit(" › ", 1)[-1]


def indexed_text(passage: Passage, title: str = "") -> str:
    """What BM25 indexes of a passage: its document's title, its heading and its text (the
    second half of a long paragraph no longer names its subject; the title does)."""
    return f"{title}\n{heading(passage)}\n{passage.text}"


_QUANTITY = re.compile(
    r"\d+(?:\.\d+)?(?![\d.]*[年月日])|[一二三四五六七八九十两]+[个家项名位人倍次]"
)


def lacks_quantity(question: Question, sentence: str) -> bool:
    """A how-many question whose sentence holds no figure (dates aside) is not answered."""
    return question.qtype in {QType.NUMBER, QType.COMPUTE} and not _QUANTITY.search(sentence)


def type_bonus(question: Question, text: str) -> float:
    """Prefer text that has the kind of thing asked for and the year asked about."""
    bonus = 0.0
    pattern = _TYPE_EVIDENCE.get(question.qtype)
    if pattern is not None and pattern.search(text):
        bonus += 0.1
    if question.years:
        named = {int(y) for y in re.findall(r"(?<!\d)((?:19|20)\d{2})(?!\d)", text)}
        if named & set(question.years):
            bonus += 0.2
        elif named:
            bonus -= 0.1
    return bonus
