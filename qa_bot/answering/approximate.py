"""Exact and approximate figures: 精确是多少 / 准确的数量 ask an exact figure, which a text
that gives only 50余个, 200多个 or 近100个 does not hold (generic Chinese)."""

from __future__ import annotations

import re

EXACT_ASKED = re.compile(r"精确|确切|准确(?:的)?(?:数|是多少)|具体(?:的)?数(?:字|目)")
"""Words asking for an exact figure (精确是多少, 准确的数量), which an approximate one is not."""
APPROXIMATE_COUNT = re.compile(
    r"(近|约|大约|超过|逾|将近)?\d+(?:\.\d+)?(余|多)?[个家项名位所座条件种台次人元亿万]"
)
"""A count with its unit, and the words that make it approximate (group 1 before, 2 after)."""


def approximate(text: str) -> bool:
    """Whether every count in ``text`` (normalised) is approximate (50余个, 近100个, 200多个)."""
    counts = list(APPROXIMATE_COUNT.finditer(text))
    return bool(counts) and all(m.group(1) or m.group(2) for m in counts)
