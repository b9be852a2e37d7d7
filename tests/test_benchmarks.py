"""The SQuAD-format benchmark code (benchmarks/squad.py) end to end on a tiny hand-made set:
the benchmarks themselves take minutes and are run by hand, so this keeps their shared code
from rotting (reading, knowledge folder, asking, scoring, near-miss split, dump)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from benchmarks.squad import (
    AbstentionScore,
    BenchmarkError,
    Outcome,
    Score,
    ask_bot,
    ask_peer,
    contains_gold,
    dump,
    load_bot,
    near_miss_split,
    parse_squad,
    select,
    settings_with,
    split_of,
    write_knowledge,
)

YANGTZE = "長江是中國最長的河流，全長約6300公里。長江發源於青藏高原的唐古拉山脈。"
DAM = "三峽大壩位於湖北省宜昌市，是世界上最大的水力發電站。大壩於2006年完工。"
WEST_LAKE = "西湖位于浙江省杭州市西部，2011年被列入世界遗产名录。"


def qa(qid: str, question: str, answer: str) -> dict[str, Any]:
    return {"id": qid, "question": question, "answers": [{"text": answer, "answer_start": 0}]}


def article(key: str, title: str, *paragraphs: tuple[str, list[dict[str, Any]]]) -> dict[str, Any]:
    return {
        "id": key,
        "title": title,
        "paragraphs": [{"context": context, "qas": qas} for context, qas in paragraphs],
    }


LAKE = article("B2", "西湖", (WEST_LAKE, [qa("q4", "西湖哪一年被列入世界遗产名录？", "2011年")]))
TINY: dict[str, Any] = {
    "version": "test",
    "data": [
        article(
            "A1",
            "長江",
            (
                YANGTZE,
                [
                    qa("q1", "長江全長約多少公里？", "6300公里"),
                    qa("q2", "長江發源於哪座山脈？", "唐古拉山脈"),
                ],
            ),
            (DAM, [qa("q3", "三峽大壩位於哪個城市？", "宜昌市")]),
        ),
        LAKE,
    ],
}


def test_a_squad_file_becomes_one_document_per_paragraph(tmp_path: Path) -> None:
    dataset = parse_squad(TINY)
    assert [p.doc_id for p in dataset.paragraphs] == ["A1-p0", "A1-p1", "B2-p0"]
    assert [(q.qid, q.doc_id) for q in dataset.questions] == [
        ("q1", "A1-p0"),
        ("q2", "A1-p0"),
        ("q3", "A1-p1"),
        ("q4", "B2-p0"),
    ]
    root = write_knowledge(dataset.paragraphs, tmp_path / "kb")
    written = sorted(p.name for p in (root / "docs").iterdir())
    assert written == ["A1-p0.txt", "A1-p1.txt", "B2-p0.txt"]
    title, context = (root / "docs" / "A1-p1.txt").read_text("utf-8").splitlines()
    assert (title, context) == ("長江", DAM)


def test_bot_and_peer_are_asked_and_scored_end_to_end(tmp_path: Path) -> None:
    dataset = parse_squad(TINY)
    bot = load_bot(dataset.paragraphs, tmp_path, settings_with(tmp_path / "cache"))
    mine = ask_bot(bot, dataset.questions)
    theirs = ask_peer(dataset.paragraphs, dataset.questions)
    assert mine[0].answered and mine[0].contains and mine[0].hit(1)
    assert all(o.hit(1) for o in theirs)
    score = Score.of("qa-bot", mine)
    assert score.total == 4
    assert score.hit1 == sum(o.hit(1) for o in mine) >= 3
    assert score.contains >= 3
    assert score.p95 >= score.p50 > 0
    out = tmp_path / "dump.jsonl"
    dump(out, mine, theirs, frozenset({"A1-p1"}))
    records = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [r["qid"] for r in records] == ["q1", "q2", "q3", "q4"]
    assert [r["near_miss"] for r in records] == [False, False, True, False]
    assert records[0]["gold_doc"] == records[0]["top_doc"] == "A1-p0"
    assert records[0]["contains"] is True and records[0]["answers"] == ["6300公里"]


def test_near_miss_split_drops_every_second_paragraph_of_an_article(tmp_path: Path) -> None:
    split = near_miss_split(parse_squad(TINY))
    assert [p.doc_id for p in split.kept] == ["A1-p0", "B2-p0"]
    assert split.dropped_ids == {"A1-p1"}
    assert not split.whole_articles
    bot = load_bot(split.kept, tmp_path, settings_with(tmp_path / "cache"))
    outcomes = ask_bot(bot, parse_squad(TINY).questions)
    score = AbstentionScore.of("qa-bot", outcomes, split.dropped_ids)
    assert (score.near_misses, score.answerable) == (1, 3)
    assert score.abstained_near == (not outcomes[2].answered)


def test_one_paragraph_articles_fall_back_to_dropping_every_second_article() -> None:
    single = {"data": [LAKE, {**LAKE, "id": "C3", "title": "西湖二"}]}
    split = near_miss_split(parse_squad(single))
    assert split.whole_articles
    assert [p.doc_id for p in split.kept] == ["B2-p0"]
    assert split.dropped_ids == {"C3-p0"}


def test_abstention_scores_count_near_misses_and_refusals() -> None:
    questions = parse_squad(TINY).questions
    answered = {"q1": True, "q2": False, "q3": False, "q4": True}
    outcomes = [
        Outcome(q, "全長約6300公里" if q.qid == "q1" else "", answered[q.qid], 0.5, "x", (), 0.0)
        for q in questions
    ]
    score = AbstentionScore.of("bot", outcomes, frozenset({"A1-p1"}))
    assert score.recall == 1.0  # q3, the near miss, abstained
    assert score.refused_share == pytest.approx(1 / 3)  # q2 refused
    assert score.answered_contains == 0.5  # q1 of q1, q4
    assert score.precision == 0.5  # q3 of q2, q3


def test_gold_matches_across_scripts_widths_and_spaces() -> None:
    assert contains_gold("長江全長約６３００ 公里。", ["长江全长约6300公里"])
    assert contains_gold("三峡大坝位于宜昌市", ["宜昌市", ""])
    assert not contains_gold("位於湖北省", ["宜昌市"])
    assert not contains_gold("任何回答", [""])


def test_splits_are_by_article_and_partition_the_questions() -> None:
    questions = parse_squad(TINY).questions
    fit, held_out = select(questions, "fit"), select(questions, "held-out")
    assert sorted(q.qid for q in fit + held_out) == ["q1", "q2", "q3", "q4"]
    assert {split_of(q.article) for q in fit} <= {"fit"}
    assert {split_of("長江")} == {split_of(q.article) for q in questions[:3]}
    assert select(questions, "all", limit=2) == questions[:2]


def test_malformed_input_is_one_line_naming_file_and_field() -> None:
    broken = {"data": [{"title": "x", "paragraphs": [{"qas": []}]}]}
    with pytest.raises(BenchmarkError, match=r"^f\.json: data\[0\]\.paragraphs\[0\]\.context"):
        parse_squad(broken, "f.json")
    with pytest.raises(BenchmarkError, match=r"answer\.top_k"):
        settings_with(Path("cache"), ["answer.top_k=0"])
    with pytest.raises(BenchmarkError, match="no such setting"):
        settings_with(Path("cache"), ["answer.abstain_treshold=0.3"])
    assert settings_with(Path("c"), ["answer.abstain_threshold=0"]).answer.abstain_threshold == 0
