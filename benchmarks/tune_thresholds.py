"""Choose answer.fact_threshold and answer.abstain_threshold from a development question set.

Runs the question set over a grid of both thresholds and prints single-question accuracy,
abstention recall and the share of answerable questions abstained for each pair; the pair
with the best accuracy (ties: more unanswerable questions abstained, then fewer answerable
ones) is the recommendation.

    .venv/bin/python benchmarks/tune_thresholds.py tests/questions/dev.yaml
"""

from __future__ import annotations

import argparse
from pathlib import Path

from qa_bot import QABot
from qa_bot.evaluation import load_question_set, run, summarise


def frange(start: float, stop: float, step: float) -> list[float]:
    values, value = [], start
    while value <= stop + 1e-9:
        values.append(round(value, 3))
        value += step
    return values


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("questions", type=Path)
    parser.add_argument("--knowledge", type=Path, default=None)
    args = parser.parse_args()
    items = [item for item in load_question_set(args.questions) if not item.turns]
    loaded = QABot.load(args.knowledge)
    rows = []
    for fact_threshold in frange(0.55, 0.8, 0.05):
        for abstain_threshold in frange(0.2, 0.7, 0.05):
            answer = loaded.settings.answer.model_copy(
                update={"fact_threshold": fact_threshold, "abstain_threshold": abstain_threshold}
            )
            bot = loaded.reconfigured(loaded.settings.model_copy(update={"answer": answer}))
            summary = summarise(run(bot, items))
            rows.append(
                (
                    summary["accuracy"],
                    summary["abstention"]["recall"],
                    -summary["abstention"]["answerable_abstained"],
                    fact_threshold,
                    abstain_threshold,
                )
            )
    print("fact  abstain  accuracy  unanswerable-abstained  answerable-abstained")
    for accuracy, recall, neg_abstained, fact, abstain in sorted(rows, reverse=True)[:15]:
        print(
            f"{fact:4.2f}  {abstain:7.2f}  {accuracy:8.1%}  {recall:22.1%}  {-neg_abstained:20.1%}"
        )
    best = max(rows)
    print(f"\nrecommended: fact_threshold={best[3]}, abstain_threshold={best[4]}")


if __name__ == "__main__":
    main()
