"""English words mixed into a Chinese question, said in Chinese (占GDP多少percent → 占GDP多少%).

People who write in two languages drop in an English word for what they mean; the text
uses the Chinese one. A run of English words is rewritten only when known words and
phrases make up all of it: an English name or title is a run with unknown words, and it
stays as written. The vocabulary is generic data in ``resources/english.txt``.
"""

from __future__ import annotations

import re
from functools import cache

from qa_bot.lexicon import resource_lines

_RUN = re.compile(r"(?<![A-Za-z])[A-Za-z][A-Za-z'-]*(?:\s+[A-Za-z][A-Za-z'-]*)*(?![A-Za-z])\s*")
_LONGEST_PHRASE = 4  # words
_QUOTED = re.compile(r"(《[^》]*》|“[^”]*”|「[^」]*」|\"[^\"]*\")")
_DROPPED = "-"  # the vocabulary's mark for a word Chinese does not say (the, is, of)
_SENTENCE_WORDS = 4  # words of a run that may be an English question
_QUESTION_OPENERS = frozenset(
    {"what", "which", "who", "whom", "whose", "when", "where", "why", "how", "did", "does"}
    | {"do", "is", "are", "was", "were", "can", "could", "has", "have", "had", "will", "would"}
)
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
# A space after a word that cannot end a keyword (有多少 companies, 申报了 high-tech) sits
# inside a sentence, not between keywords: kept, it would split the question in two.
_INSIDE_SENTENCE = re.compile(r"(?<=[的了是有在个么少几哪把被给对和与跟])\s+(?=[A-Za-z])")


@cache
def vocabulary() -> dict[str, str]:
    """English word or phrase (lower case, single spaces) → the Chinese word."""
    found: dict[str, str] = {}
    for line in resource_lines("english"):
        if line.strip() and not line.startswith("#"):
            english, chinese = line.split("\t")
            found[" ".join(english.split()).lower()] = chinese.strip()
    return found


def in_chinese(text: str) -> str:
    """``text`` with each run of English words that the vocabulary covers said in Chinese,
    without the space after it (Chinese writes none: total investment 是多少 → 总投资是多少;
    a space left there would split the question in two). A space before it stays when it
    parts keywords (衡阳 theme → 衡阳 主题), not after 的, 了, 多少 …."""
    pieces = _QUOTED.split(text)  # a quoted title (《Who Are You》) stays as written
    sentence = is_english_question(text)
    return "".join(
        piece
        if n % 2
        else _RUN.sub(lambda m: as_said(m.group(), sentence), _INSIDE_SENTENCE.sub("", piece))
        for n, piece in enumerate(pieces)
    )


def as_said(run: str, sentence: bool = False) -> str:
    """A run in Chinese, or as written; a run of dropped words only (Hi, the) is dropped."""
    chinese = translated(run.rstrip(), sentence)
    return run if chinese is None else chinese


def translated(run: str, sentence: bool = False) -> str | None:
    """The run in Chinese, longest known phrase first, acronyms kept (GDP growth → GDP增长);
    None when another word of it is unknown, unless the message is an English ``sentence``."""
    written = run.split()
    if len(written) > 1 and all(w[:1].isupper() for w in written):
        return None  # Loose Talk Costs Lives: a title or a name
    words = [w.lower() for w in written]
    said: list[str] = []
    start = 0
    while start < len(words):
        if is_acronym(written[start]):  # POWER6 and GDP are names, not power and a word
            said.append(written[start])
            start += 1
            continue
        if words[start] == "which" and any(is_plural(w) for w in words[start + 1 : start + 3]):
            said.append("哪些")  # which companies: more than one is asked
            start += 1
            continue
        for size in range(min(_LONGEST_PHRASE, len(words) - start), 0, -1):
            chinese = known(" ".join(words[start : start + size]))
            if chinese is not None:
                said.append(chinese)
                start += size
                break
        else:
            if not sentence:
                return None
            name = capitalised_from(written, start)  # Loose Talk Costs Lives: a title
            said.append(" ".join(name) if len(name) > 1 else unknown_in_sentence(written[start]))
            start += max(len(name), 1)
    if said == written:
        return None  # nothing but acronyms: as written (JAXR API)
    said = [piece for piece in said if piece != _DROPPED]
    return "".join(
        f" {piece}" if n and said[n - 1][-1:].isascii() and piece[:1].isascii() else piece
        for n, piece in enumerate(said)
    )  # acronyms side by side keep their space (GDP AI增长)


def is_english_question(text: str) -> bool:
    """Whether a message is a question written in English around Chinese names (When did the
    嫦娥五号 return capsule land?): a run of it opens with a question word, and it has several
    English words. Their known words are then said in Chinese even when others are unknown;
    elsewhere an unknown word keeps its whole run as written (a name, a title)."""
    words = [w.lower() for w in _LATIN_WORD.findall(text)]
    runs = [m.group().lower().split()[:2] for m in _RUN.finditer(text)]  # On what date did …
    opens = any(_QUESTION_OPENERS.intersection(first) for first in runs)
    return len(words) >= _SENTENCE_WORDS and opens


def capitalised_from(written: list[str], start: int) -> list[str]:
    """The capitalised words from ``start`` on (a name or a title inside a sentence)."""
    name: list[str] = []
    for word in written[start:]:
        if not word[:1].isupper():
            break
        name.append(word)
    return name


def unknown_in_sentence(word: str) -> str:
    """An unknown word of an English question: a capitalised one is a name and stays as
    written (Hengyang: the homophone stage may find it), any other is dropped."""
    return word if word[:1].isupper() and word.isalpha() else _DROPPED


def is_acronym(word: str) -> bool:
    """A word written in capitals (GDP, AI, the D of R&D, POWER of POWER6): an abbreviation or
    a name, which Chinese texts keep as it is."""
    return word.isupper()


def is_plural(word: str) -> bool:
    """A known noun in the plural (companies, awards), not a word that ends in s (is, this)."""
    return word.endswith("s") and known(word) is not None and word not in vocabulary()


def known(phrase: str) -> str | None:
    """The Chinese for a phrase, or for its singular (platforms, companies, boxes)."""
    words = vocabulary()
    for form in (phrase, re.sub(r"ies$", "y", phrase), re.sub(r"es$", "", phrase), phrase[:-1]):
        if form in words and (form == phrase or phrase.endswith("s")):
            return words[form]
    return None
