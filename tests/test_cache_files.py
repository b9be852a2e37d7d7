"""The caches outside the index: parsed documents, jieba's dictionary and word tags, and the
cache directory itself — damaged files are rebuilt with one warning, and a cache directory
that others can write is never trusted."""

from __future__ import annotations

import hashlib
import json
import logging
import marshal
import os
import shutil
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jieba
import pytest

from qa_bot.loader import digest_path, load_knowledge
from qa_bot.models import Dictionary
from qa_bot.private_files import read_cache, write_cache
from qa_bot.settings import Settings
from qa_bot.tokenizer import Tokenizer, load_word_tags

DOCUMENT = (
    "---\ntitle: 测试文档\n---\n## 经营\n\n甲公司2020年营收100亿元。\n\n乙公司2020年营收80亿元。\n"
)
MAGIC = b"qa-bot-cache sha256="

MakeKnowledge = Callable[[dict[str, str | bytes]], Path]


def warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


def texts(root: Path, cache: Path) -> list[str]:
    return [p.text for p in load_knowledge(root, cache).passages]


def document_cache(root: Path, cache: Path) -> Path:
    return cache / "documents" / f"{digest_path(root)}.json"


def damage(path: Path, how: str) -> None:
    """Break a file the way a crash, a disk or a person does."""
    data = path.read_bytes()
    if how == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif how == "bit-flipped":
        middle = len(data) * 3 // 4
        path.write_bytes(data[:middle] + bytes([data[middle] ^ 0x01]) + data[middle + 1 :])
    elif how == "empty":
        path.write_bytes(b"")
    else:
        path.write_bytes(b"\x00garbage")


def tamper(path: Path, old: str, new: str) -> None:
    """Edit a cache file as someone who knows its format would (checksum recomputed)."""
    data = path.read_bytes()
    header, _, payload = data.partition(b"\n") if data.startswith(MAGIC) else (b"", b"", data)
    payload = payload.replace(old.encode(), new.encode())
    digest = hashlib.sha256(payload).hexdigest().encode()
    path.write_bytes(MAGIC + digest + b"\n" + payload if header else payload)


@pytest.mark.parametrize("how", ["truncated", "bit-flipped", "empty", "garbage"])
def test_damaged_document_cache_is_read_again_with_one_warning(
    make_knowledge: MakeKnowledge, tmp_path: Path, how: str, caplog: pytest.LogCaptureFixture
) -> None:
    root = make_knowledge({"docs/a.md": DOCUMENT})
    expected = texts(root, tmp_path / "cache")
    damage(document_cache(root, tmp_path / "cache"), how)
    with caplog.at_level(logging.WARNING):
        assert texts(root, tmp_path / "cache") == expected
    assert len(warnings(caplog)) == 1
    caplog.clear()
    assert texts(root, tmp_path / "cache") == expected
    assert warnings(caplog) == []  # rewritten: the next start is quiet


@pytest.mark.parametrize("suffix", [".passages.bin", ".passages.npy"])
@pytest.mark.parametrize("how", ["truncated", "bit-flipped", "empty", "garbage"])
def test_damaged_passage_store_is_rebuilt_with_one_warning(
    make_knowledge: MakeKnowledge,
    tmp_path: Path,
    how: str,
    suffix: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The memory-mapped passage texts are checked before use, like every cache file."""
    root = make_knowledge({"docs/a.md": DOCUMENT, "docs/b.txt": "标题\n\n第一段。\n"})
    expected = texts(root, tmp_path / "cache")
    store = document_cache(root, tmp_path / "cache").with_suffix(suffix)
    damage(store, how)
    with caplog.at_level(logging.WARNING):
        assert texts(root, tmp_path / "cache") == expected
    assert len(warnings(caplog)) == 1
    caplog.clear()
    assert texts(root, tmp_path / "cache") == expected
    assert warnings(caplog) == []


def test_warm_passages_are_read_from_the_shared_store(
    make_knowledge: MakeKnowledge, tmp_path: Path
) -> None:
    """A warm start maps the texts from the cache (one copy for all workers) and gives the
    same passages as a cold one."""
    root = make_knowledge({"docs/a.md": DOCUMENT, "docs/b.txt": "标题\n\n第一段。\n"})
    cold = load_knowledge(root, tmp_path)
    warm = load_knowledge(root, tmp_path)
    assert warm.documents == cold.documents
    assert list(warm.passages) == list(cold.passages) and len(warm.passages) == 3
    assert warm.passages[-1].text == "第一段。" and warm.passages[1].section == "经营"
    assert type(warm.documents[0].passages).__name__ == "PassageView"
    with pytest.raises(IndexError):
        warm.passages[3]


def spoil_entries(spoil: Callable[[list[Any]], object]) -> Callable[[dict[str, Any]], object]:
    return lambda data: {**data, "files": {n: spoil(e) for n, e in data["files"].items()}}


@pytest.mark.parametrize(
    "spoil",
    [
        lambda data: [],
        lambda data: {**data, "files": []},
        spoil_entries(lambda entry: {"size": entry[0]}),
        spoil_entries(lambda entry: [*entry[:2], "text"]),
        spoil_entries(lambda entry: [*entry[:2], {**entry[2], "passages": [{"text": 1}]}]),
        spoil_entries(lambda entry: [*entry[:2], {**entry[2], "title": None}, entry[3]]),
        spoil_entries(lambda entry: entry[:2]),
        spoil_entries(lambda entry: [*entry[:3], entry[3] + 1]),
        spoil_entries(lambda entry: [*entry[:3], "2"]),
        lambda data: {**data, "store": {"bin": "0" * 64, "npy": data["store"]["npy"]}},
    ],
    ids=[
        "list",
        "files-list",
        "entry-object",
        "entry-text",
        "passage",
        "title",
        "short",
        "passage-count",
        "count-text",
        "store-checksum",
    ],
)
def test_malformed_document_cache_entries_are_read_again(
    make_knowledge: MakeKnowledge,
    tmp_path: Path,
    spoil: Callable[[dict[str, Any]], object],
    caplog: pytest.LogCaptureFixture,
) -> None:
    root = make_knowledge({"docs/a.md": DOCUMENT, "docs/b.md": DOCUMENT.replace("甲", "丙")})
    expected = texts(root, tmp_path)
    path = document_cache(root, tmp_path)
    write_cache(path, json.dumps(spoil(json.loads(read_cache(path)))).encode())
    with caplog.at_level(logging.WARNING):
        assert texts(root, tmp_path) == expected
    assert len(warnings(caplog)) == 1


def test_cache_directory_and_files_are_private(
    make_knowledge: MakeKnowledge, tmp_path: Path
) -> None:
    root = make_knowledge({"docs/a.md": DOCUMENT})
    cache = tmp_path / "new" / "cache"
    load_knowledge(root, cache)
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    assert stat.S_IMODE(document_cache(root, cache).stat().st_mode) == 0o600


def test_own_readable_cache_directory_is_tightened(
    make_knowledge: MakeKnowledge, tmp_path: Path
) -> None:
    root = make_knowledge({"docs/a.md": DOCUMENT})
    (tmp_path / "cache").mkdir(mode=0o755)
    (tmp_path / "cache").chmod(0o755)
    load_knowledge(root, tmp_path / "cache")
    assert stat.S_IMODE((tmp_path / "cache").stat().st_mode) == 0o700


def share(path: Path, how: str) -> None:
    """Make a folder another user's, or writable by others."""
    if how == "other-owner":
        os.chown(path, 65534, 65534)
    else:
        path.chmod(0o777 if how == "world-writable" else 0o770)


@pytest.mark.parametrize("how", ["world-writable", "group-writable", "other-owner"])
def test_cache_others_can_write_is_not_trusted(
    make_knowledge: MakeKnowledge,
    tmp_path: Path,
    how: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    if how == "other-owner" and os.getuid() != 0:
        pytest.skip("only root can give a folder to another user")
    root = make_knowledge({"docs/a.md": DOCUMENT})
    cache = tmp_path / "cache"
    load_knowledge(root, cache)
    tamper(document_cache(root, cache), "100亿元", "999亿元")  # the citation stays real
    share(cache, how)
    before = sorted(p.relative_to(cache) for p in cache.rglob("*"))
    with caplog.at_level(logging.WARNING):
        answers = texts(root, cache)
        texts(root, cache)
    assert "甲公司2020年营收100亿元。" in answers
    assert len(warnings(caplog)) == 1 and str(cache) in warnings(caplog)[0]
    assert sorted(p.relative_to(cache) for p in cache.rglob("*")) == before  # nothing written


@pytest.fixture()
def warm_cache(tmp_path: Path, settings: Settings, tokenizer: Tokenizer) -> Path:
    """A cache directory holding jieba's dictionary cache (so a Tokenizer starts quickly)."""
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    shutil.copy2(settings.cache_dir / "jieba.cache", cache / "jieba.cache")
    return cache


def word_tag_files(cache: Path) -> list[Path]:
    return sorted(cache.glob("word_tags-*.marshal"))


@pytest.mark.parametrize("how", ["truncated", "bit-flipped", "empty", "garbage", "wrong-type"])
def test_damaged_word_tags_are_rebuilt_with_one_warning(
    tmp_path: Path, how: str, caplog: pytest.LogCaptureFixture
) -> None:
    load_word_tags(jieba.Tokenizer(), tmp_path)
    [cached] = word_tag_files(tmp_path)
    if how == "wrong-type":
        write_cache(cached, marshal.dumps({"北京": 1}))
    else:
        damage(cached, how)
    with caplog.at_level(logging.WARNING):
        assert load_word_tags(jieba.Tokenizer(), tmp_path)["北京"] == "ns"
    assert len(warnings(caplog)) == 1


def test_one_word_tag_file_is_kept(tmp_path: Path) -> None:
    stale = tmp_path / "word_tags-5071852-1795397572.marshal"
    stale.write_bytes(marshal.dumps({"北京": "ns"}))
    load_word_tags(jieba.Tokenizer(), tmp_path)
    assert len(word_tag_files(tmp_path)) == 1 and not stale.exists()


def test_word_tags_are_shared_by_every_copy_of_the_dictionary(tmp_path: Path) -> None:
    """Each virtualenv has its own copy of jieba's dictionary, with its own file times."""
    cache = tmp_path / "cache"
    cache.mkdir()
    written = []
    for number, when in enumerate([1_600_000_000, 1_700_000_000]):
        copy = tmp_path / f"venv{number}" / "dict.txt"
        copy.parent.mkdir()
        shutil.copyfile(Path(jieba.__file__).parent / "dict.txt", copy)
        os.utime(copy, (when, when))
        assert load_word_tags(jieba.Tokenizer(str(copy)), cache)["北京"] == "ns"
        written.append([(p.name, p.stat().st_ino) for p in word_tag_files(cache)])
    assert len(written[0]) == 1 and written[1] == written[0]  # reused, not rewritten


def test_malformed_jieba_cache_is_rebuilt(
    warm_cache: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (warm_cache / "jieba.cache").write_bytes(marshal.dumps(([1, 2], 3)))
    with caplog.at_level(logging.WARNING):
        tokenizer = Tokenizer(Dictionary(user_words=[("高新技术企业", None, None)]), warm_cache)
    assert tokenizer.tokenise("高新技术企业数量") == ["高新技术企业", "数量"]
    assert len(warnings(caplog)) == 1
