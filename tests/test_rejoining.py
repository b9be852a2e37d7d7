"""Words jieba splits that the knowledge writes as one (“一核两电……” of 一核两电三色四新) are
asked as that word; a question naming a thing by the beginning of its quoted name is answered."""

from __future__ import annotations

import pytest

from qa_bot import QABot
from qa_bot.answering.rejoining import rejoined


def test_unknown_pieces_of_one_known_word_are_that_word() -> None:
    known = {"一廊两翼多极点", "全称", "一廊"}
    assert rejoined(["两翼", "多极", "全貌"], known) == ["一廊两翼多极点", "全貌"]
    # two single characters say too little; several containing words are no one word
    assert rejoined(["翼", "多"], known) == ["翼", "多"]
    assert rejoined(["两翼", "多极"], {*known, "两翼多极区"}) == ["两翼", "多极"]


def test_a_character_glued_onto_the_pieces_is_left_out() -> None:
    """合作弄科创港: jieba cuts 弄科|创港; 科创港 is part of 青山科创港, 弄 is the verb."""
    assert rejoined(["合作", "弄科", "创港"], {"合作", "青山科创港"}) == ["合作", "青山科创港"]


@pytest.mark.parametrize(
    "question",
    ["评论里那个“一核两电……”全称是什么", "那个“一核两电”全称是什么"],
)
def test_shipped_knowledge_a_name_asked_by_its_beginning(bot: QABot, question: str) -> None:
    # Unknown to the knowledge, 一核 and 两电 alone retrieve nothing: the question was refused.
    reply = bot.ask(question)
    assert reply.answered and "一核两电三色四新" in reply.answer
