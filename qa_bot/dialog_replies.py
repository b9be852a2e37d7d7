"""Replies served from the dialog state (出处？ / 还有呢？ / 第二个呢？ / a chosen option), and the
state a new answer leaves behind."""

from __future__ import annotations

import re

from qa_bot.answering import Outcome, templates
from qa_bot.dialog import DialogState, Resolution, list_items
from qa_bot.models import Reply, ReplyKind
from qa_bot.sentences import as_sentence


def serve_from_state(
    question: str, resolution: Resolution, state: DialogState
) -> tuple[Reply, DialogState]:
    """The reply to a request about the last answer, and the state after it."""
    if resolution.action == "source":
        text = source_text(state.last_reply)
        return plain(question, text or templates.NO_SOURCE, bool(text), "source"), state
    if resolution.action == "more":
        if not state.more:
            return plain(question, templates.NO_MORE, False, "help"), state
        answer, rest = state.more[0], state.more[1:]
        reply = plain(question, answer, True, "passage", state.last_reply)
        return reply, state.model_copy(update={"more": rest, "last_reply": reply})
    choices = state.options if resolution.action == "option" else state.items
    if not 1 <= resolution.number <= len(choices):
        message = templates.NO_ITEM.format(number=resolution.number)
        return plain(question, message, False, "help"), state
    chosen = choices[resolution.number - 1]
    if resolution.action == "option":
        cited = state.last_reply
        if cited is not None:
            n = resolution.number
            cited = cited.model_copy(update={"sources": cited.sources[n - 1 : n]})
        reply = plain(question, as_sentence(chosen), True, "fact", cited)
        document = reply.sources[0].doc_id if reply.sources else state.document
        update = {"options": [], "last_reply": reply, "document": document}
        return reply, state.model_copy(update=update)
    answer = templates.ITEM.format(number=resolution.number, item=chosen)
    return plain(question, answer, True, "list", state.last_reply), state


def plain(
    question: str, answer: str, answered: bool, kind: ReplyKind, cited: Reply | None = None
) -> Reply:
    """A reply served from the dialog state, citing what the earlier reply cited."""
    sources = cited.sources[:1] if cited is not None else []
    return Reply(
        question=question,
        answer=answer,
        text=templates.reply_text(answer, sources, []),
        answered=answered,
        confidence=1.0 if answered else 0.0,
        kind=kind,
        sources=sources,
    )


def source_text(reply: Reply | None) -> str | None:
    """The citation and evidence of a reply, or None when it has none."""
    if reply is None or not reply.sources or not reply.answered:
        return None
    source = reply.sources[0]
    where = templates.citation(source).removeprefix("来源：")
    return templates.SOURCE.format(citation=where, evidence=source.snippet)


def remember(state: DialogState, question: str, outcome: Outcome) -> DialogState:
    """The state after answering ``question``: what a follow-up may refer back to.

    An answer (or a clarification, or a "no data for that year") replaces the dialog's topic;
    an abstention on an unknown topic keeps the old one, so the next follow-up still refers
    to the last answer.
    """
    reply = outcome.reply
    if reply.kind in {"help"}:
        return state
    if not outcome.on_topic:
        return state.model_copy(update={"last_reply": reply, "options": [], "more": []})
    return DialogState(
        question=question,
        earlier_question=state.question,
        qtype=outcome.qtype,
        years=outcome.years or state.years,
        earlier_years=state.years if outcome.years and outcome.years != state.years else [],
        entity=topic(state.entity, outcome.entity, question),
        entities={**state.entities, **outcome.entities},
        options=outcome.options,
        items=outcome.items or list_items(reply.answer),
        more=outcome.more,
        last_reply=reply,
        document=outcome.document or state.document,
    )


def topic(before: str | None, found: str | None, question: str) -> str | None:
    """What the dialog is about after an answer: what it found, unless the question only
    asked a property of the topic it carried on (2020年读书论坛主题是什么 keeps 读书论坛, not
    主题; 雁峰区的高新技术产业增加值… keeps 雁峰区: both are in the question, and the topic is
    named first)."""
    if not found or (
        before and re.search(rf"(?:几|多少)[个家项名位所座件]?{re.escape(found)}", question)
    ):
        return before  # 选了几个城市 counts 城市: the dialog is still about what it was
    if not before or before not in question or found not in question:
        return found
    if before in found or found in before:
        return before  # 读书论坛主题 is the 读书论坛's property
    return before if question.find(before) < question.find(found) else found


def joined(question: str, replies: list[Reply]) -> Reply:
    """One reply to a message that held several turns: their answers in order (an answer
    repeated is said once), with the sources of the answered ones."""
    answered = [r for r in replies if r.answered] or replies[-1:]
    unique: dict[str, Reply] = {}
    for reply in answered:
        unique.setdefault(reply.answer, reply)
    sources = {s.passage_id: s for r in unique.values() for s in r.sources}
    return Reply(
        question=question,
        answer="\n".join(unique),
        text="\n".join(r.text for r in unique.values()),
        answered=answered[-1].answered,
        confidence=min(r.confidence for r in answered),
        kind=answered[-1].kind,
        sources=list(sources.values()),
        suggestions=answered[-1].suggestions,
    )
