"""Enumerations in a sentence: the items a text lists, and where each item starts and ends.

Chinese lists things in a few ways, all handled here with the generic rules of
``resources/lists.txt``:

- ``A、B和C`` (、 between items, 和 / 及 / 以及 / 与 before the last one), inside a clause;
- the same inside quotes or brackets (“网上办、容缺办、承诺办”, （技术第一、市场第一）), where
  the brackets bound the first and the last item;
- quoted or titled names one after another (“A”“B”“C”, 《A》《B》);
- ``A和B`` alone (weaker evidence: 和 also joins words that are not items).

Inside a clause the first item begins after the verb or preposition before it (打造|微支部,
由|中国科技新闻学会) and the last one ends before 等, a count (3个组别) or the next verb; items
are not much longer than the ones in between.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from qa_bot.answering.list_marks import (
    NEAR,
    QUOTED_NAME,
    bracketed,
    clause_spans,
    common_end,
    common_start,
    display,
    is_verb,
    masked,
    next_words,
    rule,
    split_at,
    stated,
)
from qa_bot.tokenizer import Tokenizer

_QUOTED_RUN = re.compile(r"(?:[“《「『][^“”《》「」『』]{1,40}[”》」』][、和及与]?){2,}")
# Tags that always end an item when walking out of it: prepositions, conjunctions, particles,
# pronouns, place words (上, 中), adverbs (还, 都), modal words and interjections.
_HARD_STOPS = frozenset("pcuryeofd")
_LONGEST_ITEM = 24
# Characters that jieba's guesses glue to a name (有虎, 虎及) but that are words of their own.
_FUNCTION_CHARS = frozenset("有是为在和及与的了等由被把向从对给以")
_PAIR_CAP = 14  # longest first or last item when no item in between shows the usual length


@dataclass(frozen=True)
class Enumeration:
    """Items listed together, with what the text says about their number."""

    items: tuple[str, ...]
    stated: int | None = None  # a count written right after the items (…等3个组别)
    open_ended: bool = False  # the list ends with 等: the text names only some
    paired: bool = False  # just "A和B": weaker evidence of a list
    clause: str = ""  # the clause that holds it
    clause_number: int = 0  # which clause of the sentence that is
    after: str = ""  # the words right after the last item (…等|科技活动, |3个组别)
    before: str = ""  # the words of its clause before the first item (天敌有|虎及云豹)


def quoted_runs(clause: str, after: str) -> list[Enumeration]:
    """Quoted or titled names one after another (“A”“B”“C”, 《A》、《B》)."""
    found = []
    for match in _QUOTED_RUN.finditer(clause):
        items = tuple(m.group(1) for m in QUOTED_NAME.finditer(match.group()))
        rest = (clause[match.end() :] + after).lstrip()
        found.append(
            Enumeration(items, stated(rest), rest.startswith("等"), after=next_words(rest))
        )
    return found


def lead(clause: str, enumeration: Enumeration) -> str:
    """The words of ``clause`` before the enumeration's first item."""
    at = clause.find(enumeration.items[0])
    return clause[max(0, at - NEAR) : at] if at > 0 else ""


class EnumerationFinder:
    """Finds the enumerations of a (normalised) sentence."""

    def __init__(self, tokenizer: Tokenizer) -> None:
        self.tokenizer = tokenizer

    def find(self, sentence: str) -> list[Enumeration]:
        """Every enumeration of the sentence, clause by clause: those inside brackets, runs of
        quoted names, then the clause's own (bare pairs last)."""
        found: list[Enumeration] = []
        for number, (begin, stop) in enumerate(clause_spans(sentence)):
            clause = sentence[begin:stop]
            after = sentence[stop:]
            here = self.inside_brackets(clause, after) + quoted_runs(clause, after)
            here += self.in_clause(clause, after, bounded=False)
            found += [
                replace(e, clause=clause, clause_number=number, before=lead(clause, e))
                for e in here
            ]
        return unique(found)

    def inside_brackets(self, clause: str, after: str) -> list[Enumeration]:
        """Enumerations inside quotes or brackets (“网上办、容缺办”, （A第一、B第一））."""
        found: list[Enumeration] = []
        for start, end in bracketed(clause):
            inner = clause[start:end]
            if "、" in masked(inner):
                found += self.in_clause(inner, clause[end + 1 :] + after, bounded=True)
        return found

    def in_clause(
        self, clause: str, after: str, bounded: bool, whole_last: bool = False
    ) -> list[Enumeration]:
        """The enumeration of one clause (or of the inside of one pair of brackets, where the
        first and the last item are ``bounded``; ``whole_last``: the clause ends where its
        last item does)."""
        mask = masked(clause)
        pieces = split_at(clause, mask, "、")
        paired = len(pieces) < 2
        if paired and bounded:
            return []
        junction = self.junction(pieces)
        if junction is not None:  # “A”联合体、“A”青年百人会|入驻|高新区、衡阳科创港
            before = self.in_clause(clause[:junction], clause[junction:] + after, bounded, True)
            return before + self.in_clause(clause[junction:], after, bounded)
        for at in range(1, len(pieces) - 1):
            if rule("ended").search(masked(pieces[at]), 1):  # 匡廷云、侯立安等26位院士、…
                pieces[at:] = ["、".join(pieces[at:])]
                break
        last = masked(pieces[-1])
        ended = rule("ended").search(last)
        joined = self.coordinator(pieces[-1], last, ended.start() if ended else len(last))
        if joined is not None:
            pieces[-1:] = [pieces[-1][: joined.start()], pieces[-1][joined.end() :]]
        if len(pieces) < 2:
            return []
        return self.trimmed(pieces, after, bounded, paired, whole_last)

    def coordinator(self, text: str, mask: str, end: int) -> re.Match[str] | None:
        """The first 和 / 及 / 与 … of ``text`` before ``end`` that is not inside a dictionary
        word (the 与 of 科技传播与应用高峰论坛, one word, joins no items)."""
        inside: set[int] = set()
        for token in self.tokenizer.tagged(text):
            if len(token.word) > 1 and self.tokenizer.in_dictionary(token.word):
                inside |= set(range(token.start, token.start + len(token.word)))
        for match in rule("coordinate").finditer(mask, 1, end):
            if match.start() not in inside:
                return match
        return None

    def junction(self, pieces: list[str]) -> int | None:
        """Where a verb or 的 joins two lists in one run of 、 (A、B入驻C、D; 以A、B为核心的
        C、D): in an item between others, a verb or 的 with an item's worth of text on either
        side (see ``joining_word``). The offset is in the joined pieces."""
        offset = 0
        for at, piece in enumerate(pieces):
            if 0 < at < len(pieces) - 1:
                found = self.joining_word(piece, pieces, at)
                if found is not None:
                    return offset + found
            offset += len(piece) + 1
        return None

    def joining_word(self, piece: str, pieces: list[str], at: int) -> int | None:
        """Where a verb (or 的) inside the item ``pieces[at]`` joins two lists. A verb needs
        the item to be far longer than the other items in between (than the first or last
        piece when there are none); 的, which also joins words inside an item (推广性强的新
        产品), needs it to be far longer than every other piece."""
        middle = [len(p.strip()) for n, p in enumerate(pieces[1:-1], 1) if n != at]
        every = [len(p.strip()) for n, p in enumerate(pieces) if n != at]
        usual = max(middle) if middle else min(len(pieces[0]), len(pieces[-1]))
        start = 0
        for word, tag in self.words(piece):
            longer = len(piece) >= 1.5 * (max(every) if tag == "uj" else usual)
            joins = (is_verb(tag) and len(word) >= 2) or tag == "uj"
            if joins and longer and start >= 3 and len(piece) - start - len(word) >= 3:
                return start
            start += len(word)
        return None

    def trimmed(
        self, pieces: list[str], after: str, bounded: bool, paired: bool, whole_last: bool
    ) -> list[Enumeration]:
        """The items of split pieces: the first and last trimmed to where they begin and end."""
        middle = [p.strip() for p in pieces[1:-1]]
        if any(not p or len(p) > _LONGEST_ITEM for p in middle):
            return []
        cap = _PAIR_CAP
        if middle:
            usual = max(len(p) for p in middle)
            cap = max(usual + 4, round(usual * 1.5))
        last, rest = self.last_item(pieces[-1], [pieces[0], *middle], cap, bounded or whole_last)
        first = pieces[0].strip()
        if not bounded:
            first = self.first_item(first, middle, pieces[-1], cap)
        items = tuple(display(p) for p in [first, *middle, last])
        if any(not item or len(item) > _LONGEST_ITEM for item in items):
            return []
        tail = (rest + after).lstrip()
        return [
            Enumeration(items, stated(tail), tail.startswith("等"), paired, after=next_words(tail))
        ]

    def first_item(self, piece: str, middle: list[str], last: str, cap: int) -> str:
        """The end of ``piece`` that is the first item.

        When the other items all begin alike (微学习、微党课), it begins likewise; else it
        runs back to a preposition or particle, to a word that introduces lists (包括), or to a
        verb — a verb of two characters may be inside it while it is shorter than the items in
        between (分为|主体赛创新项目组) — and never past ``cap``.
        """
        shared = common_start([*middle, last.strip()])
        at = piece.rfind(shared) if shared else -1
        if at >= 0 and len(piece) - at <= cap:
            return piece[at:]
        words = self.words(piece)
        if not words:
            return ""
        shortest = min((len(m) for m in middle), default=0)
        item = words[-1][0]
        for word, tag in reversed(words[:-1]):
            if len(item) + len(word) > cap or tag[:1] in _HARD_STOPS:
                break
            if is_verb(tag) and (len(word) < 2 or len(item) >= shortest):
                break
            if rule("intro").fullmatch(word):
                break
            item = word + item
        return item

    def last_item(self, piece: str, before: list[str], cap: int, bounded: bool) -> tuple[str, str]:
        """The start of ``piece`` that is the last item, and the text after it.

        It ends before 等, a count or a particle; when the items before it all end alike
        (…项目组、…专项组), at the first such ending; else before the next verb once it has
        two characters, and never past ``cap``. ``before`` holds the piece that ends with the
        first item and the items in between.
        """
        cut = self.end_of_list(piece)
        piece, rest = piece[:cut], piece[cut:]
        if bounded:
            return piece.strip(), rest
        shared = common_end([b.strip() for b in before])
        for size in range(len(shared), 0, -1):  # 项目组, else 组
            end = piece.find(shared[-size:]) + size
            if size <= end <= cap:
                return piece[:end], piece[end:] + rest
        words = self.words(piece)
        if not words:
            return "", rest
        whole = len(piece) <= cap and not any(t[:1] in _HARD_STOPS for _, t in words)
        if rest and whole and not is_verb(words[-1][1]):
            return piece, rest  # what 等 or a count ends is the item (创业扶贫专项组|3个组别)
        item = words[0][0]
        for word, tag in words[1:]:
            if len(item) + len(word) > cap or tag[:1] in _HARD_STOPS:
                break
            if is_verb(tag) and len(item) >= 2:
                break
            item += word
        return item, piece[len(item) :] + rest

    def end_of_list(self, piece: str) -> int:
        """Where 等, a count or a particle ends the last item of ``piece`` (a particle only as
        a word of its own: the 都 of 成都 and the 共 of 合作|共赢 end nothing)."""
        mask = masked(piece)
        words = {(t.start, t.start + len(t.word)) for t in self.tokenizer.tagged(piece)}
        ended = rule("ended").search(mask, 1)
        ends = [m.start() for m in rule("closed").finditer(mask, 1) if m.span() in words]
        return min(ends + ([ended.start()] if ended else []), default=len(piece))

    def words(self, piece: str) -> list[tuple[str, str]]:
        """The words of ``piece`` with their tags; a quoted or bracketed span is one word."""
        words: list[tuple[str, str]] = []
        begin = 0
        for start, end in bracketed(piece):
            words += self.tagged(piece[begin : start - 1])
            words.append((piece[start - 1 : end + 1], "nz"))
            begin = end + 1
        words += self.tagged(piece[begin:])
        return words

    def tagged(self, text: str) -> list[tuple[str, str]]:
        """jieba's words and tags for plain text (no quotes inside); a word jieba guessed
        that begins or ends with a function character (有虎, 及肉) is split there."""
        words: list[tuple[str, str]] = []
        for token in self.tokenizer.tagged(text):
            word = token.word
            if not word.strip():
                continue
            if len(word) < 2 or self.tokenizer.in_dictionary(word):
                words.append((word, token.tag))
                continue
            head, tail = "", ""
            if word[0] in _FUNCTION_CHARS:
                head, word = word[0], word[1:]
            if len(word) > 1 and word[-1] in _FUNCTION_CHARS:
                word, tail = word[:-1], word[-1]
            words += [(w, self.tokenizer.tag_of(w)) for w in (head, word, tail) if w]
        return words


def unique(found: list[Enumeration]) -> list[Enumeration]:
    """Enumerations without repeats (the same items found two ways), first kept."""
    seen: set[tuple[str, ...]] = set()
    kept = []
    for enumeration in found:
        if enumeration.items not in seen:
            seen.add(enumeration.items)
            kept.append(enumeration)
    return kept
