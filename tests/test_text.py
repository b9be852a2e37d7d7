"""Normalisation rules: each one pinned by examples, including words that must survive."""

from __future__ import annotations

import pytest

from qa_bot.text import normalise


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # NFKC: full-width letters, digits and punctuation
        ("ＡＢＣ１２３？", "ABC123?"),
        # zero-width and bidi control characters disappear
        ("衡\u200b阳\u200d市\u202e", "衡阳市"),
        ("\ufeff衡阳", "衡阳"),
        # other control characters become spaces
        ("衡阳\x07市", "衡阳 市"),
        # traditional → simplified
        ("衡陽高新技術企業", "衡阳高新技术企业"),
        ("國家創新型城市", "国家创新型城市"),
        # spelled years
        ("二〇二〇年", "2020年"),
        ("二零一九年", "2019年"),
        ("两千零二十一年", "2021年"),
        # two digit characters before 年: a short year, unless they count up by one
        ("一七年衡阳", "17年衡阳"),
        ("二一年一季度", "21年一季度"),
        ("一二年", "一二年"),
        ("五六年的时间", "五六年的时间"),
        ("唯一七年", "唯一七年"),
        # numerals followed by a counting unit
        ("十二个县", "12个县"),
        ("二十六位院士", "26位院士"),
        ("一千六百零三点九公斤", "1603.9公斤"),
        ("一百千瓦", "100千瓦"),
        ("两倍", "2倍"),
        ("第二个呢", "第2个呢"),
        ("百分之五十三", "53%"),
        # words that only look like numerals stay
        ("统一", "统一"),
        ("一些", "一些"),
        ("一下", "一下"),
        ("一体两翼", "一体两翼"),
        ("三高四新", "三高四新"),
        ("十大产业园", "十大产业园"),
        ("千年古城", "千年古城"),
        ("万雁入衡", "万雁入衡"),
        ("一分耕耘一分收获", "一分耕耘一分收获"),
        # a run of digit characters without a magnitude is no one number
        ("唯一一个", "唯一一个"),
        # a numeral with 多 / 余 / 来 before its unit is fifty-odd, still a number
        ("五十多个", "50多个"),
        ("三十余家", "30余家"),
        ("三四个人", "三四个人"),
        # Arabic figures with Chinese magnitudes are left as written
        ("1.2万人", "1.2万人"),
        ("533亿元", "533亿元"),
        # one bracketed character inside a word is part of it; other brackets stay
        ("12个县（市）区", "12个县市区"),
        ("研发投入（RD）", "研发投入(RD)"),
        ("湖南省（区）", "湖南省(区)"),
    ],
)
def test_normalise(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # a sentence in traditional characters: Taiwan wording becomes mainland wording
        ("工業光纖雷射器", "工业光纤激光器"),
        ("軟體和資訊服務", "软件和信息服务"),
        ("搭計程車去", "搭出租车去"),
        ("以甚麼為題材", "以什么为题材"),  # the Taiwan spelling of 什么
        # only that sentence: the simplified one beside it is left as written
        ("戈登出生于此。軟體公司", "戈登出生于此。软件公司"),
        # simplified text is never run through the reversed phrase tables
        ("戈登出生于1990年", "戈登出生于1990年"),
        ("公司建立了研发中心", "公司建立了研发中心"),
        ("电子音乐节", "电子音乐节"),
    ],
)
def test_taiwan_wording_in_traditional_sentences(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


def test_normalise_is_idempotent_on_converted_text() -> None:
    once = normalise("南華大學研發的雷射器。衡陽市軟體園")
    assert normalise(once) == once
