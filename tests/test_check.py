"""`qa-bot check`: all problems of a knowledge folder at once, each naming file and field."""

from __future__ import annotations

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
            "docs/latin1.txt": "标题".encode("gbk"),
            "facts/f.yaml": FACTS,
            "dict/userdict.txt": "高新技术企业 1\n",
        }
    )
    assert main(["check", "--knowledge", str(root)]) == 1
    out = capsys.readouterr().out
    assert "bad.md: front matter: who: unknown field" in out
    assert "latin1.txt: not UTF-8 text" in out
    assert "conflicting values for 衡阳市 / 高企数量 / 2019: 273 vs 274" in out
    assert "fact 3: evidence: not found verbatim" in out
    assert "fact 4: colour: unknown field" in out
    assert "fact 5: doc: unknown document id 'nowhere'" in out
    assert "error(s)" in out.splitlines()[-1]


def test_shipped_knowledge_is_clean(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 0
    assert "0 error(s), 0 warning(s)" in capsys.readouterr().out
