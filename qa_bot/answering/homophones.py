"""Homophone slips: 燕峰区 for 雁峰区, 高心技术 for 高新技术.

People type Chinese on a phone with a pinyin keyboard, which offers every word that sounds
alike; picking the wrong one is the commonest typo there is. A run of the question that sounds
exactly like a word of the knowledge base (the same toneless pinyin, character by character),
that is not that word, and that the documents holding the word never write themselves, is read
as that word. Only words of three characters or more are repaired, and only when one word of
the knowledge sounds so: two-character homophones (市长 / 市场 differ; 实施 / 事实 do not) are
too many to guess between — except a two-character name of the knowledge (衡阳), when the slip
is one whole word that jieba's dictionary does not know and keeps one of the name's characters
in its place (衡羊, 恒阳). The run must be whole words of the question, the first and last
no function word, and a word jieba guessed (燕峰区, 高心) must be among them unless the word
it sounds like is a name (船山论谈 for the forum 船山论坛): 工作是哪天 sounds like 工作室 and
民国几年时正式成立 like 始政式, yet both are plain words correctly typed. Pinyin comes from
``pypinyin``, one reading per character, the same on both sides.

A name written in pinyin inside an English question (Hengyang, Yanfeng District) is the same
slip seen from the other side: a capitalised Latin word spelling exactly the pinyin of one
name of the knowledge base (衡阳) is read as that name.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import cached_property

import numpy as np
from pypinyin import lazy_pinyin

from qa_bot.answering.guard import Guarded
from qa_bot.index import BM25Index
from qa_bot.models import Passage
from qa_bot.tokenizer import Tokenizer

_SHORTEST, _LONGEST = 3, 8  # characters of a word that may be repaired
_NAME_SHORTEST = 2  # a name may be shorter (衡羊 for 衡阳), when the slip is one unknown word
_CHINESE = re.compile(r"[\u4e00-\u9fff]+")
_PINYIN_NAME = re.compile(r"(?<![A-Za-z])[A-Z][a-z]{3,}(?![A-Za-z])")  # Hengyang, not GDP


def sounds(text: str) -> tuple[str, ...]:
    """The toneless pinyin of each character of ``text`` (Chinese characters only)."""
    return tuple(lazy_pinyin(char)[0] for char in text)


class HomophoneRepair:
    """Stage 1b: the message with each homophone slip replaced by the word it sounds like."""

    def __init__(
        self,
        index: BM25Index,
        passages: Sequence[Passage],
        document_text: Callable[[str], str],
        tokenizer: Tokenizer,
    ) -> None:
        self.tokenizer = tokenizer
        self.index = index
        self.passages = passages
        self.document_text = document_text

    @cached_property
    def words(self) -> dict[tuple[str, ...], list[str]]:
        """The knowledge base's words of three to eight Chinese characters, by their sound
        (built on the first question that needs it: pinyin for every word takes a while)."""
        found: dict[tuple[str, ...], list[str]] = defaultdict(list)
        for word in self.index.vocabulary:
            if not (_NAME_SHORTEST <= len(word) <= _LONGEST and _CHINESE.fullmatch(word)):
                continue
            if len(word) >= _SHORTEST or self.is_name(word):
                found[sounds(word)].append(word)
        return dict(found)

    @cached_property
    def spelled(self) -> dict[str, list[str]]:
        """The knowledge base's names of two to eight characters, by their pinyin written as
        one word (衡阳 → hengyang)."""
        found: dict[str, list[str]] = defaultdict(list)
        for word in self.index.vocabulary:
            if 2 <= len(word) <= _LONGEST and _CHINESE.fullmatch(word) and self.is_name(word):
                found["".join(sounds(word))].append(word)
        return dict(found)

    def run(self, guarded: Guarded) -> Guarded:
        """``guarded`` with its slips repaired in each of its forms (unchanged when none)."""
        if guarded.refusal is not None or not guarded.normalised:
            return guarded
        repairs = self.slips(guarded.normalised) | self.pinyin_names(guarded.standard)
        if not repairs:
            return guarded
        return replace(
            guarded,
            normalised=repaired(guarded.normalised, repairs),
            standard=repaired(guarded.standard, repairs),
            asked=repaired(guarded.asked, repairs),
        )

    def slips(self, text: str) -> dict[str, str]:
        """Each run of ``text`` that is a slip, with the word it stands for. Runs that sound
        like a word are found first: most questions have none, and need no tagging."""
        alike = self.sound_alikes(text)
        if not alike:
            return {}
        tokenizer = self.tokenizer
        words = [t for t in tokenizer.tagged(text) if t.word not in tokenizer.stopwords]
        starts = {t.start for t in words}
        ends = {t.start + len(t.word) for t in words}
        unknown = [t for t in words if not tokenizer.in_dictionary(t.word)]
        guessed = {t.start + n for t in unknown for n in range(len(t.word))}
        whole = {(t.start, len(t.word)) for t in unknown}  # a short name's slip: one such word
        found: dict[str, str] = {}
        done: set[int] = set()
        for (start, size), word in sorted(alike.items(), key=lambda hit: (hit[0][0], -hit[0][1])):
            if start in done or start not in starts or start + size not in ends:
                continue  # the longest slip at a start where words begin and end
            typed = text[start : start + size]
            if size < _SHORTEST:  # a short name's slip: one plain unknown word
                plain = (start, size) in whole and not any(c in tokenizer.stopwords for c in typed)
                if not short_slip(typed, word, plain):
                    continue
            odd = any(start <= at < start + size for at in guessed) or self.is_name(word)
            if odd and not self.written(typed, word):
                found[typed] = word
                done.add(start)
        return found

    def sound_alikes(self, text: str) -> dict[tuple[int, int], str]:
        """Each run of ``text`` (start, length) that sounds like exactly one other word of
        the knowledge base, with that word."""
        found: dict[tuple[int, int], str] = {}
        for chinese in _CHINESE.finditer(text):
            run, offset = chinese.group(), chinese.start()
            said = sounds(run)
            for start in range(len(run) - _NAME_SHORTEST + 1):
                for size in range(min(_LONGEST, len(run) - start), _NAME_SHORTEST - 1, -1):
                    alike = self.words.get(said[start : start + size], [])
                    if len(alike) == 1 and alike[0] != run[start : start + size]:
                        found[(offset + start, size)] = alike[0]
        return found

    def is_name(self, word: str) -> bool:
        """Whether ``word`` is a proper noun (a place, body, person or other name)."""
        return bool(self.tokenizer.proper_nouns({word: self.tokenizer.tag_of(word)}))

    def pinyin_names(self, text: str) -> dict[str, str]:
        """Each capitalised Latin word of ``text`` that spells the pinyin of exactly one name
        of the knowledge base (Hengyang → 衡阳)."""
        found: dict[str, str] = {}
        for match in _PINYIN_NAME.finditer(text):
            names = self.spelled.get(match.group().lower(), [])
            if len(names) == 1:
                found[match.group()] = names[0]
        return found

    def written(self, typed: str, word: str) -> bool:
        """Whether a document holding ``word`` writes ``typed`` too (then it is no slip)."""
        holding = np.flatnonzero(self.index.scores([word]))
        documents = {self.passages[int(position)].doc_id for position in holding}
        return any(typed in self.document_text(doc_id) for doc_id in documents)


def short_slip(typed: str, word: str, plain_unknown_word: bool) -> bool:
    """Whether a two-character run may be a slip for a name: it is one word jieba does not know,
    with no function character (其植), and keeps one of the name's characters in its place (衡羊,
    恒阳 for 衡阳) — jieba's guesses such as 化于 or 继路 sound like some name of a large
    knowledge base by chance alone."""
    return plain_unknown_word and any(a == b for a, b in zip(typed, word, strict=True))


def repaired(text: str, repairs: dict[str, str]) -> str:
    """``text`` with every slip replaced."""
    for typed, word in repairs.items():
        text = text.replace(typed, word)
    return text
