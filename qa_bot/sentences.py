"""Split passages into sentences and sentences into clauses, keeping the original text."""

from __future__ import annotations

import re

_SENTENCE = re.compile(r"[^。！？!?；;\n]+(?:[。！？!?；;]+[”’」』）)]*|$)")
_CLAUSE = re.compile(r"[^，,、：:]+(?:[，,、：:]|$)")
# A clause opening by pointing at the one before it (并以此…, 据此…, 由此…, 为此…).
POINTS_BACK = re.compile(r"^(?:并|且|而|从而|进而)?(?:以此|据此|由此|借此|就此|对此|为此|依此)")
TYPED_OVERRUN = 30  # characters a short clause holding the asked kind may add (a leading date)


def sentences(text: str) -> list[str]:
    """The sentences of ``text`` in order, each with its closing punctuation."""
    return [s.strip() for s in _SENTENCE.findall(text) if s.strip()]


def clauses(sentence: str) -> list[str]:
    """The comma-separated clauses of a sentence, each with its trailing comma."""
    return [c for c in _CLAUSE.findall(sentence) if c.strip()]


def whole_list(parts: list[str], start: int, end: int, budget: int) -> tuple[int, int]:
    """The clause run ``parts[start:end]`` widened so that it neither ends nor begins inside
    a list of items joined by 、 (…融合发展、跨领域拓展、跨区域协作), each side only when that
    adds at most what is left of ``budget`` characters. A list cut short misstates the text;
    so does a run opening with 以此 / 据此 without the clause that says what 此 is."""
    last = end
    while last < len(parts) and parts[last - 1].endswith("、"):
        last += 1
    added = sum(len(p) for p in parts[end:last])
    if added <= budget:
        end, budget = last, budget - added
    first = start
    while first > 0 and parts[first - 1].endswith("、"):
        first -= 1
    if sum(len(p) for p in parts[first:start]) <= budget:
        start, budget = first, budget - sum(len(p) for p in parts[first:start])
    if start > 0 and POINTS_BACK.match(parts[start]) and len(parts[start - 1]) <= budget:
        start -= 1  # 并以此构建… needs 出台《…》， before it
    return start, end


def as_sentence(text: str) -> str:
    """End a clause or clause run with a full stop instead of a dangling comma."""
    text = text.strip().rstrip("，,、：:；;")
    if text and text[-1] not in "。！？!?”’」』)）":
        text += "。"
    return text


def with_typed_neighbour(
    parts: list[str], typed: list[bool], start: int, end: int
) -> tuple[int, int]:
    """The run of clauses ``parts[start:end]``, taking along the short clause just before or
    after it when only that clause holds the asked kind (2020年10月23日，… 荣获…奖 for 哪天颁的):
    an answer cut from a long sentence must keep what was asked."""
    if any(typed[start:end]):
        return start, end
    if start > 0 and typed[start - 1] and len(parts[start - 1]) <= TYPED_OVERRUN:
        return start - 1, end
    if end < len(parts) and typed[end] and len(parts[end]) <= TYPED_OVERRUN:
        return start, end + 1
    return start, end
