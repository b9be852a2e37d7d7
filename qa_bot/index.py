"""BM25 retrieval: rank-bm25's BM25Plus scoring, evaluated only over the query terms' postings.

BM25Plus (rather than BM25Okapi) because Okapi's idf is zero or negative for a term in half or
more of the documents (rank-bm25 issues #29, #39): on a small knowledge base where 衡阳 is in
almost every passage, such a term would count for nothing or even push the right passage down.
BM25Plus's idf, log((N + 1) / df), stays positive.

rank-bm25 loops in Python over every document for every query term. The score of a document
that lacks a term is the same constant (idf · delta) for all such documents, so the ranking
only needs the documents that hold at least one query term: an inverted index gives them.
The postings are kept as compressed-sparse-row numpy arrays (term → slice of documents and
frequencies), which build fast, save and load as plain arrays, and take little memory.
``BM25Index.scores`` reproduces ``rank_bm25.BM25Plus.get_scores`` (tested on a real corpus).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

DENSE_SHARE = 8  # postings above 1/8 of the corpus size: score densely
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int32]


class BM25Index:
    """An inverted index over token lists with BM25Plus scores (k1, b, delta as rank-bm25)."""

    k1, b, delta = 1.5, 0.75, 1.0

    def __init__(
        self,
        vocabulary: list[str],
        offsets: npt.NDArray[np.int64],
        documents: IntArray,
        frequencies: npt.NDArray[np.float32],
        lengths: FloatArray,
    ) -> None:
        self.vocabulary = vocabulary
        self.term_ids = {term: n for n, term in enumerate(vocabulary)}
        self.offsets, self.documents, self.frequencies = offsets, documents, frequencies
        self.lengths = lengths
        self.size = len(lengths)
        self.avgdl = float(lengths.sum() / self.size) if self.size else 0.0
        k1, b = self.k1, self.b
        self._norm = k1 * (1 - b + b * lengths / self.avgdl) if self.avgdl else lengths + k1
        df = np.diff(offsets)
        idf = np.log((self.size + 1) / np.maximum(df, 1))
        self.idf: dict[str, float] = dict(zip(vocabulary, idf.tolist(), strict=True))

    @classmethod
    def build(cls, corpus: list[list[str]]) -> BM25Index:
        """Index token lists: term ids, then (term, document) pairs counted with numpy."""
        term_ids: dict[str, int] = {}
        lengths = np.array([len(doc) for doc in corpus], dtype=np.float64)
        ids = np.fromiter(
            (term_ids.setdefault(t, len(term_ids)) for doc in corpus for t in doc),
            dtype=np.int64,
            count=int(lengths.sum()),
        )
        owners = np.repeat(np.arange(len(corpus), dtype=np.int64), lengths.astype(np.int64))
        pairs, counts = np.unique(ids * max(len(corpus), 1) + owners, return_counts=True)
        terms = pairs // max(len(corpus), 1)
        offsets = np.zeros(len(term_ids) + 1, dtype=np.int64)
        np.add.at(offsets, terms + 1, 1)
        return cls(
            vocabulary=list(term_ids),
            offsets=np.cumsum(offsets),
            documents=(pairs % max(len(corpus), 1)).astype(np.int32),
            frequencies=counts.astype(np.float32),
            lengths=lengths,
        )

    @classmethod
    def checked(
        cls,
        vocabulary: list[str],
        offsets: npt.NDArray[Any],
        documents: npt.NDArray[Any],
        frequencies: npt.NDArray[Any],
        lengths: npt.NDArray[Any],
    ) -> BM25Index:
        """An index of stored arrays (in memory, or memory-mapped from the cache so that
        processes share them), after checking that they fit together.

        :raises ValueError: when they do not (a damaged file must be rebuilt, not crash a
            query later).
        """
        problem = _inconsistency(vocabulary, offsets, documents, frequencies, lengths)
        if problem:
            raise ValueError(f"index arrays do not fit together: {problem}")
        return cls(vocabulary, offsets, documents, frequencies, lengths)

    def arrays(self) -> dict[str, npt.NDArray[Any]]:
        """The numeric arrays by name (what the cache maps from files)."""
        return {
            "offsets": self.offsets,
            "documents": self.documents,
            "frequencies": self.frequencies,
            "lengths": self.lengths,
        }

    def document_frequency(self, term: str) -> int:
        """In how many documents ``term`` occurs (0 when unknown)."""
        n = self.term_ids.get(term)
        return 0 if n is None else int(self.offsets[n + 1] - self.offsets[n])

    def baseline(self, query: list[str], weights: Mapping[str, float] | None = None) -> float:
        """The score of a document that holds none of the query terms."""
        weights = weights or {}
        return math.fsum(self.idf.get(t, 0.0) * self.delta * weights.get(t, 1.0) for t in query)

    def _term_scores(self, term: str, weight: float = 1.0) -> tuple[IntArray, FloatArray]:
        n = self.term_ids[term]
        start, end = self.offsets[n], self.offsets[n + 1]
        docs = self.documents[start:end]
        freqs = self.frequencies[start:end].astype(np.float64)
        gain = freqs * (self.k1 + 1) / (self._norm[docs] + freqs)
        return docs, self.idf[term] * weight * gain

    def scores(self, query: list[str]) -> FloatArray:
        """Scores of every document, equal to rank-bm25's ``BM25Plus.get_scores``."""
        result = np.full(self.size, self.baseline(query), dtype=np.float64)
        for term in query:
            if term in self.term_ids:
                docs, gains = self._term_scores(term)
                np.add.at(result, docs, gains)
        return result

    def top(
        self, query: list[str], k: int, weights: Mapping[str, float] | None = None
    ) -> list[tuple[int, float]]:
        """The ``k`` best documents that share at least one term with the query, best first.

        A term in ``weights`` counts that much (a query expansion counts less than the words
        asked); the others count 1.
        """
        weights = weights or {}
        present = [term for term in query if term in self.term_ids]
        if not present or k <= 0:
            return []
        scored = [self._term_scores(term, weights.get(term, 1.0)) for term in present]
        if sum(len(docs) for docs, _ in scored) * DENSE_SHARE > self.size:
            return self._top_dense(self.baseline(query, weights), scored, k)
        candidates = np.unique(np.concatenate([docs for docs, _ in scored]))
        totals = np.full(len(candidates), self.baseline(query, weights), dtype=np.float64)
        for docs, gains in scored:
            totals[np.searchsorted(candidates, docs)] += gains  # a term occurs once per doc
        if len(candidates) > k:
            best = np.argpartition(-totals, k - 1)[:k]
        else:
            best = np.arange(len(candidates))
        order = best[np.lexsort((candidates[best], -totals[best]))]
        return [(int(candidates[i]), float(totals[i])) for i in order]

    def _top_dense(
        self, baseline: float, scored: list[tuple[IntArray, FloatArray]], k: int
    ) -> list[tuple[int, float]]:
        """``top`` for queries whose postings cover much of the corpus: one dense array of
        scores is cheaper than sorting the union of the postings."""
        totals = np.zeros(self.size, dtype=np.float64)
        for docs, gains in scored:
            totals[docs] += gains  # a term occurs once per document
        matched = min(k, int(np.count_nonzero(totals)))
        best = np.argpartition(-totals, matched - 1)[:matched]
        order = best[np.lexsort((best, -totals[best]))]
        return [(int(i), float(totals[i] + baseline)) for i in order]


def _inconsistency(
    vocabulary: list[str],
    offsets: npt.NDArray[np.int64],
    documents: IntArray,
    frequencies: npt.NDArray[np.float32],
    lengths: FloatArray,
) -> str | None:
    """What is wrong with a loaded set of index arrays, or None when they fit together."""
    kinds: list[tuple[str, npt.NDArray[Any], type[np.generic]]] = [
        ("offsets", offsets, np.int64),
        ("documents", documents, np.int32),
        ("frequencies", frequencies, np.float32),
        ("lengths", lengths, np.float64),
    ]
    for name, array, dtype in kinds:
        if array.dtype != dtype or array.ndim != 1:
            return f"{name} is not a flat {np.dtype(dtype).name} array"
    if len(offsets) != len(vocabulary) + 1 or len(set(vocabulary)) != len(vocabulary):
        return "vocabulary and offsets differ"
    if offsets[0] != 0 or np.any(np.diff(offsets) < 0):
        return "offsets are not increasing from 0"
    if int(offsets[-1]) != len(documents) or len(documents) != len(frequencies):
        return "postings and offsets differ"
    if len(documents) and (int(documents.min()) < 0 or int(documents.max()) >= len(lengths)):
        return "a posting names no document"
    if not (np.all(np.isfinite(frequencies)) and np.all(frequencies > 0)):
        return "a frequency is not positive"
    if not (np.all(np.isfinite(lengths)) and np.all(lengths >= 0)):
        return "a document length is negative"
    return None
