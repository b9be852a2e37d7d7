"""Documents named by what they are about (那篇盘点2020年创新成果的特别报道，是哪天见报的).

A reader who does not remember a title describes the article instead. The description is the
text before the last word for an article (文章, 报道, 稿子 …), and the rest must ask only for a
field of the document (see ``document_fields``). The description is matched against each
document's card (its title, source, author, headings and opening sentences, as built by
``documents``): the words few cards hold weigh most, so the words every article shares (the
city, 创新) decide nothing.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from qa_bot.answering.document_fields import Field, asked_field, unpointed
from qa_bot.tokenizer import Tokenizer

ARTICLE = re.compile(r"文章|报道|报导|稿子|稿件|评论|新闻|通讯|特稿|专访")
MIN_SHARE = 0.3  # of the description's weight the best card must hold


@dataclass(frozen=True)
class Described:
    """A question that describes a document and asks one of its fields."""

    description: str
    asked: Field


def described(text: str) -> Described | None:
    """The description and the asked field, when ``text`` (normalised, without 《titles》)
    is "<description> <article word> <a document field>" and the description says something."""
    found = list(ARTICLE.finditer(text))
    if not found:
        return None
    last = found[-1]
    asked = asked_field(text[last.end() :])
    if asked is None or asked == "catalogue":  # which documents there are: asked of none
        return None
    description = unpointed(text[: last.start()])
    if not description.strip(" ，,、"):
        return None
    return Described(description, asked)


class DocumentCards:
    """Each document's card as a set of words, and how many cards hold each word."""

    def __init__(self, cards: dict[str, str], tokenizer: Tokenizer) -> None:
        self.tokenizer = tokenizer
        self.words = {doc_id: set(tokenizer.index_terms(card)) for doc_id, card in cards.items()}
        self.frequency = Counter(w for words in self.words.values() for w in words)

    def best(self, description: str) -> str | None:
        """The one document whose card holds the most weight of the description's words, when
        it holds a fair share of it and more than any other card."""
        asked = set(self.tokenizer.tokenise(description))
        count = len(self.words)
        weight = {w: math.log(1 + count / max(1, self.frequency[w])) for w in asked}
        total = math.fsum(weight.values())
        scores = sorted(
            (
                (math.fsum(weight[w] for w in asked & words), doc_id)
                for doc_id, words in self.words.items()
            ),
            reverse=True,
        )
        if not scores or total <= 0:
            return None
        top, doc_id = scores[0]
        runner_up = scores[1][0] if len(scores) > 1 else 0.0
        if top <= runner_up or top < MIN_SHARE * total:
            return None
        return doc_id
