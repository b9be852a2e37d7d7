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
_JIEBA_LOCK = threading.Lock()


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
        return [w for w in self.words(text) if _WORD.search(w) and w not in self.stopwords]

    def index_terms(self, text: str) -> list[str]:
        """Terms to index documents and facts by: each word plus its known 2- and 3-character
        sub-words (jieba's search mode), so that 主办 in a question finds 主办单位 in a text.
        """
        terms: list[str] = []
        for word in self.tokenise(text):
            if len(word) > 2:
                terms.extend(self._sub_words(word))
            terms.append(word)
        return terms

    def _sub_words(self, word: str) -> list[str]:
        found = []
        for size in (2, 3):
            for start in range(len(word) - size + 1):
                part = word[start : start + size]
                if part != word and self._jieba.FREQ.get(part) and part not in self.stopwords:
                    found.append(part)
        return found

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
