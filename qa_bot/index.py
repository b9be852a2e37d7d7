"""BM25 retrieval: rank-bm25's BM25Plus scoring, evaluated only over the query terms' postings.

BM25Plus (rather than BM25Okapi) because Okapi's idf is zero or negative for a term in half or
more of the documents (rank-bm25 issues #29, #39): on a small knowledge base where 衡阳 is in
almost every passage, such a term would count for nothing or even push the right passage down.
BM25Plus's idf, log((N + 1) / df), stays positive.

rank-bm25 loops in Python over every document for every query term. The score of a document
that lacks a term is the same constant (idf · delta) for all such documents, so the ranking
only needs the documents that hold at least one query term: an inverted index gives them.
``BM25Index.scores`` reproduces ``rank_bm25.BM25Plus.get_scores`` (tested on a real corpus).
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int32]


class BM25Index:
    """An inverted index over token lists with BM25Plus scores (k1, b, delta as rank-bm25)."""

    def __init__(
        self, corpus: list[list[str]], k1: float = 1.5, b: float = 0.75, delta: float = 1.0
    ) -> None:
        self.k1, self.b, self.delta = k1, b, delta
        self.size = len(corpus)
        lengths = np.array([len(doc) for doc in corpus], dtype=np.float64)
        self.avgdl = float(lengths.sum() / self.size) if self.size else 0.0
        self._norm = k1 * (1 - b + b * lengths / self.avgdl) if self.avgdl else lengths + k1
        postings: dict[str, tuple[list[int], list[int]]] = {}
        for doc_id, doc in enumerate(corpus):
            for term, freq in Counter(doc).items():
                docs, freqs = postings.setdefault(term, ([], []))
                docs.append(doc_id)
                freqs.append(freq)
        self._docs: dict[str, IntArray] = {}
        self._freqs: dict[str, FloatArray] = {}
        self.idf: dict[str, float] = {}
        for term, (docs, freqs) in postings.items():
            self._docs[term] = np.array(docs, dtype=np.int32)
            self._freqs[term] = np.array(freqs, dtype=np.float64)
            self.idf[term] = math.log((self.size + 1) / len(docs))

    def document_frequency(self, term: str) -> int:
        """In how many documents ``term`` occurs (0 when unknown)."""
        docs = self._docs.get(term)
        return 0 if docs is None else len(docs)

    def baseline(self, query: list[str]) -> float:
        """The score of a document that holds none of the query terms."""
        return sum(self.idf.get(term, 0.0) * self.delta for term in query)

    def _term_scores(self, term: str) -> tuple[IntArray, FloatArray]:
        docs, freqs = self._docs[term], self._freqs[term]
        gain = freqs * (self.k1 + 1) / (self._norm[docs] + freqs)
        return docs, self.idf[term] * gain

    def scores(self, query: list[str]) -> FloatArray:
        """Scores of every document, equal to rank-bm25's ``BM25Plus.get_scores``."""
        result = np.full(self.size, self.baseline(query), dtype=np.float64)
        for term in query:
            if term in self._docs:
                docs, gains = self._term_scores(term)
                np.add.at(result, docs, gains)
        return result

    def top(self, query: list[str], k: int) -> list[tuple[int, float]]:
        """The ``k`` best documents that share at least one term with the query, best first."""
        present = [term for term in query if term in self._docs]
        if not present or k <= 0:
            return []
        candidates = np.unique(np.concatenate([self._docs[t] for t in present]))
        totals = np.full(len(candidates), self.baseline(query), dtype=np.float64)
        for term in present:
            docs, gains = self._term_scores(term)
            np.add.at(totals, np.searchsorted(candidates, docs), gains)
        if len(candidates) > k:
            best = np.argpartition(-totals, k - 1)[:k]
        else:
            best = np.arange(len(candidates))
        order = best[np.lexsort((candidates[best], -totals[best]))]
        return [(int(candidates[i]), float(totals[i])) for i in order]
