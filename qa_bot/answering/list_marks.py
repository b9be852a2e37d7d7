"""How written Chinese marks a list: quotes and brackets, clause ends, counts, and the generic
rules of ``resources/lists.txt`` that the list modules share."""

from __future__ import annotations

import re
from functools import cache

from qa_bot import lexicon
from qa_bot.text import numerals_to_digits

_OPENING = "“「『《（(【"
_CLOSING = "”」』》）)】"
_MASK = "□"
CLAUSE_END = re.compile(r"[，。；：:,;！？!?\n]")
QUOTED_NAME = re.compile(r"[“《「『]([^“”《》「」『』]{1,40})[”》」』]")
NEAR = 12  # characters before or after a list that may name what its items are


@cache
def rule(name: str) -> re.Pattern[str]:
    """The pattern ``name`` of ``resources/lists.txt`` (read once)."""
    for line in lexicon.resource_lines("lists"):
        if line.startswith(f"{name}\t"):
            return re.compile(line.split("\t", 1)[1].strip())
    raise KeyError(name)


def masked(text: str) -> str:
    """``text`` with everything inside quotes and brackets replaced by □ (same length), so
    that commas and 、 inside “…” or （…） neither end a clause nor separate items."""
    out = []
    depth = 0
    for char in text:
        if char in _OPENING:
            out.append(char if depth == 0 else _MASK)
            depth += 1
        elif char in _CLOSING and depth > 0:
            depth -= 1
            out.append(char if depth == 0 else _MASK)
        else:
            out.append(_MASK if depth > 0 else char)
    return "".join(out)


def bracketed(text: str) -> list[tuple[int, int]]:
    """(start, end) of the contents of the top-level quotes and brackets of ``text``."""
    spans = []
    depth, start = 0, 0
    for at, char in enumerate(text):
        if char in _OPENING:
            if depth == 0:
                start = at + 1
            depth += 1
        elif char in _CLOSING and depth > 0:
            depth -= 1
            if depth == 0:
                spans.append((start, at))
    return spans


def clause_spans(sentence: str) -> list[tuple[int, int]]:
    """(start, end) of the clauses of a sentence (commas inside quotes do not count)."""
    spans, begin = [], 0
    for match in CLAUSE_END.finditer(masked(sentence)):
        spans.append((begin, match.start()))
        begin = match.end()
    spans.append((begin, len(sentence)))
    return spans


def split_at(text: str, mask: str, mark: str) -> list[str]:
    """``text`` split at ``mark`` where the mask shows it (not inside quotes)."""
    pieces, begin = [], 0
    for at, char in enumerate(mask):
        if char == mark:
            pieces.append(text[begin:at])
            begin = at + 1
    pieces.append(text[begin:])
    return pieces


def display(item: str) -> str:
    """An item as shown: without the quotes around a whole quoted name (《》 kept)."""
    item = item.strip(" 、")
    match = QUOTED_NAME.fullmatch(item)
    if match and item[0] != "《":
        return match.group(1)
    return item


def next_words(tail: str) -> str:
    """The words right after a list, up to the end of its clause (where a text names what
    the items are: 等科技活动, 3个组别)."""
    return CLAUSE_END.split(tail, maxsplit=1)[0][:NEAR]


def stated(rest: str) -> int | None:
    """A count written right after a list (等3个组别 → 3)."""
    match = rule("stated").search(rest)
    return count_value(match.group(1)) if match else None


def count_value(numeral: str) -> int | None:
    """A count written in digits or Chinese numerals (6, 六, 十二)."""
    if numeral.isdigit():
        return int(numeral)
    converted = numerals_to_digits(f"{numeral}个")[:-1]
    return int(converted) if converted.isdigit() else None


def common_start(items: list[str]) -> str:
    """The characters every item begins with ("" for fewer than two items)."""
    if len(items) < 2:
        return ""
    shared = ""
    for chars in zip(*items, strict=False):
        if len(set(chars)) > 1:
            break
        shared += chars[0]
    return shared if shared.strip() else ""


def common_end(items: list[str]) -> str:
    """The characters every item ends with ("" for fewer than two items)."""
    reversed_items = [item[::-1] for item in items]
    return common_start(reversed_items)[::-1]


def is_verb(tag: str) -> bool:
    """A verb tag (a noun made from a verb, vn, is not one)."""
    return tag[:1] == "v" and tag != "vn"
