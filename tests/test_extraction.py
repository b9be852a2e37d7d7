"""Facts extracted from document text, and answering without any hand-written facts."""

from __future__ import annotations

import shutil
from pathlib import Path

from qa_bot import QABot
from qa_bot.answering.templates import metric_statement
from qa_bot.evaluation import load_question_set, run, summarise
from qa_bot.extraction import extract_facts, merge
from qa_bot.models import Fact, Passage
from qa_bot.settings import Settings

from .conftest import KNOWLEDGE
from .test_answers import QUESTIONS


def facts_of(text: str, section: str = "大事记") -> list[Fact]:
    passage = Passage(id="d#0", doc_id="d", section=section, ordinal=0, text=text)
    return extract_facts("d", "文档", [passage])


def test_dated_sentence_is_an_event() -> None:
    [event] = [
        f for f in facts_of("2020年12月，省科技厅来衡阳调研科技创新工作。") if f.kind == "event"
    ]
    assert event.time == "2020-12"
    assert event.value == "省科技厅来衡阳调研科技创新工作"


def test_enumerated_series_is_one_fact_per_year() -> None:
    facts = facts_of("高新技术企业2017—2020年分别为142家、197家、273家、415家。")
    assert [(f.subject, f.time, f.value, f.unit) for f in facts] == [
        ("高新技术企业", "2017", "142", "家"),
        ("高新技术企业", "2018", "197", "家"),
        ("高新技术企业", "2019", "273", "家"),
        ("高新技术企业", "2020", "415", "家"),
    ]


def test_figure_statement_is_a_metric() -> None:
    [fact] = facts_of(
        "衡南县试验示范基地第三代杂交水稻双季稻平均亩产达到1603.9公斤，再次刷新世界纪录。"
    )
    assert (fact.value, fact.unit, fact.attribute) == ("1603.9", "公斤", "达到")
    assert "杂交水稻" in fact.subject
    assert fact.evidence in "衡南县试验示范基地第三代杂交水稻双季稻平均亩产达到1603.9公斤"


def test_hand_written_facts_override_extracted_ones() -> None:
    """Extracted facts are dropped when a hand-written fact quotes the same evidence or states
    the same value for the same time; the others are kept beside the hand-written ones."""
    series = "高新技术企业2017—2020年分别为142家、197家、273家、415家。"
    extracted = facts_of(series + "2021年，全市申报高新技术企业377家。")
    same_sentence = Fact(
        subject="衡阳市",
        attribute="高新技术企业数量",
        value="273",
        unit="家",
        time="2019",
        doc="d",
        evidence=series.rstrip("。"),
    )
    merged = merge([same_sentence], extracted)
    assert merged[0] is same_sentence
    assert [f.value for f in merged[1:]] == ["全市申报高新技术企业377家"]


def test_without_hand_written_facts_most_figures_and_dates_are_answered(
    tmp_path: Path, settings: Settings
) -> None:
    """Deleting knowledge/facts/ still answers most number and date questions."""
    shutil.copytree(KNOWLEDGE / "docs", tmp_path / "kb" / "docs")
    shutil.copytree(KNOWLEDGE / "dict", tmp_path / "kb" / "dict")
    bot = QABot.load(tmp_path / "kb", settings=settings)
    items = [
        i for i in load_question_set(QUESTIONS / "dev.yaml") if i.category in {"number", "date"}
    ]
    summary = summarise(run(bot, items))
    assert summary["accuracy"] >= 0.9


def test_a_figure_whose_attribute_ends_in_its_verb_reads_without_a_second_verb() -> None:
    # an extracted 增加值占GDP比重达到 16.3% is stated as the text says it, not 达到为16.3%
    said = metric_statement("", "增加值占GDP比重达到", "16.3", "%", "2019")
    assert said == "2019年，增加值占GDP比重达到16.3%"
    assert metric_statement("青山镇", "企业数量", "57", "家", None) == "青山镇企业数量为57家"
