"""The question words of questions about documents themselves (who wrote one, when and where
it appeared, its title, what it is about, its parts, which documents there are).

The rules are generic data in ``resources/documents.txt``. A question counts only when nothing
is left once its asked-for words, a document's title, words pointing at a document (这篇, 该文)
and filler are taken out, so 研究作者是谁 or 衡阳高新技术企业有多少家 stay content questions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Literal

from qa_bot.answering.phrasing import strip_phrasing
from qa_bot.lexicon import resource_lines

Field = Literal["author", "date", "source", "title", "sections", "catalogue", "summary"]
FIELDS: tuple[Field, ...] = (
    "author",
    "date",
    "source",
    "title",
    "sections",
    "catalogue",
    "summary",
)
QUOTED = re.compile(r"《([^《》]{1,80})》")
CONTENT = re.compile(r"[^\W_]")  # a letter, digit or Han character: something still asked


@dataclass(frozen=True)
class Rules:
    """The question-word rules: a pattern per asked-for field, pointing words, filler, the
    phrase that scopes a content question to a document it names, the words that point at a
    document by its place (第2篇) or at every document (这2篇), and those asking which document
    says something (哪篇报道里提到了…)."""

    fields: tuple[tuple[Field, re.Pattern[str]], ...]
    refer: re.Pattern[str]
    filler: re.Pattern[str]
    scope: re.Pattern[str]
    ordinal: re.Pattern[str]
    every: re.Pattern[str]
    which: re.Pattern[str]


@cache
def rules() -> Rules:
    """The rules of ``resources/documents.txt`` (read once)."""
    found: dict[str, list[str]] = {}
    for line in resource_lines("documents"):
        if line.strip() and not line.startswith("#"):
            kind, pattern = line.split("\t", 1)
            found.setdefault(kind.strip(), []).append(pattern.strip())

    def joined(kind: str) -> re.Pattern[str]:
        return re.compile("|".join(f"(?:{p})" for p in found[kind]))

    fields = tuple((name, joined(name)) for name in FIELDS)
    kinds = ("refer", "filler", "scope", "ordinal", "every", "which")
    return Rules(fields, *(joined(kind) for kind in kinds))


def asked_field(text: str, title_words: Iterable[str] = ()) -> Field | None:
    """What a question asks about a document, or None when it asks about content.

    ``text`` is normalised, standardised and without any 《title》; ``title_words`` are the
    words of the titles it names.
    """
    found = rules()
    words = sorted(title_words, key=len, reverse=True)
    for name, pattern in found.fields:
        if not pattern.search(text):
            continue
        rest = pattern.sub(" ", text)
        for word in words:
            rest = rest.replace(word, " ")
        if not CONTENT.search(unpointed(rest)):
            return name
    return None


def unpointed(text: str) -> str:
    """``text`` without the words pointing at a document (这篇, 第2篇, 报道) and filler."""
    found = rules()
    pointed = found.every.sub(" ", found.ordinal.sub(" ", text))
    return found.filler.sub(" ", found.refer.sub(" ", pointed))


def asks_about_a_document(text: str) -> bool:
    """Whether ``text`` (normalised) asks about a document, naming it by 《title》 if at all —
    the dialog leaves such a question as written (its 它 / 该文 is the document)."""
    return asked_field(QUOTED.sub(" ", strip_phrasing(text))) is not None
