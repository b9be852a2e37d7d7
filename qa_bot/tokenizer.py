"""The one tokenizer used for documents, facts and questions: normalise, jieba, fold aliases."""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import jieba
import jieba.posseg

from qa_bot.loader import Dictionary
from qa_bot.text import normalise

_WORD = re.compile(r"[\w%]")  # a token with no letter, digit or % is punctuation or space
# A question or demonstrative word with a classifier (几家, 哪天, 那条, 这个): never a term.
_ASKING_CLASSIFIER = re.compile(
    r"^(几|哪|那|这|多少|每|各)[个家项名位人年月日天次条所座台件期届批种类枚只份处款部]?$"
)
_JIEBA_LOCK = threading.Lock()
_NAME_TAGS = {"ns", "nr", "nt", "nz"}


def word_list(name: str) -> set[str]:
    """A word list of Chinese in general shipped with the package (``resources/NAME.txt``)."""
    text = resources.files("qa_bot.resources").joinpath(f"{name}.txt").read_text("utf-8")
    return {line.strip() for line in text.split("\n") if line.strip() and not line.startswith("#")}


@dataclass(frozen=True)
class Token:
    """A word with its part-of-speech tag and its offsets in the normalised text."""

    word: str
    tag: str
    start: int


class Tokenizer:
    """jieba with the knowledge folder's user dictionary, aliases and stopwords.

    Each instance owns a ``jieba.Tokenizer``: the module-level jieba functions share one
    global dictionary, and adding words there would leak between knowledge folders.
    """

    def __init__(self, dictionary: Dictionary, cache_dir: Path | None = None) -> None:
        logging.getLogger("jieba").setLevel(logging.WARNING)
        self._jieba = jieba.Tokenizer()
        if cache_dir is not None:
            cache_dir.mkdir(parents=True, exist_ok=True)
            self._jieba.tmp_dir = str(cache_dir)
        self.aliases = {
            normalise(a).lower(): normalise(c).lower() for a, c in dictionary.aliases.items()
        }
        self.stopwords = word_list("stopwords") | {normalise(w) for w in dictionary.stopwords}
        with _JIEBA_LOCK:
            self._jieba.initialize()
            for word, freq, tag in dictionary.user_words:
                self._jieba.add_word(normalise(word).lower(), freq, tag)
            for term in {*self.aliases, *self.aliases.values()}:
                if self._jieba.FREQ.get(term, 0) == 0:
                    self._jieba.add_word(term)
        self._posseg = jieba.posseg.POSTokenizer(self._jieba)

    def words(self, text: str) -> list[str]:
        """Every word of ``text`` after normalisation, aliases folded, punctuation kept."""
        prepared = normalise(text).lower()
        return [self.aliases.get(w, w) for w in self._jieba.cut(prepared) if w.strip()]

    def tokenise(self, text: str) -> list[str]:
        """The index terms of ``text``: words without stopwords and punctuation."""
        return [
            w
            for w in self.words(text)
            if _WORD.search(w) and w not in self.stopwords and not _ASKING_CLASSIFIER.match(w)
        ]

    def index_terms(self, text: str) -> list[str]:
        """Terms to index documents and facts by: each word plus its known sub-words."""
        words, parts = self.words_and_parts(text)
        return parts + words

    def words_and_parts(self, text: str) -> tuple[list[str], list[str]]:
        """The words of ``text`` and, separately, their known 2- and 3-character sub-words
        (jieba's search mode), so that 主办 in a question can find 主办单位 in a text —
        with less credit than a whole-word match.
        """
        words = self.tokenise(text)
        parts = [part for word in words if len(word) > 2 for part in self.sub_words(word)]
        return words, parts

    def sub_words(self, word: str) -> list[str]:
        """The dictionary words of two or more characters inside ``word``."""
        found = []
        for size in range(2, len(word)):
            for start in range(len(word) - size + 1):
                part = word[start : start + size]
                if part != word and self._jieba.FREQ.get(part) and part not in self.stopwords:
                    found.append(part)
        return found

    def tags(self, text: str) -> dict[str, str]:
        """Each term of ``text`` (normalised, folded) with its jieba part-of-speech tag."""
        return {self.aliases.get(t.word.lower(), t.word.lower()): t.tag for t in self.tagged(text)}

    def proper_nouns(self, tags: dict[str, str]) -> set[str]:
        """The names among tagged terms (places, people, organisations, other proper nouns).

        Only dictionary words count: jieba's HMM also tags guessed fragments (冈是, 乍都) as
        names, and a guess must not decide that a question cannot be answered.
        """
        return {
            word
            for word, tag in tags.items()
            if tag[:2] in _NAME_TAGS
            and word not in self.stopwords
            and len(word) > 1
            and self._jieba.FREQ.get(word, 0) > 0
        }

    def tagged(self, text: str) -> list[Token]:
        """Words with jieba part-of-speech tags (nr person, ns place, nt organisation, m number…).

        Offsets refer to ``normalise(text)``; aliases are not folded here so spans stay verbatim.
        """
        prepared = normalise(text)
        tokens: list[Token] = []
        position = 0
        for pair in self._posseg.cut(prepared):
            tokens.append(Token(pair.word, pair.flag, position))
            position += len(pair.word)
        return tokens

    def is_whole_word(self, term: str) -> bool:
        """True when jieba keeps ``term`` as one token (used to check the user dictionary)."""
        prepared = normalise(term).lower()
        return list(self._jieba.cut(prepared)) == [prepared]
