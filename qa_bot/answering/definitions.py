"""Questions about what a quoted term means (“UP”是什么意思, 是哪几个词的缩写).

A sentence that only uses the term (首创“UP”模式，引进团队7个) does not say what it means; one
that defines it does so right at the term: a bracket or a colon after it, or 即 / 是指 / 意思是
/ 代表 / 全称 after it, or 简称 / 俗称 / 称为 / 即为 before it.
"""

from __future__ import annotations

import re

from qa_bot.text import normalise

MEANING_ASKED = re.compile(
    r"什么意思|啥意思|意思是什么|代表什么|代表啥|含义|的缩写|缩写是|(?:具体|到底)?是?指(?:的是)?(?:什么|啥|哪些|哪几)"
    r"|(?:具体|到底)?(?:是|指)哪[二三四五六七八九十两][\u4e00-\u9fff]"  # 哪三强, not 哪一国
)
_ITEMS = r"(?:[^、，,。；;“”]{1,10}、){3}[^、，,。；;“”]{1,10}"  # four items or more
_LISTED_BEFORE = re.compile(rf"{_ITEMS}[”」』\"]?的?[“「『\"]?$")  # “追逐梦想、…”的探月精神
_LISTED_AFTER = re.compile(rf"^.{{0,8}}?{_ITEMS}")  # “六微”模式，打造微支部、…
_BESIDE = 60  # characters
_AN_ITEM = re.compile(r"^[”」』》\"]?、|、[“「『《\"]?$")
# A numbered abbreviation (三强一化, 一核两电三色四新) names its parts only by their count.
_NUMBERED = re.compile(r"(?:[一二三四五六七八九十两][\u4e00-\u9fff]){2,}")
_DEFINING = r"[（(:：]|即|是指|指的是|意思是|意为|代表|全称|缩写"
_DEFINED_AFTER = re.compile(rf"^[”」』\"]?.{{0,4}}?(?:{_DEFINING})")
_DEFINED_BEFORE = re.compile(
    r"(?:简称|俗称|又称|亦称|也称|统称|称为|称作|称其为|称之为|叫做|叫作|又名|别名|名为|即为|缩写为|缩写成)"
    r"[“「『\"]?$"
)


_NEAR = 12  # characters: the term asked about stands right before the question words
_ACRONYM = re.compile(r"(?<![A-Za-z])[A-Z][A-Z0-9&+-]*(?![A-Za-z])")


def undefined(quoted: set[str], question: str, answer: str) -> bool:
    """Whether the question asks what a term means — one it quotes, an acronym (UP是什么的
    缩写) or a numbered abbreviation (三强一化), right before the asking words in their clause
    (在ROH中，ф的值越大，代表什么 asks no meaning of ROH) — and the answer uses the term
    without defining it anywhere."""
    cue = MEANING_ASKED.search(question)
    if cue is None:
        return False
    clauses = re.split(r"[，,。？?；;！!]", question[: cue.start()])
    before = clauses[-1][-_NEAR:]  # UP到底代表什么: of UP
    terms = {term for term in quoted if term in before.lower()}
    terms |= {acronym.lower() for acronym in _ACRONYM.findall(before)}
    terms |= set(_NUMBERED.findall(before))
    if not before.strip() and len(clauses) > 1:  # “一核…”，具体指哪些: the quoted term before
        terms = {term for term in quoted if term in clauses[-2][-_NEAR:].lower()}
    text = normalise(answer).lower()
    return any(term in text and not defines(term, text) for term in terms)


def defines(term: str, text: str) -> bool:
    """Whether ``text`` says what ``term`` means where it writes it: by a defining word, or by
    listing its parts right beside it (“六微”模式，打造微支部、微学习、微党课、微服务…)."""
    for match in re.finditer(re.escape(term), text):
        before, after = text[: match.start()], text[match.end() :]
        if _DEFINED_AFTER.match(after) or _DEFINED_BEFORE.search(before):
            return True
        if _AN_ITEM.search(before) or _AN_ITEM.match(after):
            continue  # 《大公报》、《文汇报》…: the term is one of the items listed
        if _LISTED_BEFORE.search(before[-_BESIDE:]) or _LISTED_AFTER.search(after[:_BESIDE]):
            return True
    return False
