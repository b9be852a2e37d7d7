"""What a question asks of someone, and whether a sentence says it.

Two ways a sentence can name the right people and still not answer:

- a question asking whom a prize went to (AI金雁奖颁给了谁, 获奖者名单) needs a text that says
  someone received it (荣获, 颁给, 授予 …). One that names the ceremony and its guests
  (…颁奖典礼，张三、李四等26位院士出席) says nothing of who won.
- a question asking where someone works or what they study (张三院士是哪个单位的) is not
  answered by a list of guests that names them bare, before 等 (张三、李四等26位院士): a
  list that gives each one's body (中国工程院张三) does say where they work.

The words are generic Chinese, in ``resources/focus.txt`` (``recipient_asked``, ``received``).
"""

from __future__ import annotations

import re
from functools import cache

from qa_bot.answering.analysis import alternation
from qa_bot.answering.answer_types import AnswerType
from qa_bot.answering.intent import QType, Question
from qa_bot.text import normalise

_WH_QUESTIONS = frozenset({QType.WHO, QType.WHAT, QType.WHERE, QType.LIST})
# Questions asking whom (谁, 哪些企业, 获奖者名单), not what (授予她什么奖项).
_WHOM = frozenset({QType.WHO, QType.LIST})
_WHOM_TYPES = frozenset({AnswerType.PERSON, AnswerType.ORGANISATION, None})
# What a question may ask of a person it names: their body, their field, where they work.
_ATTRIBUTES = frozenset({AnswerType.ORGANISATION, AnswerType.DESCRIPTION, AnswerType.PLACE})


@cache
def _recipient_asked() -> re.Pattern[str]:
    """颁给 / 获奖者 … in a question, or 谁 / 哪些 … before a verb of winning."""
    winning = r"获得|获奖|荣获|摘得|拿到|拿了|拿下"  # not 获胜 / 赢得: who won a battle
    return re.compile(
        rf"(?:{alternation('recipient_asked')})|(?:谁|哪些|哪个|哪家|哪位)[^，,。？?]{{0,8}}(?:{winning})"
    )


@cache
def _people_listed() -> re.Pattern[str]:
    """A list of people before 等: 等26位院士, 等5名专家, 等院士 (not 等国: places)."""
    counted = r"[\d一二三四五六七八九十百]+[位名]"
    people = rf"{counted}|(?:{counted})?(?:{alternation('person_noun')})"
    return re.compile(rf"((?:[^，,。；、]{{1,12}}、)+[^，,。；、]{{1,12}})等(?:{people})")


@cache
def _received() -> re.Pattern[str]:
    """A verb of receiving (荣获, 授予), or 向 / 为 someone before 颁奖 / 颁发."""
    return re.compile(rf"(?:{alternation('received')})|(?:向|为)[^，,。；;]{{1,30}}颁(?:奖|发)")


def lacks_recipient(question: Question, answer: str) -> bool:
    """Whether the question asks whom something was given to and the answer says nobody
    received anything (it may name the award, its ceremony and the guests)."""
    asks_whom = question.qtype in _WHOM or question.expected in _WHOM_TYPES
    if not asks_whom or not _recipient_asked().search(question.normalised):
        return False  # 授予她什么奖项 asks what was given
    return _received().search(normalise(answer)) is None


def listed_bare(question: Question, answer: str) -> bool:
    """Whether the question asks a named person's body, field or place and the answer names
    them only as a bare item of a list of people before 等 (匡廷云、侯立安等26位院士)."""
    if question.qtype not in _WH_QUESTIONS or question.expected not in _ATTRIBUTES:
        return False
    said = normalise(answer)
    bare = {
        item.strip()
        for listed in _people_listed().finditer(said)
        for item in listed.group(1).split("、")
    }
    named = [item for item in bare if len(item) >= 2 and item in question.normalised]
    return bool(named) and all(said.count(item) == 1 for item in named)


# Who holds a role, asked at the end (带头人叫什么名字, 校长是谁); 是谁发现的 asks who did it.
_HOLDER_ASKED = r"(?:是|叫|为)?(?:谁|哪一?位|什么人|叫?什么名字|名字是什么|姓名是什么)[?？。!！]*$"


def role_unnamed(question: Question, sentence: str) -> bool:
    """Whether a question asks for a person by a role (研发团队带头人叫什么名字, 该校的校长是谁)
    that the sentence never names: unless it names someone, it says what was done, not who
    holds the role."""
    role = question.role
    if question.expected != AnswerType.PERSON or role is None or role in sentence:
        return False
    return re.search(re.escape(role) + _HOLDER_ASKED, question.normalised) is not None


# Someone's post now (现在在哪里任职, 目前担任什么职务, 现在调到哪里了).
_POST_NOW = re.compile(
    r"(?:现在|目前|如今|现今|眼下|现任)[^，,。？?]{0,8}?"
    r"(?:任职|职务|职位|官职|担任|当什么|做什么|干什么|在哪里?工作|在哪儿工作|调到|调任|任什么)"
)


def post_then_only(question: Question, sentence: str) -> bool:
    """Whether the question asks someone's post now and the sentence gives only the post they
    held then (时任市委书记): a newspaper's 时任 says it has changed since."""
    return _POST_NOW.search(question.normalised) is not None and "时任" in sentence
