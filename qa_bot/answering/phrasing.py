"""Strip how a question is phrased (请问, 能告诉我…吗, 来着, English question words) so that
only what is asked is matched; the rules are generic data in ``resources/phrasing.txt``.

Spoken forms are rewritten into the written ones texts use first (砸在…上的钱 → 投入…的经费,
一亩地能收多少 → 亩产多少, 21年初 → 2021年初), so that retrieval, facts and the year slots
all see the written form.
"""

from __future__ import annotations

import re
from functools import lru_cache

from qa_bot.answering.cantonese import in_mandarin
from qa_bot.answering.english_words import in_chinese
from qa_bot.lexicon import resource_lines
from qa_bot.short_years import full_years

Rewrite = tuple[re.Pattern[str], str]


@lru_cache(maxsize=1)
def _rules() -> tuple[list[Rewrite], list[re.Pattern[str]]]:
    """The rewrites ("=" literal, "~" regular expression; in file order) and the drops."""
    rewrites: list[Rewrite] = []
    drops: list[re.Pattern[str]] = []
    for line in resource_lines("phrasing"):
        if line.startswith(("= ", "~ ")):
            old, new = line[2:].split("=>")
            old = old.strip() if line[0] == "~" else re.escape(old.strip())
            rewrites.append((re.compile(old, re.IGNORECASE), new.strip()))
        elif line.startswith("- "):
            drops.append(re.compile(line[2:].strip(), re.IGNORECASE))
    return rewrites, drops


def standardise(normalised: str) -> str:
    """Colloquial words and spoken forms replaced by written ones (啥 → 什么, 哪儿 → 哪里,
    头一个季度 → 一季度), Cantonese and English words said in Mandarin (係邊個 → 是谁,
    venue → 地点), and two-digit years that are clearly years made whole (21年初)."""
    rewrites, _ = _rules()
    normalised = full_years(in_chinese(in_mandarin(normalised)))
    for pattern, new in rewrites:
        normalised = pattern.sub(new, normalised)
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
