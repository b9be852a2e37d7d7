"""Pydantic models shared by every layer: documents, passages, facts, sources and replies."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

TIME_PATTERN = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$", re.ASCII)


def check_date_text(name: str, value: str | None) -> str | None:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` naming a real month and day (not 2023-13).

    ``2021-1-8`` is accepted as ``2021-01-08`` (YAML used to read it as that date).

    :raises ValueError: saying which shapes are accepted.
    """
    if value is None:
        return value
    match = TIME_PATTERN.match(value)
    try:
        if match is None:
            raise ValueError
        parts = [int(part) for part in match.groups() if part is not None]
        date(*parts, *[1] * (3 - len(parts)))
    except ValueError:
        raise ValueError(
            f"{name} must look like 2020, 2020-12 or 2020-12-13 (a real month and day)"
        ) from None
    return "-".join(f"{part:02d}" for part in parts)


class DocumentMeta(BaseModel):
    """The YAML front matter of a document; unknown keys are errors, not silently ignored."""

    model_config = ConfigDict(extra="forbid")

    id: str | None = Field(default=None, min_length=1, pattern=r"^[\w.\-]+$")
    title: str | None = Field(default=None, min_length=1)
    date: str | None = None
    source: str | None = None
    author: str | None = None

    @field_validator("date", mode="before")
    @classmethod
    def _date_as_text(cls, value: object) -> object:
        """YAML reads ``2021`` as a number; keep it as the text the maintainer wrote."""
        return None if value is None else str(value)

    @field_validator("date")
    @classmethod
    def _date_shape(cls, value: str | None) -> str | None:
        return check_date_text("date", value)


class Passage(BaseModel):
    """One paragraph of a document: the unit that BM25 retrieves."""

    model_config = ConfigDict(frozen=True)

    id: str
    doc_id: str
    section: str
    ordinal: int
    text: str


class Document(BaseModel):
    """A loaded document: its metadata and its passages in reading order."""

    id: str
    title: str
    date: str | None = None
    source: str | None = None
    author: str | None = None
    path: str
    passages: Sequence[Passage]


class Fact(BaseModel):
    """A structured fact: subject + attribute = value (unit) at a time, with its evidence."""

    model_config = ConfigDict(extra="forbid")

    id: str | None = None
    subject: str = Field(min_length=1)
    attribute: str = Field(min_length=1)
    value: str = Field(min_length=1)
    unit: str | None = None
    time: str | None = None
    qualifiers: list[str] = Field(default_factory=list)
    kind: Literal["metric", "event", "relation"] = "metric"
    doc: str = Field(min_length=1)
    evidence: str = Field(min_length=1)
    extracted: bool = False  # read from the text by qa_bot.extraction, not written by hand

    @field_validator("value", "time", mode="before")
    @classmethod
    def _as_text(cls, value: object) -> object:
        """Numbers and dates from YAML are kept as the text written."""
        return value if value is None or isinstance(value, str) else str(value)

    @field_validator("time")
    @classmethod
    def _time_shape(cls, value: str | None) -> str | None:
        return check_date_text("time", value)

    @property
    def year(self) -> int | None:
        """The fact's year, when it has a time."""
        return int(self.time[:4]) if self.time else None


class Source(BaseModel):
    """Where an answer came from: shown as the citation line and in ``--json``."""

    doc_id: str
    title: str
    section: str = ""
    passage_id: str = ""
    snippet: str = ""
    score: float = 0.0

    @property
    def citation(self) -> str:
        """The source line shown under an answer: 来源：《title》 · section."""
        where = f"《{self.title}》"
        if self.section:
            where += f" · {self.section}"
        return f"来源：{where}"


SUGGESTIONS_HEADING = "你可以试试问："  # shown above a reply's suggested questions

ReplyKind = Literal[
    "fact", "list", "multi", "compute", "passage", "abstain", "help", "clarify", "source"
]


class Reply(BaseModel):
    """What ``QABot.ask`` returns; ``text`` is what a chat shows."""

    question: str
    answer: str
    text: str
    answered: bool
    confidence: float = Field(ge=0.0, le=1.0)
    kind: ReplyKind
    sources: list[Source] = Field(default_factory=list)
    suggestions: list[str] = Field(default_factory=list)
    options: list[str] = Field(default_factory=list)  # a clarification's choices (reply 第N个)
    reply_id: str | None = None  # set when the conversation log records it (for feedback)
    session_id: str | None = None  # set by the HTTP API: the dialog the reply belongs to


@dataclass
class Dictionary:
    """The knowledge folder's word lists: jieba user words, aliases and stopwords."""

    user_words: list[tuple[str, int | None, str | None]] = field(default_factory=list)
    aliases: dict[str, str] = field(default_factory=dict)
    stopwords: set[str] = field(default_factory=set)
    files: list[Path] = field(default_factory=list)
