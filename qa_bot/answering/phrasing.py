"""Strip how a question is phrased (请问, 能告诉我…吗, 来着, English question words) so that
only what is asked is matched; the rules are generic data in ``resources/phrasing.txt``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from qa_bot.lexicon import resource_lines


@lru_cache(maxsize=1)
def _rules() -> tuple[list[tuple[str, str]], list[re.Pattern[str]]]:
    replacements: list[tuple[str, str]] = []
    drops: list[re.Pattern[str]] = []
    for line in resource_lines("phrasing"):
        if line.startswith("= "):
            old, new = line[2:].split(" => ")
            replacements.append((old.strip(), new.strip()))
        elif line.startswith("- "):
            drops.append(re.compile(line[2:].strip(), re.IGNORECASE))
    return replacements, drops


def standardise(normalised: str) -> str:
    """Colloquial words replaced by standard ones (啥 → 什么, 哪儿 → 哪里)."""
    replacements, _ = _rules()
    for old, new in replacements:
        normalised = normalised.replace(old, new)
    return normalised


def strip_phrasing(normalised: str) -> str:
    """The question without politeness, fillers and English question words."""
    _, drops = _rules()
    text = standardise(normalised)
    for pattern in drops:
        text = pattern.sub(" ", text)
    return re.sub(r"\s+", " ", text).strip()


_GREETING = re.compile(
    r"^(你好|您好|hi|hello|hey|在吗|帮助|help|/help|/start|你是谁|你能做什么|你会什么|怎么用|"
    r"使用说明)[!！?？。.~～]*$",
    re.IGNORECASE,
)


def is_greeting(normalised: str) -> bool:
    """A greeting or a request for help rather than a question."""
    return bool(_GREETING.match(normalised.strip()))
