"""The unanswered-question log: what users asked that the bot could not (or barely) answer.

Chat adapters append one JSON line per abstention or low-confidence answer; ``qa-bot misses``
groups the lines by wording and suggests what the knowledge folder lacks. Lines are written
whole with one ``os.write`` on a file opened for appending (atomic for lines this short) under
a lock, and synced to disk, so concurrent chats and a crash lose nothing already logged.

The log is private: the file is 0600, a session id (a Telegram chat id is the user's id in a
private chat) is stored only as a salted hash — the salt is made once and kept 0600 next to
the log — and the log is rotated by size and age, keeping ``misses.keep`` older files.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import logging
import os
import secrets
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

from qa_bot.models import Reply
from qa_bot.settings import MissesSettings
from qa_bot.text import normalise

if TYPE_CHECKING:
    from qa_bot.bot import QABot

log = logging.getLogger(__name__)
TIME_FORMAT = "%Y-%m-%dT%H:%M:%S"
MAX_GROUPS_PER_TERM = 64  # see group_misses


class MissLog:
    """Appends misses to a JSONL file, safely under concurrent use."""

    def __init__(
        self, path: Path, low_confidence: float, settings: MissesSettings | None = None
    ) -> None:
        self.path = path
        self.low_confidence = low_confidence  # answers below it are logged too
        self.settings = settings or MissesSettings()
        self._lock = threading.Lock()
        self._salt: bytes | None = None
        self._started: tuple[int, float] | None = None  # (inode, time of its first line)

    def record(self, session_id: str, reply: Reply) -> None:
        """Log the reply when it abstained or answered with low confidence."""
        if not is_miss(reply.kind, reply.answered, reply.confidence, self.low_confidence):
            return
        with self._lock:
            try:
                self._append(session_id, reply)
            except OSError as exc:  # a full disk must not stop the bot from answering
                log.warning("could not log an unanswered question to %s: %s", self.path, exc)

    def _append(self, session_id: str, reply: Reply) -> None:
        """Write one line (the caller holds the lock)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        entry = {
            "time": time.strftime(TIME_FORMAT),
            "session": self.pseudonym(session_id),
            "question": reply.question[:500],
            "answered": reply.answered,
            "confidence": reply.confidence,
            "kind": reply.kind,
        }
        # A lone surrogate becomes the JSON escape \udXXX, which reads back as itself.
        line = (json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8", "backslashreplace")
        self._rotate_if_due(len(line))
        descriptor = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            if os.fstat(descriptor).st_mode & 0o077:
                os.fchmod(descriptor, 0o600)  # a log from an older version
            os.write(descriptor, line)
            os.fsync(descriptor)
        finally:
            os.close(descriptor)

    def pseudonym(self, session_id: str) -> str:
        """The session id as a salted hash: questions of one chat still group together,
        but the log does not say who asked."""
        if self._salt is None:
            self._salt = load_salt(self.path.with_name(self.path.name + ".salt"))
        raw = session_id.encode("utf-8", "surrogatepass")
        return hmac.new(self._salt, raw, hashlib.sha256).hexdigest()[:16]

    def _rotate_if_due(self, adding: int) -> None:
        """Start a new file when this line would pass ``max_bytes`` or the current file's
        first line is older than ``max_days``; the oldest of ``keep`` older files goes."""
        try:
            info = self.path.stat()
        except FileNotFoundError:
            return
        if self._started is None or self._started[0] != info.st_ino:
            self._started = (info.st_ino, first_time(self.path, info.st_mtime))
        too_big = info.st_size + adding > self.settings.max_bytes
        too_old = time.time() - self._started[1] > self.settings.max_days * 86400
        if too_big or too_old:
            rotate(self.path, self.settings.keep)
            self._started = None


def is_miss(kind: str, answered: bool, confidence: float, low_confidence: float) -> bool:
    """Whether a reply counts as unanswered: an abstention or a low-confidence answer (help,
    a source or a clarification never does)."""
    if kind in {"help", "source", "clarify"}:
        return False
    return not answered or confidence < low_confidence


def miss_threshold(bot: QABot) -> float:
    """Below this confidence an answer counts as a miss too."""
    answer = bot.settings.answer
    return answer.abstain_threshold + answer.weights.low_confidence_margin


def load_salt(path: Path) -> bytes:
    """The log's salt, made on first use and kept in a 0600 file.

    Made once even when several threads or processes start at the same moment: each writes a
    candidate to a temporary file and links it in place, which fails if a salt is already
    there; everyone then reads the one file that won.
    """
    salt = read_salt(path)
    if salt is not None:
        return salt
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(secrets.token_hex(32).encode("ascii"))
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
        if read_salt(path) is None:  # a damaged salt file: replace it
            os.replace(temporary, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
    salt = read_salt(path)
    if salt is None:
        raise OSError(f"{path}: cannot keep a salt there")
    return salt


def read_salt(path: Path) -> bytes | None:
    """The salt in ``path``, None when there is none (or too short to be one)."""
    try:
        salt = path.read_bytes().strip()
    except FileNotFoundError:
        return None
    return salt if len(salt) >= 32 else None


def first_time(path: Path, default: float) -> float:
    """When the log's first line was written (``default`` when it does not say)."""
    try:
        with path.open("rb") as handle:
            entry = json.loads(handle.readline())
        return time.mktime(time.strptime(entry["time"], TIME_FORMAT))
    except (OSError, ValueError, KeyError, TypeError):
        return default


def rotate(path: Path, keep: int) -> None:
    """misses.jsonl → misses.jsonl.1 → … → misses.jsonl.<keep> (the oldest is dropped)."""
    if keep == 0:
        path.unlink(missing_ok=True)
        return
    for number in range(keep - 1, 0, -1):
        older = path.with_name(f"{path.name}.{number}")
        if older.exists():
            os.replace(older, path.with_name(f"{path.name}.{number + 1}"))
    os.replace(path, path.with_name(f"{path.name}.1"))


def log_files(path: Path) -> list[Path]:
    """The log and its rotated files, oldest first."""
    rotated = [p for p in path.parent.glob(f"{path.name}.*") if p.suffix[1:].isdigit()]
    return [*sorted(rotated, key=lambda p: -int(p.suffix[1:])), path]


def read_misses(path: Path) -> tuple[list[dict[str, object]], int]:
    """The logged misses, oldest first, and how many lines could not be read (a line torn
    by a crash, even inside a character, is skipped and counted)."""
    entries: list[dict[str, object]] = []
    skipped = 0
    for line in log_lines(path):
        try:
            entry = json.loads(line.decode("utf-8"))
        except ValueError:
            skipped += 1
            continue
        if isinstance(entry, dict) and isinstance(entry.get("question"), str):
            entry["question"] = entry["question"].encode("utf-8", "replace").decode("utf-8")
            entries.append(entry)
        else:
            skipped += 1
    return entries, skipped


def log_lines(path: Path) -> Iterator[bytes]:
    """The non-blank lines of the log and its rotated files, as bytes."""
    for file in log_files(path):
        try:
            handle = file.open("rb")
        except FileNotFoundError:
            continue
        with handle:
            yield from (line for line in handle if line.strip())


@dataclass
class MissGroup:
    """Questions worded alike, with the terms the knowledge base lacks."""

    questions: list[str] = field(default_factory=list)
    terms: Counter[str] = field(default_factory=Counter)
    unknown: Counter[str] = field(default_factory=Counter)
    split_pairs: Counter[str] = field(default_factory=Counter)


def group_misses(
    questions: list[str],
    terms_of: Callable[[str], list[str]],
    known: Callable[[str], bool],
    common: Callable[[str], bool],
) -> list[MissGroup]:
    """Greedy grouping: a question joins the first group whose terms it shares half of
    (terms found all over the knowledge base, such as its city's name, do not count).

    The groups holding each term are indexed, so a question is compared only with groups it
    shares a term with, never with every group (that was quadratic: 6,000 lines took minutes).
    A term's index keeps its first ``MAX_GROUPS_PER_TERM`` groups: a term spread over more
    groups than that says little about which one a question belongs to, and the bound keeps
    the work linear.
    """
    groups: list[MissGroup] = []
    holding: dict[str, list[int]] = {}  # term → numbers of the groups that hold it
    for question in questions:
        terms: list[str] = terms_of(question)
        bag = {t for t in terms if not common(t) and not t.isdigit()}
        shared = Counter(number for term in bag for number in holding.get(term, ()))
        fitting = [n for n, count in shared.items() if count >= max(1, len(bag) // 2)]
        if fitting:
            number = min(fitting)
        else:
            number = len(groups)
            groups.append(MissGroup())
        home = groups[number]
        for term in bag - home.terms.keys():
            holders = holding.setdefault(term, [])
            if len(holders) < MAX_GROUPS_PER_TERM:
                holders.append(number)
        home.questions.append(question)
        home.terms.update(bag)
        home.unknown.update(t for t in bag if not known(t))
        home.split_pairs.update(a + b for a, b in pairwise(terms) if len(a) <= 2 and len(b) <= 2)
    groups.sort(key=lambda g: -len(g.questions))
    return groups


@dataclass(frozen=True)
class Vocabulary:
    """What advice needs to know of the knowledge base."""

    in_documents: Callable[[str], bool]  # the term occurs verbatim in the documents' text
    splits: Callable[[str], bool]  # jieba cuts the term into several words


def report(groups: list[MissGroup], top: int, vocabulary: Vocabulary, skipped: int = 0) -> str:
    """The ``qa-bot misses`` listing: the biggest groups, an example each, and suggestions.

    A word jieba splits is worth adding to the user dictionary only when the documents use it;
    otherwise the knowledge base lacks it, and a document or fact about it is what helps.
    """
    lines = [f"skipped {skipped} unreadable lines"] if skipped else []
    if not groups:
        return "\n".join([*lines, "no unanswered questions logged"])
    for number, group in enumerate(groups[:top], start=1):
        lines.append(f"{number}. {len(group.questions)}× “{group.questions[0]}”")
        for other in group.questions[1:3]:
            lines.append(f"     also “{other}”")
        pairs = [p for p, n in group.split_pairs.most_common(3) if n >= 2]
        words = [p for p in pairs if vocabulary.in_documents(p) and vocabulary.splits(p)]
        missing = [t for t, _ in group.unknown.most_common(5)]
        missing += [p for p in pairs if not vocabulary.in_documents(p) and p not in missing]
        if missing:
            lines.append(
                f"     not in the knowledge: {'、'.join(missing)} "
                "(add a document or fact about it, or an alias)"
            )
        if words:
            lines.append(
                f"     split by jieba: {'、'.join(words)} "
                "(used in the documents: add to dict/userdict.txt)"
            )
    return "\n".join(lines)


class DocumentText:
    """The documents' text, normalised like questions, built on first use."""

    def __init__(self, texts: Callable[[], list[str]]) -> None:
        self._texts = texts

    @cached_property
    def text(self) -> str:
        return "\n".join(normalise(text).lower() for text in self._texts())

    def contains(self, term: str) -> bool:
        """Whether ``term`` occurs verbatim in the documents."""
        return term in self.text


def misses_report(bot: QABot, path: Path, top: int) -> str:
    """``qa-bot misses``: the logged questions of ``path`` grouped, with advice from ``bot``."""
    entries, skipped = read_misses(path)
    return questions_report(bot, [str(entry["question"]) for entry in entries], top, skipped)


def questions_report(bot: QABot, questions: list[str], top: int, skipped: int = 0) -> str:
    """Unanswered ``questions`` grouped, with advice from ``bot`` (``misses_report``'s text)."""
    groups = group_misses(questions, bot.tokenizer.tokenise, bot.knows, bot.is_common)
    documents = bot.knowledge.documents
    text = DocumentText(
        lambda: [d.title for d in documents] + [p.text for p in bot.knowledge.passages]
    )
    vocabulary = Vocabulary(text.contains, lambda term: not bot.tokenizer.is_whole_word(term))
    return report(groups, top, vocabulary, skipped)
