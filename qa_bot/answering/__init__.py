"""Answering: one question in, one reply out (see ``pipeline`` for the stages).

``Pipeline`` is the one entry point; ``Pipeline.examples`` gives the example questions.
"""

from qa_bot.answering.pipeline import Outcome, Pipeline

__all__ = ["Outcome", "Pipeline"]
