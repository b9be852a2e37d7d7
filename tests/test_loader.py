"""The loader: folder rules, passages and sections, and one clear error per broken file."""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from qa_bot.errors import KnowledgeError
from qa_bot.loader import load_knowledge

from .conftest import KNOWLEDGE, SEEDS

MakeKnowledge = Callable[[dict[str, str | bytes]], Path]

DOC = """---
id: demo
title: 示例文档
date: 2021-01-08
source: 测试
---
开头段落。

## 一、第一节

第一节的第一段。
第一节的第一段续行。

### 小节

小节里的段落。
"""


def test_markdown_document_becomes_passages_with_sections(make_knowledge: MakeKnowledge) -> None:
    knowledge = load_knowledge(make_knowledge({"docs/demo.md": DOC}))
    [doc] = knowledge.documents
    assert (doc.id, doc.title, doc.date, doc.source) == ("demo", "示例文档", "2021-01-08", "测试")
    assert [(p.section, p.text) for p in doc.passages] == [
        ("", "开头段落。"),
        ("一、第一节", "第一节的第一段。第一节的第一段续行。"),
        ("一、第一节 › 小节", "小节里的段落。"),
    ]
    assert [p.id for p in doc.passages] == ["demo#0", "demo#1", "demo#2"]


def test_folder_with_only_plain_text_docs_works(make_knowledge: MakeKnowledge) -> None:
    root = make_knowledge({"docs/note.txt": "\n\n标题行\n\n正文第一段。\n\n正文第二段。\n"})
    knowledge = load_knowledge(root)
    [doc] = knowledge.documents
    assert (doc.id, doc.title) == ("note", "标题行")
    assert [p.text for p in doc.passages] == ["正文第一段。", "正文第二段。"]
    assert knowledge.facts == []
    assert knowledge.dictionary.aliases == {}


def test_long_paragraph_is_split_at_sentence_ends(make_knowledge: MakeKnowledge) -> None:
    paragraph = "这是一个很长的句子，用来测试切分。" * 60
    knowledge = load_knowledge(make_knowledge({"docs/long.md": f"# 长文\n\n{paragraph}\n"}))
    pieces = knowledge.documents[0].passages
    assert len(pieces) > 1
    assert all(p.text.endswith("。") and len(p.text) <= 400 for p in pieces)
    assert "".join(p.text for p in pieces) == paragraph


FACT = """- subject: 甲
  attribute: 数量
  value: "1"
  doc: a
  evidence: 正文
  kind: metric
  time: {time}
"""


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"docs/a.md": "---\ntitle: [unclosed\n---\n正文。"}, r"a\.md: front matter: invalid YAML"),
        (
            {"docs/a.md": "---\ntitle: 标题\ncolour: red\n---\n正文。"},
            r"a\.md: front matter: colour: unknown field",
        ),
        (
            {"docs/a.md": "---\ntitle: 标题\n正文。"},
            r"a\.md: front matter: opening '---' has no closing",
        ),
        ({"docs/a.md": "---\ntitle: 标题\n---\n\n  \n"}, r"a\.md: empty document"),
        (
            {"docs/a.md": b"\xd6\xd0\xff\n"},
            r"a\.md: not UTF-8 text \(byte 0xd6 at offset 0\): it looks like GBK/GB18030 .*"
            r"save it as UTF-8",
        ),
        (
            {"docs/a.md": "标题\n正文。\n".encode("utf-16-le")},
            r"a\.md: not UTF-8 text \(byte 0x98 at offset 2\): it looks like UTF-16 "
            r"\(little-endian\) without a byte-order mark; .*save it as UTF-8",
        ),
        (
            {"docs/a.md": b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xdf\xa4"},
            r"a\.md: not UTF-8 text .*it looks like a \.docx",
        ),
        (
            {"docs/a.md": "---\ndate: 2023-13-01\n---\n正文。"},
            r"a\.md: front matter: date: Value error, date must look like 2020, 2020-12 or",
        ),
        ({"docs/a.md": "---\ndate: 2023-13\n---\n正文。"}, r"a\.md: front matter: date: "),
        ({"docs/a.md": "---\ndate: 2023-02-30\n---\n正文。"}, r"a\.md: front matter: date: "),
        (
            {"docs/a.md": "---\ntitle: 甲\ntitle: 乙\n---\n正文。"},
            r"a\.md: front matter: line 3: duplicate key 'title' \(first at line 2\)",
        ),
        (
            {"docs/a.md": "---\ndate: !!timestamp 2023-13-01\n---\n正文。"},
            r"a\.md: front matter: invalid YAML at line 2, column 7: month must be in 1\.\.12",
        ),
        (
            {"docs/a.md": "正文。", "facts/f.yaml": FACT.format(time="2023-13-01")},
            r"f\.yaml: fact 1: time: Value error, time must look like 2020",
        ),
        (
            {"docs/a.md": "正文。", "facts/f.yaml": FACT.format(time="2023-13")},
            r"f\.yaml: fact 1: time: Value error",
        ),
        (
            {"docs/a.md": "正文。", "facts/f.yaml": FACT.format(time="2020") + "  time: 2021\n"},
            r"f\.yaml: line 8: duplicate key 'time' \(first at line 7\)",
        ),
        (
            {"docs/a.md": "正文。", "dict/aliases.yaml": "甲: [乙]\n甲: [丙]\n"},
            r"aliases\.yaml: line 2: duplicate key '甲'",
        ),
        (
            {"docs/a.md": "正文。", "dict/userdict.txt": "词语 ²\n"},
            r"userdict\.txt: line 1: '²' is neither a frequency nor a tag",
        ),
        (
            {"docs/a.md": "---\n- a\n- b\n---\n正文。"},
            r"a\.md: front matter: must be key: value pairs",
        ),
        (
            {"docs/a.md": "---\nid: a b\n---\n正文。"},
            r"a\.md: front matter: id: String should match",
        ),
        (
            {"docs/a.md": "---\nid: x\n---\n甲。", "docs/b.md": "---\nid: x\n---\n乙。"},
            r"b\.md: id: 'x' is already used by a\.md",
        ),
        ({"notes/a.md": "正文。"}, r"docs: no docs/ folder"),
        ({"docs/readme.rst": "正文。"}, r"docs: no \.md or \.txt documents"),
        (
            {"docs/a.md": "正文。", "dict/aliases.yaml": "甲: 3"},
            r"aliases\.yaml: 甲: expected a list",
        ),
        (
            {"docs/a.md": "正文。", "dict/userdict.txt": "词语 很多\n"},
            r"userdict\.txt: line 1: '很多'",
        ),
    ],
)
def test_broken_input_is_one_error_naming_file_and_problem(
    make_knowledge: MakeKnowledge, files: dict[str, str | bytes], expected: str
) -> None:
    with pytest.raises(KnowledgeError, match=expected) as caught:
        load_knowledge(make_knowledge(files))
    assert "\n" not in str(caught.value)


def test_every_problem_of_a_file_is_in_its_one_line_error(make_knowledge: MakeKnowledge) -> None:
    front = "---\ndate: 2023-13\ncolour: red\ncolour: blue\n---\n"
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(make_knowledge({"docs/a.md": front}))
    assert caught.value.problems == [
        "front matter: line 4: duplicate key 'colour' (first at line 3)",
        "front matter: date: Value error, date must look like 2020, 2020-12 or 2020-12-13 "
        "(a real month and day)",
        "front matter: colour: unknown field",
        "empty document: no text after the front matter/title",
    ]
    assert "\n" not in str(caught.value)


def test_symlink_loop_in_docs_is_one_error(make_knowledge: MakeKnowledge) -> None:
    root = make_knowledge({"docs/a.md": "正文。"})
    (root / "docs" / "loop.md").symlink_to("loop.md")
    with pytest.raises(KnowledgeError, match=r"loop\.md: cannot read: Too many levels of symbolic"):
        load_knowledge(root)


def test_file_name_that_is_not_utf8_is_named_escaped(make_knowledge: MakeKnowledge) -> None:
    root = make_knowledge({"docs/a.md": "正文。", os.fsdecode(b"docs/\xff.md"): "正文。"})
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(root)
    assert str(caught.value).endswith(
        "docs/\\xff.md: file name is not valid UTF-8: rename the file"
    )
    str(caught.value).encode("utf-8")  # printable


def test_yaml_dates_stay_the_text_written(make_knowledge: MakeKnowledge) -> None:
    files = {
        "docs/a.md": "---\ndate: 2021-01-08\n---\n正文。",
        "docs/b.md": "---\ndate: 2021-1-8\n---\n正文。",  # YAML used to read it as a date
        "facts/f.yaml": FACT.format(time="2020-12-13"),
        "dict/aliases.yaml": "2023-13-01: [2023-14-01]\n",
    }
    knowledge = load_knowledge(make_knowledge(files))
    assert [doc.date for doc in knowledge.documents] == ["2021-01-08", "2021-01-08"]
    assert knowledge.facts[0].time == "2020-12-13"
    assert knowledge.dictionary.aliases == {"2023-14-01": "2023-13-01"}


DOC_GBK = "---\ntitle: 中文标题\n---\n中文正文，第一段。\n"


@pytest.mark.parametrize(
    "encoded",
    [
        DOC_GBK.encode("gbk"),
        DOC_GBK.encode("gb18030"),
        DOC_GBK.encode("utf-16"),  # with a byte-order mark, as Notepad's "Unicode"
        codecs.BOM_UTF16_BE + DOC_GBK.encode("utf-16-be"),
        DOC_GBK.encode("utf-8-sig"),
        DOC_GBK.replace("\n", "\r\n").encode("gbk"),
    ],
    ids=["gbk", "gb18030", "utf-16-bom", "utf-16-be-bom", "utf-8-bom", "gbk-crlf"],
)
def test_documents_in_office_encodings_are_read(
    make_knowledge: MakeKnowledge, encoded: bytes
) -> None:
    [doc] = load_knowledge(make_knowledge({"docs/a.md": encoded})).documents
    assert doc.title == "中文标题"
    assert [p.text for p in doc.passages] == ["中文正文，第一段。"]


def test_dictionary_and_facts_in_gbk_are_read(make_knowledge: MakeKnowledge) -> None:
    files: dict[str, str | bytes] = {
        "docs/a.md": "正文。",
        "facts/f.yaml": FACT.format(time="2020").encode("gbk"),
        "dict/userdict.txt": "高新技术企业 100\n".encode("gbk"),
    }
    knowledge = load_knowledge(make_knowledge(files))
    assert knowledge.facts[0].subject == "甲"
    assert knowledge.dictionary.user_words == [("高新技术企业", 100, None)]


def test_missing_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeError, match="knowledge folder not found"):
        load_knowledge(tmp_path / "nowhere")


def _seed_paragraphs(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text("utf-8").split("\n") if line.strip()]


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.skipif(not SEEDS.is_dir(), reason="shared/seeds not beside the repository")
def test_shipped_documents_keep_every_seed_paragraph() -> None:
    """Nothing dropped: each seed line is in the shipped documents (breaks repaired)."""
    knowledge = load_knowledge(KNOWLEDGE)
    shipped = _squash(
        "".join(p.section + p.text for p in knowledge.passages)
        + "".join(f"{d.title}{d.source}{d.date}" for d in knowledge.documents)
    )
    missing = []
    for seed in sorted(SEEDS.glob("*.txt")):
        for line in _seed_paragraphs(seed):
            squashed = _squash(line.lstrip("#"))
            if squashed not in shipped and squashed not in {
                "2020衡阳",
                "年度热词·特别报道",
                "2021年1月8日星期五",
            }:
                missing.append(line)
    assert missing == []


def test_shipped_documents_repair_the_split_word() -> None:
    knowledge = load_knowledge(KNOWLEDGE)
    texts = [p.text for p in knowledge.passages]
    assert any("强度增长了1.1倍" in t for t in texts)
    assert not any(t.endswith("强度增") for t in texts)


def test_document_cache_is_used_refreshed_and_survives_corruption(
    make_knowledge: MakeKnowledge, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_knowledge({"docs/a.md": DOC, "docs/b.txt": "标题\n\n第一段。\n"})
    cache = tmp_path / "cache"
    first = load_knowledge(root, cache)
    import qa_bot.loader as loader

    real = loader.load_document
    read: list[str] = []

    def counting(path: Path) -> object:
        read.append(path.name)
        return real(path)

    monkeypatch.setattr(loader, "load_document", counting)
    assert load_knowledge(root, cache).documents == first.documents
    assert read == []
    (root / "docs" / "b.txt").write_text("标题\n\n改过的段落。\n", "utf-8")
    again = load_knowledge(root, cache)
    assert read == ["b.txt"]
    assert again.documents[1].passages[0].text == "改过的段落。"
    for file in (cache / "documents").iterdir():
        file.write_text("{not json", "utf-8")
    assert load_knowledge(root, cache).documents == again.documents
