"""Topic swaps: a follow-up naming a new thing (那面积呢, 那雁峰区呢) asks the last question
about it."""

from __future__ import annotations

import re

from qa_bot import lexicon
from qa_bot.answering.answer_types import AnswerType, expected_type
from qa_bot.answering.intent import contrasts
from qa_bot.dialog_references import is_noun, phrase_end, shared_start
from qa_bot.text import normalise
from qa_bot.tokenizer import Token, Tokenizer


def swap_topic(question: str, topic: str, tokenizer: Tokenizer) -> str:
    """Put ``topic`` in place of what the last question was about.

    A new name (雁峰区) replaces the last question's name; anything else replaces the last
    question's term it refines (副馆长 replaces 馆长, not 博物馆), or one of its length with
    the same head (决赛 replaces 初赛, not 选拔赛), or its most specific non-name term
    (高新技术企业 → 科技型中小企业). An alternative of the same kind goes first: 省级 replaces
    国家级, 优胜奖 replaces 银牌 (``resources/contrasts.txt``).
    """
    text = normalise(question)
    tokens = [t for t in tokenizer.tagged(text) if tokenizer.tokenise(t.word)]
    new_is_name = bool(tokenizer.proper_nouns(tokenizer.tags(topic)))
    names = [t for t in tokens if t.tag[:2] in {"ns", "nr", "nt"}]
    others = [t for t in tokens if t not in names and not t.word.isdigit()]
    pool = names if new_is_name and names else others
    if not pool:
        return topic + text
    measured = None if new_is_name or len(topic) > 3 else measured_before_asking(tokens, text)
    target = max(
        pool,
        key=lambda t: (
            t.word in topic or topic in t.word or alternative(t.word, topic),
            t.word[-1:] == topic[-1:] and len(t.word) == len(topic),  # 决赛 for 初赛
            is_noun(t),
            t is measured,  # 面积 replaces 全长 in 走廊全长多少, not 走廊
            len(t.word),
            -t.start,
        ),
    )
    end = target.start + len(target.word)
    opens_alike = topic.startswith(target.word) or shared_start(topic, target.word) >= 2
    if opens_alike and topic != target.word:  # 研发强度 restates 研发投入总量 whole
        end = phrase_end(tokens, target)  # 省级农业科技园区 restates 省级工程技术研究中心 whole
    return text[: target.start] + topic + text[end:]


def measured_before_asking(tokens: list[Token], text: str) -> Token | None:
    """The noun just before the question word (全长 in 走廊全长多少, 主题 in 论坛的主题是什么):
    the property asked, which a short new noun (那面积呢) replaces."""
    asked = lexicon.QUESTION_WORD.search(text)
    if asked is None:
        return None
    head = re.sub(r"(?:是|为|有|达|约)+$", "", text[: asked.start()])
    return next((t for t in tokens if t.start + len(t.word) == len(head) and is_noun(t)), None)


def alternative(word: str, other: str) -> bool:
    """Whether two words are other alternatives of one kind (国家级 and 省级, 银牌 and 优胜奖)."""
    return any(
        any(word in choice for choice in group)
        and any(other in choice for choice in group)
        and not any(word in choice and other in choice for choice in group)
        for group in contrasts()
    )


# A follow-up that points back (那…, 这个比重, 该项): a whole question of its own does not.
_POINTING_BACK = re.compile(r"^(?:那么|那)|这个|那个|这一|这项|该项|同一")


def names_only_the_last(text: str, question: str, tokenizer: Tokenizer) -> bool:
    """Whether a follow-up that points back and names a year of its own says nothing that the
    last question does not (那2020年这个比重是多少 after …增加值占GDP比重呢): the same question,
    another year; 有几位院士参会 after 哪几位院士到场 asks something else."""
    if not lexicon.years_in(text) or not _POINTING_BACK.search(text):
        return False
    terms = [t for t in tokenizer.tokenise(text) if not t.isdigit()]  # 2020年: the new year
    said = normalise(question).lower()
    return bool(terms) and all(term in said for term in terms)


# A count asked at the end of a question (有多少个项目, 共有几家企业?).
_COUNT_ASKED = re.compile(
    r"(?:一共|总共|共)?(?:有|是)?(?:多少|几)[个家项名位所座条件批]?[^，,。？?]{0,8}[?？。]*$"
)
# What a measure asked alone is: a sum of money or a share, never a thing counted.
_MEASURES = (AnswerType.AMOUNT, AnswerType.PERCENT)


def measure_instead(question: str, topic: str) -> str | None:
    """The last question asking ``topic`` where it asked a count (总投资呢 after …开工有多少个
    项目 → …开工总投资是多少), when ``topic`` is a measure of money or a share; else None."""
    counted = _COUNT_ASKED.search(question)
    if counted is None or expected_type(f"{topic}是多少") not in _MEASURES:
        return None
    return f"{question[: counted.start()]}{topic}是多少?"
