"""What a chat shows of a reply, cut into messages Telegram accepts and rendered as HTML.

Telegram counts a message's length in UTF-16 code units (at most 4096). A reply is split
first and each piece rendered after: a cut can then never fall inside a tag or an entity, and
every piece is well-formed HTML whose visible length is its plain length.
"""

from __future__ import annotations

import html
import re

from qa_bot.models import SUGGESTIONS_HEADING, Reply

MESSAGE_LIMIT = 4096  # UTF-16 code units


def utf16_length(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def split_message(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Pieces of at most ``limit`` UTF-16 units, cut at paragraph, then line, then anywhere."""
    if utf16_length(text) <= limit:
        return [text]
    pieces: list[str] = []
    current = ""
    for block in re.split(r"(\n\n|\n)", text):
        if utf16_length(current + block) <= limit:
            current += block
            continue
        if current.strip():
            pieces.append(current.strip("\n"))
        current = block if block.strip() else ""
        while utf16_length(current) > limit:
            cut = limit
            while utf16_length(current[:cut]) > limit:
                cut -= 1
            pieces.append(current[:cut])
            current = current[cut:]
    if current.strip():
        pieces.append(current.strip("\n"))
    return pieces


def reply_lines(reply: Reply) -> tuple[str, frozenset[str]]:
    """What a chat shows of a reply (answer, source line, suggestions), and which of its lines
    are set in italics (the source line)."""
    lines, italic = [reply.answer], set()
    if reply.sources and reply.answered:
        cited = reply.sources[0].citation
        lines.append(cited)
        italic.add(cited)
    if reply.suggestions:
        lines.append(SUGGESTIONS_HEADING)
        lines.extend(f"• {s}" for s in reply.suggestions)
    return "\n".join(lines), frozenset(italic)


def render_html(piece: str, italic: frozenset[str] = frozenset()) -> str:
    """One piece of a message in Telegram's HTML mode: every line escaped, ``italic`` lines in
    ``<i>``. Rendering after splitting is what keeps every piece well-formed: a cut can never
    fall inside a tag or an entity, and the visible length is the plain length."""
    return "\n".join(
        f"<i>{html.escape(line)}</i>" if line in italic else html.escape(line)
        for line in piece.split("\n")
    )
