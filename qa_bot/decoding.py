"""Bytes of a knowledge file → text, in the encodings Chinese offices really save.

UTF-8 is the format; a byte-order mark says UTF-8, UTF-16 or UTF-32 (Notepad's "Unicode");
clean GB18030 (GBK, Notepad's "ANSI" on Chinese Windows) is read too, flagged ``legacy`` so
that ``qa-bot check`` can ask for UTF-8. Anything else is refused with a message naming the
likely encoding and how to save the file as UTF-8.
"""

from __future__ import annotations

import codecs
import unicodedata
from dataclasses import dataclass

# UTF-32 first: its little-endian mark starts with UTF-16's.
BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
SAVE_AS_UTF8 = "open it in a text editor and save it as UTF-8 (Notepad: 另存为 → 编码: UTF-8)"
# Characters that do not occur in real text: controls other than line breaks and tabs,
# private use (GBK's user-defined areas decode there), surrogates and unassigned code points.
NOT_TEXT_CATEGORIES = {"Cc", "Co", "Cs", "Cn"}


class NotText(ValueError):
    """The bytes are not text in an encoding the bot reads; the message says what to do."""


@dataclass(frozen=True)
class Decoded:
    """A file's text and the codec it was read with."""

    text: str
    encoding: str

    @property
    def legacy(self) -> bool:
        """Read as GB18030: accepted, but the maintainer should save it as UTF-8."""
        return self.encoding == "gb18030"


def decode(raw: bytes) -> Decoded:
    """The text of ``raw``: by its byte-order mark, else UTF-8, else clean GB18030.

    :raises NotText: naming the first bad byte, the likely encoding and the fix.
    """
    for mark, codec in BYTE_ORDER_MARKS:
        if raw.startswith(mark):
            try:
                return Decoded(raw.decode(codec), codec)
            except UnicodeDecodeError as exc:
                raise NotText(
                    f"starts with a {codec.removesuffix('-sig').upper()} byte-order mark but "
                    f"byte {exc.start} is invalid; {SAVE_AS_UTF8}"
                ) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return decode_legacy(raw, exc.start)
    if "\x00" in text:
        raise NotText(
            f"not UTF-8 text (NUL byte at offset {raw.index(0)}): {likely_encoding(raw)}; "
            + SAVE_AS_UTF8
        )
    return Decoded(text, "utf-8")


def decode_legacy(raw: bytes, offset: int) -> Decoded:
    """Bytes that are not UTF-8: GB18030 when they read as clean Chinese text, else refused."""
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        pass
    else:
        if looks_like_chinese(text):
            return Decoded(text, "gb18030")
    raise NotText(
        f"not UTF-8 text (byte 0x{raw[offset]:02x} at offset {offset}): "
        f"{likely_encoding(raw)}; {SAVE_AS_UTF8}"
    )


def looks_like_chinese(text: str) -> bool:
    """No control, private-use or unassigned characters, and mostly CJK among non-ASCII."""
    if any(unicodedata.category(ch) in NOT_TEXT_CATEGORIES for ch in text if ch not in "\t\n\r"):
        return False
    wide = [ch for ch in text if not ch.isascii()]
    cjk = sum(is_cjk(ch) for ch in wide)
    return bool(wide) and cjk * 2 >= len(wide)


def is_cjk(ch: str) -> bool:
    """A CJK ideograph, CJK punctuation or a full-width form."""
    return "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" or "\uf900" <= ch <= "\ufaff"


def likely_encoding(raw: bytes) -> str:
    """A short guess at what the bytes are, for the error message."""
    if raw.startswith(b"PK\x03\x04"):
        return "it looks like a .docx or other zip file, not plain text"
    if raw.startswith(b"%PDF"):
        return "it looks like a PDF, not plain text"
    if raw.startswith(b"{\\rtf"):
        return "it looks like RTF, not plain text"
    nul_even, nul_odd = raw[0::2].count(0), raw[1::2].count(0)
    if nul_odd and nul_even * 9 <= nul_odd:
        return "it looks like UTF-16 (little-endian) without a byte-order mark"
    if nul_even and nul_odd * 9 <= nul_even:
        return "it looks like UTF-16 (big-endian) without a byte-order mark"
    if nul_even or nul_odd:
        return "it looks like a binary file, not plain text"
    for codec, name in (("big5", "Big5 (traditional Chinese)"), ("gb18030", "GBK/GB18030")):
        try:
            raw.decode(codec)
        except UnicodeDecodeError:
            continue
        return f"it looks like {name}"
    return "it looks like GBK/GB18030 or another legacy encoding with broken bytes"
