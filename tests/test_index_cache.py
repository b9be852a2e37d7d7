"""The index cache: reused when current, partly rebuilt when a document changes, never trusted
when corrupt."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from qa_bot.index import BM25Index
from qa_bot.index_cache import IndexCache
from qa_bot.models import Passage


def documents(texts: dict[str, list[str]]) -> dict[str, list[Passage]]:
    return {
        doc: [
            Passage(id=f"{doc}#{n}", doc_id=doc, section="", ordinal=n, text=t)
            for n, t in enumerate(ps)
        ]
        for doc, ps in texts.items()
    }


class CountingTokeniser:
    def __init__(self) -> None:
        self.calls: list[str] = []

    def __call__(self, text: str) -> list[str]:
        self.calls.append(text)
        return list(text)


def build(
    folder: Path, texts: dict[str, list[str]], tokenise: CountingTokeniser, key: str = "k"
) -> BM25Index:
    return IndexCache(folder, key).index(documents(texts), lambda p: p.text, tokenise)


TEXTS = {"a": ["甲乙丙", "丙丁"], "b": ["乙戊"], "c": ["己庚"]}


def test_current_cache_is_reused(tmp_path: Path) -> None:
    first = CountingTokeniser()
    built = build(tmp_path, TEXTS, first)
    again = CountingTokeniser()
    loaded = build(tmp_path, TEXTS, again)
    assert len(first.calls) == 4 and again.calls == []
    np.testing.assert_array_equal(built.scores(["乙", "丙"]), loaded.scores(["乙", "丙"]))


def test_changed_document_is_the_only_one_tokenised_again(tmp_path: Path) -> None:
    build(tmp_path, TEXTS, CountingTokeniser())
    changed = CountingTokeniser()
    index = build(tmp_path, {**TEXTS, "b": ["乙戊辛"]}, changed)
    assert changed.calls == ["乙戊辛"]
    assert index.top(["辛"], 1)[0][0] == 2


def test_other_tokenizer_settings_rebuild(tmp_path: Path) -> None:
    build(tmp_path, TEXTS, CountingTokeniser(), key="one")
    other = CountingTokeniser()
    build(tmp_path, TEXTS, other, key="two")
    assert len(other.calls) == 4


@pytest.mark.parametrize("victim", ["index.npz", "meta.json", "tokens.json"])
def test_corrupt_cache_is_rebuilt(tmp_path: Path, victim: str) -> None:
    expected = build(tmp_path, TEXTS, CountingTokeniser()).scores(["乙"])
    (tmp_path / victim).write_bytes(b"\x00garbage")
    index = build(tmp_path, TEXTS, CountingTokeniser())
    np.testing.assert_array_equal(index.scores(["乙"]), expected)


def test_inconsistent_arrays_are_refused(tmp_path: Path) -> None:
    index = BM25Index.build([["甲", "乙"], ["乙"]])
    index.offsets = index.offsets[:-1]
    index.save(tmp_path / "index.npz")
    with pytest.raises(ValueError):
        BM25Index.load(tmp_path / "index.npz")
