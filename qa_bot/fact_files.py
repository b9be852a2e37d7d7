"""Fact files (``facts/*.yaml``): records validated as Fact models; problems name the item."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from qa_bot.errors import KnowledgeError
from qa_bot.files import (
    listed_files,
    read_yaml,
    validate,
)
from qa_bot.models import Fact

FACT_SUFFIXES = (".yaml", ".yml")


def load_facts(folder: Path, doc_ids: set[str]) -> list[Fact]:
    """Every ``*.yaml`` fact file of ``folder`` (a missing folder means no facts)."""
    if not folder.is_dir():
        return []
    facts: list[Fact] = []
    for path in listed_files(folder, FACT_SUFFIXES):
        facts.extend(load_fact_file(path, doc_ids))
    return facts


def load_fact_file(path: Path, doc_ids: set[str]) -> list[Fact]:
    """One fact file: a YAML list of fact records (or a mapping with a ``facts`` list).

    :raises KnowledgeError: with every problem of the file (repeated keys, each bad record).
    """
    records, problems = fact_records(path)
    facts: list[Fact] = []
    for number, item in enumerate(records, start=1):
        try:
            facts.append(fact_from_record(path, number, item, doc_ids))
        except KnowledgeError as exc:
            problems += exc.problems
    if problems:
        raise KnowledgeError(path, problems)
    return facts


def fact_records(path: Path) -> tuple[list[Any], list[str]]:
    """The raw records of a fact file (an empty file has none) and its repeated YAML keys.

    :raises KnowledgeError: when the file is not readable YAML or not a list.
    """
    data, problems = read_yaml(path)
    if isinstance(data, dict) and "facts" in data:
        data = data["facts"]
    if data is None:
        return [], problems
    if not isinstance(data, list):
        raise KnowledgeError(path, [*problems, "expected a list of facts"])
    return data, problems


def fact_from_record(path: Path, number: int, item: Any, doc_ids: set[str]) -> Fact:
    """Record ``number`` of a fact file as a validated Fact about a known document.

    :raises KnowledgeError: naming the record and the field at fault.
    """
    if not isinstance(item, dict):
        raise KnowledgeError(path, f"fact {number}: expected a mapping of fields")
    fact = validate(path, Fact, item, f"fact {number}")
    if fact.doc not in doc_ids:
        raise KnowledgeError(path, f"fact {number}: doc: unknown document id '{fact.doc}'")
    return fact
