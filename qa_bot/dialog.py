"""Per-session dialog state and follow-up resolution.

A follow-up ("那2020年呢？", "科技型中小企业呢？", "它是谁研发的？", "这位院士是哪个院的？",
"我是说2019年的") is rewritten into a standalone question from the state of the dialog, and then
answered like any other question; requests about the last answer ("出处？", "还有呢？",
"第二个呢？") are served from the state. A reference names the kind of thing it means (他 a
person, 那里 a place, 那个月 a month: ``resources/references.txt``) and takes the last answer's
entity of that kind. A question that names its own subject and measure is left alone: nothing
from the state leaks into it.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, Field

from qa_bot import lexicon
from qa_bot.answering.answer_types import expected_type
from qa_bot.answering.document_fields import asks_about_a_document
from qa_bot.answering.phrasing import is_greeting, standardise, strip_phrasing
from qa_bot.dialog_changes import changed_since
from qa_bot.dialog_figures import asked_head, of_the_figure, share_of_the_figure
from qa_bot.dialog_members import members_asked
from qa_bot.dialog_references import (
    correction,
    entity_years,
    is_noun,
    named_by_head,
    refer_back,
)
from qa_bot.dialog_subjectless import asks_only, is_attribute
from qa_bot.dialog_sums import both_added
from qa_bot.dialog_topics import measure_instead, names_only_the_last, swap_topic
from qa_bot.lexicon import years_in
from qa_bot.models import Reply, Source
from qa_bot.short_years import full_years
from qa_bot.text import normalise
from qa_bot.tokenizer import Tokenizer

MAX_ITEMS = 8
_NUMBERED_ITEM = re.compile(r"(?:^|[：:；;])\s*\d+\. ([^；;]+?)(?=[；;]|。?$)")
MAX_TEXT = 300
MAX_HELD = 2000  # a "more" entry may be the rest of a reply a channel had to cut (hold_back)

_END = r"[?？!！。.,，~～\s]*$"
_SOURCE = re.compile(
    r"^(为什么|为啥|凭什么|出处|来源|出自哪里?|依据|根据|证据|原文|哪里说的|在哪里说的|"
    r"怎么知道的?|有什么根据|有什么依据|依据是什么|根据是什么|出处是什么|来源是什么)(呢|吗)?" + _END
)
_MORE = re.compile(
    r"^(还有呢|还有吗|还有别的吗?|还有其他的?吗?|还有哪些|其他的?呢|其它的?呢|别的呢|其余的?呢|"
    r"然后呢|下一个|继续|更多)" + _END
)
_ORDINAL = re.compile(r"^第\s*([1-9一])\s*[个项条种家位篇](呢|是什么|是哪个|是谁|的)?" + _END)
_ASKED_KIND = re.compile(r"(?:哪|什么)一?(?:个|家|所|位|种|座|项|些)?")  # 哪个单位: the kind asked
# 那 / 那么 opening a question ("then …") goes on about the last answer's topic, unless the
# question names something of its own (那南华大学呢 is about 南华大学).
_POINTING = re.compile(r"^(?:那个|这个|那|这|它)(?=是|在|哪|什么|多少|几|谁)")
_THEN = re.compile(r"^(?:那么|那)(?![个些里儿边时会年月天次位名家所种样项场条件批届])")
_ELLIPTICAL = re.compile(r"^(那么|那)|呢" + _END)
_LEADING = re.compile(
    r"^(那么|那|还有|和|再问一下|再问|再说说|换成|换作|改成|要是|如果是)"
)  # 和: "and 2019?"
_TRAILING = re.compile(r"(的情况|的数据|的)?呢?" + _END)
_CLAUSE_END = re.compile(r"(?<=[?？])")
_RELATIVE_YEARS = {  # longest first: 再往前一年 before 前一年
    "再往前一年": -1,
    "往前一年": -1,
    "再往后一年": 1,
    "往后一年": 1,
    "前年": -2,
    "去年": -1,
    "上一年": -1,
    "前一年": -1,
    "今年": 0,
    "当年": 0,
    "同年": 0,
    "明年": 1,
    "下一年": 1,
    "后一年": 1,
    "次年": 1,
    "第二年": 1,
    "第2年": 1,
}  # 第二年 is 第2年 once normalised


_COUNTED_BEFORE = r"(?<![那这每上下首一两几\d])"
"""What before 次年 makes it part of another word (那次年会 is that annual meeting)."""


class DialogState(BaseModel):
    """One session's memory; serialisable so that a chat adapter can persist it."""

    question: str | None = None  # the last question, rewritten to stand alone
    earlier_question: str | None = None  # the one before it (这两个加起来: both figures)
    qtype: str | None = None
    years: list[int] = Field(default_factory=list)
    earlier_years: list[int] = Field(default_factory=list)  # the years asked before those
    entity: str | None = None  # what 它 / 这个 refer to
    entities: dict[str, list[str]] = Field(default_factory=dict)  # 他, 那里, 那个月 … by kind
    options: list[str] = Field(default_factory=list)  # a pending clarification
    items: list[str] = Field(default_factory=list)  # the last answer's list items
    more: list[str] = Field(default_factory=list)  # further answers for "还有呢"
    last_reply: Reply | None = None
    document: str | None = None  # the id of the last answer's document: what 这篇 refers to
    updated_at: float = Field(default_factory=time.time)

    def bounded(self) -> DialogState:
        """The same state with its lists and texts cut to fixed sizes."""
        return self.model_copy(
            update={
                "question": (self.question or "")[:MAX_TEXT] or None,
                "earlier_question": (self.earlier_question or "")[:MAX_TEXT] or None,
                "entity": (self.entity or "")[:MAX_TEXT] or None,
                "entities": {
                    kind[:MAX_TEXT]: [e[:MAX_TEXT] for e in found[:MAX_ITEMS]]
                    for kind, found in list(self.entities.items())[:MAX_ITEMS]
                },
                "years": self.years[:MAX_ITEMS],
                "options": [o[:MAX_TEXT] for o in self.options[:MAX_ITEMS]],
                "items": [i[:MAX_TEXT] for i in self.items[:MAX_ITEMS]],
                "more": [m[:MAX_HELD] for m in self.more[:MAX_ITEMS]],
                "last_reply": slim(self.last_reply),
            }
        )


def slim(reply: Reply | None) -> Reply | None:
    """A reply with at most three sources and short snippets (the state must stay small)."""
    if reply is None:
        return None
    sources = [
        Source(**{**s.model_dump(), "snippet": s.snippet[:MAX_TEXT]}) for s in reply.sources[:3]
    ]
    return reply.model_copy(update={"sources": sources, "suggestions": reply.suggestions[:3]})


@dataclass(frozen=True)
class Resolution:
    """What to do with a message: ask a (rewritten) question, or serve from the state."""

    action: Literal["ask", "source", "more", "item", "option"]
    question: str = ""
    number: int = 0


def ordinal(text: str) -> int:
    """第N个 → N (1 for 一)."""
    return 1 if text == "一" else int(text)


def resolve(message: str, state: DialogState, tokenizer: Tokenizer) -> Resolution:
    """Decide how to treat ``message`` given the dialog so far (no state is changed here)."""
    text = standardise(normalise(message)).strip()
    if is_greeting(text):
        return Resolution("ask", message)
    if _SOURCE.match(text):
        return Resolution("source")
    if _MORE.match(text):
        return Resolution("more")
    change = changed_since(text, state) or members_asked(text, state.question)
    change = change or both_added(text, state)  # 这两个加起来多少
    if change is not None:
        return Resolution("ask", change)  # 多了多少家 after 2020年…有多少家; 都有谁 after 几位
    if not (tokenizer.tokenise(text) or years_in(text)):
        pointing = _POINTING.match(text)
        if pointing and state.entity:  # 那是哪一天: of what was just answered
            return Resolution("ask", in_years(state) + state.entity + text[pointing.end() :])
        if asks_only(text, state.entity, tokenizer):  # 具体是什么时候: so is a bare question
            return Resolution("ask", in_years(state) + (state.entity or "") + text)
        return Resolution("ask", message)
    corrected = correction(text)
    if corrected == "":
        return Resolution("ask", message)  # 我是说… with nothing said: nothing to complete
    text = corrected if corrected is not None else text
    numbered = _ORDINAL.match(text)
    if numbered and (state.options or state.items):
        action: Literal["option", "item"] = "option" if state.options else "item"
        return Resolution(action, number=ordinal(numbered.group(1)))
    if state.options:
        chosen = choose_option(text, state.options)
        if chosen:
            return Resolution("option", number=chosen)
    if state.question is None or asks_about_a_document(text):
        return Resolution("ask", message)  # 它 / 该文 in 它有哪些部分 is the document
    text = relative_years(text, state.years or entity_years(state))
    text = named_by_head(refer_back(text, state, tokenizer), state.entity)
    if share_of_the_figure(text, tokenizer):
        return Resolution("ask", asked_head(state.question) + text)  # 占GDP比重呢
    if corrected is not None or is_elliptical(text, tokenizer):
        return Resolution("ask", complete(text, state, tokenizer))
    if state.question and of_the_figure(text, tokenizer):
        return Resolution("ask", asked_head(state.question) + text)  # 在全市排第几
    if names_only_the_last(text, state.question, tokenizer):
        return Resolution("ask", swap_years(state.question, text))  # 那2020年这个比重是多少
    if state.entity and (not has_subject(text, tokenizer) or is_attribute(text, tokenizer)):
        return Resolution("ask", in_years(state) + state.entity + text)
    then = _THEN.match(text)
    if then and goes_on_about(state.entity, text, tokenizer):
        return Resolution("ask", f"{state.entity}{text[then.end() :]}")  # 那研发花了多少钱
    return Resolution("ask", text)


def in_years(state: DialogState) -> str:
    """The years of the last question, for a follow-up that continues its topic without a
    time of its own (谁主办的 after 2020年读书论坛哪天开的 asks about the 2020 forum)."""
    if not state.years or any(str(year) in (state.entity or "") for year in state.years):
        return ""
    return f"{state.years[0]}年"


def goes_on_about(entity: str | None, text: str, tokenizer: Tokenizer) -> bool:
    """Whether a question opening with 那 goes on about the last answer's thing: it names
    nothing of its own, and that thing is no place (a place is the topic of most questions,
    and a new one is swapped in, not added: 那雁峰区呢)."""
    if not entity or entity in text or tokenizer.tag_of(entity).startswith("ns"):
        return False
    return not tokenizer.proper_nouns(tokenizer.tags(text))


def clauses(message: str) -> list[str]:
    """A message of a follow-up fragment and then a question ("顾问呢？他当时是什么职务") as two
    turns, so that the question's 他 is the fragment's answer; any other message as one."""
    parts = [p for p in _CLAUSE_END.split(message.strip()) if p.strip()]
    if len(parts) < 2 or len(parts) > MAX_ITEMS:
        return [message]
    first = normalise(parts[0])
    if has_question_word(first) or not _ELLIPTICAL.search(first):
        return [message]
    return parts


def is_elliptical(text: str, tokenizer: Tokenizer) -> bool:
    """A fragment to be completed from the last question (那2020年呢, 科技型中小企业？) — never
    a question with a question word and a subject of its own (衡州大道数字经济走廊有多长？)."""
    if has_question_word(text) and has_subject(text, tokenizer):
        return False
    return bool(_ELLIPTICAL.search(text)) or is_fragment(text, tokenizer)


def has_question_word(text: str) -> bool:
    """Whether the message asks something (多少, 谁, 多长, 吗 …) rather than naming a topic."""
    return expected_type(text) is not None or bool(lexicon.QUESTION_WORD.search(text))


def has_subject(text: str, tokenizer: Tokenizer) -> bool:
    """Whether the message names a thing or a time of its own: a year, a noun, or a word
    before its question word (组长是谁); 在哪里种的 and 是谁研发的 name none."""
    if years_in(text):
        return True
    asked = lexicon.QUESTION_WORD.search(text)
    before = asked.start() if asked else len(text)
    kinds = {m.end() for m in _ASKED_KIND.finditer(text)}  # 哪个单位: what is asked, no subject
    return any(
        is_noun(token) or (token.start < before and len(token.word) >= 2)
        for token in tokenizer.tagged(text)
        if tokenizer.tokenise(token.word) and token.start not in kinds
    )


def choose_option(text: str, options: list[str]) -> int:
    """The one option (1-based) that a reply such as "2021年的" or "申报的" points at, or 0."""
    cue = _TRAILING.sub("", _LEADING.sub("", text))
    if not cue:
        return 0
    hits = [n for n, option in enumerate(options, start=1) if cue in unbracketed(option)]
    return hits[0] if len(hits) == 1 else 0


def unbracketed(option: str) -> str:
    """An option without its asides: "415家（2017年142家、2019年273家）" is not the 2019 one."""
    return re.sub(r"[(（][^)）]*[)）]", "", normalise(option))


def relative_years(text: str, years: list[int]) -> str:
    """去年 / 前一年 / 次年 … → an explicit year, when the dialog gives the reference year."""
    if not years:
        return text
    for word, offset in _RELATIVE_YEARS.items():
        guard = _COUNTED_BEFORE if word == "次年" else ""
        text = re.sub(guard + re.escape(word), f"{years[0] + offset}年", text)
    return text


def is_fragment(text: str, tokenizer: Tokenizer) -> bool:
    """A message of only a time or a noun phrase, with no question word (科技型中小企业？)."""
    stripped = _TRAILING.sub("", text)
    return not has_question_word(stripped) and len(tokenizer.tokenise(stripped)) <= 2


def complete(text: str, state: DialogState, tokenizer: Tokenizer) -> str:
    """Fill an elliptical follow-up from the last question: new year, or new topic, or both."""
    assert state.question is not None
    fragment = _TRAILING.sub("", _LEADING.sub("", text)).strip()
    new_years = years_in(fragment)
    topic = lexicon.YEAR_WITH_DE.sub("", fragment).strip(" ，,的")
    question = state.question
    if topic:  # 有位听众问：… is no topic to swap
        plain = strip_phrasing(normalise(question))
        question = measure_instead(plain, topic) or swap_topic(plain, topic, tokenizer)
    if new_years:
        question = swap_years(question, fragment)
    return question


def swap_years(question: str, fragment: str) -> str:
    """The last question with its year(s) replaced by the fragment's (or the year put first);
    a later mention of a replaced year (2020年到2021年…21年入库) goes with it."""
    span = lexicon.YEAR_SPAN.search(fragment)
    assert span is not None
    when = span.group().strip()
    when = when if when.endswith("年") else when + "年"
    text = full_years(question)  # 21年入库 is a year too
    first = lexicon.YEAR_SPAN.search(text)
    if first is None:  # a year in words (二零二零年) is found once normalised
        text = full_years(normalise(question))
        first = lexicon.YEAR_SPAN.search(text)
    if first is None:
        return when + question
    said = "|".join(re.findall(r"\d{4}", first.group()))
    rest = re.sub(rf"(?<!\d)(?:{said})年", "", text[first.end() :]) if said else text[first.end() :]
    return text[: first.start()] + when + rest


def list_items(answer: str) -> list[str]:
    """The enumerated items of an answer (京东、多牛资本、光云科技、阿里巴巴等 → four items;
    a numbered list "1. …；2. …。" → its items)."""
    numbered = _NUMBERED_ITEM.findall(answer)
    if len(numbered) >= 2:
        return numbered[:MAX_ITEMS]
    clauses = re.split(r"[，,：:；;。]", answer)
    enumerations = [c for c in clauses if c.count("、") >= 1]
    if not enumerations:
        return []
    longest = max(enumerations, key=lambda c: c.count("、"))
    parts = re.split(r"、|和|及", longest)
    items = [re.split(r"等", part)[0].strip() for part in parts]
    return [item for item in items if item][:MAX_ITEMS]
