"""The index cache: reused when current, partly rebuilt when a document changes, never trusted
when corrupt."""

from __future__ import annotations

import hashlib
import json
import logging
import stat
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from qa_bot.index import BM25Index
from qa_bot.index_cache import FORMAT, IndexCache
from qa_bot.models import Passage
from qa_bot.passage_store import array_bytes
from qa_bot.private_files import read_cache, write_cache


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


def damage(path: Path, how: str) -> None:
    """Break a file the way a crash, a disk or a person does."""
    data = path.read_bytes()
    if how == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif how == "bit-flipped":
        middle = len(data) // 2
        path.write_bytes(data[:middle] + bytes([data[middle] ^ 0x10]) + data[middle + 1 :])
    elif how == "empty":
        path.write_bytes(b"")
    else:
        path.write_bytes(b"\x00garbage")


def warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


@pytest.mark.parametrize("how", ["truncated", "bit-flipped", "empty", "garbage"])
@pytest.mark.parametrize(
    "victim", ["documents.npy", "offsets.npy", "vocabulary.txt", "meta.json", "tokens.json"]
)
def test_damaged_cache_file_is_rebuilt_with_one_warning(
    tmp_path: Path, victim: str, how: str, caplog: pytest.LogCaptureFixture
) -> None:
    expected = build(tmp_path, TEXTS, CountingTokeniser()).scores(["乙", "丁"])
    if victim == "tokens.json":
        (tmp_path / "meta.json").unlink()  # the tokens are read when the index is rebuilt
    damage(tmp_path / victim, how)
    with caplog.at_level(logging.WARNING):
        index = build(tmp_path, TEXTS, CountingTokeniser())
    np.testing.assert_array_equal(index.scores(["乙", "丁"]), expected)
    assert len(warnings(caplog)) == 1
    caplog.clear()
    again = CountingTokeniser()
    build(tmp_path, TEXTS, again)
    assert again.calls == [] and warnings(caplog) == []  # healed: the next start is quiet


@pytest.mark.parametrize(
    "payload",
    [b"[]", b'"key"', b"null", b"42", b"{not json"],
    ids=["list", "string", "null", "number", "invalid"],
)
def test_meta_that_is_not_an_object_is_rebuilt(
    tmp_path: Path, payload: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    expected = build(tmp_path, TEXTS, CountingTokeniser()).scores(["乙"])
    write_cache(tmp_path / "meta.json", payload)
    with caplog.at_level(logging.WARNING):
        index = build(tmp_path, TEXTS, CountingTokeniser())
    np.testing.assert_array_equal(index.scores(["乙"]), expected)
    assert len(warnings(caplog)) == 1


def tokens_file(documents: object) -> bytes:
    return json.dumps({"format": FORMAT, "settings": "k", "documents": documents}).encode()


def stored_tokens(folder: Path) -> dict[str, list[str]]:
    documents: dict[str, list[str]] = json.loads(read_cache(folder / "tokens.json"))["documents"]
    return documents


@pytest.mark.parametrize(
    "spoil",
    [
        lambda docs: [],
        lambda docs: {h: {"0": v} for h, v in docs.items()},
        lambda docs: {h: [1] * len(v) for h, v in docs.items()},
        lambda docs: {h: [*v, "甲"] for h, v in docs.items()},
        lambda docs: {h: None for h in docs},
    ],
    ids=["documents-list", "entry-object", "entry-numbers", "entry-too-long", "entry-null"],
)
def test_malformed_token_entries_are_tokenised_again(
    tmp_path: Path,
    spoil: Callable[[dict[str, list[str]]], object],
    caplog: pytest.LogCaptureFixture,
) -> None:
    expected = build(tmp_path, TEXTS, CountingTokeniser()).scores(["乙", "丙"])
    write_cache(tmp_path / "tokens.json", tokens_file(spoil(stored_tokens(tmp_path))))
    (tmp_path / "meta.json").unlink()
    tokenise = CountingTokeniser()
    with caplog.at_level(logging.WARNING):
        index = build(tmp_path, TEXTS, tokenise)
    np.testing.assert_array_equal(index.scores(["乙", "丙"]), expected)
    assert len(tokenise.calls) == 4 and len(warnings(caplog)) == 1


@pytest.mark.parametrize(
    "arrays",
    [
        lambda index: {"documents": b"\x93NUMPY not an array"},
        lambda index: npy(BM25Index.build([["甲"]])),  # another corpus's index
        lambda index: shifted(index, "documents", 100),
        lambda index: shifted(index, "offsets", -3),
        lambda index: shifted(index, "frequencies", -5),
    ],
    ids=["not-npy", "other-size", "document-out-of-range", "offsets-decreasing", "negative"],
)
def test_inconsistent_index_arrays_are_rebuilt(
    tmp_path: Path,
    arrays: Callable[[BM25Index], dict[str, bytes]],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Arrays written by someone who knows the format (checksums recorded) are still
    checked before they are mapped and used."""
    built = build(tmp_path, TEXTS, CountingTokeniser())
    expected = built.scores(["乙"])
    meta = json.loads(read_cache(tmp_path / "meta.json"))
    for name, data in arrays(built).items():
        (tmp_path / f"{name}.npy").write_bytes(data)
        meta["arrays"][name] = hashlib.sha256(data).hexdigest()
    write_cache(tmp_path / "meta.json", json.dumps(meta).encode())
    with caplog.at_level(logging.WARNING):
        index = build(tmp_path, TEXTS, CountingTokeniser())
    np.testing.assert_array_equal(index.scores(["乙"]), expected)
    assert len(warnings(caplog)) == 1


def npy(index: BM25Index) -> dict[str, bytes]:
    return {name: array_bytes(array) for name, array in index.arrays().items()}


def shifted(index: BM25Index, name: str, by: int) -> dict[str, bytes]:
    """The index's array ``name`` with its last value moved by ``by``."""
    array = np.array(getattr(index, name))
    array[-1] += by
    return {name: array_bytes(array)}


def test_warm_index_arrays_are_mapped_from_the_cache(tmp_path: Path) -> None:
    """A warm start maps the arrays (shared pages between workers) instead of copying them."""
    built = build(tmp_path, TEXTS, CountingTokeniser())
    loaded = build(tmp_path, TEXTS, CountingTokeniser())
    assert isinstance(loaded.documents, np.memmap) and isinstance(loaded.offsets, np.memmap)
    assert not loaded.documents.flags.writeable
    assert loaded.top(["乙", "丙"], 3) == built.top(["乙", "丙"], 3)


def test_inconsistent_arrays_are_refused() -> None:
    index = BM25Index.build([["甲", "乙"], ["乙"]])
    index.offsets = index.offsets[:-1]
    with pytest.raises(ValueError):
        BM25Index.checked(index.vocabulary, **index.arrays())


def test_cache_files_are_private_and_leave_no_temporary_files(tmp_path: Path) -> None:
    build(tmp_path / "index", TEXTS, CountingTokeniser())
    build(tmp_path / "index", {**TEXTS, "c": ["辛"]}, CountingTokeniser())
    files = sorted(p.name for p in (tmp_path / "index").iterdir())
    assert files == [
        "documents.npy",
        "frequencies.npy",
        "lengths.npy",
        "meta.json",
        "offsets.npy",
        "tokens.json",
        "vocabulary.txt",
    ]
    assert {stat.S_IMODE((tmp_path / "index" / f).stat().st_mode) for f in files} == {0o600}
    assert stat.S_IMODE((tmp_path / "index").stat().st_mode) == 0o700
