"""Whether a report's date lets an undated figure stand for the asked year.

A report gives figures "截至目前" without a year. One that came out in a year can give that
year's figure as it stood then (据2023年5月的报道), but one from the first weeks of a year
reports the year just ended or a running total: 2021年的交易额 is not what a report of 8
January 2021 gives, unless the question asks for the figure as that report gave it (21年初
那篇报道里…累计到了多少).
"""

from __future__ import annotations

import re

from qa_bot import lexicon

# The months at the start of a year in which a report still looks back on the year before.
_EARLY_MONTHS = 3
# The question asks for the figure as a report gave it, or for a running total.
_AS_REPORTED = re.compile(r"报道|文章|截至|截止|累计|年初|当时|那时")
_MONTH = re.compile(r"^\d{4}-(\d{1,2})")


def reports_on(dated: str, year: int, question: str) -> bool:
    """Whether a report dated ``dated`` (2021-01-08) gives an undated figure as ``year``'s."""
    if not dated.startswith(str(year)) or lexicon.WHOLE_YEAR.search(question):
        return False  # 2021年全年: a report from within that year cannot give it
    month = _MONTH.match(dated)
    early = month is not None and int(month.group(1)) <= _EARLY_MONTHS
    return not early or _AS_REPORTED.search(question) is not None
