"""Cantonese as Hong Kong readers write it (係邊個, 幾多, 佢) said in the Mandarin of the texts.

Only a question with a Cantonese marker word is rewritten: 系 is also a Mandarin character
(体系, 系统), so it becomes 是 only in Cantonese, and only outside such words. The rules are
generic data in ``resources/cantonese.txt``.
"""

from __future__ import annotations

import re
from functools import cache

from qa_bot.lexicon import resource_lines


@cache
def _rules() -> tuple[re.Pattern[str], tuple[tuple[re.Pattern[str], str], ...]]:
    """The marker pattern and the rewrites, in file order."""
    markers = re.compile("$^")
    rewrites: list[tuple[re.Pattern[str], str]] = []
    for line in resource_lines("cantonese"):
        if not line.strip() or line.startswith("#"):
            continue
        pattern, replacement = line.split("\t")
        if pattern == "markers":
            markers = re.compile(replacement)
        else:
            rewrites.append((re.compile(pattern), replacement))
    return markers, tuple(rewrites)


def in_mandarin(normalised: str) -> str:
    """The question in Mandarin when it is written in Cantonese; else as it is."""
    markers, rewrites = _rules()
    if not markers.search(normalised):
        return normalised
    for pattern, replacement in rewrites:
        normalised = pattern.sub(replacement, normalised)
    return normalised
