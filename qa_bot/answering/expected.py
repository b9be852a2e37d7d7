"""Whether a fact can answer what was asked: a year question needs a dated fact, an amount
question a sum of money, a question about 学生 a fact about 学生 (the asked focus)."""

from __future__ import annotations

import re

from qa_bot import lexicon
from qa_bot.answering import approximate, templates
from qa_bot.answering.answer_types import CAUSES, DATES, ENTITIES, FIGURES, AnswerType
from qa_bot.answering.candidates import CandidateFinder, suffixes
from qa_bot.answering.facts import measure_key
from qa_bot.answering.intent import QType, Question
from qa_bot.answering.measures import besides_share_base, counts_other
from qa_bot.answering.occasions import one_of_counted
from qa_bot.answering.terms import TermScorer
from qa_bot.models import Fact
from qa_bot.text import normalise

_SERIES_QUESTIONS = {QType.COMPARE, QType.COMPUTE}
_NOT_FIGURES = ENTITIES | {AnswerType.NAME, AnswerType.LIST}
_NOT_FIGURES_NOR_CAUSES = _NOT_FIGURES | CAUSES
# A figure of change (增长倍数) answers only a question about change (涨了几倍, 翻了几番).
_CHANGE_ASKED = re.compile(
    f"{lexicon.CHANGE.pattern}|倍|翻|同比|比(?![重例率值分])[^，,。？?]{{0,12}}[多少高低]"
)
# A change from the period before (比上一年, 同比): an undated figure has nothing to compare.
_PREVIOUS_PERIOD = re.compile(r"比(?:上一?|前一|去)(?:年|期|季度|月)|同比|较(?:上|去)年")
# The value a record had before it was broken (刷新纪录之前, 原来的世界纪录是多少).
_FORMER_RECORD = re.compile(
    r"(?:原来|原先|之前|此前|以前|先前|过去|旧|老)的?(?:世界|全国|全球|全省)?(?:纪录|记录)|"
    r"(?:刷新|打破|改写)[^，,。？?]{0,6}?(?:之前|以前)"
)
# A text that gives the former value too (比原纪录高, 此前的纪录是, 从…提高到).
_FORMER_STATED = re.compile(
    r"原纪录|原记录|原来|此前|之前|以前|旧纪录|由\d|从\d|比[^，,。]{0,10}(?:高|多|提高|增加)"
)
_COUNT_UNIT = re.compile(r"(?<![\d.])\d+(?:\.\d+)?([\u4e00-\u9fff])")  # 4届 → 届
_NAME_PART = re.compile(r"[号型代G版]")  # what after a figure makes it part of a name


def asks_previous_period(question: Question) -> bool:
    """Whether the question asks a change from the period before without naming it
    (比上一年多了几家, 同比增长了多少)."""
    return _PREVIOUS_PERIOD.search(question.normalised) is not None


def former_record_unstated(question: Question, text: str) -> bool:
    """Whether the question asks the record before it was broken (原来的世界纪录是多少) and
    the text only says it was broken, with the new value (再次刷新世界纪录)."""
    asked = _FORMER_RECORD.search(question.normalised) is not None
    return asked and _FORMER_STATED.search(normalise(text)) is None


def states_change(text: str) -> bool:
    """Whether a text states a change (增长, 比上年多, 同比): what a question about the change
    from the period before needs; 增加值 is value added, no change."""
    return _CHANGE_ASKED.search(normalise(text).replace("增加值", "")) is not None


class ExpectedFit:
    """Checks a fact against the question's expected answer type and focus."""

    def __init__(self, scorer: TermScorer) -> None:
        self.scorer = scorer
        self.finder = CandidateFinder(scorer.tokenizer)

    def fits(self, question: Question, fact: Fact) -> bool:
        """False when the fact plainly cannot be the answer (a figure for a date question,
        a count for an amount question, a fact that never names the asked focus)."""
        expected = question.expected
        if not quotes_asked(question, fact):
            return False  # 《…实施意见》哪年出台 is not answered by another 《…意见》
        if expected not in FIGURES and self.stated(question, fact):
            return False  # 那45个园区里，哪个…: the count the question states answers nothing
        if expected == AnswerType.DESCRIPTION and fact.kind == "metric" and gives(question, fact):
            return False  # 开了4次会是为了什么: the figure the question gives answers nothing
        if (
            fact.time is None
            and asks_previous_period(question)
            and not states_change(measure_key(fact))
        ):
            return False  # 比上一年多了几家 is not answered by an undated 57家
        if former_record_unstated(question, fact.evidence):
            return False  # 原来的纪录是多少 is not answered by the record that broke it
        if not self.names_asked(question, fact):
            return False  # GDP增长率是多少 is not answered by another measure's 同比增长率
        if expected in _NOT_FIGURES_NOR_CAUSES and fact.kind == "metric":
            return False  # a count names no one, no body, no place, no list of things, no cause
        if question.qtype in _SERIES_QUESTIONS:
            return True  # comparisons and arithmetic work on the series, checked there
        value = normalise(f"{fact.value}{fact.unit or ''}")
        if expected in CAUSES and fact.kind == "event":
            return False  # what happened when does not say why or how
        if expected in CAUSES and not self.finder.spans(normalise(fact.evidence) + value, expected):
            return False  # 办它的目的是什么 is not answered by where it was held
        if expected in DATES:
            when = templates.time_text(fact.time) if fact.time else value
            if not self.tells_date(question, when):
                return False
            if not fact.time:
                return True  # the value is the date: nothing more to check
        if expected == AnswerType.DURATION and not self.finder.spans(value, expected):
            return False  # 决赛比了多长时间 is not answered by 31个项目
        if _CHANGE_ASKED.search(fact.attribute) and not _CHANGE_ASKED.search(question.normalised):
            return False  # 比重是百分之多少 is not answered by how much the share grew
        if expected in (AnswerType.AMOUNT, AnswerType.PERCENT):
            return bool(self.finder.spans(value, expected))
        own = question.normalised if fact.kind != "metric" else ""  # a count is checked later
        if expected in FIGURES and not self.figures(value, expected, own):
            return False  # 有多少学生参与 is not answered by what the students did
        if approximate.EXACT_ASKED.search(question.normalised) and approximate.approximate(value):
            return False  # 准确的数量是多少 is not answered by 50余个
        if expected == AnswerType.COUNT and fact.kind != "metric" and question.unit:
            units = _COUNT_UNIT.findall(value)
            if units and all(counts_other(question.unit, unit) for unit in units):
                return False  # 多少条措施 is not answered by the meeting 四届八次全会
        timed = question.expected == AnswerType.DURATION  # 多少个月: its 个 counts months
        if not timed and counts_other(question.unit, fact.unit):
            return False  # 几批 is not answered by 265家
        if lexicon.misses_code(question.normalised, value):
            return False  # 型号是什么 is not answered by what the product achieved
        if expected in ENTITIES and not self.names_one(question, fact, expected):
            return False  # 谁带队 is not answered by what the group did
        # 那个“1”是哪份文件 is not answered by a fact naming only “1+X”
        return expected != AnswerType.NAME or bool(
            self.finder.new_spans(normalise(fact.evidence) + value, expected, question.normalised)
        )

    def names_asked(self, question: Question, fact: Fact) -> bool:
        """Whether the fact names the asked focus and role (GDP增长率 is not answered by how
        much 科技型中小企业 grew). The asked role counts only when the knowledge uses its
        word: one it never uses may still be the fact's, written otherwise."""
        role = question.role if question.role in self.scorer.idf else None
        asked = [term for term in (question.focus, role) if term is not None]
        if not asked:
            return True
        said = f"{fact.subject} {fact.attribute} {fact.value} {' '.join(fact.qualifiers)}"
        about = self.scorer.terms(self.besides_base(question, said))
        evidence = self.scorer.terms(self.besides_base(question, fact.evidence))
        return all(self.scorer.names(term, about | evidence) for term in asked)

    @staticmethod
    def besides_base(question: Question, text: str) -> str:
        """``text`` without where it names the asked focus only as a share's base (占GDP比重
        gives no GDP)."""
        if question.focus is None:
            return text
        return besides_share_base(question.focus, question.normalised, normalise(text))

    def figures(self, value: str, expected: AnswerType, asked: str) -> bool:
        """Whether a fact's value states a figure of the asked kind that is not part of a
        name (嫦娥5号, 5G, 第三代) and not one the question ``asked`` states itself
        (100千瓦激光器造价多少 is not answered by the laser's 100)."""
        for span in self.finder.spans(value, expected):
            if asked and span in asked:
                continue
            at = value.find(span)
            while at >= 0:
                if not _NAME_PART.match(value[at + len(span) :]):
                    return True
                at = value.find(span, at + 1)
        return False

    def stated(self, question: Question, fact: Fact) -> bool:
        """Whether the question names a set by the fact's figure (那45个专业园区里，哪个…),
        or, for an event, by a count its sentence or qualifiers give without listing any member
        (那102个项目里投资最大的是哪个 against …102个项目总投资达533亿元; 3个里另外两个)."""
        stated = [f"{number}{unit}" for number, unit in lexicon.stated_counts(question.normalised)]
        if fact.kind == "metric":
            figure = f"{normalise(fact.value)}{fact.unit or ''}"
            return bool(fact.unit) and figure in stated
        evidence = normalise(fact.evidence)
        said = " ".join([evidence, *(normalise(q) for q in fact.qualifiers)])
        return evidence.count("、") < 2 and any(figure in said for figure in stated)

    def parts_of(self, question: Question, fact: Fact) -> bool:
        """Whether the question states the fact's figure and asks for a part of it (231名博士
        里有多少是海外的, 265家…各是多少): the figure itself is then no answer. A figure
        that only names the thing asked about (这台100千瓦激光器的功率) is not such a part."""
        if fact.kind != "metric":
            return False
        value = re.escape(normalise(fact.value))
        for found in re.finditer(rf"(?<![\d.]){value}(?![\d.])", question.normalised):
            if lexicon.PART_OF_STATED.search(question.normalised[found.end() :]):
                return True
        return False

    def counts_more(self, question: Question, fact: Fact) -> bool:
        """Whether the fact counts several things together (众创空间、孵化器、星创天地35家, or
        2批 when 第一批 is asked) and the question names only some of them: the total is not
        the asked part."""
        if fact.kind == "metric" and one_of_counted(question, f"{fact.attribute} {fact.evidence}"):
            return True
        items = [item for item in fact.attribute.split("、") if item]
        if fact.kind != "metric" or len(items) < 2:
            return False
        words = [self.scorer.tokenizer.words(normalise(item)) for item in items]
        # What the items share stays outside them: 征集 before the first, 技术成果数量
        # after the last (征集高校、科研院所技术成果数量); each item's own word is its edge.
        own = [
            w[-1:] if n == 0 else w[:1] if n == len(words) - 1 else w for n, w in enumerate(words)
        ]
        named = [self.named(question, item_words) for item_words in own]
        return any(named) and not all(named)

    def named(self, question: Question, words: list[str]) -> bool:
        """Whether the question uses one of ``words`` or a word inside one (院所 of 科研院所)."""
        tokenizer = self.scorer.tokenizer
        pieces = [p for word in words for p in [word, *tokenizer.sub_words(word)] if len(p) > 1]
        return any(piece in question.normalised for piece in pieces)

    def names_one(self, question: Question, fact: Fact, expected: AnswerType) -> bool:
        """Whether the fact's subject, value or qualifiers name a person, body or place of
        the asked kind that the question does not (a curated fact names its parties), or,
        for a place question, whether its subject is itself a place (某基地在哪: the base's
        name says where it is)."""
        if expected == AnswerType.PLACE and normalise(fact.subject).endswith(place_endings()):
            return True
        about = normalise(f"{fact.subject}，{fact.value}，{'，'.join(fact.qualifiers)}")
        strict = question.names_kind
        return bool(self.finder.new_spans(about, expected, question.normalised, strict))

    def tells_date(self, question: Question, when: str) -> bool:
        """Whether ``when`` says the date the question asks for and does not state: the day
        for 几号 / 哪天, the month for 几月, a date not all in the question for the rest
        (2021年1月 does not answer 2021年1月几号)."""
        kind = {AnswerType.DAY: AnswerType.DAY, AnswerType.MONTH: AnswerType.MONTH}
        wanted = kind.get(question.expected or AnswerType.DATE, AnswerType.DATE)
        return bool(self.finder.new_spans(normalise(when), wanted, question.normalised))


def place_endings() -> tuple[str, ...]:
    """The words a place name ends with (县, 基地, 园区 …)."""
    return suffixes()[AnswerType.PLACE]


def quotes_asked(question: Question, fact: Fact) -> bool:
    """Whether the fact writes every name the question quotes (《…》, “…”): a fact about
    another title answers something else, however alike the words (see ``MissingNames``)."""
    if not question.quoted:
        return True
    said = normalise(f"{fact.subject} {fact.attribute} {fact.value} {fact.evidence}").lower()
    return all(name in said for name in question.quoted)


def asks_who(question: Question) -> bool:
    """Whether a question asks who, which ones or where (not a figure or a time): a dated
    event of another year (开幕) is no answer to it, though a sentence may be."""
    return question.qtype in {QType.LIST, QType.WHO, QType.WHERE} or question.expected in ENTITIES


def gives(question: Question, fact: Fact) -> bool:
    """Whether the question itself states the fact's figure with its unit (连开4次会)."""
    value, unit = re.escape(normalise(fact.value)), re.escape(fact.unit or "")
    return re.search(rf"(?<![\d.]){value}{unit}", question.normalised) is not None
