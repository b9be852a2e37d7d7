"""Names a question asks about that a candidate answer's text does not hold.

A sentence from a document that never mentions the question's rare name (a person, a
project, a place) answers some other question; so does one from a passage that leaves to
other passages of its document the name the question asks about (the total investment of
the projects started that month, asked about one project named in another entry of the
same chronicle). The reader then takes a lower passage that names it, or abstains.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Set

from qa_bot.answering.answer_types import AnswerType
from qa_bot.answering.candidates import suffixes
from qa_bot.answering.claim_checks import claimed_names
from qa_bot.answering.intent import QType, Question, contradicts
from qa_bot.answering.occasions import other_ordinal
from qa_bot.answering.retrieval import Retriever
from qa_bot.answering.terms import TermScorer
from qa_bot.text import normalise
from qa_bot.tokenizer import NAME_TAGS

CONTRADICTION = "(contradiction)"
_GAP = ".{0,3}"


class MissingNames:
    """Stage 4b's check that the chosen passage is about what the question names."""

    def __init__(self, retriever: Retriever, scorer: TermScorer) -> None:
        self.retriever = retriever
        self.scorer = scorer

    def run(self, question: Question, position: int, words: Set[str], sentence: str) -> set[str]:
        """The question's rare names that passage ``position``'s document never mentions, or
        mentions only in its other passages; with a marker when the ``sentence`` (its
        ``words``) contradicts the question (省级 for 国家, 第6届 for 第一届)."""
        passage = self.retriever.passages[position]
        around = f"{self.retriever.title(position)} {passage.section} {passage.text}"
        occasion = f"{sentence} {around}"  # 第6届 said once, in the passage's first sentence
        claim = question.qtype == QType.YESNO  # its ordinal or prize may be wrong: checked later
        other = other_ordinal(question, occasion) or contradicts(question.weights.keys(), words)
        missing = {CONTRADICTION} if other and not claim else set()
        claimed = claimed_names(question, self.scorer.tokenizer.tag_of) if claim else set()
        asked = question.names | question.quoted
        rare = [n for n in asked if not self.scorer.is_common(n) and n not in claimed]
        if not rare:
            return missing
        document = self.retriever.document_text(passage.doc_id)
        rare = without_options(rare, question.normalised, normalise(sentence).lower(), self.spelt)
        missing |= {
            name
            for name in rare
            if not self.names(name, document, quoted=name in question.quoted)
            and not locates(name, question.normalised, document)
        }
        written = [name for name in rare if self.spelt(name, document)]
        if written:  # the passage's own text, read only when the document has a name
            own = normalise(around).lower()
            missing |= {
                name
                for name in written
                if not self.names(name, own, rare_parts=True, quoted=name in question.quoted)
            }
        return missing

    def names(self, name: str, text: str, rare_parts: bool = False, quoted: bool = False) -> bool:
        """Whether ``text`` names ``name``: in any spelling, abbreviated, or by its own
        proper noun (青海地区 by 青海; with ``rare_parts``, not by one found everywhere in
        the knowledge base, as 衡阳 of 工业富联衡阳智造谷). A name the asker put in quotes is
        that exact name: 东亚 does not name 「大东亚战争」."""
        if self.spelt(name, text) or abbreviates(name, text):
            return True
        return not quoted and self.named_in_part(name, text, rare_parts)

    def spelt(self, name: str, text: str) -> bool:
        """Whether ``text`` writes ``name`` itself, in any of its spellings."""
        return any(s in text for s in [name, *self.scorer.tokenizer.spellings(name)])

    def named_in_part(self, name: str, text: str, rare_parts: bool) -> bool:
        """Whether the text names the name's own proper noun: 青海地区 is 青海, 韩国公司 a
        company of 韩国 — a text about it need not write the generic head word too."""
        tokenizer = self.scorer.tokenizer
        return any(
            len(part) > 1
            and tokenizer.tag_of(part)[:2] in NAME_TAGS
            and part in text
            and not (rare_parts and self.scorer.is_common(part))
            for part in tokenizer.sub_words(name)
        )


_OPTIONS = re.compile(
    r"(?:是|选)?([^，,。？?、]{2,24}?)还是([^，,。？?、]{2,24}?)(?:呢|啊)?[?？。]*$"
)


def without_options(
    names: list[str], question: str, sentence: str, spelt: Callable[[str, str], bool]
) -> list[str]:
    """``names`` less those of a choice's options (是衡阳国家高新区还是白沙绿岛高新区) when the
    sentence names one option: the text that answers a choice names the right one, not both."""
    choice = _OPTIONS.search(question)
    if choice is None:
        return names
    first, second = choice.groups()
    first = first.rsplit("是", 1)[-1]  # 侯立安院士是中国科学院院士: the option follows 是
    options = {option: [n for n in names if n in option] for option in (first, second)}
    if not any(
        all(spelt(n, sentence) for n in named) if named else spelt(option, sentence)
        for option, named in options.items()
    ):
        return names
    return [n for n in names if not any(n in named for named in options.values())]


def locates(name: str, question: str, document: str) -> bool:
    """Whether the question puts the name right before a body the document names (北京科技部
    where the text says 国家科技部, 美国哈佛大学 for 哈佛大学): a place said of a body only
    tells where it is, which a text about that body need not repeat."""
    after = question.split(name, 1)[1][:8] if name in question else ""
    endings = suffixes()[AnswerType.ORGANISATION]
    bodies = [after[:size] for size in range(3, len(after) + 1)]
    return any(body in document and _own_name(body, endings) for body in bodies)


def _own_name(body: str, endings: tuple[str, ...]) -> bool:
    """Whether ``body`` ends like a body's name and says more than that ending (科技部, not
    大学)."""
    return any(body.endswith(end) and len(body) - len(end) >= 2 for end in endings)


def abbreviates(name: str, text: str) -> bool:
    """Whether a name of three or more characters is an abbreviation of something ``text``
    writes in full: its characters in order, a few apart (中科院 → 中国科学院)."""
    if len(name) < 3:
        return False
    return re.search(_GAP.join(map(re.escape, name)), text) is not None
