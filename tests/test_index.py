"""BM25: identical scores to rank-bm25's BM25Plus, and sensible ranking on a small corpus."""

from __future__ import annotations

import numpy as np
import pytest
from rank_bm25 import BM25Okapi, BM25Plus

from qa_bot import QABot
from qa_bot.answering.retrieval import indexed_text
from qa_bot.index import BM25Index


@pytest.fixture(scope="module")
def corpus(bot: QABot) -> list[list[str]]:
    return [bot.tokenizer.index_terms(indexed_text(p)) for p in bot.knowledge.passages]


QUERIES = [
    "衡阳哪一年获批建设国家创新型城市",
    "2019年高新技术企业有多少家",
    "南华大学 激光器 功率",
    "衡阳 衡阳 院士",
    "完全不存在的词语",
]


@pytest.mark.parametrize("query", QUERIES)
def test_scores_equal_rank_bm25_bm25plus(bot: QABot, corpus: list[list[str]], query: str) -> None:
    terms = bot.tokenizer.tokenise(query)
    ours = BM25Index.build(corpus).scores(terms)
    theirs = BM25Plus(corpus).get_scores(terms)
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("query", QUERIES[:4])
def test_top_matches_full_ranking(bot: QABot, corpus: list[list[str]], query: str) -> None:
    terms = bot.tokenizer.tokenise(query)
    index = BM25Index.build(corpus)
    full = index.scores(terms)
    top = index.top(terms, 5)
    matching = int((full > index.baseline(terms) + 1e-9).sum())
    assert len(top) == min(5, matching)
    assert [score for _, score in top] == pytest.approx(sorted(full, reverse=True)[: len(top)])


def test_term_in_every_passage_still_counts() -> None:
    """Okapi gives 衡阳 (in every document) a non-positive idf; BM25Plus keeps it positive."""
    corpus = [["衡阳", "激光器"], ["衡阳", "水稻"], ["衡阳", "院士"], ["长沙", "水稻"]]
    okapi = BM25Okapi(corpus[:3])
    assert okapi.idf["衡阳"] <= 0
    index = BM25Index.build(corpus)
    assert index.idf["衡阳"] > 0
    assert index.top(["衡阳", "水稻"], 1)[0][0] == 1


def test_the_laser_passage_ranks_first_although_衡阳_is_everywhere(bot: QABot) -> None:
    retriever = bot.pipeline.retriever
    hits = retriever.index.top(bot.tokenizer.tokenise("衡阳的工业光纤激光器"), 3)
    assert "激光器" in retriever.passages[hits[0][0]].text


def test_no_shared_term_means_no_hit() -> None:
    assert BM25Index.build([["甲"], ["乙"]]).top(["丙"], 5) == []
