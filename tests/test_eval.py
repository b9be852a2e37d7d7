"""The eval command: question-set format, scoring rules, report and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qa_bot.cli import main
from qa_bot.errors import QuestionSetError
from qa_bot.evaluation import Turn, judge, load_question_set
from qa_bot.models import Reply

PUBLIC_SAMPLE = Path(__file__).resolve().parent / "questions" / "public_sample.yaml"

SET = """
- id: q1
  question: 衡阳哪一年获批建设国家创新型城市？
  expect: ["2018年4月"]
- id: u1
  question: 衡阳市2020年的常住人口是多少？
  unanswerable: true
- id: d1
  turns:
    - question: 2019年衡阳有多少家高新技术企业？
      expect: ["273"]
    - question: 南华大学研发了什么？
      expect: ["激光器"]
"""


def reply(answer: str, answered: bool = True) -> Reply:
    kind = "passage" if answered else "abstain"
    return Reply(
        question="q", answer=answer, text=answer, answered=answered, confidence=1, kind=kind
    )


def test_judging_rules() -> None:
    assert judge(Turn(question="q", expect=["2018年 4月"]), reply("是２０１８年４月。"))
    assert not judge(Turn(question="q", expect=["273"]), reply("273", answered=False))
    assert judge(Turn(question="q", unanswerable=True), reply("抱歉", answered=False))
    assert not judge(Turn(question="q", unanswerable=True), reply("273"))
    assert judge(Turn(question="q", expect_any=["甲", "乙"]), reply("乙"))
    assert not judge(Turn(question="q", expect=["甲"], expect_any=["乙"]), reply("甲"))


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("- id: a\n", r"item a: \(item\)|item a: .*question"),
        (
            "- id: a\n  question: q\n  expect: 273\n",
            r"item a: expect: Input should be a valid list",
        ),
        ("- id: a\n  question: [q]\n", r"item a: question: Input should be a valid string"),
        (
            "- id: a\n  turns:\n    - {question: q, expect: [x], expect: [y]}\n",
            r"line 3: duplicate key 'expect'",
        ),
        ("- id: a\n  question: q\n  question: r\n", r"line 3: duplicate key 'question'"),
        ("- id: a\n  question: q\n- id: a\n  question: r\n", r"item a: id: duplicate"),
        ("[unclosed\n", r"invalid YAML at line"),
        ("", r"expected a non-empty list"),
    ],
)
def test_bad_question_sets_name_file_and_item(tmp_path: Path, content: str, expected: str) -> None:
    path = tmp_path / "set.yaml"
    path.write_text(content, "utf-8")
    with pytest.raises(QuestionSetError, match=expected):
        load_question_set(path)


def test_question_sets_keep_dates_as_text_and_ignore_keys_they_do_not_use(tmp_path: Path) -> None:
    path = tmp_path / "set.yaml"
    text = (
        "- id: a\n  question: 2023-13-01\n  expect: [2018-04-01]\n  persona: 市民\n"
        "  evidence: 原文\n  note: x\n"
        "- id: b\n  turns:\n    - {question: q, evidence: 原文, colour: red}\n"
    )
    path.write_bytes(text.encode("utf-16"))  # Notepad's "Unicode": UTF-16 with a BOM
    first, second = load_question_set(path)
    assert (first.question, first.expect) == ("2023-13-01", ["2018-04-01"])
    assert second.turns[0].question == "q"


def test_eval_runs_a_set_written_by_others_and_reports_by_category(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The public set's items carry persona, evidence, source and note (copied from it)."""
    assert main(["eval", str(PUBLIC_SAMPLE), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["categories"].keys() == {"alias", "dialogue", "number", "unanswerable"}
    assert report["categories"]["dialogue"]["items"] == 3  # turns
    assert main(["eval", str(PUBLIC_SAMPLE)]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split() == ["category", "items", "accuracy"]
    assert [line.split()[:2] for line in table[1:5]] == [
        ["alias", "1"],
        ["dialogue", "3"],
        ["number", "1"],
        ["unanswerable", "1"],
    ]


def test_eval_json_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "set.yaml"
    path.write_text(SET, "utf-8")
    assert main(["eval", str(path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["questions"] == 2 and report["accuracy"] == 1.0
    assert report["dialogue_turns"] == 2 and report["dialogues"] == 1
    assert report["abstention"]["recall"] == 1.0
    assert set(report["latency_ms"]) == {"p50", "p95", "mean"}


def test_eval_table_and_min_accuracy_exit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "set.yaml"
    path.write_text(SET.replace('["2018年4月"]', '["1999年"]'), "utf-8")
    assert main(["eval", str(path), "--min-accuracy", "0.9"]) == 3
    captured = capsys.readouterr()
    assert "single questions" in captured.out
    assert "expected: 1999年" in captured.out
    assert "below" in captured.err


def test_unreadable_question_set_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["eval", str(tmp_path / "missing.yaml")]) == 1
    assert capsys.readouterr().err.count("\n") == 1


def test_source_hits_and_run_comparison(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "set.yaml"
    path.write_text(
        SET.replace(
            '  expect: ["2018年4月"]', '  expect: ["2018年4月"]\n  source: innovation-results-2020'
        ),
        "utf-8",
    )
    run = tmp_path / "run.json"
    assert main(["eval", str(path), "--json", "--save-run", str(run)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["retrieval"] == {"items": 1, "hit@1": 1.0, "hit@5": 1.0}
    path.write_text(SET.replace('["2018年4月"]', '["1999年"]'), "utf-8")
    assert main(["eval", str(path), "--compare", str(run)]) == 0
    out = capsys.readouterr().out
    assert "1 newly failing, 0 newly passing" in out
    assert "- [q1] 衡阳哪一年获批建设国家创新型城市？" in out


def test_a_set_whose_expectations_are_misspelt_is_loaded_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """``expected:`` is not ``expect:``: such items would pass whenever answered, so loading
    says so in one line naming the file and the key; notes beside real expectations do not."""
    typo = tmp_path / "typo.yaml"
    typo.write_text('- id: q1\n  question: 衡阳哪一年获批？\n  expected: ["2018"]\n', "utf-8")
    with caplog.at_level("WARNING"):
        assert len(load_question_set(typo)) == 1
    assert "typo.yaml" in caplog.text and "'expected'" in caplog.text
    caplog.clear()
    noted = tmp_path / "noted.yaml"
    noted.write_text('- id: q1\n  question: 衡阳哪一年获批？\n  expect: ["2018"]\n  style: 口语\n')
    with caplog.at_level("WARNING"):
        load_question_set(noted)
    assert caplog.text == ""
