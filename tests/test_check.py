"""`qa-bot check`: all problems of a knowledge folder at once, each naming file and field."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from qa_bot.cli import main

MakeKnowledge = Callable[[dict[str, str | bytes]], Path]

GOOD = "---\nid: d\ntitle: 文档\n---\n2019年衡阳有高新技术企业273家。\n"
FACTS = """
- {subject: 衡阳市, attribute: 高企数量, value: "273", time: "2019", doc: d, evidence: 企业273家}
- {subject: 衡阳市, attribute: 高企数量, value: "274", time: "2019", doc: d, evidence: 企业273家}
- {subject: 衡阳市, attribute: 专家, value: "9", doc: d, evidence: 不在文中的句子}
- {subject: 衡阳市, attribute: 专家, value: "9", doc: d, evidence: 273家, colour: red}
- {subject: 衡阳市, attribute: 专家, value: "9", doc: nowhere, evidence: 273家}
"""


def test_check_lists_every_problem(
    make_knowledge: MakeKnowledge, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_knowledge(
        {
            "docs/d.md": GOOD,
            "docs/bad.md": "---\ntitle: 坏\nwho: x\n---\n正文。\n",
            "docs/broken.txt": b"\xd6\xd0\xff",
            "facts/f.yaml": FACTS,
            "dict/userdict.txt": "高新技术企业 1\n",
        }
    )
    assert main(["check", "--knowledge", str(root)]) == 1
    out = capsys.readouterr().out
    assert "bad.md: front matter: who: unknown field" in out
    assert "broken.txt: not UTF-8 text (byte 0xd6 at offset 0)" in out
    assert "conflicting values for 衡阳市 / 高企数量 / 2019: 273 vs 274" in out
    assert "fact 3: evidence: not found verbatim" in out
    assert "fact 4: colour: unknown field" in out
    assert "fact 5: doc: unknown document id 'nowhere'" in out
    assert "error(s)" in out.splitlines()[-1]


def check_lines(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    """Exit code and output lines (paths relative to ``root``) of ``qa-bot check``.

    Every line is one problem, or the summary at the end.
    """
    code = main(["check", "--knowledge", str(root)])
    lines = capsys.readouterr().out.replace(f"{root}/", "").splitlines()
    assert all(line.startswith(("ERROR ", "WARNING ")) for line in lines[:-1])
    assert "error(s)" in lines[-1]
    return code, lines


def test_check_finds_what_crashed_loading_and_every_problem_of_a_file(
    make_knowledge: MakeKnowledge, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_knowledge(
        {
            "docs/d.md": GOOD,
            "docs/dates.md": "---\ndate: 2023-13-01\ntitle: 甲\ntitle: 乙\nwho: x\n---\n正文。\n",
            "docs/month.md": "---\ndate: 2023-13\n---\n正文。\n",
            os.fsdecode(b"docs/\xff.md"): "正文。\n",
            "facts/f.yaml": (
                "- {subject: 甲, attribute: 乙, value: '1', doc: d, evidence: 273家,"
                "   time: 2023-13-01}\n"
                "- {subject: 甲, attribute: 丙, value: '1', doc: d, evidence: 273家,"
                "   kind: x, kind: y}\n"
            ),
            "dict/userdict.txt": "高新技术企业 ²\n科技 ³ n\n",
            "dict/aliases.yaml": "甲: [乙]\n乙: [甲]\n丙: [丁]\n丙: [戊]\n",
        }
    )
    (root / "docs" / "loop.md").symlink_to("loop.md")
    code, lines = check_lines(root, capsys)
    assert code == 1
    out = "\n".join(lines)
    for expected in [
        "dates.md: front matter: line 4: duplicate key 'title' (first at line 3)",
        "dates.md: front matter: date: Value error, date must look like 2020, 2020-12 or",
        "dates.md: front matter: who: unknown field",
        "month.md: front matter: date: Value error",
        "ERROR   docs/\\xff.md: file name is not valid UTF-8",
        "loop.md: cannot read: Too many levels of symbolic links",
        "f.yaml: fact 1: time: Value error, time must look like",
        "f.yaml: line 2: duplicate key 'kind'",
        "f.yaml: fact 2: kind: Input should be",
        "userdict.txt: line 1: '²' is neither a frequency nor a tag",
        "userdict.txt: line 2: '³' is neither",
        "aliases.yaml: line 4: duplicate key '丙' (first at line 3)",
    ]:
        assert expected in out, expected


def test_check_reports_what_loading_silently_ignores(
    make_knowledge: MakeKnowledge, capsys: pytest.CaptureFixture[str]
) -> None:
    fact = "- {{id: {id}, subject: 衡阳市, attribute: {a}, value: '273', doc: d, evidence: 273家}}"
    root = make_knowledge(
        {
            "docs/d.md": GOOD,
            "docs/report.docx": b"PK\x03\x04",
            "docs/scan.pdf": b"%PDF-1.4",
            "docs/page.html": "<html></html>",
            "docs/old/a.md": "正文。",
            "intro.md": "正文。",
            "facts/a.yaml": fact.format(id="f1", a="高企数量"),
            "facts/b.yaml": fact.format(id="f1", a="高企总数"),
            "dict/aliases.yaml": "甲: [乙]\n乙: [丙]\n丙: [甲]\n"
            "高企: [高新企业]\n高新技术企业: [高企]\n",
        }
    )
    code, lines = check_lines(root, capsys)
    assert code == 1
    out = "\n".join(lines)
    for expected in [
        "WARNING docs/report.docx: not read (only .md and .txt documents are read): save it as",
        "WARNING docs/scan.pdf: not read",
        "WARNING docs/page.html: not read",
        "WARNING docs/old: sub-folder is not read",
        "WARNING intro.md: document at the folder root is not read: move it into docs/",
        "ERROR   facts/b.yaml: fact 1: id: 'f1' is already used by a.yaml fact 1",
        "aliases.yaml: 乙: alias cycle 丙 → 乙 → 甲 → 丙",
        "aliases.yaml: 高企: alias '高新企业' folds to '高企', itself an alias of '高新技术企业'",
    ]:
        assert expected in out, expected
    assert out.count("alias cycle") == 1


def test_warnings_only_exit_zero(
    make_knowledge: MakeKnowledge, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_knowledge({"docs/d.md": GOOD.encode("gbk"), "docs/notes.docx": b"PK"})
    code, lines = check_lines(root, capsys)
    assert code == 0
    assert sorted(line.split(":")[0:2] for line in lines[:-1]) == [
        ["WARNING docs/d.md", " read as GB18030 (GBK), not UTF-8"],
        ["WARNING docs/notes.docx", " not read (only .md and .txt documents are read)"],
    ]
    assert lines[-1].endswith("0 error(s), 2 warning(s)")


def test_shipped_knowledge_is_clean(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 0
    assert "0 error(s), 0 warning(s)" in capsys.readouterr().out
