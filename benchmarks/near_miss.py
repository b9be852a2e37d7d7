"""Near-miss abstention benchmark on a SQuAD-format set (not part of the test suite).

Every second paragraph (the 2nd, 4th, …) of each article with two or more is left out of the
knowledge folder; the other paragraphs, and one-paragraph articles, stay. Then every question
is asked: a question on a dropped paragraph is a near miss (its article is there, its answer
is not: the right reply is to abstain), a question on a kept paragraph is answerable. The
table gives, for qa-bot and the plain jieba + BM25Plus peer (which never abstains): the share
of near misses abstained (recall), the share of answerable questions refused, how many
answered answerable questions (and how many of all answerable ones) contain a gold answer, and
the share of abstentions that were near misses (precision). CMRC's articles have one paragraph
each, so with ``--data`` on CMRC every second article is dropped instead.

    .venv/bin/python benchmarks/near_miss.py [--data FILE] [--split fit|held-out|all]
                                             [--limit N] [--dump FILE.jsonl] [--setting K=V]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from squad import (
    ABSTENTION_HEADER,
    DRCD,
    AbstentionScore,
    Peer,
    arguments,
    ask_bot,
    ask_peer,
    dump,
    load_bot,
    main,
    near_miss_split,
    read_squad,
    select,
    settings_with,
    timed,
)


def near_miss(args: argparse.Namespace) -> None:
    """Bot and peer over the kept paragraphs, asked the selected questions of all of them."""
    started = time.perf_counter()
    dataset = read_squad(args.data)
    split = near_miss_split(dataset)
    dropped = split.dropped_ids
    questions = select(dataset.questions, args.split, args.limit)
    with tempfile.TemporaryDirectory() as folder:
        settings = settings_with(Path(folder) / "cache", args.setting)
        bot = load_bot(split.kept, Path(folder), settings)
        asked = time.perf_counter()
        mine = ask_bot(bot, questions)
        timed(f"bot asked {len(questions)} questions", asked)
    asked = time.perf_counter()
    theirs = ask_peer(split.kept, questions)
    timed(f"peer indexed and asked {len(questions)} questions", asked)
    if args.dump:
        dump(args.dump, mine, theirs, dropped)
    near = sum(q.doc_id in dropped for q in questions)
    unit = "paragraphs"
    if split.whole_articles:
        unit = "whole articles: no article has two paragraphs"
    print(
        f"\n{len(split.kept)} paragraphs kept, {len(split.dropped)} dropped ({unit}); "
        f"{len(questions)} questions (split: {args.split}): {near} near misses, "
        f"{len(questions) - near} answerable\n"
    )
    print(ABSTENTION_HEADER)
    print(AbstentionScore.of("qa-bot", mine, dropped).row())
    print(AbstentionScore.of(Peer.name, theirs, dropped).row())
    timed("\ntotal", started)


if __name__ == "__main__":
    main(near_miss, arguments(__doc__.split("\n")[0], DRCD))
