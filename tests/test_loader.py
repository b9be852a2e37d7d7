"""The loader: folder rules, passages and sections, and one clear error per broken file."""

from __future__ import annotations

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
        ({"docs/a.md": "正文".encode("gbk")}, r"a\.md: not UTF-8 text \(byte 0x"),
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
