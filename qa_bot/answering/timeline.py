"""Timeline stage: questions about a set of dated events, answered from the ``EventTable``.

最早/最后 (of all events, of a chronicle, of a period), 之前/之后 and the month after an
event, which of two (or which of several listed) came first, how long between two, how many
and which events in a period. What a question asks is recognised in ``timeline_cues``. The
events a question names are found by how much of its words their texts cover
(``TermScorer.coverage``); when no event is named clearly enough the stage passes it on.
"""

from __future__ import annotations

import re
import threading

from qa_bot import lexicon
from qa_bot.answering.fact_answer import FactAnswer
from qa_bot.answering.intent import Question
from qa_bot.answering.terms import Terms, TermScorer
from qa_bot.answering.timeline_cues import Op, cues, operation, period_in, times_in
from qa_bot.answering.timeline_text import Wording
from qa_bot.dates import Period, comparable, duration
from qa_bot.events import Event, EventTable
from qa_bot.loader import Knowledge
from qa_bot.weights import ScoringWeights

_AROUND = {Op.AFTER, Op.BEFORE, Op.NEXT_MONTH, Op.PREVIOUS_MONTH}
_SET = {Op.FIRST, Op.LAST, Op.COUNT, Op.LIST}
_OF = {Op.EARLIEST_OF: Op.FIRST, Op.LATEST_OF: Op.LAST}  # listing no events: of a period
_LISTING = {"、", ",", "，", ";", "；", "和", "与", "跟", "及", "以及", "还是"}
_CONNECTOR = re.compile(r"和|与|跟|同|以及|及|还是|比|,|、")
_FROM_TO = re.compile(r"从(.+?)(?:到|至)(.+)")
_DATES = (lexicon.QUARTER, lexicon.HALF_YEAR, lexicon.EVENT_DATE, lexicon.YEAR_SPAN)


class Timeline:
    """Answers timeline questions; builds its event table on the first one (thread-safe)."""

    def __init__(self, knowledge: Knowledge, scorer: TermScorer, weights: ScoringWeights) -> None:
        self.knowledge = knowledge
        self.scorer = scorer
        self.weights = weights
        self.wording = Wording()
        self._table: EventTable | None = None
        self._terms: dict[int, Terms] = {}
        self._lock = threading.Lock()

    def table(self) -> EventTable:
        """Every event of the knowledge base (built once)."""
        if self._table is None:
            with self._lock:
                if self._table is None:
                    self._table = EventTable.from_knowledge(self.knowledge)
        return self._table

    def run(self, question: Question) -> FactAnswer | None:
        """The answer to a timeline question; None (at once) for any other question, and
        None when the events it names are not found clearly enough."""
        op = operation(question.normalised)
        if op is None or not self.table():
            return None
        text = question.normalised
        pool, scope = self.scope(text)
        if op in _OF:
            found = self.extreme_of(op == Op.EARLIEST_OF, self.without_cues(text), pool)
            if found is not None or not (scope or period_in(text)):
                return found
            op = _OF[op]  # 大事记里2020年哪件最早: the first of a chronicle or a period
        if op in _SET:
            return self.over_period(op, text, pool, scope)
        rest = self.without_cues(text)
        if op in _AROUND:
            return self.around(op, rest, pool, scope)
        return self.between(op, rest, pool)

    def scope(self, text: str) -> tuple[EventTable, str]:
        """The events of the chronicle the question names (大事记里…), and how to say it."""
        table = self.table()
        named = cues().chronicle.search(text)
        if named is None:
            return table, ""
        inside = table.in_sections(named.group())
        return (inside, f"{named.group()}里") if inside else (table, "")

    def without_cues(self, text: str) -> str:
        """The question with its cue words replaced by a separator (what names events)."""
        rules = cues()
        for _, pattern in rules.ops:
            text = pattern.sub("|", text)
        for pattern in (rules.ordered, rules.chronicle_in, rules.residue):
            text = pattern.sub("|", text)
        return text

    def over_period(self, op: Op, text: str, pool: EventTable, scope: str) -> FactAnswer | None:
        """First, last, count or list of the events in the asked period (or in a chronicle)."""
        period = period_in(text)
        if period is None and (op == Op.LIST or (op == Op.COUNT and not scope)):
            return None
        chosen = pool.in_period(period) if period else pool
        label = period.label if period else ""
        about = self.about(self.without_cues(text), chosen)
        if about is not chosen:
            if not about:
                return None
            chosen, scope = about, ""
        if not chosen:
            if not scope:
                return None
            return self.wording.missing(scope, label, pool.years())
        if op in {Op.FIRST, Op.LAST}:
            events = chosen.first() if op == Op.FIRST else chosen.last()
            return self.wording.extreme(op == Op.FIRST, scope + label, events)
        listed = chosen.distinct()
        return self.wording.listing(scope + label, listed, period, kind=op.value)

    def about(self, text: str, pool: EventTable) -> EventTable:
        """The events about what the question's rare words name (兰比尔 in 1982年兰比尔发生了
        什么); the whole pool when it names nothing rare (words common in the knowledge base,
        such as its main subject, narrow nothing)."""
        rare = [t for t in self.content(text) if not self.scorer.is_common(t)]
        if not rare:
            return pool
        weights = self.scorer.question_weights(rare, self.scorer.tokenizer.tags(text))
        floor = self.weights.timeline_anchor
        return pool.where(lambda e: self.scorer.coverage(weights, self.terms_of(e)) >= floor)

    def around(self, op: Op, text: str, pool: EventTable, scope: str) -> FactAnswer | None:
        """The event(s) right after or before the one the question names, or in the month
        after or before it."""
        found = self.anchor(text, pool)
        if found is None:
            return None
        anchor, score = found
        if op in {Op.AFTER, Op.BEFORE}:
            events = pool.after(anchor) if op == Op.AFTER else pool.before(anchor)
            return self.wording.neighbour(op == Op.AFTER, anchor, events, score)
        if anchor.date.month is None:
            return None
        step = 1 if op == Op.NEXT_MONTH else -1
        year, month = divmod(anchor.date.year * 12 + anchor.date.month - 1 + step, 12)
        period = Period.month(year, month + 1)
        events = pool.in_period(period).distinct()
        return self.wording.month_after(anchor, step, period, scope, events, score)

    def between(self, op: Op, text: str, pool: EventTable) -> FactAnswer | None:
        """Which of two named events came first, or how long lies between them."""
        pair = self.two_events(text, pool)
        if pair is None:
            return None
        (first, one), (second, other) = pair
        score = min(one, other)
        if op == Op.ORDER:
            return self.wording.order(first, second, score)
        if comparable(first.date, second.date) == 0 and first.date != second.date:
            return None  # 2019 and 2019年5月: no duration can be said
        return self.wording.duration(first, second, duration(first.date, second.date), score)

    def extreme_of(self, earliest: bool, text: str, pool: EventTable) -> FactAnswer | None:
        """The earliest or latest of the events a question lists (A、B、C哪件最早; 甲、乙、
        丙三位谁最晚来): each listed part must name its own event."""
        words = self.scorer.tokenizer.words(text)
        parts, current = [], ""
        for word in words:
            if word in _LISTING:
                parts.append(current)
                current = ""
            else:
                current += word
        parts = [p for p in [*parts, current] if self.content(p)]
        if len(parts) < 2:
            return None
        found = [self.anchor(part, pool) or self.leading_anchor(part, pool) for part in parts]
        named = [f for f in found if f is not None]
        if len(named) < len(found) or len({id(e) for e, _ in named}) < len(named):
            return None
        return self.wording.extreme_of(earliest, [e for e, _ in named], min(s for _, s in named))

    def leading_anchor(self, part: str, pool: EventTable) -> tuple[Event, float] | None:
        """The event the shortest opening of ``part`` names: the last item of a list may carry
        what all items share (陈飞三位省领导都来过衡阳调研 names 陈飞's visit)."""
        words = self.scorer.tokenizer.words(part)
        for end in range(1, len(words)):
            found = self.anchor("".join(words[:end]), pool)
            if found is not None:
                return found
        return None

    def two_events(
        self, text: str, pool: EventTable
    ) -> tuple[tuple[Event, float], tuple[Event, float]] | None:
        """The two events a question names: 从A到B, A…(cue)…B, A and B in two named times
        (2020年和2021年两届…论坛), or A和/与/还是B."""
        candidates: list[tuple[str, str, Period | None, Period | None]] = []
        if match := _FROM_TO.search(text):
            candidates.append((match.group(1), match.group(2), None, None))
        else:  # A到B without 从: split at 到 as a word of its own (not 达到, 收到)
            candidates += [(left, right, None, None) for left, right in self.split_at_to(text)]
        parts = [p for p in text.split("|") if self.content(p)]
        if len(parts) == 2:
            candidates.append((parts[0], parts[1], None, None))
        times = times_in(text)
        if len(times) == 2 and times[0] != times[1]:
            topic = lexicon.YEAR_SPAN.sub("", re.sub(r"\d{1,2}月", "", text))
            candidates.append((topic, topic, times[0], times[1]))
        for match in _CONNECTOR.finditer(text):
            candidates.append((text[: match.start()], text[match.end() :], None, None))
        best: tuple[tuple[Event, float], tuple[Event, float]] | None = None
        for left, right, left_time, right_time in candidates:
            one = self.anchor(left, pool, left_time)
            other = self.anchor(right, pool, right_time)
            if one is None or other is None or one[0] is other[0]:
                continue
            if best is None or min(one[1], other[1]) > min(best[0][1], best[1][1]):
                best = (one, other)
        return best

    def split_at_to(self, text: str) -> list[tuple[str, str]]:
        """The text before and after each 到 / 至 that jieba cuts as a word of its own."""
        words = self.scorer.tokenizer.words(text)
        return [
            ("".join(words[:i]), "".join(words[i + 1 :]))
            for i, word in enumerate(words)
            if word in {"到", "至"}
        ]

    def content(self, text: str) -> list[str]:
        """The words of ``text`` that may name an event (no cue words, dates or figures)."""
        filler = cues().filler
        for pattern in _DATES:
            text = pattern.sub("|", text)
        return [
            t
            for t in self.scorer.tokenizer.tokenise(text)
            if t not in filler and not t.replace(".", "", 1).isdigit()
        ]

    def anchor(
        self, text: str, pool: EventTable, when: Period | None = None
    ) -> tuple[Event, float] | None:
        """The event ``text`` names, with how much of its words the event covers; None when
        none covers enough, or when another event of another date covers nearly as much."""
        terms = self.content(text)
        if not terms:
            return None
        weights = self.scorer.question_weights(terms, self.scorer.tokenizer.tags(text))
        when = when or period_in(text)
        candidates = pool.in_period(when) if when else pool
        if not candidates:
            return None
        ranked = candidates.ranked(lambda e: self.scorer.coverage(weights, self.terms_of(e)))
        best, score = ranked[0]
        if score < self.weights.timeline_anchor:
            return None
        for other, rival in ranked[1:]:
            if rival < score - self.weights.near_tie:
                break
            if comparable(other.date, best.date) != 0:
                return None  # two events of different times fit: do not guess
        return best, score

    def terms_of(self, event: Event) -> Terms:
        """The words of an event's text (cached per event)."""
        found = self._terms.get(event.ordinal)
        if found is None:
            found = self._terms[event.ordinal] = self.scorer.terms(event.matching_text())
        return found
