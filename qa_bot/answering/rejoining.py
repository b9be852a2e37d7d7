"""Words jieba split that the knowledge base writes as one (“一核两电” in 一核两电三色四新, a
name the knowledge's dictionary knows whole): a run of two or more question words the
knowledge never uses, which together are part of exactly one word it does use, stands for that
word (a character jieba glued onto the run's start is left out). Left apart, each piece
weighs as much as a name the knowledge lacks, retrieval finds nothing, and a question naming
the thing by its beginning (那个“一核两电……”全称是什么) is refused.
"""

from __future__ import annotations

import re
from collections.abc import Collection

_IDEOGRAPHS = re.compile(r"[\u4e00-\u9fff]+")

_SHORTEST_RUN = 3  # characters: two single characters together say too little


def rejoined(terms: list[str], known: Collection[str]) -> list[str]:
    """``terms`` with each run of unknown words that is part of one known word replaced by
    that word."""
    result: list[str] = []
    run: list[str] = []
    for term in [*terms, ""]:
        if term and term not in known and _IDEOGRAPHS.fullmatch(term):
            run.append(term)
            continue
        result += whole_of(run, known)
        run = []
        if term:
            result.append(term)
    return result


def whole_of(run: list[str], known: Collection[str]) -> list[str]:
    """The run with each longest stretch of two or more words that is, written together, part
    of exactly one known word replaced by it (一核|两电|全称 → 一核两电三色四新|全称)."""
    result: list[str] = []
    start = 0
    while start < len(run):
        for end in range(len(run), start + 1, -1):
            whole = whole_word(run[start:end], known)
            if whole is not None:
                result.append(whole)
                start = end
                break
        else:
            result.append(run[start])
            start += 1
    return result


def whole_word(stretch: list[str], known: Collection[str]) -> str | None:
    """The one known word the stretch is part of, if any; jieba may have glued a verb or
    particle onto its first character (弄科|创港 in 跟哪个平台合作弄科创港 is 弄 + 科创港, part of
    衡阳科创港): that character is then left out."""
    joined = "".join(stretch)
    whole = one_containing(joined, known)
    if whole is None and len(stretch[0]) > 1:
        whole = one_containing(joined[1:], known)
    return whole


def one_containing(joined: str, known: Collection[str]) -> str | None:
    """The one known word that contains ``joined`` and is longer, if there is exactly one."""
    if len(joined) < _SHORTEST_RUN:
        return None
    wholes = [word for word in known if joined in word and word != joined]
    return wholes[0] if len(wholes) == 1 else None
