"""The shipped facts: faithful to their documents, and broken fact files rejected clearly."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from qa_bot.answering.evidence import complete
from qa_bot.errors import KnowledgeError
from qa_bot.loader import load_knowledge
from qa_bot.models import Fact

from .conftest import KNOWLEDGE

KB = load_knowledge(KNOWLEDGE)
DOC_TEXT = {doc.id: "".join(p.section + p.text for p in doc.passages) for doc in KB.documents}
MakeKnowledge = Callable[[dict[str, str | bytes]], Path]


def test_there_are_facts_of_every_kind() -> None:
    kinds = {fact.kind for fact in KB.facts}
    assert kinds == {"metric", "event", "relation"}
    assert len(KB.facts) >= 150


@pytest.mark.parametrize("fact", KB.facts, ids=lambda f: f"{f.subject}/{f.attribute}/{f.time}")
def test_evidence_is_verbatim_and_holds_the_value(fact: Fact) -> None:
    assert fact.evidence in DOC_TEXT[fact.doc]
    assert fact.value in fact.evidence


def test_yearly_series_are_several_facts() -> None:
    series = {f.time: f.value for f in KB.facts if f.attribute == "高新技术企业数量" and f.time}
    assert series == {"2017": "142", "2018": "197", "2019": "273", "2020": "415"}


def test_every_chronicle_entry_is_an_event() -> None:
    chronicle = [
        p.text
        for p in KB.passages
        if p.section.endswith("大事记") and p.text[:4].isdigit() and "年" in p.text[:6]
    ]
    events = [f.evidence for f in KB.facts if f.kind == "event"]
    missing = [line for line in chronicle if not any(e in line or line in e for e in events)]
    assert missing == []


DOC = "---\nid: d\ntitle: 文档\n---\n2019年有273家。\n"


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        ("- {subject: 甲, attribute: 数量, value: 1, doc: d}", r"fact 1: evidence: Field required"),
        (
            "- {subject: 甲, attribute: 数量, value: 1, doc: d, evidence: x, colour: red}",
            r"fact 1: colour: unknown field",
        ),
        (
            "- {subject: 甲, attribute: 数量, value: 1, doc: d, evidence: x, time: 19}",
            r"fact 1: time: Value error, time must look like 2020",
        ),
        (
            "- {subject: 甲, attribute: 数量, value: 1, doc: nope, evidence: x}",
            r"fact 1: doc: unknown document id 'nope'",
        ),
        ("- [1, 2]", r"fact 1: expected a mapping of fields"),
        ("subject: 甲", r"expected a list of facts"),
        ("- {subject: 甲\n", r"invalid YAML at line"),
    ],
)
def test_bad_fact_file_is_one_line_naming_file_and_field(
    make_knowledge: MakeKnowledge, facts: str, expected: str
) -> None:
    root = make_knowledge({"docs/d.md": DOC, "facts/bad.yaml": facts})
    with pytest.raises(KnowledgeError, match=r"bad\.yaml: " + expected) as caught:
        load_knowledge(root)
    assert "\n" not in str(caught.value)


def test_a_fact_stated_with_it_names_its_subject_instead() -> None:
    """Evidence that opens with 它 (its subject is in the sentence before) is quoted with the
    subject in the pronoun's place, never as 智造谷它是…."""
    fact = Fact(
        subject="青山科技馆",
        attribute="定位",
        value="全省首座航天主题科技馆",
        kind="relation",
        doc="d",
        evidence="它是全省首座航天主题科技馆",
    )
    assert complete(fact) == "青山科技馆是全省首座航天主题科技馆"
