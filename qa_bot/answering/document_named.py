"""Content questions that ask which document says something (哪篇报道里提到了…, 介绍…的是哪篇
文章): answered from the text like any other, with the answer led by its document's title, for
a journalist who must cite the article and not only the fact."""

from __future__ import annotations

from qa_bot.answering import templates
from qa_bot.answering.document_fields import rules
from qa_bot.models import Reply


def asks_which_document(text: str) -> bool:
    """Whether a question (normalised) asks which document says what it asks about."""
    return rules().which.search(text) is not None


def document_named(reply: Reply) -> Reply:
    """The answer led by the title of the document it comes from (its first source)."""
    answer = templates.IN_DOCUMENT.format(title=reply.sources[0].title, answer=reply.answer)
    text = answer + reply.text[len(reply.answer) :]
    return reply.model_copy(update={"answer": answer, "text": text})
