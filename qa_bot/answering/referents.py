"""What a reply mentions that a follow-up may point back at: the people, organisations and
places of the answer, and the month and year it is about.

他 / 这位院士 need a person, 那里 a place, 那个月 a month: a follow-up names the kind of thing it
means, so the dialog keeps the last answer's entities by kind, each kind in order of salience
(what the question did not already name comes first: that is what the answer told).
"""

from __future__ import annotations

import re

from qa_bot import lexicon
from qa_bot.answering.answer_types import ENTITIES, AnswerType
from qa_bot.answering.candidates import CandidateFinder, patterns, surnames
from qa_bot.answering.intent import Question
from qa_bot.text import normalise
from qa_bot.tokenizer import Token, Tokenizer

PERSON, ORGANISATION, PLACE = "person", "organisation", "place"
MONTH, YEAR = "month", "year"
MAX_PER_KIND = 4

_DEICTIC = re.compile(r"^(全|各|本|该|我|此|这|那|每|其)")  # 全区, 本市, 该公司: no names
_LOCATIVE = "在|位于|于|落户|来到|前往"
_TITLE = re.compile(r"《([^《》]{2,40})》")
_ASKED_HEAD = re.compile(r"哪一?(?:个|家|所|座|位)?([\u4e00-\u9fff])")  # 哪个区 → 区


class ReferentFinder:
    """Finds the entities of an answer by kind (with the typed candidate finder)."""

    def __init__(self, tokenizer: Tokenizer) -> None:
        self.tokenizer = tokenizer
        self.candidates = CandidateFinder(tokenizer)

    def find(self, question: Question, answer: str) -> dict[str, list[str]]:
        """The answer's entities by kind (person, organisation, place, month, year)."""
        text = normalise(answer)
        found = {kind.value: self.entities(text, kind, question) for kind in _ENTITY_ORDER}
        named = {*found[ORGANISATION], *found[PLACE]}
        found[PERSON] = [  # 柳溪村 starts with a surname but is a place
            s for s in found[PERSON] if s not in named or self.tokenizer.tag_of(s) == "nr"
        ]
        found[MONTH] = months(text, question)
        found[YEAR] = years(text, question)
        return {kind: spans[:MAX_PER_KIND] for kind, spans in found.items() if spans}

    def entities(self, text: str, kind: AnswerType, question: Question) -> list[str]:
        """The spans of ``text`` that name a ``kind`` (strictly that kind), best first."""
        pattern = patterns().get(kind)
        spans = [m.group() for m in pattern.finditer(text)] if pattern else []
        spans += self.candidates.tagged(text, kind)
        tokens = self.tokenizer.tagged(text)
        bounds = token_bounds(tokens)
        if kind != AnswerType.PERSON:
            spans = [widened(text, s, tokens) for s in spans]
        kept = [
            s
            for s in dict.fromkeys(spans)
            if aligned(text, s, bounds)
            and plausible(s, self.tokenizer.tag_of(s))
            and (kind != AnswerType.PERSON or person_like(text, s, self.tokenizer.tag_of(s)))
        ]
        head = _ASKED_HEAD.search(question.normalised)
        ending = head.group(1) if head else ""
        return sorted(
            kept,
            key=lambda s: (
                named_in(s, question.normalised),
                not (ending and s.endswith(ending)),
                kind == AnswerType.PLACE and not located(text, s),
                distance(text, s, question.asked),
                text.find(s),
            ),
        )

    def answered(self, question: Question, found: dict[str, list[str]], answer: str) -> str | None:
        """The entity that answers a question asking which body or where, or which named
        thing (哪个案例 → the 《title》 the answer gives); else None. Not who: 它 never means
        a person, so after 激光器是谁研发的 it is still the laser (他 / 她 take the person)."""
        if question.expected == AnswerType.NAME:
            titles = _TITLE.findall(normalise(answer))
            return next((t for t in titles if t not in question.normalised), None)
        if question.expected not in ENTITIES or question.expected == AnswerType.PERSON:
            return None
        if _ABOUT_A_THING.search(question.normalised):
            return None  # 激光器是哪家单位研发的: 它 is still the laser
        spans = found.get(str(question.expected), [])
        new = [s for s in spans if not named_in(s, question.normalised)]
        return new[0] if new else None

    def mentioned(self, entity: str, question: Question, answer: str) -> bool:
        """Whether the question or the answer says the entity (a fact's subject may be only
        the heading the fact was read under)."""
        return entity in question.normalised or entity in normalise(answer)

    def topic(
        self,
        question: Question,
        answer: str,
        found: dict[str, list[str]],
        entity: str | None,
        passage: bool,
    ) -> str | None:
        """What a follow-up without a subject of its own goes on about: the entity that
        answered a which-question; else the question's subject when a sentence answered and
        says it (2020年青山读书论坛哪天开的: the forum), or when the fact is about a place and
        the subject is a thing the answer names (重大项目 of 衡阳市一季度重大项目集中开工, so
        总投资多少 and 在哪儿举行的 ask about the projects, not the city); else the fact's
        subject, unless the text never says it."""
        answered = self.answered(question, found, answer)
        subject = self.subject(question)
        said = subject is not None and subject in normalise(answer)
        if answered or (passage and said):
            return answered or subject
        if said and entity and self.unasked_place(entity, question):
            return subject if not self.tokenizer.tag_of(subject or "").startswith("ns") else entity
        if entity is None or not self.mentioned(entity, question, answer):
            return subject or entity  # a fact's subject the text never says
        return entity

    def unasked_place(self, entity: str, question: Question) -> bool:
        """Whether the entity is a place the question neither named nor asked for (衡阳市, the
        subject of a fact about its projects); a place it named (雁峰区…) or asked for (哪个区)
        stays what 它 means."""
        is_place = self.tokenizer.tag_of(entity).startswith("ns")
        if not is_place or question.expected == AnswerType.PLACE:
            return False  # 衡阳是哪个区: the place answered
        return not any(entity[:cut] in question.normalised for cut in range(len(entity), 1, -1))

    def subject(self, question: Question) -> str | None:
        """What the question is about: its longest run of nouns (青山读书节, 第三代杂交水稻
        双季稻), the topic a follow-up without a subject of its own continues."""
        runs: list[str] = []
        run = ""
        for token in self.tokenizer.tagged(question.normalised):
            if joinable(token) or (token.tag == "x" and token.word.isalpha() and run):
                run += token.word
            else:
                runs.append(run)
                run = ""
        runs.append(run)
        best = max(runs, key=len)
        return best or None


_ABOUT_A_THING = re.compile(r"^[^，,。？?]{2,}?是(?:由|在)?哪(?:一)?[个家所位座里儿]")
"""A question about a thing it names first, asking who did it or where (激光器是哪家单位研发的,
论坛是在哪里举办的): what a later 它 means is that thing, not the body or place answered."""

_ENTITY_ORDER = (AnswerType.PERSON, AnswerType.ORGANISATION, AnswerType.PLACE)


def token_bounds(tokens: list[Token]) -> set[int]:
    """Where the tokens start and end (a name cut across a word is no name)."""
    bounds = {0}
    for token in tokens:
        bounds |= {token.start, token.start + len(token.word)}
    return bounds


def widened(text: str, span: str, tokens: list[Token]) -> str:
    """A name with the nouns just before it that belong to it (绿林 + 建筑公司, 青 + 山镇):
    the candidate finder joins at most two words."""
    start = text.find(span)
    before = [t for t in tokens if t.start + len(t.word) <= start]
    taken = 0
    while before and taken < 2:
        token = before[-1]
        if token.start + len(token.word) != start or not joinable(token):
            break
        start, taken = token.start, taken + 1
        before.pop()
    return text[start : text.find(span) + len(span)]


def joinable(token: Token) -> bool:
    """A Chinese noun or place word that can begin a longer name."""
    return bool(re.fullmatch(r"[\u4e00-\u9fff]+", token.word)) and token.tag[:2] in {
        "n",
        "ns",
        "nt",
        "nz",
        "j",
    }


def aligned(text: str, span: str, bounds: set[int]) -> bool:
    """Whether some occurrence of ``span`` starts and ends on token boundaries."""
    start = text.find(span)
    while start >= 0:
        if start in bounds and start + len(span) in bounds:
            return True
        start = text.find(span, start + 1)
    return False


def plausible(span: str, tag: str) -> bool:
    """A name, not a deictic word (全区, 该公司) nor a two-character common noun (基地)."""
    if _DEICTIC.match(span):
        return False
    return len(span) >= 3 or tag[:2] in {"nr", "ns", "nt"}


def person_like(text: str, span: str, tag: str) -> bool:
    """A person's name: tagged so, or an unknown word starting with a surname (not 文化馆),
    or a foreign name with · that is not a quoted title (“数聚政府·链接未来”)."""
    if "·" in span:
        return f"“{span}" not in text and f"{span}”" not in text
    surnamed = span[0] in surnames() or span[:2] in surnames()
    return tag.startswith("nr") or (tag == "x" and surnamed)


def located(text: str, span: str) -> bool:
    """Whether the text says something happens at the place (在内蒙古, 位于湖南)."""
    return bool(re.search(f"(?:{_LOCATIVE})" + re.escape(span), text))


def distance(text: str, span: str, terms: set[str]) -> int:
    """How far the span is from the nearest question term in the text (组长是谁: the name
    right before 任组长, not the one before 任顾问)."""
    start = text.find(span)
    gaps = [
        max(where - (start + len(span)), start - (where + len(term)), 0)
        for term in terms
        for where in [m.start() for m in re.finditer(re.escape(term), text)]
    ]
    return min(gaps, default=len(text))


def named_in(span: str, question: str) -> bool:
    """Whether the question already names the span (衡阳 names 衡阳市)."""
    return span in question or (len(span) >= 3 and span[:-1] in question)


def months(text: str, question: Question) -> list[str]:
    """The year-months of the answer (2020年12月), else of the question."""
    found = [f"{m.group(1)}年{int(m.group(2))}月" for m in lexicon.YEAR_MONTH.finditer(text)]
    for month in question.months:
        year, number = month.split("-")
        found.append(f"{year}年{int(number)}月")
    return list(dict.fromkeys(found))


def years(text: str, question: Question) -> list[str]:
    """The years the answer is about: the question's, else the answer's."""
    found = [*question.years, *lexicon.years_in(text)]
    return [f"{year}年" for year in dict.fromkeys(found)]
