"""Questions about the documents themselves (who wrote one, when and where it appeared, what
it is about, its parts, which documents there are): answered from front matter and headings.

Tried before the content stages, and precise (see ``document_fields``): 研究作者是谁 or
衡阳高新技术企业有多少家 stay content questions.
"""

from __future__ import annotations

import re
from collections import Counter
from difflib import SequenceMatcher
from functools import cached_property

from qa_bot.answering import bylines, templates
from qa_bot.answering.described import DocumentCards, described
from qa_bot.answering.document_answer import DocumentAnswer, Kind
from qa_bot.answering.document_fields import QUOTED, Field, asked_field, rules
from qa_bot.answering.document_front_matter import cite, date_text, front_matter_answer
from qa_bot.answering.document_order import Pointed, pointed
from qa_bot.answering.document_outline import card_text, lead_text, outline
from qa_bot.answering.guard import Guarded
from qa_bot.answering.section_parts import asks_parts, named_section, section_answer
from qa_bot.loader import Knowledge
from qa_bot.models import Document
from qa_bot.sentences import sentences
from qa_bot.text import compact
from qa_bot.tokenizer import Tokenizer

SOURCE_QUOTED = re.compile(r"“([^“”]{4,40})”")  # a column or edition named in quotes
PUNCTUATION = re.compile(r"[\W_]+")  # what titles are compared without
NEAR_TITLE = 0.6  # how alike a 《…》 must be to a title to name it (difflib ratio)
MAX_LISTED = 8  # documents listed in a clarification (the dialog remembers this many options)
MAX_CATALOGUE = 20  # documents listed when asked which there are
DESCRIBED_CONFIDENCE = 0.7  # a document matched by a description rather than named


class DocumentQuestions:
    """Stage 1b: questions about the documents, before any retrieval."""

    def __init__(self, knowledge: Knowledge, tokenizer: Tokenizer, max_chars: int) -> None:
        self.documents = knowledge.documents
        self.knowledge = knowledge
        self.max_chars = max_chars
        self.tokenizer = tokenizer

    # The title tables are built on the first question about a document, not at start: with
    # 100,000 documents they take a second or more, and most questions never need them.
    @cached_property
    def keys(self) -> dict[str, str]:
        """Each document's title, compacted for comparing."""
        return {doc.id: compact(doc.title) for doc in self.documents}

    @cached_property
    def words(self) -> dict[str, list[str]]:
        """Each document's title words."""
        words: dict[str, list[str]] = {}  # by title: many documents may share one
        return {
            doc.id: words.get(doc.title)
            or words.setdefault(doc.title, title_words(doc.title, self.tokenizer))
            for doc in self.documents
        }

    @cached_property
    def source_words(self) -> dict[str, list[str]]:
        """Each document's source words (a column: 年度热词, 城建), which name it too; not the
        words that point at any document (报道, 文章)."""
        refer = rules().refer
        words = {doc.id: title_words(doc.source or "", self.tokenizer) for doc in self.documents}
        return {i: [w for w in said if not refer.search(w)] for i, said in words.items()}

    @cached_property
    def naming_words(self) -> dict[str, set[str]]:
        """Each document's title and source words: what may name it."""
        return {i: {*words, *self.source_words[i]} for i, words in self.words.items()}

    @cached_property
    def distinct(self) -> dict[str, set[str]]:
        """Each document's title and source words that no other document has."""
        counts = Counter(w for words in self.naming_words.values() for w in words)
        return {i: {w for w in words if counts[w] == 1} for i, words in self.naming_words.items()}

    def run(self, guarded: Guarded, current: str | None = None) -> DocumentAnswer | None:
        """The answer when the message asks about a document, else None.

        :param current: the document of the dialog's last answer (what 这篇 refers to).
        """
        if guarded.refusal is not None or not guarded.asked:
            return None
        quoted = QUOTED.findall(guarded.asked)
        bare = QUOTED.sub(" ", guarded.asked)
        if quoted and self.titled(quoted):  # 盘点2020年成果的那篇《…》: a description
            bare = _DESCRIBED.sub(" ", bare)
        signed = self.signed_part(guarded.asked, bare)
        if signed is not None:
            return signed
        if not any(pattern.search(bare) for _, pattern in rules().fields):
            return None  # the common case, decided before looking at any title
        sourced = self.sourced(bare)
        if sourced:
            bare = SOURCE_QUOTED.sub(" ", bare)
        named = sourced or self.named(bare)
        spoken = self.spoken_words(bare, named)
        asked = asked_field(bare, spoken)
        if asked is None:
            section = self.section_parts(bare, quoted, named, current, spoken)
            return section or self.by_description(bare)
        if asked == "catalogue":
            return self.catalogue()
        place = pointed(bare, len(self.documents))
        if place is not None and place.every and len(self.documents) > 1:
            return self.each(asked, bare)
        chosen = self.chosen(quoted, named, current, place)
        if chosen is None:
            return None  # a 《title》 of something that is not a document here
        documents, confidence = chosen
        if not documents:
            return self.catalogue(templates.DOC_PAST_END, "abstain")
        if len(documents) > 1:
            return self.clarify(asked, documents)
        found = self.answer(asked, documents[0], confidence, bare)
        if not found.answered and named and not quoted and not rules().refer.search(bare):
            return None  # 伏尔泰的朋友们是谁写的: no author in front matter, the text may say
        return found

    def section_parts(
        self, bare: str, quoted: list[str], named: list[str], current: str | None, spoken: list[str]
    ) -> DocumentAnswer | None:
        """The parts of the one section the question names, in the document meant (or, when
        it names none, in the only document with such a section: the dialog's last document
        need not have it)."""
        chosen = self.chosen(quoted, named, current) if asks_parts(bare) else None
        if chosen is None:
            return None
        sections = sections_named(bare, chosen[0], spoken)
        if not sections and not quoted and not named:
            sections = sections_named(bare, self.documents, spoken)
        if len(sections) != 1:
            return None
        doc, (heading, subs) = sections[0]
        return section_answer(doc, heading, subs, cite(doc, " / ".join(subs)), chosen[1])

    @cached_property
    def signed(self) -> list[bylines.Byline]:
        """The documents' signed parts (a commentary under its own heading)."""
        return bylines.bylines(self.knowledge)

    def signed_part(self, asked: str, bare: str) -> DocumentAnswer | None:
        """Who signed the part of a document the question names, when it asks who wrote it
        or what its title is (the reply says both)."""
        if not (dict(rules().fields)["author"].search(bare) or bylines.TITLE.search(bare)):
            return None
        part = bylines.named(asked, self.signed)
        if part is None:
            return None
        if bylines.signature_asked(asked, part):  # 本报评论员那篇的作者叫什么名字
            answer = bylines.signature_only(part)
            return DocumentAnswer("abstain", answer, [bylines.cite(part)], 0.9, part.doc_id)
        return DocumentAnswer("fact", bylines.answer_text(part), [bylines.cite(part)], 0.9)

    def named(self, text: str) -> list[str]:
        """The documents the text names by a title or source word no other document has
        (乘势而上 or 年度热词, not the 衡阳 of every title), or by their author (谢丹写的那篇);
        the best covered ones when several."""
        key = compact(text)
        scores: dict[str, int] = {}
        for doc in self.documents:
            hits = [w for w in self.naming_words[doc.id] if w in key]
            if doc.author and compact(doc.author) in key:
                hits.append(compact(doc.author))
            if self.distinct[doc.id] & set(hits) or (doc.author and doc.author in hits):
                scores[doc.id] = sum(len(w) for w in hits)
        best = max(scores.values(), default=0)
        return [doc_id for doc_id, score in scores.items() if score == best]

    def sourced(self, text: str) -> list[str]:
        """The documents whose source holds a “quoted” name in the text (那篇“年度热词·特别
        报道” for 2020 衡阳年度热词·特别报道): a column names its articles."""
        keys = [compact(q) for q in SOURCE_QUOTED.findall(text)]
        return [
            doc.id
            for doc in self.documents
            if doc.source and any(k and k in compact(doc.source) for k in keys)
        ]

    def spoken_words(self, text: str, named: list[str]) -> list[str]:
        """The title words that do not count as content: those of the documents named, and
        any title word when the text also points at a document (创新衡阳这篇文章…), and whole
        titles; and the authors it names (谢丹写的那篇)."""
        pointed = rules().refer.search(text) is not None
        chosen = self.words if pointed else {i: self.words[i] for i in named}
        key = compact(text)
        authors = [compact(doc.author) for doc in self.documents if doc.author]
        titles = [self.keys[i] for i in chosen]  # whole: a one-character word of it counts too
        sources = [w for i in chosen for w in self.source_words[i]]
        spoken = [w for words in chosen.values() for w in words] + sources + authors + titles
        return [w for w in spoken if w and w in key]

    def by_description(self, text: str) -> DocumentAnswer | None:
        """A document described rather than named, then asked about (see ``described``)."""
        found = described(text)
        doc_id = None if found is None else self.cards.best(found.description)
        if found is None or doc_id is None:
            return None
        doc = next(doc for doc in self.documents if doc.id == doc_id)
        return self.answer(found.asked, doc, DESCRIBED_CONFIDENCE, text)

    @cached_property
    def cards(self) -> DocumentCards:
        """What each document is about at a glance, to match descriptions against."""
        cards = {doc.id: card_text(doc, self.max_chars) for doc in self.documents}
        return DocumentCards(cards, self.tokenizer)

    def chosen(
        self, quoted: list[str], named: list[str], current: str | None, place: Pointed | None = None
    ) -> tuple[list[Document], float] | None:
        """The document(s) meant, with how sure: a 《title》, title words, its place (第2篇:
        none when past the end), the dialog's last document, the only document — else every
        document (a clarification follows)."""
        by_id = {doc.id: doc for doc in self.documents}
        if not quoted and not named and place is not None and place.index is not None:
            return self.documents[place.index : place.index + 1] if place.index >= 0 else [], 0.9
        found = self.titled(quoted) if quoted else named
        if quoted and not found:
            return None
        if current is not None and len(found) > 1 and current in found:
            found = [current]  # of the titles it may mean, the one the dialog is about
        if found:
            return [by_id[i] for i in found], 1.0 if quoted else 0.9
        if current is not None and current in by_id:
            return [by_id[current]], 0.9
        return self.documents, 1.0 if len(self.documents) == 1 else 0.5

    def titled(self, quoted: list[str]) -> list[str]:
        """The documents a 《…》 names: same title, a part of it, or a near spelling."""
        for text in quoted:
            key = compact(text)
            if not key:
                continue
            exact = [i for i, title in self.keys.items() if title == key]
            partial = [i for i, title in self.keys.items() if key in title or title in key]
            ratios = {i: SequenceMatcher(None, key, t).ratio() for i, t in self.keys.items()}
            best = max(ratios.values(), default=0.0)
            near = [i for i, r in ratios.items() if r >= NEAR_TITLE and r == best]
            if exact or partial or near:
                return exact or partial or near
        return []

    def answer(
        self, asked: Field, doc: Document, confidence: float, text: str = ""
    ) -> DocumentAnswer:
        """What one document says about itself; a day asked (``text``: 哪一天见报) of a
        document dated only to the month is not answered, and the reply says what is known."""
        if asked == "summary":
            return self.summary(doc, confidence)
        if asked == "sections":
            return sections_answer(doc, confidence)
        return front_matter_answer(asked, doc, confidence, text)

    def summary(self, doc: Document, confidence: float) -> DocumentAnswer:
        """Its title with its lead (cut at sentence ends), and its parts when it has any."""
        lead = lead_text(doc, self.max_chars)
        answer = templates.DOC_SUMMARY.format(title=doc.title, lead=lead)
        parts = outline(doc)
        if parts:
            listed = "；".join(heading for heading, _ in parts)
            answer += templates.DOC_PARTS.format(count=len(parts), parts=listed)
        first = next(iter(sentences(lead)), lead)
        return DocumentAnswer("fact", answer, [cite(doc, first)], confidence, doc.id)

    def catalogue(
        self, template: str = templates.DOC_CATALOGUE, kind: Kind = "list"
    ) -> DocumentAnswer:
        """Every document's title and date (also the reply to 第9篇 when there are fewer)."""
        shown = self.documents[:MAX_CATALOGUE]
        items = "；".join(f"{n}. {labelled(doc)}" for n, doc in enumerate(shown, start=1))
        if len(self.documents) > len(shown):
            items += "……"
        answer = template.format(count=len(self.documents), items=items)
        sources = [cite(doc, f"title: {doc.title}") for doc in shown]
        return DocumentAnswer(kind, answer, sources, 1.0)

    def each(self, asked: Field, text: str) -> DocumentAnswer:
        """Every document's answer, numbered (这2篇文章分别是哪天发的)."""
        shown = self.documents[:MAX_LISTED]
        found = [self.answer(asked, doc, 1.0, text) for doc in shown]
        answer = "\n".join(f"{n}. {one.answer}" for n, one in enumerate(found, start=1))
        sources = [source for one in found for source in one.sources]
        kind: Kind = "list" if any(one.answered for one in found) else "abstain"
        return DocumentAnswer(kind, answer, sources, 1.0)

    def clarify(self, asked: Field, documents: list[Document]) -> DocumentAnswer:
        """Which document? Each one's answer is kept as an option ("第一篇" picks it)."""
        shown = documents[:MAX_LISTED]
        listed = "；".join(f"{n}. {labelled(doc)}" for n, doc in enumerate(shown, start=1))
        answer = templates.DOC_CLARIFY.format(count=len(documents), options=listed)
        options = [self.answer(asked, doc, 1.0).answer for doc in shown]
        sources = [cite(doc, f"title: {doc.title}") for doc in shown]
        return DocumentAnswer("clarify", answer, sources, 0.5, options=options)


def title_words(title: str, tokenizer: Tokenizer) -> list[str]:
    """The words of a title (two characters or more) as they are written in it."""
    key = compact(title)
    words = [PUNCTUATION.sub("", w) for w in tokenizer.words(title)]  # already normalised
    return list(dict.fromkeys(w for w in words if len(w) >= 2 and w in key))


def sections_named(
    text: str, documents: list[Document], spoken: list[str]
) -> list[tuple[Document, tuple[str, list[str]]]]:
    """The documents with a section ``text`` names, each with that section."""
    found = [(doc, named_section(text, outline(doc), spoken)) for doc in documents]
    return [(doc, section) for doc, section in found if section is not None]


def sections_answer(doc: Document, confidence: float) -> DocumentAnswer:
    """The document's parts in order, numbered, each with its sub-headings."""
    parts = outline(doc)
    if not parts:
        message = templates.DOC_NO_SECTIONS.format(title=doc.title)
        return DocumentAnswer("abstain", message, [cite(doc, "")], confidence, doc.id)
    listed = "；".join(
        f"{n}. {heading}" + (f"（{'，'.join(subs)}）" if subs else "")
        for n, (heading, subs) in enumerate(parts, start=1)
    )
    answer = templates.DOC_SECTIONS.format(title=doc.title, count=len(parts), parts=listed)
    snippet = " / ".join(heading for heading, _ in parts)
    return DocumentAnswer("list", answer, [cite(doc, snippet)], confidence, doc.id)


_DESCRIBED = re.compile(
    r"^[^，,。？?《》\s]{2,40}?的(?:那|这)?一?(?:篇|份)?(?:文章|报道|稿子|评论)?\s"
)
"""What a question says of a document before naming its 《title》 (盘点…成果的那篇《…》)."""


def labelled(doc: Document) -> str:
    """《title》 with its date, for lists of documents."""
    return f"《{doc.title}》" + (f"（{date_text(doc.date)}）" if doc.date else "")
