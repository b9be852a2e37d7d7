"""Multi-part questions: a message that asks several things, split into standalone questions,
and their answers put back together as one reply.

A message is split where each piece asks something of its own (the rules are generic
Chinese in ``resources/parts.txt``):

- at a question mark, semicolon or comma between two questions
  (…开工了多少个项目？总投资多少？ / …多少企业需求，又有多少项成果);
- before 以及 / 和 / 还有 / 、 … that starts a second question (有多少家A和多少家B,
  有多长、面积多大);
- at the things named before 分别 (A和B分别是哪天 → A是哪天, B是哪天).

A later piece takes what the first one is about — the text before its question word, such as
a time and a subject (2021年一季度集中开工 + 总投资多少) — unless it names all of it itself; the
things named before 分别 share a time named with only one of them (2019年和2020年高企…).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from qa_bot import lexicon
from qa_bot.answering import templates
from qa_bot.answering.list_marks import is_verb, masked
from qa_bot.models import Reply, Source

_MAX_PARTS = 5
_SHARED_WORD = 3  # characters; a thing this short after 和 may share the first one's subject
_NOUN_TAGS = "nj"  # nouns and abbreviations: what a later piece may put another thing for
_ORDINAL = re.compile(r"第[一二三四五六七八九十\d]+[批届期次轮]")  # 第一批: one of several
_SHORTEST_PART = 3  # characters; a shorter piece (几个？) is not a question on its own


@dataclass(frozen=True)
class Part:
    """One question of a message: as asked there, and made standalone."""

    asked: str
    question: str


@cache
def rule(name: str) -> re.Pattern[str]:
    """The pattern ``name`` of ``resources/parts.txt`` (read once)."""
    for line in lexicon.resource_lines("parts"):
        if line.startswith(f"{name}\t"):
            return re.compile(line.split("\t", 1)[1].strip())
    raise KeyError(name)


def asks(text: str) -> bool:
    """Whether a piece of a message asks something itself (a question word inside quotes or
    a title — 《…有关吗?》 — asks nothing)."""
    return len(text.strip()) >= _SHORTEST_PART and bool(rule("ask").search(masked(text)))


Tagger = Callable[[str], list[tuple[str, str]]]
"""Words of a text with their part-of-speech tags (jieba's: v verb, n noun …)."""


def no_tags(text: str) -> list[tuple[str, str]]:
    """No tagger: the text as one word of unknown kind."""
    return [(text, "x")]


def split_question(normalised: str, tags: Tagger = no_tags) -> list[Part]:
    """The questions of a message, each standalone; [] when it asks one thing. ``tags``
    tells where the first question's verb is (see ``with_subject``)."""
    text = normalised.strip().rstrip("?？。.!！ ")
    checked = claims(text)
    if checked:
        return checked
    pieces = refined(sequence(text))
    parts: list[Part] = []
    for number, piece in enumerate(pieces):
        other = rule("also").match(piece.strip()) if number else None
        if other is not None:
            standalone = about_other(pieces[0], other.group(1), tags)
        else:
            standalone = piece if number == 0 else with_subject(pieces[0], piece, tags)
        parts += distributed(piece, standalone, tags)
    return parts[:_MAX_PARTS] if len(parts) >= 2 else []


def claims(text: str) -> list[Part]:
    """The figures of a quoted statement the message asks to check, one yes/no question each
    (“全市高企增长了3.2倍，科小增长2.5倍”，都对吧 → …增长了3.2倍吗 / …增长2.5倍吗); [] when it
    quotes fewer than two clauses with a figure."""
    quoted = rule("claim").search(text)
    if quoted is None:
        return []
    figures = [c for c in re.split(r"[，,；;]", quoted.group(1)) if re.search(r"\d", c)]
    if len(figures) < 2:
        return []
    return [Part(clause, f"{clause.strip()}吗") for clause in figures[:_MAX_PARTS]]


def sequence(text: str) -> list[str]:
    """The message cut where one question ends and another begins; a piece that asks
    nothing (2019年，…) stays with the question after it."""
    pieces: list[str] = []
    pending = ""
    begin = 0
    for match in [*rule("stop").finditer(masked(text)), None]:
        end = match.start() if match else len(text)
        for piece in joined_questions(text[begin:end]):
            if asks(piece) or (pieces and rule("also").match(piece.strip())):
                pieces.append(pending + piece)
                pending = ""
            else:
                pending += piece + ("，" if match else "")
        begin = match.end() if match else len(text)
    if pending.strip("，") and pieces:
        pieces[-1] += "，" + pending.strip("，")
    return pieces or [text]


def refined(pieces: list[str]) -> list[str]:
    """The pieces with one that only asks the one before it more precisely (精确数字是多少)
    joined to it: one question."""
    joined: list[str] = []
    for piece in pieces:
        if joined and rule("refine").match(piece.strip().rstrip("?？")):
            joined[-1] += "，" + piece
        else:
            joined.append(piece)
    return joined


def joined_questions(clause: str) -> list[str]:
    """A clause split before a joining word that starts a second question (有多少家A以及多少家B),
    when the text before it asks too."""
    for match in rule("join").finditer(clause):
        before, after = clause[: match.start()], clause[match.end() :]
        if asks(before) and asks(after) and rule("ask").search(after[:4]):
            return [before, *joined_questions(after)]
    return [clause]


def subject_of(question: str) -> str:
    """What a question is about: its text before the question word, without the particles
    that end it (2021年一季度集中开工了多少个项目 → 2021年一季度集中开工)."""
    match = rule("ask").search(question)
    before = question[: match.start()] if match else ""
    return rule("tail").sub("", before)


def with_subject(first: str, later: str, tags: Tagger = no_tags) -> str:
    """A later piece made standalone: its opening word (又, 其中 …) dropped, and the first
    piece's subject put before it unless it names that subject itself; a time it names
    replaces the subject's, an ordinal it opens with the subject's (第一批 → 第2批), and the
    subject replaces a pronoun it opens with (它是…); a piece with a subject of its own before
    又 keeps only the time (…涨了几倍 + 平台又多了几倍). When it opens with a verb or a
    preposition of its own (比上年…), the first piece's verb stays behind (2022年图书馆接待了
    多少读者 + 举办了多少场讲座 → 2022年图书馆举办了…)."""
    parallel = rule("parallel").match(later.strip())
    later = rule("open").sub("", later.strip())
    subject = subject_of(first)
    if parallel or rule("parallel").match(later):
        subject = "".join(lexicon.TIME_WORD.findall(subject))
    later = rule("again").sub("", later)
    opening = tags(later)[:1]
    if opening and (is_verb(opening[0][1]) or opening[0][1] == "p"):
        subject = before_last_verb(subject, tags)
    if lexicon.TIME_WORD.search(later):
        subject = lexicon.TIME_WORD.sub("", subject)
    ordinal = _ORDINAL.search(subject)
    if ordinal and _ORDINAL.match(later):  # …第一批报了多少 + 第2批报了多少
        subject = subject[: ordinal.start()]
    subject = subject.strip("，, ")
    if not subject or subject in later:
        return later
    return subject + rule("pronoun").sub("", later)


def about_other(first: str, thing: str, tags: Tagger = no_tags) -> str:
    """The first question asked about another thing or time (…引进博士多少名 + 青年人才呢 →
    …引进青年人才多少名; …2019年多少家 + 2020年呢 → …2020年多少家): a time replaces the
    first's time, a thing the nouns after its question word (多少家高企) or else just before
    it."""
    thing = rule("open").sub("", thing)
    if lexicon.TIME_WORD.fullmatch(thing):
        if lexicon.TIME_WORD.search(first):
            return lexicon.TIME_WORD.sub(thing, first, count=1)
        return thing + first
    match = rule("ask").search(first)
    if match is None:
        return thing
    after = tags(first[match.end() :])
    nouns = [n for n, (_, tag) in enumerate(after) if tag[:1] in _NOUN_TAGS]
    if nouns:  # 有多少家高新技术企业 + 科技型中小企业呢: the thing counted follows
        kept = "".join(word for word, _ in after[: nouns[0]])
        return first[: match.end()] + kept + thing
    words = tags(first[: match.start()])
    at = len(words)
    while at > 0 and words[at - 1][1][:1] in _NOUN_TAGS:
        at -= 1
    if at == len(words):
        return thing + first[match.start() :]
    return "".join(word for word, _ in words[:at]) + thing + first[match.start() :]


def before_last_verb(subject: str, tags: Tagger) -> str:
    """The subject without its last verb and what follows it (2022年图书馆接待 → 2022年图书馆)."""
    words = tags(subject)
    for at in range(len(words) - 1, 0, -1):
        if is_verb(words[at][1]):
            return "".join(word for word, _ in words[:at])
    return subject


def distributed(asked: str, question: str, tags: Tagger = no_tags) -> list[Part]:
    """``A和B分别是哪天`` as ``A是哪天`` and ``B是哪天``; any other question as itself."""
    each = rule("each").search(question)
    if each is None or not rule("ask").search(question[each.end() :]):
        return [Part(asked, question)]
    named, predicate = question[: each.start()], question[each.end() :]
    comma = max(named.rfind("，"), named.rfind(","))
    shared, named = named[: comma + 1], named[comma + 1 :]
    things = coordinated(named, tags)
    if len(things) < 2:
        return [Part(asked, question)]
    of = things[-1].find("的")
    if of > 0:  # 开始和结束的时间 → 开始的时间, 结束的时间
        things, predicate = [*things[:-1], things[-1][:of]], things[-1][of:] + predicate
    return [Part(thing + predicate, shared + thing + predicate) for thing in share_time(things)]


def coordinated(named: str, tags: Tagger) -> list[str]:
    """The things ``named`` joins (A和B, A、B); a one-character joining word joins only where
    it is a word of its own (6位同学 joins nothing: 同 is part of 同学), and none joins where it
    means "with" (与衡阳一同入围的城市)."""
    edges, at = {0}, 0
    for word, _ in tags(named):
        at += len(word)
        edges.add(at)
    things, begin = [], 0
    for match in rule("coordinate").finditer(named):
        alone = match.group() == "、" or (match.start() in edges and match.end() in edges)
        together = rule("together").match(named, match.end()) is not None
        if (alone or len(match.group()) > 1) and not together:
            things.append(named[begin : match.start()])
            begin = match.end()
    things.append(named[begin:])
    return [thing for thing in things if thing.strip()]


def share_time(things: list[str]) -> list[str]:
    """Things named before 分别, each with its time: 衡阳2019年 | 2020年高企 → 衡阳2019年高企,
    衡阳2020年高企; a time named with one of them only goes to all; else a subject may be
    shared (摄影开始和结束)."""
    times = [lexicon.TIME_WORD.search(t) for t in things]
    if all(times):
        first, last = times[0], times[-1]
        assert first is not None and last is not None
        prefix = things[0][: first.start()]
        suffix = things[-1][last.end() :]
        spans = [t.group() for t in times if t is not None]
        return [prefix + span + suffix for span in spans]
    named = [t.group() for t in times if t is not None]
    if len(named) == 1:
        return [t if lexicon.TIME_WORD.search(t) else named[0] + t for t in things]
    return share_subject(things)


def share_subject(things: list[str]) -> list[str]:
    """摄影开始和结束 → 摄影开始, 摄影结束: when the later things are short words and the first
    is longer, what the first has before a word of that length belongs to all."""
    size = max(len(t) for t in things[1:])
    if size > _SHARED_WORD or len(things[0]) <= size + 1:
        return things
    subject = things[0][:-size]
    return [things[0], *(subject + t for t in things[1:])]


def combined(raw: str, parts: list[Part], replies: list[Reply]) -> Reply | None:
    """One reply answering every part with its own source; a part without an answer is
    named. None when no part is answered (the message is then answered whole)."""
    answered = [reply for reply in replies if reply.answered]
    if not answered:
        return None
    if len({reply.answer for reply in answered}) == 1 and len(answered) == len(replies):
        only = answered[0]  # one sentence answers every part
        return only.model_copy(update={"question": raw})
    lines, sources, cited = [], [], []
    for number, (part, reply) in enumerate(zip(parts, replies, strict=True), start=1):
        if reply.answered:
            lines.append(f"{number}. {reply.answer.rstrip('。')}")
            first = reply.sources[:1]
            sources += first
            cited.append(templates.citation(first[0]) if first else "")
        else:
            lines.append(f"{number}. {templates.PART_MISSING.format(part=part.asked)}")
            cited.append("")
    rest = [s for reply in answered for s in reply.sources[1:]]
    return Reply(
        question=raw,
        answer="；".join(lines) + "。",
        text=templates.parts_text(lines, cited),
        answered=True,
        confidence=round(min(r.confidence for r in answered) * len(answered) / len(replies), 4),
        kind="multi",
        sources=unique_sources([*sources, *rest]),
    )


def unique_sources(sources: list[Source]) -> list[Source]:
    """Sources without repeats of the same passage (first kept)."""
    seen: set[tuple[str, str]] = set()
    kept = []
    for source in sources:
        key = (source.doc_id, source.passage_id or source.snippet)
        if key not in seen:
            seen.add(key)
            kept.append(source)
    return kept
