"""Text normalisation shared by documents and questions: one canonical form to match on.

Order matters: NFKC first (full-width digits and punctuation become ASCII), then invisible
characters go, then traditional → simplified (OpenCC), then Chinese numerals → digits.

A sentence written in traditional characters also has its Taiwan/Hong Kong wording converted
(OpenCC's ``tw2sp``: 雷射 → 激光, 軟體 → 软件, 資訊 → 信息), so a question asked in Taipei finds a
text written in Beijing. Sentences already in simplified characters are left alone: applied to
them, the reversed phrase tables misfire (戈登出生 → 戈注销生, 建立 → 创建).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc

from qa_bot.lexicon import NUMERAL_UNITS

RULES_VERSION = "11"  # bump when normalise() or a token split changes: cached tokens depend on it
# Zero-width, bidi controls, BOM, soft hyphen and other format (Cf) / control (Cc) characters.
_INVISIBLE = re.compile(r"[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]")
_DIGIT = "〇零一二三四五六七八九两"
_MAGNITUDE = "十百千万亿"
# A spelled year: four digit characters, or a spelled thousand count ("两千零二十一"), then 年.
_SPELLED_YEAR = re.compile(rf"([{_DIGIT}]{{4}}|[一两二]千[{_DIGIT}{_MAGNITUDE}]*)(?=年)")
# A numeral span starts with a digit character or 十 (十二, 十个) and never follows a digit,
# so 1.2万人 and 千年古城 stay as written.
_NUMERAL_SPAN = re.compile(
    rf"(?<![\d.{_DIGIT}{_MAGNITUDE}])"
    rf"((?:[{_DIGIT}]|十)[{_DIGIT}{_MAGNITUDE}]*(?:点[{_DIGIT}]+)?)"
    rf"(?=[多余来]?(?:{NUMERAL_UNITS}))"  # 五十多个: fifty-odd
)
# One character in brackets inside a word: 县(市)区, 市(州) — how Chinese writes "county,
# city or district"; read as the word it is (县市区), so a question saying 县市区 finds it.
_BRACKETED_CHARACTER = re.compile(r"(?<=[\u4e00-\u9fff])\(([\u4e00-\u9fff])\)(?=[\u4e00-\u9fff])")
# Two or three digit characters with no magnitude are not one number: 三四个 is "three or
# four", 唯一一个 is 唯一 + 一个 (a four-digit run before 年 is a year, read above).
_RUN_OF_DIGITS = re.compile(rf"[{_DIGIT}]{{2,3}}")
# Two digit characters before 年 are a short year (一七年, 二一年), unless they count up by one:
# 一二年 and 五六年 are "one or two years", "five or six years"; 唯一七年 is 唯一 + 七年.
_SHORT_SPELLED_YEAR = re.compile(
    rf"(?<![\d{_DIGIT}{_MAGNITUDE}唯统万第单同专逐划归合])([〇零一二三四五六七八九]{{2}})(?=年)"
)
_DIGIT_VALUE = {ch: n % 10 for n, ch in enumerate("〇一二三四五六七八九零")}
_PUNCTUATION = re.compile(r"[\W_]+")
_PERCENT = re.compile(rf"百分之([{_DIGIT}{_MAGNITUDE}]+(?:点[{_DIGIT}]+)?)")


# A sentence and the punctuation that ends it (the unit whose script is judged).
_SENTENCE = re.compile(r"[^。！？!?；;\n]+[。！？!?；;\n]*|[。！？!?；;\n]+")


@lru_cache(maxsize=3)
def _converter(config: str = "t2s") -> opencc.OpenCC:
    """An OpenCC converter (``t2s`` characters only, ``tw2sp`` with phrases, ``s2t``), created
    once."""
    return opencc.OpenCC(config)


def normalise(text: str) -> str:
    """Canonical text for matching: NFKC, no invisible characters, simplified, digits."""
    text = strip_invisible(unicodedata.normalize("NFKC", text))
    text = _BRACKETED_CHARACTER.sub(r"\1", to_simplified(text))
    return numerals_to_digits(text.replace("甚么", "什么"))  # 甚麼: the Taiwan spelling


def compact(text: str) -> str:
    """Normalised text without spaces and punctuation, for comparing titles and headings."""
    return _PUNCTUATION.sub("", normalise(text).lower())


def strip_invisible(text: str) -> str:
    """Drop zero-width and bidi characters and turn other control characters into spaces."""
    text = _INVISIBLE.sub("", text)
    return "".join(
        " " if unicodedata.category(ch) == "Cc" and ch not in "\n" else ch for ch in text
    )


@lru_cache(maxsize=8192)  # the reader simplifies the same sentences for question after question
def to_simplified(text: str) -> str:
    """Traditional Chinese → simplified (衡陽 → 衡阳); a sentence written in traditional
    characters gets Taiwan/Hong Kong words replaced by mainland ones too (雷射 → 激光)."""
    characters = _converter()
    if characters.convert(text) == text:
        return text
    return "".join(
        _converter("tw2sp").convert(s) if characters.convert(s) != s else s
        for s in _SENTENCE.findall(text)
    )


def mainland_wording(word: str) -> str:
    """A word in its mainland wording (雷射 → 激光, 软体 → 软件), whatever its script: for a word
    the knowledge base lacks, which its sentence's script did not get converted."""
    return str(_converter("tw2sp").convert(_converter("s2t").convert(word)))


def numerals_to_digits(text: str) -> str:
    """Chinese numerals → Arabic digits, only on real numeral spans.

    Years (二〇二〇年, 两千零二十一年), percentages (百分之五十三) and numerals followed by a
    counting unit (十二个, 两倍, 一千六百零三点九公斤) convert; a lone 一 before a unit and
    words such as 统一, 一些, 一下, 一体两翼 stay as they are.
    """
    text = _SPELLED_YEAR.sub(lambda m: _convert(m.group(1)), text)
    text = _SHORT_SPELLED_YEAR.sub(_short_year, text)
    text = _PERCENT.sub(lambda m: _convert(m.group(1)) + "%", text)
    return _NUMERAL_SPAN.sub(_convert_span, text)


def _short_year(match: re.Match[str]) -> str:
    """一七 → 17 before 年; 一二 / 五六 (one or two, five or six) stay as written."""
    first, second = (_DIGIT_VALUE[ch] for ch in match.group(1))
    return match.group(1) if second == first + 1 else f"{first}{second}"


def _convert_span(match: re.Match[str]) -> str:
    span = match.group(1)
    if span == "一" or _RUN_OF_DIGITS.fullmatch(span):
        return span
    return _convert(span)


def _convert(span: str) -> str:
    """One numeral span through cn2an; left unchanged when cn2an cannot read it.

    cn2an is imported here, on the first numeral met: it takes half a second to import.
    """
    import cn2an

    try:
        value = cn2an.cn2an(span, "smart")
    except (ValueError, KeyError, IndexError):
        return span
    if isinstance(value, float) and value.is_integer() and "点" not in span:
        value = int(value)
    return str(value)
