"""Facts read from document text when it is loaded, so new articles need no hand work.

Three patterns, generic to Chinese news writing:

- dated events: a sentence that opens with a date ("2020年12月，……") → an event fact;
- enumerated yearly series: "X2017—2020年分别为142家、197家、273家、415家" → one metric per year;
- figure statements: "……X达到/为/增长/突破 N 单位" → a metric fact with its sentence.

Hand-written facts (``knowledge/facts/``) take precedence: an extracted fact is dropped when a
hand-written one of the same document states the same value for the same time; the others
extend the hand-written ones.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from qa_bot import lexicon
from qa_bot.loader import Knowledge
from qa_bot.models import Fact, Passage
from qa_bot.sentences import sentences

_SERIES = lexicon.DATED_RANGE_SERIES
_DATE = lexicon.LEADING_DATE
_FIGURE = lexicon.FIGURE_STATEMENT
_LEADING_NOISE = re.compile(r"^(其中|全市|全年|目前|截至目前|同时|此外|已|共|累计|我市|该区)+")


def document_facts(knowledge: Knowledge, doc_id: str) -> list[Fact]:
    """Facts read from the document's text that no hand-written fact already states."""
    document = knowledge.document(doc_id)
    hand = [f for f in knowledge.facts if f.doc == doc_id]
    found = extract_facts(doc_id, document.title, document.passages)
    return merge(hand, found)[len(hand) :]


def extract_facts(doc_id: str, title: str, passages: Sequence[Passage]) -> list[Fact]:
    """Every fact the three patterns find in a document's passages."""
    facts: list[Fact] = []
    for passage in passages:
        for sentence in sentences(passage.text):
            facts.extend(dated_event(doc_id, title, passage, sentence))
            facts.extend(yearly_series(doc_id, sentence))
            facts.extend(figures(doc_id, sentence))
    return facts


def time_of(match: re.Match[str]) -> str:
    """``2020``, ``2020-12`` or ``2020-12-13`` from a date match."""
    year, month, day = match.group(1), match.group(2), match.group(3)
    if month and day:
        return f"{year}-{int(month):02d}-{int(day):02d}"
    return f"{year}-{int(month):02d}" if month else year


def dated_event(doc_id: str, title: str, passage: Passage, sentence: str) -> Iterator[Fact]:
    """A sentence that opens with a date is an event of that date (about its section, or its
    document when it has no section)."""
    match = _DATE.match(sentence)
    if match is None:
        return
    rest = sentence[match.end() :].lstrip("，, ")
    if len(rest) < 4:
        return
    subject = passage.section.rsplit(" › ", 1)[-1] or title
    yield Fact(
        subject=subject,
        attribute="事件",
        value=rest.rstrip("。"),
        time=time_of(match),
        kind="event",
        doc=doc_id,
        extracted=True,
        evidence=sentence.rstrip("。"),
    )


def yearly_series(doc_id: str, sentence: str) -> Iterator[Fact]:
    """ "X2017—2020年分别为142家、197家、273家、415家" → four facts."""
    for match in _SERIES.finditer(sentence):
        start, end = int(match.group(2)), int(match.group(3))
        values = re.findall(r"(\d+(?:\.\d+)?)([\u4e00-\u9fff%]{0,3})", match.group(4))
        if end <= start or len(values) != end - start + 1:
            continue
        subject = _LEADING_NOISE.sub("", match.group(1)) or match.group(1)
        for year, (value, unit) in zip(range(start, end + 1), values, strict=True):
            yield Fact(
                subject=subject,
                attribute="数量" if unit else "数值",
                value=value,
                unit=unit or None,
                time=str(year),
                doc=doc_id,
                extracted=True,
                evidence=match.group(0).rstrip("、，,和及"),
            )


def figures(doc_id: str, sentence: str) -> Iterator[Fact]:
    """ "……X达到/为/增长 N 单位" → a metric; the year, when the sentence opens with one."""
    if _SERIES.search(sentence):
        return
    opening = _DATE.match(sentence)
    when = opening.group(1) if opening else None
    for match in _FIGURE.finditer(sentence):
        subject = _LEADING_NOISE.sub("", match.group(1).lstrip("，,、的")) or match.group(1)
        if re.fullmatch(r"\d+年?", subject):
            continue
        yield Fact(
            subject=subject,
            attribute=match.group(2),
            value=match.group(3),
            unit=match.group(4),
            time=when,
            doc=doc_id,
            extracted=True,
            evidence=match.group(0),
        )


def merge(hand_written: list[Fact], extracted: list[Fact]) -> list[Fact]:
    """Hand-written facts, plus the extracted ones that no hand-written fact already states."""
    stated = {(f.doc, f.value, f.time) for f in hand_written}
    stated |= {(f.doc, f.value, None) for f in hand_written}
    kept = [
        f
        for f in extracted
        if (f.doc, f.value, f.time) not in stated
        and (f.doc, f.value, None) not in stated
        and not any(
            f.doc == h.doc and (f.evidence in h.evidence or h.evidence in f.evidence)
            for h in hand_written
        )
    ]
    return hand_written + kept
