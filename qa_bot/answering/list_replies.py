"""The reply to a list question: the items numbered, how many there are, the document's own
words, and where each item was read."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from qa_bot.answering import templates
from qa_bot.answering.enumerations import Enumeration
from qa_bot.answering.list_marks import clause_spans
from qa_bot.models import Reply, Source
from qa_bot.sentences import as_sentence
from qa_bot.text import normalise

_LONGEST_QUOTE = 100  # characters of the text quoted under a list
_QUOTE_LEAD = 6  # characters quoted before the first item of a long clause
_SENTENCE_END = frozenset("。！？!?；;")


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
