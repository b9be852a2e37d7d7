"""Unseen-documents benchmark on the DRCD dev set, traditional Chinese (not in the test suite).

The same table as ``cmrc.py`` (bot vs the jieba + BM25Plus peer) over DRCD's 1,000 paragraphs
of 383 articles and 3,524 questions. ``--split fit`` / ``--split held-out`` ask only the
questions of the articles whose title hash is even / odd (the knowledge folder always holds
every paragraph), so thresholds fitted on one half can be reported on the other.

    .venv/bin/python benchmarks/drcd.py [--data FILE] [--split fit|held-out|all] [--limit N]
                                        [--dump FILE.jsonl] [--setting KEY=VALUE]
"""

from __future__ import annotations

from squad import DRCD, accuracy, arguments, main

if __name__ == "__main__":
    main(accuracy, arguments(__doc__.split("\n")[0], DRCD))
