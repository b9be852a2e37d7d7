"""Events as data: the dated happenings of a knowledge base, ordered and queryable by time.

An event is read from a hand-written fact of kind ``event`` or from any sentence of a
document that opens with a date (2015年，…) or holds a year-month or a day (…于2020年12月17日…).
A hand-written event wins over the sentence that states the same evidence. Dates keep their
precision (``qa_bot.dates``). The layer knows nothing of questions: the answering stage
passes in how well an event matches what was asked.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

from pydantic import BaseModel, ConfigDict

from qa_bot import lexicon
from qa_bot.dates import EventDate, Period, comparable, date_of, parse_time
from qa_bot.loader import Knowledge
from qa_bot.markdown import SECTION_SEPARATOR
from qa_bot.models import Document, Fact, Passage
from qa_bot.sentences import sentences
from qa_bot.text import normalise


class Event(BaseModel):
    """One dated happening, where it is told, and the fact that cites it."""

    model_config = ConfigDict(frozen=True)

    date: EventDate
    what: str  # the happening, without its date
    who: str | None = None
    where: str | None = None
    doc: str
    title: str
    section: str = ""
    passage_id: str = ""
    evidence: str
    ordinal: int = 0  # reading order in the knowledge base: ties keep it
    hand_written: bool = False
    fact: Fact

    def statement(self) -> str:
        """The happening with its date, as one sentence."""
        text = self.evidence.strip().rstrip("。；;，,")
        if not lexicon.EVENT_DATE.search(normalise(text)):
            text = f"{self.date.text()}，{text}"
        return f"{text}。"

    def matching_text(self) -> str:
        """What a question naming this event may use: who, what and the fact's key."""
        fact = self.fact
        key = (
            [fact.subject, fact.attribute, fact.value, *fact.qualifiers]
            if self.hand_written
            else []
        )
        return " ".join([self.who or "", self.what, *key])

    def short(self, limit: int = 30) -> str:
        """The happening's opening clauses (at least a few words), cut to ``limit`` characters."""
        text = ""
        for clause in re.split(r"[，,；;。]", self.what):
            text = f"{text}，{clause}" if text else clause
            if len(text) >= 8:
                break
        return text if len(text) <= limit else text[:limit] + "…"

    def in_section(self, word: str) -> bool:
        """Whether the word is in the event's section headings or document title."""
        return word in self.section or word in self.title


class EventTable:
    """Events in time order (ties in reading order), with queries by period and position."""

    def __init__(self, events: Iterable[Event]) -> None:
        self.events = tuple(sorted(events, key=lambda e: (e.date.key, e.ordinal)))

    @classmethod
    def from_knowledge(cls, knowledge: Knowledge) -> EventTable:
        """Hand-written events, and the dated sentences no hand-written event already states."""
        hand = hand_written_events(knowledge)
        ordinal = len(hand)
        found = list(hand)
        for document in knowledge.documents:
            for event in sentence_events(document, start=ordinal):
                ordinal += 1
                if not any(same_evidence(event, h) for h in hand):
                    found.append(event)
        return cls(found)

    def __len__(self) -> int:
        return len(self.events)

    def __iter__(self) -> Iterator[Event]:
        return iter(self.events)

    def where(self, keep: Callable[[Event], bool]) -> EventTable:
        """The events that ``keep`` accepts."""
        return EventTable(e for e in self.events if keep(e))

    def in_period(self, period: Period) -> EventTable:
        return self.where(lambda e: period.holds(e.date))

    def in_sections(self, word: str) -> EventTable:
        """The events told under a heading (or in a document) whose name holds ``word``."""
        return self.where(lambda e: e.in_section(word))

    def first(self) -> list[Event]:
        """The earliest events (all of the earliest date)."""
        return self._extreme(self.events)

    def last(self) -> list[Event]:
        """The latest events (all of the latest date)."""
        return self._extreme(tuple(reversed(self.events)))

    @staticmethod
    def _extreme(ordered: tuple[Event, ...]) -> list[Event]:
        """The events of the first date in ``ordered``: a bare year gives way to a dated event
        of that year, for it is not known where in the year it falls."""
        if not ordered:
            return []
        year = ordered[0].date.year
        same_year = [e for e in ordered if e.date.year == year]
        dated = [e for e in same_year if e.date.month is not None] or same_year
        key = dated[0].date.key
        return sorted((e for e in dated if e.date.key == key), key=lambda e: e.ordinal)

    def after(self, anchor: Event) -> list[Event]:
        """The events of the nearest date known to come after the anchor's."""
        later = tuple(e for e in self.events if comparable(e.date, anchor.date) > 0)
        return self._extreme(later)

    def before(self, anchor: Event) -> list[Event]:
        """The events of the nearest date known to come before the anchor's."""
        earlier = tuple(e for e in self.events if comparable(e.date, anchor.date) < 0)
        return self._extreme(tuple(reversed(earlier)))

    def distinct(self) -> list[Event]:
        """The events without restatements: the same date told again in other words (two
        documents reporting one approval) counts once."""
        kept: list[Event] = []
        for event in self.events:
            if not any(e.date == event.date and similar(e.what, event.what) for e in kept):
                kept.append(event)
        return kept

    def ranked(self, score: Callable[[Event], float]) -> list[tuple[Event, float]]:
        """Every event with its score, best first (ties in time order)."""
        scored = [(e, score(e)) for e in self.events]
        return sorted(scored, key=lambda pair: -pair[1])

    def years(self) -> list[int]:
        """The years that have events."""
        return sorted({e.date.year for e in self.events})


def similar(first: str, second: str) -> bool:
    """Whether two texts share most of their character pairs (the same news in other words)."""
    a = {first[i : i + 2] for i in range(len(first) - 1)}
    b = {second[i : i + 2] for i in range(len(second) - 1)}
    return bool(a and b) and len(a & b) / min(len(a), len(b)) >= 0.6


def same_evidence(event: Event, other: Event) -> bool:
    """Whether two events of one document quote overlapping evidence."""
    mine, theirs = event.evidence.rstrip("。"), other.evidence.rstrip("。")
    return event.doc == other.doc and (mine in theirs or theirs in mine)


def hand_written_events(knowledge: Knowledge) -> list[Event]:
    """The events of the hand-written facts that have a time."""
    found: list[Event] = []
    for fact in knowledge.facts:
        if fact.kind != "event" or not fact.time:
            continue
        document = knowledge.document(fact.doc)
        passage = next((p for p in document.passages if fact.evidence in p.text), None)
        when, what = parse_time(fact.time), fact.evidence.rstrip("。")
        opening = lexicon.EVENT_DATE.match(normalise(fact.evidence))
        if opening is not None:
            what = told(fact.evidence, normalise(fact.evidence), opening.end())
            given = date_of(opening)
            if given is not None and given.key == when.key:
                when = given  # the evidence may give the span's last day
        found.append(
            Event(
                date=when,
                what=what or fact.evidence,
                who=fact.subject,
                where=place(fact.evidence),
                doc=fact.doc,
                title=document.title,
                section=passage.section if passage else "",
                passage_id=passage.id if passage else "",
                evidence=fact.evidence,
                ordinal=len(found),
                hand_written=True,
                fact=fact,
            )
        )
    return found


def sentence_events(document: Document, start: int = 0) -> Iterator[Event]:
    """An event for each dated sentence of the document, in reading order."""
    ordinal = start
    for passage in document.passages:
        for sentence in sentences(passage.text):
            event = sentence_event(document, passage, sentence, ordinal)
            if event is not None:
                ordinal += 1
                yield event


def sentence_event(
    document: Document, passage: Passage, sentence: str, ordinal: int
) -> Event | None:
    """The event a sentence tells: dated by its opening date (a year will do) or by the first
    year-month or day inside it; None for an undated sentence or a span (2019年来, 2017年至…)."""
    text = normalise(sentence)
    opening = lexicon.EVENT_DATE.match(text)
    match = opening or next((m for m in lexicon.EVENT_DATE.finditer(text) if m.group(2)), None)
    if match is None or lexicon.NOT_AN_EVENT_DATE.match(text[match.end() :]):
        return None
    if match.group(2) is None and not lexicon.YEAR_OPENING_EVENT.match(text[match.end() :]):
        return None
    when = date_of(match)
    what = told(sentence, text, match.end()) if opening else sentence.rstrip("。")
    if when is None or len(what) < 4:
        return None
    heading = passage.section.rsplit(SECTION_SEPARATOR, 1)[-1]
    evidence = sentence.rstrip("。")
    fact = Fact(
        subject=heading or document.title,
        attribute="事件",
        value=what,
        time=when.time(),
        kind="event",
        doc=document.id,
        extracted=True,
        evidence=evidence,
    )
    return Event(
        date=when,
        what=what,
        where=place(text),
        doc=document.id,
        title=document.title,
        section=passage.section,
        passage_id=passage.id,
        evidence=evidence,
        ordinal=ordinal,
        fact=fact,
    )


def told(sentence: str, text: str, end: int) -> str:
    """What a sentence opening with a date tells after it, as written (the normalised
    ``text`` only when the date is written otherwise, 二〇二〇年)."""
    written = lexicon.EVENT_DATE.match(sentence)
    rest = sentence[written.end() :] if written else text[end:]
    return rest.lstrip("，, ").rstrip("。")


def place(text: str) -> str | None:
    """Where the text says the event took place, if it says so."""
    match = lexicon.EVENT_PLACE.search(text)
    return match.group(1) if match else None
