"""List questions: every item asked for, collected across sentences and passages.

A question asking for several things (哪些, 哪几个, 都有什么, 哪六微 …; the rules are in
``resources/lists.txt``) is answered with the items of the enumeration that best matches it
(A、B和C, “A”“B”, 《A》《B》: see ``enumerations.py``), joined by the other enumerations that
name one of the same items (a second article naming more of the same people). A question that
names a count (哪六微, 哪3个) prefers the enumeration with that many items. A question about
what happened at a time (2021年5月有哪些事) is answered with every sentence that opens with
that time.

A list is offered only when its sentence and the passage around it cover the question well
enough (the words naming the kind of item, 院士 in 哪些院士, count for less: texts often leave
them out), and when its document names every rare name of the question.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache

from qa_bot import lexicon
from qa_bot.answering import templates
from qa_bot.answering.enumerations import (
    Enumeration,
    EnumerationFinder,
    clause_spans,
    count_value,
    is_verb,
    rule,
)
from qa_bot.answering.intent import Question
from qa_bot.answering.retrieval import Retriever, heading
from qa_bot.answering.terms import Terms, TermScorer
from qa_bot.models import Reply, Source
from qa_bot.sentences import as_sentence
from qa_bot.text import normalise
from qa_bot.weights import ScoringWeights

_LONGEST_QUOTE = 100  # characters of the text quoted under a list
_QUOTE_LEAD = 6  # characters quoted before the first item of a long clause
_SENTENCE_END = frozenset("。！？!?；;")
# Tags of words that cannot be part of the name of the kind of item asked for.
_NOT_A_NAME = frozenset("pcuryedfm")


@dataclass(frozen=True)
class Item:
    """One listed thing and where it was read."""

    text: str
    position: int  # of the passage
    sentence: str  # the sentence that lists it


@dataclass
class ListAnswer:
    """The items that answer a list question, with what is known about their number."""

    items: list[Item]
    confidence: float
    asked: int | None = None  # the count the question names (哪六微 → 6)
    open_ended: bool = False  # the text names only some (…等26位院士)
    stated: int | None = None  # the count the text gives for them all
    unit: str = "个"
    evidence: list[tuple[int, str]] = field(default_factory=list)  # (passage, sentence)
    quotes: list[str] = field(default_factory=list)  # the document's words, longest first


@dataclass(frozen=True)
class Rival:
    """The sentence the other stages answer with, and how much of the question it covers."""

    sentence: str
    coverage: float


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


def asks_for_list(normalised: str) -> bool:
    """Whether the question asks for several items."""
    return bool(rule("ask").search(normalised))


def asked_count(normalised: str) -> int | None:
    """The number of items a question names (哪六微 → 6, 这3个…分别是什么 → 3)."""
    match = rule("count").search(normalised)
    if match is None:
        return None
    numeral = next(group for group in match.groups() if group)
    return count_value(numeral)


def asked_unit(normalised: str) -> str:
    """The classifier a list question counts in (哪几位 → 位), 个 by default."""
    match = rule("unit").search(normalised)
    return match.group(1) if match else "个"


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
        self.enumerations = lru_cache(maxsize=8192)(lambda s: tuple(finder.find(s)))

    def run(self, question: Question, rival: Rival | None = None) -> ListAnswer | None:
        """The items, or None when the question asks for no list or no list answers it well
        enough (the other stages then answer as usual). ``rival`` is the sentence the other
        stages would answer with (see ``beaten``)."""
        listing = asks_for_list(question.normalised)
        happened = bool(question.months) and bool(rule("happened").search(question.normalised))
        if not (listing or happened):
            return None
        head = self.head_terms(question.normalised)
        hits = self.retriever.index.top(question.terms, self.weights.list_passages)
        if not hits:
            return None
        positions = [position for position, _ in hits]
        if self.asks_for_events(question, head):
            events = self.events(question, head, positions)
            if events is not None or not listing:
                return events
        return self.enumerated(question, head, positions, rival) if listing else None

    def head_terms(self, normalised: str) -> set[str]:
        """The terms naming the kind of item asked for: the words after the list word up to
        a verb or particle (哪些科技活动 → 科技, 活动; 哪些院士莅临 → 院士; 哪些园区和平台 →
        园区, 平台), else the nouns before it (天敌有哪些 → 天敌)."""
        tokenizer = self.scorer.tokenizer
        match = rule("head").search(normalised)
        words = []
        for token in tokenizer.tagged(match.group(1)) if match else []:
            ordinal = token.word.startswith("第")  # 哪三个第一
            joins = rule("coordinate").fullmatch(token.word) is not None  # 园区和平台
            if joins:
                words.append(" ")
            elif (token.tag[:1] in _NOT_A_NAME and not ordinal) or is_verb(token.tag):
                break
            else:
                words.append(token.word)
        if not "".join(words).strip():
            words = self.kind_before(normalised)
        return set(tokenizer.tokenise(" ".join(words)))

    def kind_before(self, normalised: str) -> list[str]:
        """The nouns right before 有哪些 (马来穿山甲的天敌有哪些 → 天敌)."""
        match = rule("kind").search(normalised)
        words: list[str] = []
        for token in reversed(self.scorer.tokenizer.tagged(match.group(1)) if match else []):
            if token.tag[:1] in _NOT_A_NAME or is_verb(token.tag):
                break
            words.insert(0, token.word)
        return words

    def asks_for_events(self, question: Question, head: set[str]) -> bool:
        """Whether the question asks what happened at a time: it names a time, and the items
        asked for are things that happened (事, 活动, 动静 …; or not named, with a month)."""
        if head:
            return bool(question.months or question.years) and any(
                rule("event").fullmatch(term) for term in head
            )
        return bool(question.months)

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
        if asked is not None and not agrees(best.enumeration, asked):
            return None  # 哪两路 answered by eight names: not the list asked for
        if self.beaten(question, best, rival, asked):
            return None
        chosen = [best]
        if asked is None or len(best.enumeration.items) != asked:
            chosen += [f for f in found if f.relevance >= self.threshold and shares(f, chosen)]
        return self.answer(chosen, asked, question.normalised)

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
        return best.coverage < rival.coverage

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
                if named:
                    relevance += self.weights.list_named_bonus
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
        for found in chosen:
            for text in found.enumeration.items:
                key = normalise(text).strip("“”《》")
                if key not in seen:
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


def quoted(enumeration: Enumeration, sentence: str) -> list[str]:
    """The document's words that list the items: its sentence when not long, and the clause
    of the list as the document writes it — with the clause before it, which often says what
    is listed (有4间实验室，包括…), when both are short — cut to about the list when long."""
    spans = clause_spans(sentence)
    clause = enumeration.clause
    if len(spans) == len(clause_spans(normalise(sentence))):
        number = enumeration.clause_number
        start, end = spans[number]
        if number > 0 and end - spans[number - 1][0] <= _LONGEST_QUOTE:
            start = spans[number - 1][0]
        if sentence[end : end + 1] in _SENTENCE_END:
            end += 1  # keep the full stop it ends with
        clause = sentence[start:end]
    clause = clause.strip()
    if len(clause) > _LONGEST_QUOTE:
        first = clause.find(enumeration.items[0])
        start = max(0, first - _QUOTE_LEAD) if first >= 0 else 0
        clause = clause[start : start + _LONGEST_QUOTE] + "…"
    whole = [as_sentence(sentence)] if len(sentence) <= _LONGEST_QUOTE else []
    return list(dict.fromkeys([*whole, as_sentence(clause)]))


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


def dated(sentence: str) -> set[str]:
    """The times a sentence opens with: its year and, when given, its year-month."""
    match = lexicon.LEADING_DATE.match(sentence)
    if match is None:
        return set()
    year, month = match.group(1), match.group(2)
    return {year, f"{year}-{int(month):02d}"} if month else {year}


def list_reply(
    raw: str,
    found: ListAnswer,
    source: Callable[[int, float, str], Source],
    most: int,
    longest: int,
) -> Reply:
    """The reply listing the items (at most ``most``), how many there are, and where each
    was read. ``source(position, score, sentence)`` cites a passage.

    The answer numbers the items and quotes the document (see ``listed_answer``); the chat
    text numbers every item under its source."""
    shown = found.items[:most]
    texts = [item.text.rstrip("。") for item in shown]
    count, unit = len(found.items), found.unit
    if found.open_ended:
        total = templates.LIST_TOTAL.format(total=found.stated, unit=unit) if found.stated else ""
        header = templates.LIST_SOME.format(count=count, unit=unit, total=total, items="")
    else:
        header = templates.LIST_ALL.format(count=count, unit=unit, items="")
    cited = list(dict.fromkeys((item.position, item.sentence) for item in shown))
    sources = [source(position, found.confidence, sentence) for position, sentence in cited]
    places = list(dict.fromkeys(templates.citation(s) for s in sources))  # one line per place
    where = {
        key: places.index(templates.citation(s)) for key, s in zip(cited, sources, strict=True)
    }
    marks = [f" [{where[(i.position, i.sentence)] + 1}]" for i in shown]
    if len(places) == 1:
        marks = [""] * len(shown)
    answer = listed_answer(header, texts, found.quotes, longest)
    return Reply(
        question=raw,
        answer=answer,
        text=templates.list_text(header, texts, marks, places),
        answered=True,
        confidence=round(found.confidence, 4),
        kind="list",
        sources=sources,
    )


def listed_answer(header: str, items: list[str], quotes: list[str], longest: int) -> str:
    """The answer within ``longest`` characters if it can be: the numbered items with the
    document's sentence; else the count with that sentence (the chat text numbers the items);
    else the numbered items with the clause of the list; else the count with that clause.
    ``quotes`` are the sentence (when not long) and the clause, in that order."""
    listed = f"{header}{templates.listed(items)}。"
    candidates = []
    for quote in quotes:
        candidates += [listed + templates.QUOTE.format(quote=quote), header + quote]
    for answer in candidates:
        if len(answer) <= longest:
            return answer
    return candidates[-1] if candidates else listed
