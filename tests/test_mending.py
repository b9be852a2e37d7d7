"""Words jieba joins across a boundary of the question (组比, 位省) stand for their core; a
dictionary word the knowledge lacks (一等奖) is still asked as it is."""

from __future__ import annotations

import pytest

from qa_bot import QABot
from qa_bot.answering.mending import mended

from .conftest import BotOf

CUP = """---
id: cup
title: 青山杯赛事
---
青山杯分为少年组、青年组和成人组三个组别进行，共有120支队伍参赛。
"""


@pytest.fixture()
def cup(bot_of: BotOf) -> QABot:
    return bot_of({"docs/cup.md": CUP})


def test_a_word_joined_with_a_preposition_is_its_core(cup: QABot) -> None:
    tokenizer, known = cup.tokenizer, cup.pipeline.analyser.scorer.idf
    terms = tokenizer.tokenise("青山杯分成哪几个组比的？")
    assert "组比" in terms  # what jieba makes of it
    assert "组比" not in mended(terms, known, tokenizer)
    assert "组" in mended(terms, known, tokenizer)


def test_a_dictionary_word_the_knowledge_lacks_is_kept(cup: QABot) -> None:
    tokenizer, known = cup.tokenizer, cup.pipeline.analyser.scorer.idf
    assert mended(["一等奖"], known, tokenizer) == ["一等奖"]
