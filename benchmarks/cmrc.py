"""Unseen-documents benchmark on the CMRC 2018 trial set (not part of the test suite).

Writes every paragraph as a plain document of a fresh knowledge folder (title line, then the
paragraph), loads it with ``QABot.load(knowledge_dir=...)``, asks every question, and reports
hit@1 / hit@5 of the gold paragraph among ``reply.sources``, the share of answers containing a
gold answer, the share that also are concise (≤ 100 characters), the abstain rate and latency.
The same run reports a naive peer: jieba + rank-bm25 BM25Plus over the paragraphs, answering
with the top paragraph's sentence that shares the most tokens with the question. The shared
code is ``squad.py``.

    .venv/bin/python benchmarks/cmrc.py [--data FILE] [--split fit|held-out|all] [--limit N]
                                        [--dump FILE.jsonl] [--setting KEY=VALUE]
"""

from __future__ import annotations

from squad import CMRC, accuracy, arguments, main

if __name__ == "__main__":
    main(accuracy, arguments(__doc__.split("\n")[0], CMRC))
