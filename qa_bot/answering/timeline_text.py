"""How timeline answers are worded: one event as its dated sentence, several as a numbered
list with their count, two as which came first or how long lies between them."""

from __future__ import annotations

from qa_bot.answering import templates
from qa_bot.answering.fact_answer import FactAnswer
from qa_bot.dates import Duration, Period, comparable
from qa_bot.events import Event

SET_CONFIDENCE = 0.9  # a period or a chronicle named in so many words
MAX_ITEMS = 10


def item(event: Event, period: Period | None) -> str:
    """An event as a list item: without its date when the period already says it."""
    if period is not None and period.one_month and event.date.precision == "month":
        return event.what
    return event.statement().rstrip("。")


def numbered(events: list[Event], period: Period | None = None, brief: bool = False) -> str:
    """1. …；2. … (at most ``MAX_ITEMS``, then 等); one event unnumbered; ``brief`` items are
    each event's opening words with its date (for a count)."""
    if len(events) == 1:
        return events[0].statement().rstrip("。")
    texts = [f"{e.date.text()}，{e.short()}" if brief else item(e, period) for e in events]
    items = [f"{n}. {text}" for n, text in enumerate(texts[:MAX_ITEMS], start=1)]
    more = "；等" if len(events) > MAX_ITEMS else ""
    return "；".join(items) + more


class Wording:
    """Timeline answers as ``FactAnswer``s, citing the facts of the events they state."""

    def extreme(self, first: bool, where: str, events: list[Event]) -> FactAnswer:
        """The first (or last) event(s) of a set."""
        which = "早" if first else "晚"
        if len(events) == 1:
            answer = templates.EVENT_EXTREME.format(
                where=where, which=which, statement=events[0].statement()
            )
        else:
            answer = templates.EVENTS_EXTREME.format(
                where=where,
                which=which,
                date=events[0].date.text(),
                count=len(events),
                items=numbered(events),
            )
        return FactAnswer("fact", answer, [e.fact for e in events], SET_CONFIDENCE)

    def listing(
        self, where: str, events: list[Event], period: Period | None, kind: str
    ) -> FactAnswer:
        """How many events, and which, in a period or a chronicle."""
        answer = templates.EVENTS_IN.format(
            where=where or "知识库里",
            count=len(events),
            items=numbered(events, period, brief=kind == "count"),
        )
        return FactAnswer(
            "list" if kind == "list" else "fact",
            answer,
            [e.fact for e in events],
            SET_CONFIDENCE,
        )

    def missing(self, scope: str, label: str, years: list[int]) -> FactAnswer:
        """Not answered: the chronicle has no event in the asked period."""
        known = "、".join(f"{y}年" for y in years)
        answer = templates.NO_EVENTS.format(where=scope, period=label, known=known)
        return FactAnswer("abstain", answer, [], SET_CONFIDENCE, answered=False)

    def neighbour(
        self, after: bool, anchor: Event, events: list[Event], score: float
    ) -> FactAnswer:
        """The event(s) right after (or before) the anchor."""
        side = "之后" if after else "之前"
        common = {"anchor": anchor.short(), "date": anchor.date.text(), "side": side}
        if not events:
            answer = templates.NO_NEIGHBOUR.format(**common)
            return FactAnswer("abstain", answer, [anchor.fact], score, answered=False)
        common["lead"] = "接着是" if after else "前一件是"
        if len(events) == 1:
            answer = templates.NEIGHBOUR.format(statement=events[0].statement(), **common)
        else:
            common["lead"] = "接着是" if after else "前面是"
            answer = templates.NEIGHBOURS.format(
                when=events[0].date.text(), count=len(events), items=numbered(events), **common
            )
        return FactAnswer("fact", answer, [*(e.fact for e in events), anchor.fact], score)

    def month_after(
        self,
        anchor: Event,
        step: int,
        period: Period,
        scope: str,
        events: list[Event],
        score: float,
    ) -> FactAnswer:
        """The events of the month after (or before) the anchor's."""
        common = {
            "anchor": anchor.short(),
            "date": anchor.date.text(),
            "which": "下" if step > 0 else "上",
            "month": period.label,
        }
        if not events:
            answer = templates.NO_EVENTS_MONTH.format(where=scope, **common)
            return FactAnswer("abstain", answer, [anchor.fact], score, answered=False)
        answer = templates.EVENTS_MONTH.format(
            where=scope, count=len(events), items=numbered(events, period), **common
        )
        return FactAnswer("list", answer, [*(e.fact for e in events), anchor.fact], score)

    def order(self, one: Event, other: Event, score: float) -> FactAnswer:
        """Which of two events came first."""
        first, second = sorted([one, other], key=lambda e: e.date.key)
        if comparable(first.date, second.date) == 0:
            answer = templates.SAME_TIME.format(
                date=first.date.text(), first=first.short(), second=second.short()
            )
        else:
            answer = templates.ORDER.format(
                first=first.short(),
                first_date=first.date.text(),
                second=second.short(),
                second_date=second.date.text(),
            )
        return FactAnswer("fact", answer, [first.fact, second.fact], score)

    def extreme_of(self, earliest: bool, events: list[Event], score: float) -> FactAnswer:
        """The earliest or latest of the events named, with all of them in time order."""
        ordered = sorted(events, key=lambda e: e.date.key)
        chosen = ordered[0] if earliest else ordered[-1]
        rival = ordered[1] if earliest else ordered[-2]
        if comparable(chosen.date, rival.date) == 0:
            return self.order(chosen, rival, score)  # the same time: say so
        answer = templates.EXTREME_OF.format(
            count=len(events),
            which="早" if earliest else "晚",
            statement=chosen.statement(),
            ordered="；".join(f"{e.date.text()} {e.short()}" for e in ordered),
        )
        return FactAnswer("fact", answer, [e.fact for e in ordered], score)

    def duration(self, one: Event, other: Event, gap: Duration, score: float) -> FactAnswer:
        """How long lies between two events."""
        first, second = sorted([one, other], key=lambda e: e.date.key)
        answer = templates.DURATION.format(
            first=first.short(),
            first_date=first.date.text(),
            second=second.short(),
            second_date=second.date.text(),
            gap=gap.spoken(),
        )
        return FactAnswer("compute", answer, [first.fact, second.fact], score)
