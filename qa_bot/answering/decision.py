"""Decision stage: answer, clarify or abstain, from the candidates and their evidence strength."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from qa_bot import lexicon
from qa_bot.answering import approximate
from qa_bot.answering.answer_types import CAUSES, ENTITIES, STRICT, AnswerType
from qa_bot.answering.claim_checks import ranked_lower_only
from qa_bot.answering.definitions import undefined
from qa_bot.answering.document_answer import DocumentAnswer
from qa_bot.answering.expected import (
    asks_previous_period,
    former_record_unstated,
    states_change,
)
from qa_bot.answering.fact_answer import FactAnswer
from qa_bot.answering.figure_kinds import asks_actual, only_expected
from qa_bot.answering.guard import Guarded
from qa_bot.answering.intent import QType, Question
from qa_bot.answering.reading import PassageAnswer
from qa_bot.answering.roles import (
    lacks_recipient,
    listed_bare,
    post_then_only,
    role_unnamed,
)
from qa_bot.answering.sentence_bonus import lacks_quantity
from qa_bot.answering.venues import place_attribute_unsaid, venue_unnamed
from qa_bot.models import Passage
from qa_bot.sentences import clauses
from qa_bot.text import normalise
from qa_bot.weights import ScoringWeights

Action = Literal["refuse", "help", "document", "facts", "passage", "abstain"]


@dataclass(frozen=True)
class Decision:
    """What the bot will say, before it is worded: the stage's typed output.

    ``refuse``: not a question (``reason`` says why); ``help``: a greeting; ``facts``: a fact
    answer (which may itself be a clarification or an honest "no data for that year");
    ``passage``: a sentence answer; ``abstain``: nothing answers (``related`` lists the
    passages consulted; with reason ``lacks_type``, ``lacks_focus`` or ``undefined`` (a quoted
    term used but not explained), ``passage`` is the
    sentence that is about the question but holds nothing of the asked kind, or never names
    what the question counts or asks who is; with ``stated_only``, one that only repeats the
    count of a set whose members are asked; with ``expected_only``, one whose figures were
    only applied for or expected where an actual outcome is asked); ``document``: a question
    about a document itself.
    """

    action: Action
    guarded: Guarded
    question: Question | None = None
    facts: FactAnswer | None = None
    passage: PassageAnswer | None = None
    confidence: float = 0.0
    reason: str = ""
    related: list[tuple[Passage, float]] = field(default_factory=list)
    document: DocumentAnswer | None = None

    @property
    def answered(self) -> bool:
        """Whether the reply will answer the question (a clarification counts)."""
        if self.action == "facts":
            return self.facts is not None and self.facts.answered
        if self.action == "document":
            return self.document is not None and self.document.answered
        return self.action == "passage"


class Decider:
    """Stage 5: turn the candidates into a decision with a confidence."""

    def __init__(self, abstain_threshold: float, weights: ScoringWeights) -> None:
        self.abstain_threshold = abstain_threshold
        self.weights = weights

    def run(
        self,
        guarded: Guarded,
        question: Question,
        facts: FactAnswer | None,
        passage: PassageAnswer | None,
        strict: bool = False,
    ) -> Decision:
        """A fact answer wins; else the passage answer when it is strong enough and names
        everything the question names; else abstain. A passage answer must hold the asked
        kind when that kind is one texts show reliably, or when ``strict`` (the best fact
        about the question lacked it)."""
        evidence = " ".join(f.evidence for f in facts.facts) if facts else _sentence(passage)
        if question.qtype != QType.YESNO and ranked_lower_only(question, evidence):
            return Decision("abstain", guarded, question)  # 全球最大的 where it is 全球第二大
        # (a yes/no claim of 全球最大 is corrected by the verifier instead)
        if facts is not None and counts_the_kept(question, facts):
            facts = None  # 多少个项目没能进决赛 is not answered by the 31 that did
        if facts is not None:
            return Decision("facts", guarded, question, facts=facts, confidence=facts.confidence)
        if passage is None:
            return Decision("abstain", guarded, question)
        if passage.missing_names:
            return Decision("abstain", guarded, question, related=passage.ranked)
        confidence = self.confidence(passage, question)
        if confidence < self.abstain_threshold:
            return Decision(
                "abstain", guarded, question, confidence=confidence, related=passage.ranked
            )
        if passage.focused is False:
            return self.near_miss(guarded, question, passage, "lacks_focus")
        if stated_only(question, passage.answer):
            return self.near_miss(guarded, question, passage, "stated_only")
        if names_no_other(question, passage.answer):
            return self.near_miss(guarded, question, passage, "stated_only")
        if lists_no_member(question, passage.answer):
            return self.near_miss(guarded, question, passage, "lacks_type")
        if undefined(question.quoted, question.normalised, passage.answer):
            return self.near_miss(guarded, question, passage, "undefined")
        if approximate_only(question, passage.answer):
            return self.near_miss(guarded, question, passage, "approximate_only")
        if expected_only(question, passage.answer):
            return self.near_miss(guarded, question, passage, "expected_only")
        if lexicon.misses_code(question.normalised, passage.answer):
            return self.near_miss(guarded, question, passage, "lacks_type")
        if post_then_only(question, passage.sentence):
            return self.near_miss(guarded, question, passage, "then_only")
        said = normalise(passage.sentence)
        if venue_unnamed(question, said) or place_attribute_unsaid(question, said):
            return self.near_miss(guarded, question, passage, "lacks_type")
        if lacks_recipient(question, passage.sentence) or listed_bare(question, passage.answer):
            return self.near_miss(guarded, question, passage, "lacks_type")
        if former_record_unstated(question, passage.answer):
            return self.near_miss(guarded, question, passage, "new_record_only")
        if asks_previous_period(question) and not states_change(passage.answer):
            return self.near_miss(guarded, question, passage, "lacks_type")
        strict = strict or question.expected in STRICT or question.names_kind
        strict = strict or held_without_place(question, passage.answer)
        strict = strict or role_unnamed(question, said)
        if passage.typed is False and strict:
            return self.near_miss(guarded, question, passage, "lacks_type")
        return Decision("passage", guarded, question, passage=passage, confidence=confidence)

    @staticmethod
    def near_miss(
        guarded: Guarded, question: Question, passage: PassageAnswer, reason: str
    ) -> Decision:
        """An abstention that keeps the sentence, which is about the question, to say what the
        text does hold; only a sentence strong enough to answer otherwise is worth showing."""
        return Decision(
            "abstain",
            guarded,
            question,
            passage=passage,
            related=passage.ranked,
            reason=reason,
        )

    def confidence(self, found: PassageAnswer, question: Question) -> float:
        """Evidence strength in [0, 1] from the sentence's and the passage's term coverage,
        reduced when a how-many question gets a sentence without any figure."""
        weights = self.weights
        value = (
            weights.confidence_sentence * found.sentence_coverage
            + weights.confidence_passage * found.coverage
        )
        if lacks_quantity(question, found.sentence):
            value *= weights.no_figure_factor
        return max(0.0, min(1.0, value))


def counts_the_kept(question: Question, facts: FactAnswer) -> bool:
    """Whether a question about those who dropped out (没能进决赛, 落选) got one fact looked up
    that counts those who went on: the difference of two stages is computed elsewhere."""
    if facts.kind != "fact" or not lexicon.ELIMINATED.search(question.normalised):
        return False
    return not any(lexicon.ELIMINATED.search(f.evidence) for f in facts.facts)


def marked_type_needed(question: Question) -> bool:
    """Whether a sentence must show the asked kind when no fact holds it. A reason often goes
    unmarked (感谢信中说，学生承担了…: why the letter came), so a why-question needs no 因为 —
    unless it asks why figures it states changed (为啥从207家掉到73家): a sentence that
    only lists the figures again tells no reason."""
    if question.expected not in CAUSES:
        return True
    return len(lexicon.ASKED_FIGURE.findall(question.normalised)) >= _CHANGE_FIGURES


_CHANGE_FIGURES = 2
_SINGLED_OUT = re.compile(r"最[多少大小高低长短早晚强]|第一(?![届次批期轮季])|居首|之最|冠军|榜首")
_MEMBERS = ENTITIES | {AnswerType.LIST, AnswerType.NAME, AnswerType.DESCRIPTION}


def stated_only(question: Question, answer: str) -> bool:
    """Whether the question asks about the members of a set it names by its count (那17个城市，
    另外16个都是哪些; 7个团队分别是哪几个), or about each of them (1007名专家分别有多少人), and
    the answer only repeats that count, listing nothing (no run of three or more items)."""
    each = lexicon.EACH.search(question.normalised) is not None  # 各区分别有多少人
    if question.expected not in _MEMBERS and question.qtype != QType.LIST and not each:
        return False
    said = normalise(answer)
    if said.count("、") >= 2 or _SINGLED_OUT.search(said):
        return False  # a list, or the one that is 最… / 第一 named
    if not counts_the_kind_asked(question.normalised):
        return False  # 两个活动…还点名了哪位院士: the count is of another thing
    stated = lexicon.stated_counts(question.normalised)
    units = _MEMBER_UNITS.get(question.expected) if question.expected else None  # 4次 ≠ 4人
    stated = [(n, unit) for n, unit in stated if units is None or unit in units]
    return any(repeats(said, number, unit) for number, unit in stated)


def counts_the_kind_asked(text: str) -> bool:
    """Whether a count the question states counts the kind it asks which one of (那6个人…
    哪几位: yes; 那两个“国字号”活动…哪位院士: no, 院士 are no 活动); true when it names no kind."""
    kind = _WHICH_KIND.search(text)
    if kind is None:
        return True
    return any(kind.group(1) in text[m.end() : m.end() + 8] for m in lexicon.stated_sets(text))


_WHICH_KIND = re.compile(
    r"哪一?[位个些家所项名]([\u4e00-\u9fff]{2,4}?)(?=[啊呀呢吗]?(?:[?？。,，]|$)|是)"
)
_MEMBER_UNITS = {
    AnswerType.PERSON: "个位名人",
    AnswerType.ORGANISATION: "个家所",
    AnswerType.PLACE: "个座处",
}


_OTHERS_ASKED = re.compile(
    r"除了?.{1,30}?(?:以外|之外|外)?[,，]?.{0,12}?(?:还有|其余|其他|另外|别的|剩下)"
)
_LISTED_BEFORE_ETC = re.compile(
    r"((?:[^，,。；、]{1,12}、)*[^，,。；、]{1,12})等\d+[位个名家项所座]"
)


def names_no_other(question: Question, answer: str) -> bool:
    """Whether the question asks who or what else there is besides those it names (除了李兰娟
    还有哪几位) and the answer lists only those, before 等 (李兰娟等10位院士)."""
    text = question.normalised
    if not _OTHERS_ASKED.search(text):
        return False
    listed = _LISTED_BEFORE_ETC.search(normalise(answer))
    if listed is None:
        return False
    return all(asked_in(item, text) for item in listed.group(1).split("、"))


def asked_in(item: str, text: str) -> bool:
    """Whether ``text`` names the listed item: whole, or by its last two to four characters
    (中国工程院李兰娟 by 李兰娟)."""
    return any(item[-size:] in text for size in (4, 3, 2) if len(item) >= size)


def lists_no_member(question: Question, answer: str) -> bool:
    """Whether the question asks which the members of a set it states are (另外2个是什么,
    其他16个城市有哪些) and the answer lists nothing at all."""
    if question.expected != AnswerType.LIST and question.qtype != QType.LIST:
        return False
    return "、" not in answer and bool(lexicon.stated_sets(question.normalised))


def repeats(text: str, number: str, unit: str) -> bool:
    """Whether ``text`` states the count: in its unit, or for a general or personal one
    (6个人, 6位同学) in any such classifier (6人)."""
    if f"{number}{unit}" in text:
        return True
    return (
        unit in "个位名人"
        and re.search(rf"(?<![\d.]){re.escape(number)}[个名位人家项所]", text) is not None
    )


def approximate_only(question: Question, answer: str) -> bool:
    """Whether the question asks an exact figure (精确是多少, 确切数字) and every count the
    answer gives is approximate (50余个, 近100个, 200多个)."""
    if not approximate.EXACT_ASKED.search(question.normalised):
        return False
    return approximate.approximate(normalise(answer))


def expected_only(question: Question, answer: str) -> bool:
    """Whether an actual outcome is asked and every clause of the answer that gives a figure
    (a date is none: 2021年，…) gives one only applied for or expected (see ``only_expected``)."""
    if not asks_actual(question):
        return False
    figures = [c for c in clauses(answer) if lexicon.DIGIT.search(lexicon.TIME_WORD.sub("", c))]
    return bool(figures) and all(only_expected(question, clause) for clause in figures)


def refusal(guarded: Guarded, reason: str) -> Decision:
    """A message that is not a question to look up."""
    return Decision("refuse", guarded, reason=reason)


def _sentence(passage: PassageAnswer | None) -> str:
    """The passage answer's sentence ("" when there is none)."""
    return passage.sentence if passage is not None else ""


_HELD = re.compile(r"召开|举行|举办|开幕|开展|落户|揭牌")


def held_without_place(question: Question, answer: str) -> bool:
    """Whether a where-question gets a sentence saying only that the event took place
    (大会召开, 论坛举行): it must then name a place, as it is about where; other where-questions
    are answered by a place texts often name loosely (户口所在地, 工作室)."""
    return question.qtype == QType.WHERE and _HELD.search(answer) is not None
