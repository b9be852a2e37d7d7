"""A document's answer from its front matter (author, date, source, title), and an honest
"not stated" when the front matter lacks what was asked: no author, a date without its day
when the day is asked, a column but no paper when the paper is asked."""

from __future__ import annotations

import re

from qa_bot.answering import templates
from qa_bot.answering.document_answer import DocumentAnswer
from qa_bot.answering.document_fields import Field
from qa_bot.dates import weekday
from qa_bot.models import TIME_PATTERN, Document, Source


def front_matter_answer(
    asked: Field, doc: Document, confidence: float, text: str = ""
) -> DocumentAnswer:
    """What one document's front matter says of ``asked``; ``text`` is the question, which
    may ask the day (哪一天见报), the weekday, or the paper (哪家报纸) rather than a column."""
    fields = {"author": doc.author, "date": doc.date, "source": doc.source, "title": doc.title}
    value = fields.get(asked)
    if not value:
        message = templates.DOC_MISSING.format(title=doc.title, what=templates.DOC_FIELDS[asked])
        return DocumentAnswer("abstain", message, [cite(doc, "")], confidence, doc.id)
    if asked == "source" and _PAPER_ASKED.search(text) and not _PAPER_NAMED.search(value):
        message = templates.DOC_NO_PAPER.format(title=doc.title, value=value)
        return DocumentAnswer("abstain", message, [cite(doc, "")], confidence, doc.id)
    shown = date_text(value) if asked == "date" else value
    if asked == "date" and _WEEKDAY_ASKED.search(text):
        shown += weekday(value)
    if asked == "date" and _DAY_ASKED.search(text) and not _DAY_GIVEN.search(value):
        message = templates.DOC_NO_DAY.format(title=doc.title, value=shown)
        cited = [cite(doc, f"date: {value}")]
        return DocumentAnswer("abstain", message, cited, confidence, doc.id)
    answer = templates.DOC_ANSWERS[asked].format(title=doc.title, value=shown)
    return DocumentAnswer("fact", answer, [cite(doc, f"{asked}: {value}")], confidence, doc.id)


_WEEKDAY_ASKED = re.compile(r"星期|周几|礼拜")
_DAY_ASKED = re.compile(rf"哪一?天|几号|几月几[日号]|哪日|具体日期|{_WEEKDAY_ASKED.pattern}")
"""Words asking for the day, not only the month or year."""
_DAY_GIVEN = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}|\d日|\d号")
_PAPER_ASKED = re.compile(r"报纸|报社|哪家媒体|什么媒体|哪个媒体|哪份|杂志|刊物|网站")
"""Words asking which paper or outlet published a document, not which column."""
_PAPER_NAMED = re.compile(r"报(?!道)|台|网|刊|杂志|社|新闻|媒体|[A-Za-z]{3,}")
"""A source that names an outlet (衡阳日报, 新华网), not only a column (年度热词·特别报道)."""


def date_text(date: str) -> str:
    """``2021-01-08`` → 2021年1月8日; a date written otherwise is shown as written."""
    return templates.time_text(date) if TIME_PATTERN.match(date) else date


def cite(doc: Document, snippet: str) -> Source:
    """A citation of the document itself (no section, no passage)."""
    return Source(doc_id=doc.id, title=doc.title, snippet=snippet[:200], score=1.0)
