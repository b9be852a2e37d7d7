"""Who wrote one part of a document: a newspaper page often carries a signed piece (a
commentary, a column) under its own heading, signed on the line below it (■本报评论员,
■记者 张三). 那篇评论是谁写的 and “…正当时”那篇是谁写的 ask for that signature, not for the
author of the page's front matter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa_bot.answering import templates
from qa_bot.loader import Knowledge
from qa_bot.markdown import SECTION_SEPARATOR
from qa_bot.models import Source
from qa_bot.text import compact

# A signature line: ■ (or 文／, 记者) and a name or a body of people of up to 12 characters.
_SIGNATURE = re.compile(r"^(?:■|文[/／]|记者)\s*([\u4e00-\u9fff·A-Za-z ]{2,12})$")
# How much of a heading a question must write to name it (characters, punctuation aside).
_NAMED_SHARE = 0.5
_MIN_NAMED = 4
# A kind of signed piece the question may name it by, as its signature says (本报评论员).
_KINDS = ("评论",)
TITLE = re.compile(r"题目|标题|篇名")  # what a question asking a signed part's title says
_NAME_ASKED = re.compile(r"名字|姓名|真名|叫什么")
_WHO_ASKED = re.compile(f"{_NAME_ASKED.pattern}|是谁|哪位")
# A signature of a body of people or a post, not a person (本报评论员, 本报编辑部).
_BODY = re.compile(r"^本报|评论员$|编辑部$|通讯员$")


@dataclass(frozen=True)
class Byline:
    """A signed part of a document: its heading and its signature."""

    doc_id: str
    title: str
    heading: str
    author: str


def bylines(knowledge: Knowledge) -> list[Byline]:
    """The signed parts of every document: a section whose first paragraph is a signature."""
    found = []
    for doc in knowledge.documents:
        seen: set[str] = set()
        for passage in doc.passages:
            if not passage.section or passage.section in seen:
                continue
            seen.add(passage.section)
            signed = _SIGNATURE.match(passage.text.strip())
            if signed:
                heading = passage.section.split(SECTION_SEPARATOR)[-1]
                found.append(Byline(doc.id, doc.title, heading, signed.group(1).strip()))
    return found


def named(text: str, signed: list[Byline]) -> Byline | None:
    """The one signed part the question names: by half or more of its heading, or by the
    kind of piece its signature says (评论 for 本报评论员) when only one is of that kind."""
    key = compact(text)
    by_heading = [b for b in signed if names_heading(key, compact(b.heading))]
    if len(by_heading) == 1:
        return by_heading[0]
    by_kind = [b for b in signed if any(k in key and k in b.author for k in _KINDS)]
    return by_kind[0] if len(by_kind) == 1 else None


def names_heading(key: str, heading: str) -> bool:
    """Whether the question writes a run of the heading long enough to name it."""
    size = max(_MIN_NAMED, int(len(heading) * _NAMED_SHARE))
    return any(heading[at : at + size] in key for at in range(len(heading) - size + 1))


def signature_asked(text: str, byline: Byline) -> bool:
    """Whether the question asks the writer's name where the signature gives none: it asks a
    name (叫什么名字) of a signature that is a body or a post (本报评论员), or asks who of a
    signature it already says (本报评论员那篇的作者是谁)."""
    if TITLE.search(text):
        return False
    if _BODY.search(byline.author) and _NAME_ASKED.search(text):
        return True
    return compact(byline.author) in compact(text) and _WHO_ASKED.search(text) is not None


def signature_only(byline: Byline) -> str:
    """The reply when the signature is all there is."""
    return templates.SIGNATURE_ONLY.format(
        title=byline.title, heading=byline.heading, author=byline.author
    )


def answer_text(byline: Byline) -> str:
    """The reply: the part, where it appeared, and its signature."""
    return templates.BYLINE.format(title=byline.title, heading=byline.heading, author=byline.author)


def cite(byline: Byline) -> Source:
    """A citation of the signed part."""
    return Source(
        doc_id=byline.doc_id,
        title=byline.title,
        section=byline.heading,
        snippet=f"■{byline.author}",
        score=1.0,
    )
