"""Markdown and plain-text documents → front matter, title and passages (headings give sections)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from qa_bot.files import (
    validated,
)
from qa_bot.models import DocumentMeta, Passage
from qa_bot.strict_yaml import YamlError, parse_yaml

HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")


SENTENCE_END = re.compile(r"(?<=[。！？!?；;])")


# Where a passage may end, strongest first: sentences, clauses, items of an enumeration.
BOUNDARIES = (SENTENCE_END, re.compile(r"(?<=[，,：:])"), re.compile(r"(?<=、)"))


MAX_PASSAGE_CHARS = 400


SECTION_SEPARATOR = " › "


def split_front_matter(text: str) -> tuple[DocumentMeta, str, list[str]]:
    """Separate ``---`` YAML front matter from the Markdown body and validate it.

    Returns the metadata (empty when invalid), the body and every front-matter problem.
    """
    if not text.startswith("---\n"):
        return DocumentMeta(), text, []
    end = text.find("\n---", 4)
    if end == -1:
        return DocumentMeta(), text, ["front matter: opening '---' has no closing '---'"]
    block, body = text[4:end], text[end + 4 :].lstrip("-")
    try:
        data, problems = parse_yaml(block, first_line=2)
    except YamlError as exc:
        return DocumentMeta(), body, [f"front matter: {exc}"]
    problems = [f"front matter: {problem}" for problem in problems]
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return DocumentMeta(), body, [*problems, "front matter: must be key: value pairs"]
    meta, invalid = validated(DocumentMeta, data, "front matter")
    return meta or DocumentMeta(), body, problems + invalid


def first_line_as_title(body: str) -> tuple[str | None, str]:
    """Plain text documents: the first non-empty line is the title, the rest the body."""
    lines = body.split("\n")
    for index, line in enumerate(lines):
        if line.strip():
            title = HEADING.sub(r"\2", line.strip())
            return title, "\n".join(lines[index + 1 :])
    return None, body


def leading_heading_as_title(body: str) -> tuple[str | None, str]:
    """Markdown without a front-matter title: a leading ``# heading`` is the title."""
    stripped = body.lstrip("\n")
    first, _, rest = stripped.partition("\n")
    heading = HEADING.match(first.strip())
    if heading and len(heading.group(1)) == 1:
        return heading.group(2), rest
    return None, body


def split_passages(doc_id: str, body: str) -> list[Passage]:
    """Paragraphs become passages; headings set their section; long ones split at sentences.

    A passage's section is the path of headings above it (``亮点工作 › 二、培育创新主体``),
    so that a heading directly followed by a sub-heading is kept too.
    """
    passages: list[Passage] = []
    headings: list[tuple[int, str]] = []  # (level, text) of the headings above this line
    section = ""
    block: list[str] = []

    def flush() -> None:
        paragraph = join_lines(block)
        block.clear()
        for piece in split_long(paragraph):
            ordinal = len(passages)
            passages.append(
                Passage.model_construct(  # fields built here, nothing to validate
                    id=f"{doc_id}#{ordinal}",
                    doc_id=doc_id,
                    section=section,
                    ordinal=ordinal,
                    text=piece,
                )
            )

    for line in body.split("\n"):
        heading = HEADING.match(line.strip())
        if heading:
            flush()
            level = len(heading.group(1))
            headings = [(lvl, text) for lvl, text in headings if lvl < level]
            headings.append((level, heading.group(2)))
            section = SECTION_SEPARATOR.join(text for _, text in headings)
        elif line.strip():
            block.append(line.strip())
        else:
            flush()
    flush()
    return passages


def join_lines(lines: list[str]) -> str:
    """Join wrapped lines: no space between CJK characters, one space between Latin words."""
    text = ""
    for line in lines:
        if text and text[-1].isascii() and text[-1].isalnum() and line[0].isascii():
            text += " "
        text += line
    return text


def split_long(paragraph: str) -> list[str]:
    """A paragraph over MAX_PASSAGE_CHARS is cut into pieces of at most that length.

    Cuts fall at sentence ends; a sentence too long for one passage (a run-on list joined
    by commas) is cut at its clause ends (，：), then at enumeration commas (、), and what is
    still too long at the cap itself. Without this, such a paragraph is one passage, and
    every question that retrieves it scans all of it.
    """
    if not paragraph:
        return []
    if len(paragraph) <= MAX_PASSAGE_CHARS:
        return [paragraph]
    pieces: list[str] = []
    current = ""
    for unit in passage_units(paragraph):
        if current and len(current) + len(unit) > MAX_PASSAGE_CHARS:
            pieces.append(current)
            current = ""
        current += unit
    if current:
        pieces.append(current)
    return pieces


def passage_units(text: str, level: int = 0) -> Iterator[str]:
    """``text`` in consecutive parts of at most MAX_PASSAGE_CHARS, each cut at the strongest
    boundary that makes it short enough (see ``split_long``)."""
    if len(text) <= MAX_PASSAGE_CHARS:
        yield text
    elif level < len(BOUNDARIES):
        for part in BOUNDARIES[level].split(text):
            yield from passage_units(part, level + 1)
    else:
        for start in range(0, len(text), MAX_PASSAGE_CHARS):
            yield text[start : start + MAX_PASSAGE_CHARS]
