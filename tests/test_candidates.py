"""Typed candidates on real sentences: what a sentence offers as an answer of each type."""

from __future__ import annotations

import pytest

from qa_bot.answering.answer_types import AnswerType
from qa_bot.answering.candidates import CandidateFinder
from qa_bot.text import normalise
from qa_bot.tokenizer import Tokenizer


@pytest.mark.parametrize(
    ("sentence", "found"),
    [
        ("2020年12月17日凌晨，嫦娥五号返回器安全着陆。", "2020年"),
        ("网球比赛在每一局比赛结束之后交换发球权。", "比赛结束之后"),
        ("摆暝活动在元宵节前后举行。", "元宵节"),
        ("早期的都市计划并不是一门独立的学问。", "早期"),
    ],
)
def test_dates_include_times_said_in_words(tokenizer: Tokenizer, sentence: str, found: str) -> None:
    spans = CandidateFinder(tokenizer).spans(normalise(sentence), AnswerType.DATE)
    assert any(found in span for span in spans)


def test_a_time_word_inside_an_ordinary_word_is_no_date(tokenizer: Tokenizer) -> None:
    spans = CandidateFinder(tokenizer).spans("这是本次活动的节目单。", AnswerType.DATE)
    assert spans == []


def test_a_name_before_a_title_is_a_word_of_its_own(tokenizer: Tokenizer) -> None:
    finder = CandidateFinder(tokenizer)
    sentence = "衡阳技师学院参赛选手斩获1枚银牌。"
    assert "院参赛" not in finder.spans(sentence, AnswerType.PERSON)
    assert "李兰娟" in finder.spans("中国工程院李兰娟院士参会。", AnswerType.PERSON)


def test_a_span_of_days_says_how_long(tokenizer: Tokenizer) -> None:
    # 13日—14日 answers 开了几天 as well as 为期两天 would: it is a length of time too.
    finder = CandidateFinder(tokenizer)
    sentence = normalise("2020年12月13日—14日，青山论坛在镇上举行。")
    assert "13日—14日" in finder.spans(sentence, AnswerType.DURATION)
    assert not finder.spans(normalise("2020年12月13日，青山论坛举行。"), AnswerType.DURATION)


def test_a_first_time_is_a_rank(tokenizer: Tokenizer) -> None:
    # 第几次入选 is answered by 首次入选
    spans = CandidateFinder(tokenizer).spans(
        "这是该活动开展11年来青山镇首次入选。", AnswerType.RANK
    )
    assert "首次" in spans


def test_a_hundred_inside_a_name_is_no_count(tokenizer: Tokenizer) -> None:
    # 青年百人会 is a body's name; 一百人 counts people
    finder = CandidateFinder(tokenizer)
    assert finder.spans(normalise("青年百人会入驻青山科创港。"), AnswerType.COUNT) == []
    assert finder.spans("青山论坛有两百人参加。", AnswerType.COUNT) == ["两百"]
