"""Shared fixtures: the shipped bot is loaded once per test session (jieba takes ~1 s)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from qa_bot import QABot
from qa_bot.settings import Settings
from qa_bot.tokenizer import Tokenizer

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = ROOT / "knowledge"
SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Default settings with a throw-away cache directory."""
    return Settings(cache_dir=tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="session")
def bot(settings: Settings) -> QABot:
    """The bot over the shipped knowledge folder."""
    return QABot.load(KNOWLEDGE, settings=settings)


@pytest.fixture(scope="session")
def tokenizer(bot: QABot) -> Tokenizer:
    return bot.tokenizer


def write_knowledge(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write a knowledge folder from {relative path: content} under ``root``; return it."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def load_folder(factory: pytest.TempPathFactory, files: dict[str, str | bytes]) -> QABot:
    """A bot over a hand-made folder, for a module-scoped fixture (one load per module)."""
    root = write_knowledge(factory.mktemp("kb"), files)
    return QABot.load(root, settings=Settings(cache_dir=factory.mktemp("cache")))


@pytest.fixture()
def make_knowledge(tmp_path: Path) -> Callable[[dict[str, str | bytes]], Path]:
    """Write a knowledge folder from {relative path: content} and return its root."""

    def make(files: dict[str, str | bytes]) -> Path:
        return write_knowledge(tmp_path / "kb", files)

    return make


BotOf = Callable[[dict[str, str | bytes]], QABot]
"""A bot over a knowledge folder written from {relative path: content}."""


@pytest.fixture()
def bot_of(make_knowledge: Callable[[dict[str, str | bytes]], Path], tmp_path: Path) -> BotOf:
    """Load a bot over a hand-made knowledge folder, its cache in the test's folder."""

    def load(files: dict[str, str | bytes]) -> QABot:
        return QABot.load(make_knowledge(files), settings=Settings(cache_dir=tmp_path / "cache"))

    return load
