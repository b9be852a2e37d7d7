"""The one tokenizer used for documents, facts and questions: normalise, jieba, fold aliases."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import marshal
import re
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TypeGuard

import jieba

from qa_bot.lexicon import ASKING_CLASSIFIER, DATE_UNITS, word_list
from qa_bot.models import Dictionary
from qa_bot.private_files import cache_root, read_cache, write_cache
from qa_bot.synonyms import common_words
from qa_bot.text import RULES_VERSION, normalise

log = logging.getLogger(__name__)
_MOTION = frozenset("来去赴到抵返访离")  # verbs of motion a place's short name follows (来衡)
_SCRIPT_RUN = re.compile(r"[a-z]+|[\u4e00-\u9fff]+")  # of a lower-cased word
_WORD = re.compile(r"[\w%]")  # a token with no letter, digit or % is punctuation or space
_JIEBA_LOCK = threading.Lock()
NAME_TAGS = frozenset({"nr", "ns", "nt", "nz"})  # people, places, organisations, other names
_NUMBER = re.compile(r"[\d.%]+")


def load_word_tags(tokenizer: jieba.Tokenizer, cache_dir: Path | None) -> dict[str, str]:
    """jieba's dictionary as {word: tag}, cached with marshal next to jieba's own cache.

    The cache file is named by a hash of the dictionary's content, so every virtualenv with the
    same jieba shares one file; writing a new one removes the others (each is 6 MB).
    """
    default = Path(jieba.__file__).parent / "dict.txt"
    source = Path(tokenizer.dictionary) if isinstance(tokenizer.dictionary, str) else default
    if cache_dir is None or not source.is_file():
        return read_word_tags(tokenizer)
    try:
        cached = cache_dir / f"word_tags-{digest_file(source)}.marshal"
    except OSError:
        return read_word_tags(tokenizer)
    try:
        loaded = marshal.loads(read_cache(cached))
        if is_word_tags(loaded):
            return loaded
        log.warning("word tag cache %s is malformed: rebuilding it", cached)
    except FileNotFoundError:
        pass
    except (OSError, ValueError, EOFError, TypeError) as exc:
        log.warning("word tag cache in %s unreadable (%s): rebuilding it", cache_dir, exc)
    tags = read_word_tags(tokenizer)
    with contextlib.suppress(OSError):
        write_cache(cached, marshal.dumps(tags))
        for stale in cache_dir.glob("word_tags-*.marshal"):
            if stale != cached:
                stale.unlink(missing_ok=True)
    return tags


def initialise(tokenizer: jieba.Tokenizer) -> None:
    """Load jieba's dictionary; a damaged ``jieba.cache`` of the wrong shape (which jieba
    would take as is and crash on later) is removed and the dictionary read again."""
    tokenizer.initialize()
    total = tokenizer.total
    if isinstance(tokenizer.FREQ, dict) and isinstance(total, int | float) and total > 0:
        return
    cache = Path(tokenizer.tmp_dir or tempfile.gettempdir()) / "jieba.cache"
    log.warning("jieba cache %s is malformed: rebuilding it", cache)
    cache.unlink(missing_ok=True)
    tokenizer.initialized = False
    tokenizer.initialize()


def read_word_tags(tokenizer: jieba.Tokenizer) -> dict[str, str]:
    """{word: tag} from jieba's dictionary file (``word frequency tag`` lines)."""
    tags: dict[str, str] = {}
    with tokenizer.get_dict_file() as handle:
        for raw in handle:
            parts = raw.decode("utf-8").split()
            if len(parts) >= 3:
                tags[parts[0]] = parts[2]
    return tags


def digest_file(path: Path) -> str:
    """A short hash of a file's content."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def is_word_tags(value: object) -> TypeGuard[dict[str, str]]:
    """Whether an unmarshalled cache is {word: tag} with text keys and values."""
    if not isinstance(value, dict):
        return False
    return set(map(type, value)) <= {str} and set(map(type, value.values())) <= {str}


_COMPARING = "少多"  # 年少 and 年多 after a year say less or more than it


def unit_split(words: list[str], known: dict[str, int]) -> list[str]:
    """jieba's words with a date unit split off the unknown word that swallowed it: after
    2019, jieba's guesser joins 年 to the next character (2019 年涨 了), which then matches
    nothing; 2019 年 涨 does. Dictionary words (年底, 月份) are kept whole, except those
    whose second character compares (2017年少了 is 2017 年 少了, not 年少, "young")."""
    out: list[str] = []
    for word in words:
        compares = len(word) == 2 and word[1] in _COMPARING
        joined = len(word) > 1 and word[0] in DATE_UNITS and (compares or not known.get(word))
        if joined and out and out[-1].isdigit():
            out += [word[0], word[1:]]
            continue
        out.append(word)
    return out


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
            cache_dir = cache_root(cache_dir)
            self._jieba.tmp_dir = str(cache_dir)
        self.aliases = {
            normalise(a).lower(): normalise(c).lower() for a, c in dictionary.aliases.items()
        }
        self.stopwords = word_list("stopwords") | {normalise(w) for w in dictionary.stopwords}
        self._user_words = list(dictionary.user_words)
        self._spellings: dict[str, list[str]] = {}
        for alias, canonical in self.aliases.items():
            self._spellings.setdefault(canonical, []).append(alias)
        with _JIEBA_LOCK:
            initialise(self._jieba)
            for word, freq, tag in dictionary.user_words:
                self._jieba.add_word(normalise(word).lower(), freq, tag)
            for term in {*self.aliases, *self.aliases.values()}:
                if self._jieba.FREQ.get(term, 0) == 0:
                    self._jieba.add_word(term)
        self._tags = load_word_tags(self._jieba, cache_dir)
        self._tags.update({normalise(w).lower(): t for w, _, t in dictionary.user_words if t})
        self._own_names = {
            normalise(w).lower() for w, _, t in dictionary.user_words if (t or "")[:2] in NAME_TAGS
        }

    def spellings(self, term: str) -> list[str]:
        """The aliases that fold into ``term`` (how else a text may write it)."""
        return self._spellings.get(term, [])

    def fingerprint(self) -> str:
        """What the tokens depend on: dictionary, aliases, stopwords, jieba's version and the
        text normalisation rules."""
        hasher = hashlib.sha256(f"{jieba.__version__}|{RULES_VERSION}".encode())
        for word, freq, tag in sorted(self._user_words, key=lambda w: w[0]):
            hasher.update(f"{word}|{freq}|{tag}\n".encode())
        for alias, canonical in sorted(self.aliases.items()):
            hasher.update(f"{alias}>{canonical}\n".encode())
        hasher.update("\n".join(sorted(self.stopwords)).encode())
        return hasher.hexdigest()[:32]

    def words(self, text: str) -> list[str]:
        """Every word of ``text`` after normalisation, aliases folded, punctuation kept."""
        prepared = normalise(text).lower()
        cut = unit_split(list(self._jieba.cut(prepared)), self._jieba.FREQ)
        return [self.aliases.get(w, w) for w in cut if w.strip()]

    def tokenise(self, text: str) -> list[str]:
        """The index terms of ``text``: words without stopwords and punctuation."""
        return [
            w
            for w in self.words(text)
            if _WORD.search(w) and w not in self.stopwords and not ASKING_CLASSIFIER.match(w)
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
        """The dictionary words of two or more characters inside ``word``, and the Latin and
        Han runs of a word that mixes them (ai金雁奖 → ai, 金雁奖: either names it)."""
        runs = _SCRIPT_RUN.findall(word)
        found = [run for run in runs if len(run) >= 2] if len(runs) > 1 else []
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
        names, and a guess must not decide that a question cannot be answered. Placeholder
        words (东西, which jieba's dictionary tags as a place) and words the thesaurus files
        as common (海洋, 慈善) are no names either, unless the knowledge folder's own
        dictionary tags them as names (a town called 青山).
        """
        soft, common = word_list("soft"), common_words()
        return {
            word
            for word, tag in tags.items()
            if tag[:2] in NAME_TAGS
            and word not in self.stopwords
            and word not in soft
            and (word not in common or word in self._own_names)
            and len(word) > 1
            and self._jieba.FREQ.get(word, 0) > 0
        }

    def tagged(self, text: str) -> list[Token]:
        """Words with part-of-speech tags (nr person, ns place, nt organisation, m number…).

        The tags are those of jieba's dictionary (what ``jieba.posseg`` uses, without its slow
        start-up: it reads the whole dictionary twice on import).

        Offsets refer to ``normalise(text)``; aliases are not folded here so spans stay verbatim.
        """
        prepared = normalise(text)
        tokens: list[Token] = []
        position = 0
        for word in unit_split(list(self._jieba.cut(prepared)), self._jieba.FREQ):
            tokens.append(Token(word, self.tag_of(word), position))
            position += len(word)
        return tokens

    def tag_of(self, word: str) -> str:
        """A word's part of speech from jieba's dictionary (m for numbers; for a word jieba
        guessed, v when its characters are verb-like and none noun-like or it is a verb of
        motion with a place's one-character name, else x)."""
        known = self._tags.get(word.lower())
        if known:
            return known
        if _NUMBER.fullmatch(word):
            return "m"
        tags = [self._tags.get(ch, "") for ch in word]
        if any(t[:1] == "v" for t in tags) and not any(t[:1] == "n" for t in tags):
            return "v"
        if len(word) == 2 and word[0] in _MOTION:  # 来衡, 赴京, 抵港: coming to a place
            return "v"
        return "x"

    def in_dictionary(self, word: str) -> bool:
        """Whether ``word`` (normalised) is a dictionary word, not one jieba's HMM guessed."""
        return bool(self._jieba.FREQ.get(word.lower(), 0) > 0)

    def is_whole_word(self, term: str) -> bool:
        """True when jieba keeps ``term`` as one token (used to check the user dictionary)."""
        prepared = normalise(term).lower()
        return list(self._jieba.cut(prepared)) == [prepared]
