"""The tokenizer: dictionary terms stay whole, aliases fold, questions match documents."""

from __future__ import annotations

from pathlib import Path

import jieba
import pytest

from qa_bot.dictionary_files import parse_userdict
from qa_bot.models import Dictionary
from qa_bot.tokenizer import Tokenizer

from .conftest import KNOWLEDGE

USER_WORDS = [word for word, _, _ in parse_userdict(KNOWLEDGE / "dict" / "userdict.txt")]


@pytest.mark.parametrize("term", USER_WORDS)
def test_every_dictionary_term_is_one_token(tokenizer: Tokenizer, term: str) -> None:
    assert tokenizer.is_whole_word(term)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("高新技术企业", ["高新技术企业"]),
        ("科技型中小企业", ["科技型中小企业"]),
        ("国家创新型城市", ["国家创新型城市"]),
        ("衡州大道数字经济走廊", ["衡州大道数字经济走廊"]),
        ("特变电工衡阳变压器有限公司", ["特变电工衡阳变压器有限公司"]),
    ],
)
def test_domain_terms_segment_whole(tokenizer: Tokenizer, text: str, expected: list[str]) -> None:
    assert tokenizer.tokenise(text) == expected


@pytest.mark.parametrize(
    ("alias", "canonical"),
    [
        ("高企", "高新技术企业"),
        ("科技部", "国家科技部"),
        ("衡变", "特变电工衡阳变压器有限公司"),
        ("特变衡变", "特变电工衡阳变压器有限公司"),
        ("南华", "南华大学"),
    ],
)
def test_aliases_fold_to_canonical_term(tokenizer: Tokenizer, alias: str, canonical: str) -> None:
    assert tokenizer.tokenise(alias) == [canonical]


def test_question_and_document_forms_give_the_same_terms(tokenizer: Tokenizer) -> None:
    asked = tokenizer.tokenise("二〇一九年衡陽高企有多少家？")
    written = tokenizer.tokenise("2019年衡阳高新技术企业273家")
    assert set(asked) <= set(written)
    assert "2019" in asked and "高新技术企业" in asked


def test_stopwords_and_punctuation_are_not_terms(tokenizer: Tokenizer) -> None:
    assert tokenizer.tokenise("请问，这是什么？！") == []


@pytest.mark.parametrize(
    "question",
    ["歌舞團最早於何年設立？", "哪一位教授負責研發？", "總統在何處就職？", "什么样的企业能申报？"],
)
def test_question_words_are_not_terms_even_glued_to_a_character(
    tokenizer: Tokenizer, question: str
) -> None:
    """An answer sentence never says 何年 or 哪一位: as a term it would only lower the share
    of the question an answering sentence covers."""
    terms = tokenizer.tokenise(question)
    assert terms and not any(t[0] in "何哪" or t.startswith("什么") for t in terms)


@pytest.mark.parametrize(
    "question, asked_for",
    [("拿银牌的选手叫什么名字？", "名字"), ("比重现在是百分之多少？", "百分之")],
)
def test_words_that_only_name_the_kind_of_answer_are_not_terms(
    tokenizer: Tokenizer, question: str, asked_for: str
) -> None:
    """叫什么名字 and 百分之多少 ask for a name and a share; the answer sentence says the name
    or the figure, not these words, so they must not count as terms to find."""
    terms = tokenizer.tokenise(question)
    assert terms and asked_for not in terms


def test_own_jieba_instance_leaves_global_jieba_untouched(tmp_path: Path) -> None:
    Tokenizer(Dictionary(user_words=[("甲乙丙丁戊", 100000, "n")]), cache_dir=tmp_path)
    assert "甲乙丙丁戊" not in jieba.dt.FREQ


def test_fingerprint_changes_with_the_normalisation_rules(
    tokenizer: Tokenizer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cached tokens made under older normalisation rules (t2s only) must not be reused."""
    before = tokenizer.fingerprint()
    monkeypatch.setattr("qa_bot.tokenizer.RULES_VERSION", "older")
    assert tokenizer.fingerprint() != before
