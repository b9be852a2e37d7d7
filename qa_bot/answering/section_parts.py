"""The parts of one section a question names (《…》里面的“亮点工作”分了哪几块, 把…的亮点工作分成
了几个方面): its sub-headings, in order. A question about a document's parts that also names
words of one of its headings asks about that section, not the whole document."""

from __future__ import annotations

import re

from qa_bot.answering import templates
from qa_bot.answering.document_answer import DocumentAnswer
from qa_bot.answering.document_fields import CONTENT, rules, unpointed
from qa_bot.models import Document, Source
from qa_bot.text import compact

_LEADING = re.compile(r"^(?:把|将|对|关于|在)")  # 把…的亮点工作分成: words before the section
# 总结的亮点工作, 文中列出的亮点: what the text does with the section is no part of its heading
_REPORTED = re.compile(
    r"(?:文中|文章|报道|里面|里)?"
    r"(?:总结|介绍|提到|提及|列出|列举|讲到|说到|写到|归纳|梳理|盘点|摘取)[了出]?"
)
_CHUNK = re.compile(r"[^\W_]+")
_CLAUSE = re.compile(r"[,，。；;!！?？]")
_QUALIFIER = 3  # characters of a place or body before the heading's words (衡阳, 我市)
_NAMED = 4  # characters of the heading that must follow it


def asks_parts(text: str) -> bool:
    """Whether ``text`` asks how something is divided (分了哪几块, 有几个部分)."""
    return dict(rules().fields)["sections"].search(text) is not None


def named_section(
    text: str, parts: list[tuple[str, list[str]]], spoken: list[str]
) -> tuple[str, list[str]] | None:
    """The top heading with sub-headings that holds every content word left in the clause of
    ``text`` asking for parts (我在写作业，… tells, it does not name) once the parts question,
    the ``spoken`` title words, pointing words and filler are out."""
    pattern = dict(rules().fields)["sections"]
    asking = next((c for c in _CLAUSE.split(text) if pattern.search(c)), text)
    rest = pattern.sub(" ", asking)
    for word in sorted(spoken, key=len, reverse=True):
        rest = rest.replace(word, " ")
    pieces = [p for c in _CHUNK.findall(unpointed(rest)) for p in c.split("的")]
    chunks = [_LEADING.sub("", p) for p in pieces]
    chunks = [c for c in chunks if CONTENT.search(c) and not _REPORTED.fullmatch(c)]
    if not chunks:
        return None
    for heading, subs in parts:
        if subs and all(in_heading(c, compact(heading)) for c in chunks):
            return heading, subs
    return None


def in_heading(chunk: str, heading: str) -> bool:
    """Whether the heading holds ``chunk``, or all of it but a short qualifier before at least
    four characters of the heading (衡阳国家创新型城市建设 for 国家创新型城市建设亮点工作:
    a heading seldom repeats the place or body the whole text is about)."""
    if chunk in heading:
        return True
    cuts = range(1, min(_QUALIFIER, len(chunk) - _NAMED) + 1)
    return any(chunk[cut:] in heading for cut in cuts)


def section_answer(
    doc: Document, heading: str, subs: list[str], source: Source, confidence: float
) -> DocumentAnswer:
    """The section's sub-headings, counted and listed."""
    answer = templates.SECTION_PARTS.format(
        title=doc.title, heading=heading, count=len(subs), parts="；".join(subs)
    )
    return DocumentAnswer("list", answer, [source], confidence, doc.id)
