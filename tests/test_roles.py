"""What a question asks of someone, and whether the sentence found says it: whom a prize went
to, where a listed guest works, which companies a school's graduates joined — on a hand-made
folder, so the rules are about Chinese, not about the shipped articles."""

from __future__ import annotations

import pytest

from qa_bot import QABot
from tests.conftest import BotOf

TOWN = """# 青山科技年会

2021年10月，举办青山镇人工智能年会暨银鹭奖颁奖典礼，张华、李明等12位院士、100余位专家汇聚青山镇。

2020年青山镇科技奖颁奖大会上，青山电气荣获科技进步一等奖。

作为技能人才的摇篮，青山技校培养的毕业生一部分留在本地企业，参与青山镇产业建设。还有一部分毕业生走向外省，加入华为、中兴、比亚迪等知名企业。
"""


@pytest.fixture
def town(bot_of: BotOf) -> QABot:
    return bot_of({"docs/town.md": TOWN})


@pytest.mark.parametrize(
    "question",
    ["银鹭奖都颁给了谁", "青山镇人工智能年会上银鹭奖颁给了哪些企业？", "银鹭奖 获奖者名单"],
)
def test_a_ceremony_and_its_guests_do_not_say_who_won(town: QABot, question: str) -> None:
    reply = town.ask(question, session_id="t")
    assert not reply.answered, reply.answer


def test_a_sentence_that_says_who_won_answers(town: QABot) -> None:
    reply = town.ask("青山镇科技奖的科技进步一等奖颁给了谁", session_id="t")
    assert reply.answered and "青山电气" in reply.answer, reply.answer


def test_a_guest_named_bare_in_a_list_has_no_stated_employer(town: QABot) -> None:
    reply = town.ask("李明院士是哪个单位的？", session_id="t")
    assert not reply.answered, reply.answer


def test_a_guest_list_answers_when_the_guests_came(town: QABot) -> None:
    reply = town.ask("李明院士是什么时候来青山镇的？", session_id="t")
    assert reply.answered and "2021年10月" in reply.answer, reply.answer


def test_which_ones_gets_the_next_sentence_that_lists_them(town: QABot) -> None:
    reply = town.ask("青山技校的毕业生都进了哪些大公司？", session_id="t")
    assert reply.answered and "华为、中兴" in reply.answer, reply.answer
