"""A document's shape at a glance: its headings in order (what 分几个部分 lists) and its
title, source, headings and opening sentences (what a description is matched against)."""

from __future__ import annotations

from qa_bot.markdown import SECTION_SEPARATOR
from qa_bot.models import Document
from qa_bot.sentences import sentences


def outline(doc: Document) -> list[tuple[str, list[str]]]:
    """The document's headings in order: each top heading with the headings just below it.

    A single top heading over everything (a Markdown ``#`` title) is looked through.
    """
    paths = [p.section.split(SECTION_SEPARATOR) for p in doc.passages if p.section]
    depth = 0
    if paths and len({path[0] for path in paths}) == 1 and any(len(p) > 1 for p in paths):
        depth = 1
        paths = [path for path in paths if len(path) > 1]
    tree: dict[str, list[str]] = {}
    for path in paths:
        children = tree.setdefault(path[depth], [])
        if len(path) > depth + 1 and path[depth + 1] not in children:
            children.append(path[depth + 1])
    return list(tree.items())


def card_text(doc: Document, max_chars: int) -> str:
    """A document's title, source, author, headings and opening sentences."""
    headings = [h for heading, subs in outline(doc) for h in (heading, *subs)]
    parts = [doc.title, doc.source or "", doc.author or "", *headings, lead_text(doc, max_chars)]
    return "\n".join(parts)


def lead_text(doc: Document, max_chars: int) -> str:
    """The opening paragraph's first sentences, as many as fit in ``max_chars``."""
    opening = next((p for p in doc.passages if not p.section), doc.passages[0])
    lead = ""
    for sentence in sentences(opening.text):
        if lead and len(lead) + len(sentence) > max_chars:
            break
        lead += sentence
    return lead if len(lead) <= max_chars else lead[: max_chars - 1] + "…"
