"""Input guard: refuse what is not a question before any real work, normalise the rest once."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Literal

from qa_bot.answering.phrasing import is_greeting, standardise, strip_phrasing
from qa_bot.text import normalise

Refusal = Literal["empty", "too_long", "greeting"]


@dataclass(frozen=True)
class Guarded:
    """A message after the guard: its clean text, and either its normal forms or a refusal.

    ``normalised`` is the canonical text (NFKC, simplified, digits), ``standard`` the same with
    colloquial words standardised, ``asked`` the same without question phrasing (请问…吗).
    """

    text: str
    refusal: Refusal | None = None
    length: int = 0  # of the message as received
    normalised: str = ""
    standard: str = ""
    asked: str = ""


class InputGuard:
    """Stage 1: clean the text once; refuse overlong, empty and greeting messages."""

    def __init__(self, max_chars: int) -> None:
        self.max_chars = max_chars

    def run(self, raw: str) -> Guarded:
        """The guarded message (never raises for any input text).

        The length is checked on the raw string first, so an enormous message is refused
        before anything walks over it.
        """
        if len(raw) > 4 * self.max_chars:
            return Guarded(clean_input(raw[: self.max_chars]) + "…", "too_long", len(raw))
        text = clean_input(raw)
        if len(text) > self.max_chars:
            return Guarded(text[: self.max_chars] + "…", "too_long", len(text))
        if not text:
            return Guarded(text, "empty", 0)
        normalised = normalise(text)
        if is_greeting(normalised):
            return Guarded(text, "greeting", len(text))
        standard = standardise(normalised)
        return Guarded(text, None, len(text), normalised, standard, strip_phrasing(normalised))


def clean_input(raw: str) -> str:
    """Strip the message; lone surrogates and other unencodable characters are dropped, so
    that every Reply (which echoes the question) can be encoded as UTF-8 JSON."""
    text = raw.encode("utf-8", "ignore").decode("utf-8")
    text = "".join(ch for ch in text if unicodedata.category(ch) not in {"Cs", "Co", "Cn"})
    return text.strip()
