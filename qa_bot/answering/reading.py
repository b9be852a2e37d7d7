"""Sentence candidates: in the retrieved passages, the sentence that answers, made concise.

A passage's sentences are ranked by what they cover of the question (title words aside),
what their passage covers, the passage's BM25 rank, and whether they hold the kind of thing
asked for (a figure, a date, the asked year).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Set
from dataclasses import dataclass

from qa_bot.answering.analysis import focus_words
from qa_bot.answering.answer_types import CAUSES, STRICT, TYPED, AnswerType
from qa_bot.answering.candidates import CandidateFinder, names_of_kind, without_things_counted
from qa_bot.answering.continuation import caption, dated, refers_back
from qa_bot.answering.intent import Question
from qa_bot.answering.measures import besides_share_base, in_asked_unit, said_by_unit
from qa_bot.answering.missing_names import MissingNames
from qa_bot.answering.retrieval import Retrieved, Retriever, heading
from qa_bot.answering.sentence_bonus import type_bonus
from qa_bot.answering.terms import EMPTY, Terms, TermScorer
from qa_bot.models import Passage
from qa_bot.sentences import TYPED_OVERRUN, as_sentence, clauses, whole_list, with_typed_neighbour
from qa_bot.text import normalise, to_simplified
from qa_bot.weights import ScoringWeights

_COUNTED = {AnswerType.COUNT, AnswerType.NUMBER}  # a figure counts what its clause names
LIST_OVERRUN = 30  # characters a list that is the answer may run over the answer's length
WHOLE_LISTS = CAUSES | {AnswerType.LIST}  # questions whose answer a list may be (目的是什么)
_COMMA_CLAUSE = re.compile(r"[^，,；;。！？!?]+[，,；;。！？!?]*")
_QUOTED = re.compile(r"“[^”]{2,40}”|《[^》]{2,40}》|「[^」]{2,40}」")
_SENTENCE_ENDS = ("。", "！", "？", "!", "?", "；", ";")
# A sentence that says what the one before it means (这意味着…, 这标志着…).
_COMMENT = re.compile(r"^(?:这|此|这一|这也)(?:意味着|标志着|表明|说明)")


@dataclass
class Candidate:
    """A passage's best sentence and how well it answers."""

    rank: float
    position: int
    sentence: str
    terms: Terms
    sentence_coverage: float
    passage_coverage: float
    typed: bool | None = None  # holds a new span of the expected type (None: none expected)


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
    typed: bool | None = None  # the answer holds a new span of the expected answer type
    focused: bool | None = None  # the answer names the question's focus (None: it has none)


class PassageReader:
    """Stage 4b: the best sentence among the retrieved passages."""

    def __init__(
        self,
        retriever: Retriever,
        scorer: TermScorer,
        max_answer_chars: int,
        weights: ScoringWeights,
    ) -> None:
        self.retriever = retriever
        self.scorer = scorer
        self.max_answer_chars = max_answer_chars
        self.weights = weights
        self.finder = CandidateFinder(scorer.tokenizer)
        self.missing_names = MissingNames(retriever, scorer)

    def run(self, question: Question, retrieved: Retrieved) -> PassageAnswer | None:
        """The best sentence, or None when nothing was retrieved.

        The question's proper nouns that the chosen passage's document lacks (and that are not
        everywhere in the knowledge base) are reported as missing.
        """
        hits = retrieved.hits
        if not hits:
            return None
        passages = self.retriever.passages
        surfaces = self.scorer.surfaces(question.weights.keys())
        candidates = [
            self.best_in_passage(question, position, score / hits[0][1], surfaces)
            for position, score in hits
        ]
        candidates.sort(key=lambda c: -c.rank)
        best, missing = self.first_naming_all(question, candidates)
        scores = dict(hits)
        answer = self.concise(self.with_context(best.position, best.sentence), question)
        typed = self.holds_kind(question, answer)
        if typed is False:
            with_next = self.with_typed_next(question, best.position, best.sentence, answer)
            typed, answer = with_next != answer, with_next  # joined only for a typed span
        elif question.expected == AnswerType.LIST and not enumerates(answer):
            answer = self.with_typed_next(question, best.position, best.sentence, answer)
        return PassageAnswer(
            passage=passages[best.position],
            sentence=best.sentence,
            answer=answer,
            score=scores[best.position],
            coverage=best.passage_coverage,
            sentence_coverage=best.sentence_coverage,
            ranked=[(passages[i], s) for i, s in hits],
            missing_names=missing,
            runners_up=[self.concise(c.sentence, question) for c in candidates if c is not best],
            typed=typed,
            focused=self.names_focus(question, answer),
        )

    def names_focus(self, question: Question, text: str) -> bool | None:
        """Whether ``text`` names what the question counts or asks who is (多少名学生 needs 学生),
        in any spelling or part (None when the question has no such focus)."""
        if question.focus is None:
            return None
        if question.focus in focus_words()["prize"]:  # 冠军 said 居世界第一位, 之王
            ranks = self.finder.spans(normalise(text), AnswerType.RANK)
            return any(r == question.focus or r not in question.normalised for r in ranks)
        if question.focus in focus_words()["quoted"]:  # “融合创新·雁领未来”2021人工智能年会
            quoted = _QUOTED.findall(normalise(text))
            if any(q not in question.normalised for q in quoted):
                return True
        text = besides_share_base(question.focus, question.normalised, normalise(text))
        if said_by_unit(question.focus, text):  # 功率 said 50千瓦
            return True
        return self.scorer.names(question.focus, self.scorer.terms(text))

    def first_naming_all(
        self, question: Question, candidates: list[Candidate]
    ) -> tuple[Candidate, set[str]]:
        """The best candidate naming all the question names (``MissingNames``: a lower one is
        right when the top one lacks it); else the best one, with what it lacks."""
        lacks = self.missing_names.run
        lacking = (lacks(question, c.position, c.terms.words, c.sentence) for c in candidates)
        first_missing = next(lacking)
        if not first_missing:
            return candidates[0], first_missing
        for candidate, missing in zip(candidates[1:], lacking, strict=False):
            if not missing:
                return candidate, set()
        return candidates[0], first_missing

    def holds_type(self, question: Question, text: str) -> bool | None:
        """Whether ``text`` holds a new span of the expected answer type, in the asked unit's
        measure or kind (``in_asked_unit``); None when the question expects no type."""
        if question.expected not in TYPED:
            return None
        assert question.expected is not None
        found = [normalise(text)]
        if question.focus is not None and question.expected in _COUNTED:
            found = self.about_focus(question, found[0])
        if question.unit in {"人", "名", "位"}:
            found = [without_things_counted(clause) for clause in found]
        if question.kind_word is not None:  # 哪个风电场: a name ending in 风电场, tagged or not
            return bool(names_of_kind(question.kind_word, found[0], question.normalised))
        counting = question.expected == AnswerType.COUNT
        return in_asked_unit(question.unit, "".join(found), counting) and any(
            self.finder.new_spans(c, question.expected, question.normalised, question.names_kind)
            for c in found
        )

    def holds_kind(self, question: Question, text: str) -> bool | None:
        """``holds_type``, and for a why / how question whether ``text`` gives a cause or a
        way (checked, not ranked on: ranking on it cost DRCD answers)."""
        typed = self.holds_type(question, text)
        if typed is None and question.expected in CAUSES:
            return bool(self.finder.spans(normalise(text), question.expected))
        return typed

    def about_focus(self, question: Question, text: str) -> list[str]:
        """The clauses of ``text`` naming the question's focus, each with the next clause of
        its sentence (席位是固定的，共计500席): a figure elsewhere counts another thing (803所)."""
        pieces = _COMMA_CLAUSE.findall(text)
        return [
            piece + ("" if piece.endswith(_SENTENCE_ENDS) else "".join(pieces[n + 1 : n + 2]))
            for n, piece in enumerate(pieces)
            if self.names_focus(question, piece)
        ]

    def best_in_passage(
        self, question: Question, position: int, relative_score: float, surfaces: Set[str]
    ) -> Candidate:
        """The passage's sentence that best answers."""
        asked = question.weights
        split = [
            (text, self.sentence_terms(text, normalised, surfaces))
            for text, normalised in self.retriever.sentences(position)
        ]
        passage_terms = self.heading_terms(position)
        for _, terms in split:
            passage_terms = passage_terms | terms
        passage_coverage = self.scorer.coverage(asked, passage_terms)
        focus = self.focus(asked, position)
        best: Candidate | None = None
        for sentence, terms in split:
            covered = self.scorer.coverage(focus, terms)
            typed = self.holds_type(question, sentence) if covered else None
            focused = terms is not EMPTY and bool(self.names_focus(question, sentence))
            rank = (
                self.weights.sentence_coverage * covered
                + self.weights.passage_rank * passage_coverage * relative_score**2
                + type_bonus(question, to_simplified(sentence), self.weights)  # 一個, 歲
                + (self.weights.answer_type_bonus if typed else 0.0)
                + (self.weights.answer_type_bonus if focused else 0.0)
            )
            if best is None or rank > best.rank:
                coverage = self.scorer.coverage(asked, terms)
                best = Candidate(rank, position, sentence, terms, coverage, passage_coverage, typed)
        assert best is not None  # every passage has a sentence
        return best

    def sentence_terms(self, sentence: str, normalised: str, surfaces: Set[str]) -> Terms:
        """A sentence's terms — or none, without running jieba, when the sentence contains
        none of the surface forms of the asked terms (most sentences of most passages)."""
        if not any(surface in normalised for surface in surfaces):
            return EMPTY
        return self.scorer.terms(sentence)

    def heading_terms(self, position: int) -> Terms:
        """The terms of the passage's title and innermost heading (they describe it all)."""
        passage = self.retriever.passages[position]
        return self.scorer.terms(f"{self.retriever.title(position)}\n{heading(passage)}")

    def focus(self, asked: Mapping[str, float], position: int) -> dict[str, float]:
        """Weights for choosing a sentence: terms of the document's title count little, for
        the answer sentence often says 其 / 它 where the first sentence names the subject."""
        title = normalise(self.retriever.title(position)).lower()
        share = self.weights.title_share
        return {t: w * (share if t in title else 1.0) for t, w in asked.items()}

    def with_typed_next(self, question: Question, position: int, sentence: str, answer: str) -> str:
        """The answer with the sentence after it when the answer holds nothing of the asked
        type and that sentence does (…成立了一个委员会。委员会主席为张三。), or lists what a
        which-ones question asks (…一部分毕业生加入华为、中兴等企业。): both when they fit
        in an answer (else that sentence alone if it says what the answer means: 这意味着…),
        and when the sentence goes on about the question (names a word of it, or refers back)
        without a date of its own: the next entry of a chronicle is another event. A figure
        there must be about what the question counts (多少学生 needs 学生), if it names it."""
        _, following = self.neighbours(position, sentence)
        if not following or following in answer or dated(following):
            return answer
        terms = self.scorer.terms(following)
        about = self.scorer.coverage(question.weights, terms) > 0
        if not about and not refers_back(following):
            return answer
        if question.focus is not None and not self.scorer.names(question.focus, terms):
            return answer
        listed = question.expected == AnswerType.LIST and enumerates(following)
        if not (self.holds_kind(question, following) or listed):
            return answer
        joined = as_sentence(answer) + following
        if len(joined) <= self.max_answer_chars:
            return joined
        return following if _COMMENT.match(following) else answer

    def with_context(self, position: int, sentence: str) -> str:
        """The sentence with its neighbours: a short sentence, or one cut at a semicolon, with
        the one after it where both fit in an answer (what "其叶螺旋状排列" introduces is said
        next) unless that one opens with its own date (the next entry of a chronicle), and a
        sentence that refers back (他准许…, 这是…, 导致这项制度…) with the one
        before it, which names what it refers to — even when the two are too long to show
        whole, for the trimming then keeps the clauses that answer."""
        previous, following = self.neighbours(position, sentence)
        fits = self.max_answer_chars
        joined = sentence
        short = len(sentence) < self.weights.short_sentence or sentence.endswith(("；", ";"))
        short = short and not caption(sentence)
        if short and following and len(sentence + following) <= fits and not dated(following):
            joined = sentence + following
        if previous and refers_back(sentence):
            joined = previous + joined
        return joined

    def neighbours(self, position: int, sentence: str) -> tuple[str, str]:
        """The sentences before and after ``sentence``: in its passage, or at its edges the
        adjacent passage's of the same section, for a long paragraph is cut into passages
        between sentences that belong together ("" where the section ends)."""
        texts = [text for text, _ in self.retriever.sentences(position)]
        at = texts.index(sentence)
        previous = texts[at - 1] if at > 0 else self.edge_sentence(position, -1)
        following = texts[at + 1] if at + 1 < len(texts) else self.edge_sentence(position, 1)
        return previous, following

    def edge_sentence(self, position: int, step: int) -> str:
        """The nearest sentence of the passage ``step`` away when it continues the same
        section of the same document, else ""."""
        passages = self.retriever.passages
        other = position + step
        if not 0 <= other < len(passages):
            return ""
        here, there = passages[position], passages[other]
        if there.doc_id != here.doc_id or there.section != here.section:
            return ""
        texts = self.retriever.sentences(other)
        return texts[-1 if step < 0 else 0][0] if texts else ""

    def concise(self, sentence: str, question: Question) -> str:
        """The sentence itself, or its best run of clauses when it is too long: the run that
        covers the question most and holds a new span of the asked type, the fuller of two
        that do so alike (the answer is the clause the question leaves out).

        Each clause is tokenised and searched for the asked type once; a run's terms are the
        union of its clauses' terms, and it holds the type when one of its clauses does.
        """
        if len(sentence) <= self.max_answer_chars:
            return as_sentence(sentence)
        parts = clauses(sentence)
        part_terms = [self.scorer.terms(part) for part in parts]
        part_typed = [bool(self.holds_type(question, part)) for part in parts]
        asked = question.weights
        best, best_rank = (0, 1), -math.inf
        for start in range(len(parts)):
            run, terms, typed = "", EMPTY, False
            for at in range(start, len(parts)):
                if run and len(run) + len(parts[at]) > self.max_answer_chars:
                    break
                run, terms = run + parts[at], terms | part_terms[at]
                typed = typed or part_typed[at]
                rank = (
                    self.scorer.coverage(asked, terms)
                    + type_bonus(question, run, self.weights)
                    + (self.weights.answer_type_bonus if typed else 0.0)
                    - self.weights.length_penalty * len(run)
                )
                if rank > best_rank:
                    best, best_rank = (start, at + 1), rank
        limit = self.max_answer_chars
        if question.expected in WHOLE_LISTS:
            limit += LIST_OVERRUN  # 目的是什么: the list is the answer
        budget = limit - sum(len(part) for part in parts[slice(*best)])
        start, end = whole_list(parts, *best, budget)
        widened = (start, end)
        if question.expected in STRICT:  # spans shown reliably: a date, a figure
            widened = with_typed_neighbour(parts, part_typed, start, end)
        if widened != (start, end):
            limit += TYPED_OVERRUN
        return as_sentence("".join(parts[slice(*widened)])[:limit])


_ENUMERATION = re.compile(r"[^，,。；;、]{1,20}、[^，,。；;、]{1,20}")


def enumerates(text: str) -> bool:
    """Whether ``text`` lists things with 、 (华为、中兴): what a which-ones question needs."""
    return _ENUMERATION.search(text) is not None
