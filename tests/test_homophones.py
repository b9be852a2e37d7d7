"""Homophone slips of a pinyin keyboard (轻衫镇 for 青山镇, 高心技术 for 高新技术) are read as the
word they sound like, and only then: on a hand-made folder, so the rule is about Chinese
typing, not about the shipped articles."""

from __future__ import annotations

import pytest

from qa_bot import QABot

from .conftest import load_folder

TOWN = """# 青山镇科技

青山镇共有科技专家320名。

2020年，青山镇高新技术企业达到52家。

2020年，红河镇高新技术企业达到30家。

2020年，青山镇科技型企业达到40家。

清水村共有科技专家12名。

青州共有科技专家500名。
"""


@pytest.fixture(scope="module")
def town(tmp_path_factory: pytest.TempPathFactory) -> QABot:
    names = "青山镇 1000 ns\n红河镇 1000 ns\n清水村 1000 ns\n青州 1000 ns\n"  # a maintainer's list
    return load_folder(tmp_path_factory, {"docs/town.md": TOWN, "dict/userdict.txt": names})


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("轻衫镇2020年有多少家高新技术企业", "52家"),  # 轻衫 for 青山: qing shan
        ("2020年青山镇高心技术企业有多少家", "52家"),  # 心 for 新: xin
        ("清水村有多少名科技专家", "12名"),  # written as typed: no slip, whatever it sounds like
        ("晴州有多少名科技专家", "500名"),  # a two-character name, slipped as one unknown word
    ],
)
def test_a_slip_is_read_as_the_word_it_sounds_like(
    town: QABot, question: str, expected: str
) -> None:
    reply = town.ask(question, session_id=question)
    assert reply.answered and expected in reply.text, reply.text
    assert "30家" not in reply.text and "40家" not in reply.text, reply.text


def test_a_short_names_slip_keeps_one_of_its_characters(town: QABot) -> None:
    """氢洲 sounds like 青州 too, but shares no character: a two-character guess of jieba's
    that only sounds like a name is left alone (most such are other words)."""
    assert not town.ask("氢洲有多少名科技专家").answered


def test_only_a_run_that_sounds_like_one_known_word_is_repaired(town: QABot) -> None:
    slips = town.pipeline.homophones.slips
    assert slips("轻衫镇有多少名科技专家") == {"轻衫镇": "青山镇"}
    assert slips("红山镇有多少名科技专家") == {}  # hong: sounds like no word of the folder
    assert slips("青山镇有多少名科技专家") == {}  # the word itself


def test_a_name_written_in_pinyin_is_read_as_the_name(town: QABot) -> None:
    """An English question spells the town in pinyin (Qingshanzhen): it is 青山镇."""
    reply = town.ask("How many high-tech enterprises did Qingshanzhen have in 2020?", "en")
    assert reply.answered and "52家" in reply.text, reply.text
