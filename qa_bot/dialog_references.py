"""References back to the last answer (他, 这位院士, 那里, 那个月, 这封信 …) and corrections
(我是说2019年的): each reference word names the kind of thing it means
(``resources/references.txt``) and is replaced by the last answer's entity of that kind."""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from qa_bot import lexicon
from qa_bot.answering.analysis import focus_words
from qa_bot.lexicon import years_in
from qa_bot.text import normalise
from qa_bot.tokenizer import Token, Tokenizer

if TYPE_CHECKING:
    from qa_bot.dialog import DialogState

_POINTED = re.compile(r"(?:这|那)一?(?:个|项|台|座|款|部|件|份|本|支|种|家|所)")
_FUNCTION_TAGS = ("m", "q", "r", "p", "u", "c", "d", "y", "e", "o")
_NOUN_TAGS = ("n", "vn", "j", "eng", "x", "l", "i")  # what a subject is made of (x: 高企)


def correction(text: str) -> str | None:
    """What a correction (我是说2019年的 / 不是这个，是申报的) says instead ("" for a bare
    我是说), or None when the message is no correction."""
    found = references().get("correction")
    match = found.match(text) if found else None
    return None if match is None else text[match.end() :].strip(" ，,?？。!！")


def is_noun(token: Token) -> bool:
    """A noun-like word (an unknown word such as 高企 counts; punctuation does not)."""
    if token.tag.startswith("x"):
        return bool(re.search(r"[\u4e00-\u9fffA-Za-z]", token.word))
    return token.tag.startswith(_NOUN_TAGS)


@cache
def references() -> dict[str, re.Pattern[str]]:
    """The reference patterns by kind, in file order (``resources/references.txt``)."""
    found: dict[str, list[str]] = {}
    for line in lexicon.resource_lines("references"):
        if line.strip() and not line.startswith("#"):
            kind, pattern = line.split("\t", 1)
            found.setdefault(kind.strip(), []).append(pattern.strip())
    return {kind: re.compile("|".join(parts)) for kind, parts in found.items()}


def refer_back(text: str, state: DialogState, tokenizer: Tokenizer) -> str:
    """Each reference (他, 那里, 这位院士, 同一个月, 这封信 …) replaced by its kind's entity."""
    for kind, pattern in references().items():
        if kind == "correction":
            continue
        parts, done = [], 0
        for match in pattern.finditer(text):
            if match.start() < done:
                continue
            replacement, used = referent(kind, match, state, tokenizer)
            parts += [text[done : match.start()], replacement]
            done = match.end() + used
        text = "".join(parts) + text[done:]
    return text


def referent(
    kind: str, match: re.Match[str], state: DialogState, tokenizer: Tokenizer
) -> tuple[str, int]:
    """What one reference stands for, and how many characters after it it takes along (the
    noun of 这家公司); the reference itself when the dialog has no such thing."""
    said, found = match.group(), state.entities
    if kind == "people" and found.get("person"):
        return "和".join(found["person"][:2]), 0
    if kind == "place" and found.get(kind):
        suffixed = [p for p in found[kind] if len(said) == 2 and p.endswith(said[-1])]
        named = [p for p in suffixed if tokenizer.tag_of(p).startswith("ns")]  # not 创新型县区
        return (named or suffixed or found[kind])[0], 0  # 该区 → the place that is a 区
    if kind == "person" and found.get(kind):
        return found[kind][0], len(titled(said, match.string[match.end() :], tokenizer))
    if kind in {"month", "year"} and found.get(kind):
        return found[kind][0], 0
    if kind == "time" and (found.get("month") or found.get("year")):
        return (found.get("month") or found["year"])[0], 0
    if kind == "it":
        answer = state.last_reply.answer if state.last_reply else ""
        thing = pointed_at(state.question or "", tokenizer)
        thing = thing or answered_thing(state.question or "", answer, tokenizer)
        return thing or state.entity or said, 0
    if kind in {"organisation", "thing"}:
        return demonstrated(kind, said, match.string[match.end() :], state, tokenizer)
    return said, 0


def pointed_at(question: str, tokenizer: Tokenizer) -> str | None:
    """The thing the last question pointed at itself (南华大学研发的那台激光器 → 激光器), which
    它 in the next one means rather than the maker the answer names."""
    match = _POINTED.search(normalise(question))
    if match is None:
        return None
    nouns = []
    for token in tokenizer.tagged(match.string[match.end() :]):
        if not is_noun(token):
            break
        nouns.append(token.word)
    return "".join(nouns) or None


_THING_ASKED = re.compile(
    r"(?:啥|什么)[^，,？?]{0,8}?([\u4e00-\u9fff]{2})的?(?:东西|产品|设备|成果|玩意儿?)"
)


def answered_thing(question: str, answer: str, tokenizer: Tokenizer) -> str | None:
    """The thing a what-thing question got for an answer (南华大学搞出来个啥全国首台的东西 →
    我国首台100千瓦工业光纤激光器 → 工业光纤激光器): 它 in the next one means that, not the
    maker the question named. It is the nouns after the question's own word before 东西."""
    asked = _THING_ASKED.search(normalise(question))
    text = normalise(answer)
    if asked is None or asked.group(1) not in text:
        return None
    nouns: list[str] = []
    tokens = tokenizer.tagged(text.split(asked.group(1), 1)[1])
    for at, token in enumerate(tokens):
        if is_noun(token):
            unit = at > 0 and tokens[at - 1].tag[:1] == "m" and at + 1 < len(tokens)
            if not (unit and is_noun(tokens[at + 1])):  # 50马力拖拉机: 马力 is the unit
                nouns.append(token.word)
        elif nouns or token.tag[:1] not in "mqu":  # a figure, a unit or 的 may come first
            break
    return "".join(nouns) or None


def titled(said: str, rest: str, tokenizer: Tokenizer) -> str:
    """The title after 这位 / 那名 (院士, 副馆长), which the name replaces with it."""
    if said[-1] not in "位名":
        return ""
    following = tokenizer.tagged(rest)
    return following[0].word if following and is_noun(following[0]) else ""


_QUOTED_NAME = re.compile(r"“[^“”]{2,30}”")


def demonstrated(
    kind: str, said: str, rest: str, state: DialogState, tokenizer: Tokenizer
) -> tuple[str, int]:
    """这家公司 → the organisation; 这封信 → 感谢信 (the last answer's word ending in the noun,
    or the entity when it is one); else the noun alone (the demonstrative dropped)."""
    following = tokenizer.tagged(rest)
    word = following[0].word if following and is_content(following[0], tokenizer) else ""
    if kind == "organisation" and state.entities.get("organisation"):
        return state.entities["organisation"][0], len(word)
    texts = [state.last_reply.answer if state.last_reply else "", state.question or ""]
    quoted = _QUOTED_NAME.search(normalise(texts[0]))
    if word in focus_words()["honour_kind"] and quoted:  # 这个称号 → “国家级双创示范基地”
        return quoted.group(), len(word)
    for noun in (word[:cut] for cut in range(len(word), 0, -1)):  # 信是 is jieba's: try 信
        if state.entity and entity_has(state.entity, noun):
            return state.entity, len(noun)
        for text in texts:
            compound = ending_with(normalise(text), noun, tokenizer)
            if compound:
                return compound, len(noun)
    return ("", 0) if kind == "thing" else (said, 0)


def ending_with(text: str, noun: str, tokenizer: Tokenizer) -> str | None:
    """The first phrase of ``text`` whose head is ``noun`` (信 → 感谢信, 大会 → 政府信息化大会):
    the noun with up to two content words before it (not across 的 or a comma)."""
    where = text.find(noun)
    if where < 0:
        return None
    before = tokenizer.tagged(text[:where])
    start = len(before)
    while start > max(0, len(before) - 2) and is_content(before[start - 1], tokenizer):
        start -= 1
    return "".join(t.word for t in before[start:]) + noun


def is_content(token: Token, tokenizer: Tokenizer) -> bool:
    """A Chinese content word (感谢 in 感谢信; not 的, not 一封, not a pronoun)."""
    return (
        bool(re.fullmatch(r"[\u4e00-\u9fff]+", token.word))
        and not token.tag.startswith(_FUNCTION_TAGS)
        and bool(tokenizer.tokenise(token.word))
    )


def entity_years(state: DialogState) -> list[int]:
    """The years of the last answer's entities (for 同年 when the question named none)."""
    return [year for text in state.entities.get("year", []) for year in years_in(text)]


def entity_has(entity: str, noun: str) -> bool:
    """Whether the entity is the noun's kind (工业光纤激光器 is a 激光器), allowing extra words."""
    return any(noun[: len(noun) - cut] in entity for cut in range(len(noun) - 1))


_AFTER_HEAD = "是的有在被由从"  # what may follow a one-character head noun (信是哪天发来的)


def named_by_head(text: str, entity: str | None) -> str:
    """A question opening with the head noun of the last answer's thing (信 of 感谢信, 大学
    of 南华大学) asks about that thing: the head is written out in full."""
    if not entity or entity in text:
        return text
    for start in range(1, len(entity)):
        head = entity[start:]
        single = len(head) == 1 and text[1:2] in _AFTER_HEAD
        if text.startswith(head) and (len(head) >= 2 or single):
            return entity[:start] + text
    return text


def phrase_end(tokens: list[Token], first: Token) -> int:
    """Where the noun phrase that starts with ``first`` ends: over the nouns right after it
    (a new topic that opens with the old one's modifier replaces the whole phrase)."""
    end = first.start + len(first.word)
    for token in tokens[tokens.index(first) + 1 :]:
        if token.start != end or not is_noun(token):
            break
        end += len(token.word)
    return end


def shared_start(first: str, second: str) -> int:
    """How many leading characters two words share (研发强度 and 研发投入: 2, their modifier)."""
    shared = 0
    while shared < min(len(first), len(second)) and first[shared] == second[shared]:
        shared += 1
    return shared
