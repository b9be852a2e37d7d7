"""What a yes/no question claims, and how a text says otherwise: a superlative within a scope
(是全球最大的吗 against 全球第二大), a post held by a named person (郑建新是组长吗 against
郑建新任顾问，…邓群策任组长), an occasion's ordinal (第二次 against 首次), being the only one
(唯一 against 长沙市、衡阳市), and the figures and names claimed. Generic Chinese; the scope
words are in ``resources/operations.txt``."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from qa_bot import lexicon
from qa_bot.answering.intent import Question
from qa_bot.answering.occasions import later_than_sole, other_ordinal
from qa_bot.answering.operand_phrases import operation_words
from qa_bot.dates import date_of, parse_time
from qa_bot.sentences import clauses, sentences
from qa_bot.text import normalise

_SUPERLATIVE = re.compile(r"最|第一|首")
_LOWER_RANK = re.compile(r"第(?:[二三四五六七八九十]|[2-9]|\d{2,})")
_RANK_REACH = 8  # characters after a scope word that a rank still belongs to (全球第二大功率)
_NAME_SIZES = (2, 3, 4)  # characters of a Chinese name before 任
_APPOINTED = re.compile(r"(?:担任|出任|兼任|任)([\u4e00-\u9fff]{2,8}?)(?=[，,。；;、]|$)")


def ranked_scope(question: Question) -> str | None:
    """The scope of a superlative the question claims (全球 of 是全球功率最大的吗), if any."""
    text = question.normalised
    for scope in sorted(operation_words()["scopes"], key=len, reverse=True):
        at = text.find(scope)
        if at >= 0 and _SUPERLATIVE.search(text[at + len(scope) : at + len(scope) + _RANK_REACH]):
            return scope
    return None


def lower_rank(scope: str, text: str) -> str | None:
    """The sentence of ``text`` with a clause that ranks something second or lower within
    ``scope``, in any of its words (…国内最大，也是全球第二大… for 全世界)."""
    return ranked_in_scope(scope, text, _LOWER_RANK)


def ranked_lower_only(question: Question, text: str) -> bool:
    """Whether the question asks for the first within a scope (全球功率最大的是哪个) and the
    text ranks its thing lower there (全球第二大), never first: it is not the one asked."""
    scope = ranked_scope(question)
    if scope is None or lower_rank(scope, text) is None:
        return False
    return ranked_in_scope(scope, text, _SUPERLATIVE) is None


def ranked_in_scope(scope: str, text: str, rank: re.Pattern[str]) -> str | None:
    """The first sentence of ``text`` with a clause where ``rank`` follows a word of
    ``scope`` closely (全球第二大, 全球最大)."""
    for sentence in sentences(text):
        for clause in clauses(sentence):
            for word in same_scope(scope):
                at = clause.find(word)
                if at >= 0 and rank.search(clause[at : at + len(word) + _RANK_REACH]):
                    return sentence
    return None


def ranks_first(text: str) -> bool:
    """Whether ``text`` ranks something first at all (最大, 第一, 首台)."""
    return _SUPERLATIVE.search(text) is not None


@cache
def same_scope(scope: str) -> tuple[str, ...]:
    """``scope`` and the words that say the same scope (全世界: 全球, 世界), from the
    ``same_scope`` groups of operations.txt."""
    for line in lexicon.resource_lines("operations"):
        name, _, words = line.partition("\t")
        if name.strip() == "same_scope" and scope in words.split():
            return tuple(words.split())
    return (scope,)


def other_post(question: Question, text: str) -> str | None:
    """The sentence of ``text`` where someone the question names takes one post (郑建新任顾问)
    while the post the question claims for them goes to someone else (…邓群策任组长)."""
    asked = question.normalised
    for sentence in sentences(text):
        own, claimed = [], []
        for match in _APPOINTED.finditer(sentence):
            before = sentence[: match.start()]
            named = any(len(before) >= k and before[-k:] in asked for k in _NAME_SIZES)
            if named:
                own.append(match.group(1))
            elif match.group(1) in asked:
                claimed.append(match.group(1))
        if own and claimed and not any(post in mine for post in claimed for mine in own):
            return sentence
    return None


_SOLE = re.compile(r"唯一|只有|仅有|独一|[就只仅][^，,。？?]{1,8}?一(?:个|家|所|座|项)(?![多半])")
_COMMA = re.compile(r"[，,；;。！？!?]")  # clause ends; 、 joins items within a clause
_LIST_REACH = 6  # characters either side of a 、 that still belong to its items


def shared_claim(question: Question, text: str) -> bool:
    """Whether the question claims something is the only one (唯一一个…的城市) and the text,
    which claims no such thing, names it in a list with others (长沙市、衡阳市被…确认) or
    as one of several (是全省入选3个案例之一); or
    claims a partner (跟株洲一起) the text does not name where it lists it with others."""
    said = normalise(text)
    partner = _PARTNER.search(question.normalised)
    if partner is not None and partner.group(1) not in said:
        return listed_with_others(question, said)
    if not _SOLE.search(question.normalised) or _SOLE.search(text):
        return False
    return _ONE_OF.search(said) is not None or listed_with_others(question, said)


_ONE_OF = re.compile(r"\d+[个家所座项位名][^，,。；;]{0,12}之一")  # 全省入选3个案例之一


# 跟 / 和 / 与 / 同 X 一起 / 一同: a partner the question claims.
_PARTNER = re.compile(r"(?:跟|和|与|同)([\u4e00-\u9fff]{2,6}?)(?:一起|一同|一道|共同|都)")


def listed_with_others(question: Question, said: str) -> bool:
    """Whether the (normalised) text names one of the question's names in a list (A、B)."""
    for clause in _COMMA.split(said):
        for at, mark in enumerate(clause):
            items = clause[max(0, at - _LIST_REACH) : at + _LIST_REACH + 1]
            if mark == "、" and any(name in items for name in question.names):
                return True
    return False


_CLAIMED = {"ns", "nt"}  # tags of names a yes/no question may claim: places, bodies
# What puts a place or body up as the claim (是在长沙举行的, 由科技局主办, 主办方是…) rather
# than as what the question is about (雁峰区有57家…吗); a word of up to three characters may
# come between (是在湖南长沙).
_CLAIM_MARK = "(?:在|于|由|是|到|赴|位于|落户)"


def claimed_names(question: Question, tag_of: Callable[[str], str]) -> set[str]:
    """The places and bodies a yes/no question puts up as its claim, and the partner it
    claims (跟株洲一起), which the knowledge may contradict: facts are matched without them, and
    a text that does not name them may still answer."""
    partner = _PARTNER.search(question.normalised)
    return {
        name
        for name in question.names
        if (partner is not None and name == partner.group(1))
        or (
            tag_of(name)[:2] in _CLAIMED
            and re.search(f"{_CLAIM_MARK}.{{0,3}}{re.escape(name)}", question.normalised)
        )
    }


_NOT_A_CLAIM = re.compile(r"^[号所届期次型代G倍番%]")  # 5号, 803所, 第46届: names; 2倍: a multiple


def claimed_numbers(question: Question, unit: str) -> set[float]:
    """Figures the question states (300 of 有300家吗, 12000 of 1.2万人): those in the fact's
    unit, or failing that any that is no year, no ordinal (第46届) and no part of a name (5号,
    803所)."""
    text = question.normalised
    years = {str(y) for y in question.years}
    found = [m for m in lexicon.NUMBER.finditer(text) if m.group() not in years]
    if unit:
        in_unit = [m for m in found if text[m.end() :].lstrip("万亿").startswith(unit)]
        if in_unit:
            return values(in_unit, text)
    return values(
        [
            m
            for m in found
            if not text[: m.start()].endswith("第") and not _NOT_A_CLAIM.match(text[m.end() :])
        ],
        text,
    )


def values(matches: list[re.Match[str]], text: str) -> set[float]:
    """The numbers found in ``text``, each as written and times the 万 or 亿 after it (a fact
    may keep 1.2万 as 12000 or 533亿元 as 533 in 亿元)."""
    found = set()
    for match in matches:
        number = float(match.group())
        magnitude = {"万": 1e4, "亿": 1e8}.get(text[match.end() : match.end() + 1], 1.0)
        found |= {number, number * magnitude}
    return found


def states_figure(question: Question, sentence: str) -> bool:
    """Whether the sentence states every figure the question claims, with its unit (引进青年
    人才1.2万人吗 against …引进青年人才1.2万人): the claim's own content, found as claimed."""
    said = normalise(sentence)
    claims = [m.group() for m in lexicon.ASKED_FIGURE.finditer(question.normalised)]
    return bool(claims) and all(claim in said for claim in claims)


@dataclass(frozen=True)
class Bound:
    """A bound a yes/no question claims: 超过20% (``above``, strict) or 200家以上
    (``inclusive``), with the words that say it and, for the strict form, the unit after
    its number."""

    value: float
    above: bool
    inclusive: bool
    unit: str
    said: str

    def holds(self, number: float) -> bool:
        """Whether ``number`` keeps to the bound."""
        if self.above:
            return number >= self.value if self.inclusive else number > self.value
        return number <= self.value if self.inclusive else number < self.value


_ODD = re.compile(r"(?<![\d.])(\d+)[多余](?=[个家项位名所座人元亿万条件种台次])")


def claimed_bound(text: str) -> Bound | None:
    """The bound the (normalised) question claims, above before below; None when it claims
    no bound. 50多个 / 50余家 (fifty-odd) claim more than 50."""
    text = _ODD.sub(r"超过\1", text)
    for pattern, above in ((lexicon.MORE_THAN, True), (lexicon.LESS_THAN, False)):
        found = pattern.search(text)
        if found is not None:
            inclusive = found.group(1) is None
            unit = "" if inclusive else text[found.end() : found.end() + 1]
            value = float(found.group(2) if inclusive else found.group(1))
            return Bound(value, above, inclusive, unit, found.group())
    return None


def stated_bound(question: Question, text: str) -> bool | None:
    """Whether the one figure ``text`` states in the unit of the bound the question claims
    keeps to it (超过20% against 16.3%, 不到200家 against 273家); None when the question
    claims no such bound or the text states no single figure in its unit."""
    bound = claimed_bound(question.normalised)
    if bound is None or not bound.unit or bound.unit.isdigit():
        return None
    found = re.findall(rf"(\d+(?:\.\d+)?)\s*{re.escape(bound.unit)}", normalise(text))
    said = {float(v) for v in found}
    return bound.holds(said.pop()) if len(said) == 1 else None


def claim_start(question: Question) -> int:
    """Where the figure a yes/no question claims begins (-1 when it claims none): a qualifier
    written before it says what is counted (申报的高企超过300家吗), one after it is claimed
    (265家是申报的吗)."""
    years = {str(y) for y in question.years}
    figures = [m for m in lexicon.NUMBER.finditer(question.normalised) if m.group() not in years]
    return figures[0].start() if figures else -1


_CLAIMED_MONTH_DAY = re.compile(r"(?<!\d)(\d{1,2})月(?:(\d{1,2})[日号])?")


def other_date(question: Question, time: str) -> bool:
    """Whether the one month (and day) a yes/no question claims differs from a dated fact's
    time (12月16日着陆的吧 against 2020-12-17); False when it names no month, or several (one
    of them may only set the scene)."""
    claimed = _CLAIMED_MONTH_DAY.findall(question.normalised)
    when = parse_time(time)
    if len(claimed) != 1 or when.month is None:
        return False
    month, day = claimed[0]
    if int(month) != when.month:
        return True
    return bool(day) and when.day is not None and int(day) != when.day


def other_date_in(question: Question, sentence: str) -> bool:
    """``other_date`` against the date a sentence opens with (2020年12月17日凌晨，…)."""
    opening = normalise(sentence)[:16]
    dated = (m for m in lexicon.EVENT_DATE.finditer(opening) if m.group(2))  # a month at least
    found = next(dated, None)
    when = date_of(found) if found is not None else None
    return when is not None and other_date(question, when.time())


def contradicted(question: Question, sentence: str) -> bool:
    """Whether the sentence gives the claimed post, ordinal or date otherwise."""
    return (
        other_post(question, sentence) is not None
        or other_ordinal(question, sentence)
        or later_than_sole(question, sentence)
        or other_date_in(question, sentence)
    )


_MULTIPLE = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)(倍)")


def misstated(question: Question, said: list[str], unit: str = "") -> int | None:
    """Which text (normalised) states otherwise a figure the question claims in a unit other
    than ``unit`` (the asked figure's, checked elsewhere): 102个项目、总投资353亿元吗 against
    总投资达533亿元 — every figure of a claim must hold, not only the first one checked."""
    claims = [*lexicon.ASKED_FIGURE.finditer(question.normalised)]
    claims += _MULTIPLE.finditer(question.normalised)  # 是2019年的3倍吗 against 两倍
    return misstated_in(claims, said, unit)


def misstated_multiple(question: Question, said: list[str]) -> int | None:
    """``misstated`` for the multiples a question claims only (是2019年的三倍吗): checked against
    the whole sentence of a fact, whose other figures a bound (超过400名) may not name."""
    return misstated_in([*_MULTIPLE.finditer(question.normalised)], said, "")


def whole_sentence_verdict(question: Question, sentence: str, unit: str) -> bool | None:
    """A claim decided by a fact's whole sentence (normalised), as the fact's evidence may be
    only the clause of its own figure: False when it states otherwise a multiple (3倍吗 against
    两倍) or a figure in another unit than the fact's (12个…1700名吗 against 1007名), True when
    it states every multiple claimed (是2019年的两倍吗), else None."""
    said = [sentence]
    if (
        misstated_multiple(question, said) is not None
        or misstated(question, said, unit) is not None
    ):
        return False
    multiples = [m.group() for m in _MULTIPLE.finditer(question.normalised)]
    return True if multiples and all(m in sentence for m in multiples) else None


def misstated_in(claims: list[re.Match[str]], said: list[str], unit: str) -> int | None:
    """Which of ``said`` states otherwise one of the claimed figures (number, unit)."""
    for match in claims:
        number, claimed = match.group(1), match.group(2)
        if claimed == unit or any(f"{number}{claimed}" in text for text in said):
            continue
        stating = re.compile(rf"(?<![\d.])\d+(?:\.\d+)?{re.escape(claimed)}")
        for at, text in enumerate(said):
            if stating.search(text):
                return at
    return None


def exclusive_claim(text: str) -> str | None:
    """The words claiming that one party alone did something (自己一家), if any."""
    found = [w for w in operation_words()["exclusive"] if w in text]
    return max(found, key=len) if found else None


def trend_claim(text: str) -> str | None:
    """``up`` or ``down`` when the question claims a series rose (fell) at every step."""
    words = operation_words()
    if not any(w in text for w in words["trend_steady"]):
        return None
    if any(w in text for w in words["trend_down"]):
        return "down"
    return "up" if any(w in text for w in words["trend_up"]) else None
