"""List questions: every item asked for, collected across sentences and passages.

A question asking for several things (哪些, 哪几个, 都有什么, 哪六微 …: ``list_questions.py``)
is answered with the items of the enumeration that best matches it (A、B和C, “A”“B”,
《A》《B》: ``enumerations.py``; the choice: ``list_choice.py``), joined by the other
enumerations that name one of the same items (a second article naming more of the same
people). A question that names a count (哪六微, 哪3个) takes a list of that many or none. A
question about what happened at a time (2021年5月有哪些事) is answered with every sentence that
opens with that time. The reply is worded in ``list_replies.py``.

A list is offered only when its sentence and the passage around it cover the question well
enough (the words naming the kind of item, 院士 in 哪些院士, count for less: texts often leave
them out), when its document names every rare name of the question, and when the sentence
the other stages would answer with does not answer better.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from qa_bot import lexicon
from qa_bot.answering.analysis import focus_words
from qa_bot.answering.answer_types import AnswerType
from qa_bot.answering.candidates import CandidateFinder
from qa_bot.answering.enumerations import EnumerationFinder
from qa_bot.answering.intent import QType, Question
from qa_bot.answering.list_choice import (
    Found,
    agrees,
    amounts,
    around,
    choose,
    echo,
    likely_pair,
    regions_unlisted,
    share,
    shares,
    too_short,
    without_kind,
)
from qa_bot.answering.list_marks import rule
from qa_bot.answering.list_questions import (
    asked_count,
    asked_unit,
    asks_for_events,
    asks_for_list,
    head_terms,
    is_besides,
    named_besides,
)
from qa_bot.answering.list_replies import Item, ListAnswer, quoted
from qa_bot.answering.retrieval import Retriever, heading
from qa_bot.answering.terms import Terms, TermScorer
from qa_bot.sentences import as_sentence
from qa_bot.text import normalise
from qa_bot.weights import ScoringWeights


@dataclass(frozen=True)
class Rival:
    """The sentence the other stages answer with, and how much of the question it covers."""

    sentence: str
    coverage: float


class ListCollector:
    """Collects the items that answer a list question from the retrieved passages."""

    def __init__(
        self,
        retriever: Retriever,
        scorer: TermScorer,
        threshold: float,
        weights: ScoringWeights,
    ) -> None:
        self.retriever = retriever
        self.scorer = scorer
        self.threshold = threshold
        self.weights = weights
        finder = EnumerationFinder(scorer.tokenizer)
        self.people = CandidateFinder(scorer.tokenizer)
        self.enumerations = lru_cache(maxsize=8192)(lambda s: tuple(finder.find(s)))

    def run(self, question: Question, rival: Rival | None = None) -> ListAnswer | None:
        """The items, or None when the question asks for no list or no list answers it well
        enough (the other stages then answer as usual). ``rival`` is the sentence the other
        stages would answer with (see ``beaten``)."""
        listing = asks_for_list(question.normalised)
        happened = bool(question.months) and bool(rule("happened").search(question.normalised))
        if not (listing or happened):
            return None
        head = head_terms(question.normalised, self.scorer.tokenizer)
        hits = self.retriever.index.top(question.terms, self.weights.list_passages)
        if not hits:
            return None
        positions = [position for position, _ in hits]
        if asks_for_events(question, head):
            events = self.events(question, head, positions)
            if events is not None or not listing:
                return events
        return self.enumerated(question, head, positions, rival) if listing else None

    def focus(self, question: Question, head: set[str]) -> dict[str, float]:
        """The question's term weights for matching a list: known words naming the kind of
        item count less (an unknown one keeps its weight: what the knowledge never names
        cannot be listed)."""
        share = self.weights.list_head_share
        return {
            term: weight * (share if term in head and term in self.scorer.idf else 1.0)
            for term, weight in question.weights.items()
        }

    def enumerated(
        self,
        question: Question,
        head: set[str],
        positions: list[int],
        rival: Rival | None,
    ) -> ListAnswer | None:
        """The best enumeration, joined by those that share an item with it.

        Items that mostly repeat the question, and amounts (20多个省市区、200多个地级市), are no
        answer (the reader's sentence states amounts better); a bare pair (A和B) counts only
        when two things are asked for or when it is of the kind asked for.
        """
        focus = self.focus(question, head)
        asked = asked_count(question.normalised)
        found = [
            candidate
            for rank, position in enumerate(positions)
            for candidate in self.candidates(question, head, focus, position, rank)
            if candidate.echo < 0.5
            and not amounts(candidate.enumeration)
            and (not candidate.enumeration.paired or likely_pair(candidate, asked))
            and not too_short(candidate.enumeration, asked)
        ]
        if not found:
            return None
        best = choose(found, asked, self.weights.list_margin)
        if best.relevance < self.threshold or self.misses_names(question, best.position):
            return None
        typed = (
            best.named or best.kinded > 0 or (asked is not None and agrees(best.enumeration, asked))
        )
        if not typed and self.unknown_noun(question, head):
            return None  # 2021年5月火星上有哪些事: a list of something else
        if self.people_unasked(question, best.enumeration.items):
            return None  # 哪几项指标 answered by 市委副书记、市长朱健
        if regions_unlisted(head, best.enumeration.items, self.scorer.tokenizer):
            return None  # 哪些外省城市 answered by 总揽和一体化
        if asked is not None and not agrees(best.enumeration, asked):
            return None  # 哪两路 answered by eight names: not the list asked for
        if self.beaten(question, best, rival, asked):
            return None
        chosen = [best]
        if asked is None or len(best.enumeration.items) != asked:
            chosen += [f for f in found if f.relevance >= self.threshold and shares(f, chosen)]
        return self.answer(chosen, asked, question.normalised)

    def people_unasked(self, question: Question, items: Sequence[str]) -> bool:
        """Whether most items are people (a name, or a post: 市委副书记) while the question
        asks for no one (哪几项指标, 哪些城市; 哪些人员 and 有哪些院士 ask for people)."""
        posts = tuple(focus_words()["person_noun"])
        if question.expected == AnswerType.PERSON or question.qtype == QType.WHO:
            return False
        if any(post in question.normalised for post in posts):
            return False
        people = [
            item
            for item in map(normalise, items)
            if item.endswith(posts) or self.people.spans(item, AnswerType.PERSON, strict=True)
        ]
        return 2 * len(people) > len(items)

    def unknown_noun(self, question: Question, head: set[str]) -> bool:
        """Whether the question asks about a thing (a dictionary noun) the knowledge never
        names — 2021年5月火星上有哪些事 — other than the kind of item it asks for. A list
        that is not said to be of the kind asked for is then no answer."""
        tokenizer = self.scorer.tokenizer
        return any(
            term not in self.scorer.idf
            and term not in head
            and tokenizer.in_dictionary(term)
            and tokenizer.tag_of(term)[:1] == "n"
            and not self.scorer.pieces(term)  # 获奖者 has 获奖: said otherwise, not absent
            for term in question.asked
        )

    def beaten(
        self, question: Question, best: Found, rival: Rival | None, asked: int | None
    ) -> bool:
        """Whether the other stages' answer (from another sentence) is better: it names an
        asked year that the list's sentence does not, or — unless the list is said to be of
        the kind asked for, or has the asked number of items (more than a bare pair) — it
        covers more of the question."""
        if rival is None or best.sentence in rival.sentence or rival.sentence in best.sentence:
            return False
        years = set(question.years)
        if years & lexicon.year_numbers(rival.sentence) - lexicon.year_numbers(best.sentence):
            return True
        counted = asked is not None and agrees(best.enumeration, asked)
        if best.named or (counted and not best.enumeration.paired):
            return False
        return best.coverage <= rival.coverage

    def candidates(
        self,
        question: Question,
        head: set[str],
        focus: Mapping[str, float],
        position: int,
        rank: int,
    ) -> list[Found]:
        """The enumerations of a passage's sentences, each with the relevance of its sentence
        (more when the words around it name the kind asked for: …等科技活动, 天敌有…) and of
        its clause. An enumeration of things the question itself names is no answer."""
        found = []
        context: Terms | None = None
        besides = named_besides(question.normalised)
        for text, _ in self.retriever.sentences(position):
            sentence = normalise(text)
            for found_here in self.enumerations(sentence):
                enumeration = without_kind(found_here, head)
                fresh = [i for i in enumeration.items if normalise(i) not in question.normalised]
                if 2 * len(fresh) <= len(enumeration.items):
                    continue
                if context is None:
                    context = self.context_terms(position)
                relevance = self.relevance(focus, sentence, position, context)
                named = any(
                    len(t) > 1 and (t in enumeration.after or t in enumeration.before) for t in head
                )
                if named or any(is_besides(normalise(i), besides) for i in enumeration.items):
                    relevance += self.weights.list_named_bonus  # or 除了网上办: its list
                found.append(
                    Found(
                        enumeration,
                        position,
                        text,
                        relevance,
                        rank,
                        local=self.scorer.coverage(focus, self.scorer.terms(around(enumeration))),
                        echo=echo(question, head, enumeration),
                        kinded=share(enumeration, head),
                        named=named,
                        coverage=self.scorer.coverage(question.weights, self.scorer.terms(text)),
                    )
                )
        return found

    def relevance(
        self, focus: Mapping[str, float], sentence: str, position: int, context: Terms
    ) -> float:
        """How well a sentence (with its heading) and its context cover the question."""
        terms = self.scorer.terms(sentence) | self.heading_terms(position)
        return self.weights.list_sentence * self.scorer.coverage(
            focus, terms
        ) + self.weights.list_context * self.scorer.coverage(focus, context)

    def heading_terms(self, position: int) -> Terms:
        """The terms of a passage's document title and innermost heading."""
        passage = self.retriever.passages[position]
        return self.scorer.terms(f"{self.retriever.title(position)}\n{heading(passage)}")

    def context_terms(self, position: int) -> Terms:
        """The terms of a passage, the passage before it in the same section (a list often
        follows the paragraph that names its subject), and their heading."""
        passages = self.retriever.passages
        passage = passages[position]
        texts = [passage.text]
        if position > 0:
            before = passages[position - 1]
            if before.doc_id == passage.doc_id and before.section == passage.section:
                texts.insert(0, before.text)
        return self.scorer.terms("\n".join(texts)) | self.heading_terms(position)

    def misses_names(self, question: Question, position: int) -> bool:
        """Whether the list's document lacks a rare name the question asks about."""
        document = self.retriever.document_text(self.retriever.passages[position].doc_id)
        spellings = self.scorer.tokenizer.spellings
        return any(
            not self.scorer.is_common(name)
            and not any(s in document for s in [name, *spellings(name)])
            for name in question.names
        )

    def events(self, question: Question, head: set[str], positions: list[int]) -> ListAnswer | None:
        """Every sentence of the retrieved documents that opens with the asked time and
        matches the rest of the question — its words of two characters or more, but not the
        pieces jieba guessed that the knowledge never uses (里记 of 大事记里记了哪些事) — (at
        least two; one is answered as usual)."""
        times = set(question.months) or {str(year) for year in question.years}
        timeless = {
            term: weight
            for term, weight in self.focus(question, head).items()
            if term not in head
            and len(term) > 1
            and not lexicon.NUMBER.fullmatch(term)
            and (term in self.scorer.idf or self.scorer.tokenizer.in_dictionary(term))
        }
        documents = dict.fromkeys(self.retriever.passages[p].doc_id for p in positions)
        found: list[tuple[int, str, float]] = []
        for doc_id in documents:
            for position in self.retriever.by_doc.get(doc_id, []):
                for text, _ in self.retriever.sentences(position):
                    if dated(normalise(text)) & times:
                        terms = self.scorer.terms(text) | self.heading_terms(position)
                        relevance = self.scorer.coverage(timeless, terms) if timeless else 1.0
                        found.append((position, text, relevance))
        kept = [f for f in found if f[2] >= self.threshold]
        if len(kept) < 2 or self.misses_names(question, kept[0][0]):
            return None
        items = [Item(as_sentence(text), position, text) for position, text, _ in kept]
        confidence = min(relevance for _, _, relevance in kept)
        unit = asked_unit(question.normalised)
        return ListAnswer(items, confidence, unit=unit, evidence=[(p, t) for p, t, _ in kept])

    def answer(self, chosen: list[Found], asked: int | None, normalised: str) -> ListAnswer:
        """The items of the chosen enumerations in order, without repeats."""
        items: list[Item] = []
        seen: set[str] = set()
        besides = named_besides(normalised)
        for found in chosen:
            for text in found.enumeration.items:
                key = normalise(text).strip("“”《》")
                if key not in seen and not is_besides(key, besides):
                    seen.add(key)
                    items.append(Item(text, found.position, found.sentence))
        first = chosen[0].enumeration
        evidence = list(dict.fromkeys((f.position, f.sentence) for f in chosen))
        return ListAnswer(
            items,
            min(1.0, chosen[0].relevance),
            asked=asked,
            open_ended=any(f.enumeration.open_ended for f in chosen),
            stated=first.stated if first.stated and first.stated > len(items) else None,
            unit=asked_unit(normalised),
            evidence=evidence,
            quotes=quoted(first, chosen[0].sentence),
        )


def dated(sentence: str) -> set[str]:
    """The times a sentence opens with: its year and, when given, its year-month."""
    match = lexicon.LEADING_DATE.match(sentence)
    if match is None:
        return set()
    year, month = match.group(1), match.group(2)
    return {year, f"{year}-{int(month):02d}"} if month else {year}
