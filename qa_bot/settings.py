"""Settings: config/default.toml < .env < QA_BOT_* environment variables (nested with __)."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import BaseModel, Field, SecretStr, ValidationError
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from qa_bot.errors import ConfigError
from qa_bot.private_files import cache_root

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG_FILE = PROJECT_ROOT / "config" / "default.toml"
SHIPPED_KNOWLEDGE_DIR = PROJECT_ROOT / "knowledge"


class AnswerSettings(BaseModel):
    """How answers are chosen and when the bot abstains."""

    top_k: int = Field(default=5, ge=1, le=50)
    abstain_threshold: float = Field(default=0.4, ge=0.0, le=1.0)
    fact_threshold: float = Field(default=0.6, ge=0.0, le=1.0)
    max_question_chars: int = Field(default=500, ge=10)
    max_answer_chars: int = Field(default=100, ge=20)
    suggestions: int = Field(default=3, ge=0, le=10)


class DialogSettings(BaseModel):
    """Per-session dialog memory limits."""

    max_sessions: int = Field(default=10_000, ge=1)
    idle_minutes: float = Field(default=30.0, gt=0)


class MissesSettings(BaseModel):
    """The unanswered-question log (``qa-bot misses`` reads it)."""

    file: Path | None = None  # default: <cache_dir>/misses.jsonl
    in_chat: bool = True  # log from the console and Telegram (never from eval or ask)
    max_bytes: int = Field(default=5_000_000, ge=1000)  # rotate when the log grows past this
    max_days: float = Field(default=30.0, gt=0)  # … or when its first line is this old
    keep: int = Field(default=3, ge=0, le=100)  # rotated logs kept (misses.jsonl.1 …)


class TelegramSettings(BaseModel):
    """The Telegram adapter (see README, "Telegram")."""

    token: SecretStr | None = None
    base_url: str = "https://api.telegram.org/bot"
    allowed_chat_ids: list[int] = Field(default_factory=list)
    allowed_user_ids: list[int] = Field(default_factory=list)
    rate_limit_per_minute: int = Field(default=20, ge=1)
    max_question_chars: int = Field(default=500, ge=10)
    state_file: Path | None = None


class Settings(BaseSettings):
    """All settings of the bot; every key is documented in README.md."""

    model_config = SettingsConfigDict(
        env_prefix="QA_BOT_",
        env_nested_delimiter="__",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="forbid",
    )

    knowledge_dir: Path = SHIPPED_KNOWLEDGE_DIR
    cache_dir: Path = Path.home() / ".cache" / "qa-bot"
    log_level: str = "WARNING"
    answer: AnswerSettings = Field(default_factory=AnswerSettings)
    dialog: DialogSettings = Field(default_factory=DialogSettings)
    misses: MissesSettings = Field(default_factory=MissesSettings)
    telegram: TelegramSettings = Field(default_factory=TelegramSettings)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Priority, highest first: arguments, environment, .env, the TOML config file."""
        toml = TomlConfigSettingsSource(settings_cls, toml_file=config_file())
        return (init_settings, env_settings, dotenv_settings, toml)


def misses_file(settings: Settings) -> Path:
    """Where unanswered questions are logged."""
    return settings.misses.file or cache_root(settings.cache_dir) / "misses.jsonl"


def config_file() -> Path:
    """The TOML file read first: ``QA_BOT_CONFIG`` if set, else config/default.toml."""
    return Path(os.environ.get("QA_BOT_CONFIG", DEFAULT_CONFIG_FILE))


def load_settings(**overrides: object) -> Settings:
    """Read settings from every source; invalid values become one ConfigError line.

    :raises ConfigError: when a key is unknown or a value does not validate.
    """
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(part) for part in first["loc"])
        raise ConfigError(f"settings: {field}: {first['msg']}") from None
