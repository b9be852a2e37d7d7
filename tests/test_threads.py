"""Thread safety: adapters answer in worker threads, so a freshly loaded bot (every lazy cache
still cold) must give 16 concurrent callers exactly the answers it gives one caller."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from qa_bot import QABot
from qa_bot.evaluation import load_question_set
from qa_bot.settings import Settings

QUESTIONS = Path(__file__).resolve().parent / "questions" / "dev.yaml"
KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge"


def mixed_questions(count: int) -> list[str]:
    """Single questions of every category, plus greetings, empty and garbage input."""
    items = [i.question for i in load_question_set(QUESTIONS) if i.question]
    extra = ["你好", "", "？？？", "出处", "衡陽市2020年高企有幾家", "a" * 600]
    return (items + extra)[:count]


def answers(bot: QABot, questions: list[str], workers: int) -> list[tuple[str, str, bool]]:
    def ask(numbered: tuple[int, str]) -> tuple[str, str, bool]:
        reply = bot.ask(numbered[1], session_id=f"s{numbered[0]}")
        return reply.answer, reply.kind, reply.answered

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(ask, enumerate(questions)))


def test_sixteen_threads_right_after_load_get_the_serial_answers(tmp_path: Path) -> None:
    questions = mixed_questions(200)
    assert len(questions) == 200
    settings = Settings(cache_dir=tmp_path / "cache")
    serial = answers(QABot.load(KNOWLEDGE, settings=settings), questions, workers=1)
    concurrent = answers(QABot.load(KNOWLEDGE, settings=settings), questions, workers=16)
    assert concurrent == serial
