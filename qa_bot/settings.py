"""Settings: config/default.toml < .env < QA_BOT_* environment variables (nested with __)."""

from __future__ import annotations

import json
import logging
import os
import re
import tomllib
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from dotenv import dotenv_values
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import (
    BaseSettings,
    DotEnvSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    SettingsError,
    TomlConfigSettingsSource,
)

from qa_bot.errors import ConfigError
from qa_bot.private_files import cache_root
from qa_bot.weights import ScoringWeights

log = logging.getLogger(__name__)
PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG_FILE = PROJECT_ROOT / "config" / "default.toml"
ENV_PREFIX = "QA_BOT_"
ENV_FILE = ".env"
OFFICIAL_BOT_API = "https://api.telegram.org"


def shipped_knowledge_dir() -> Path:
    """The knowledge base shipped with qa-bot: the copy inside the installed package (a
    wheel), else ``knowledge/`` of the source checkout (an editable install)."""
    packaged = Path(str(resources.files("qa_bot"))) / "knowledge"
    return packaged if packaged.is_dir() else PROJECT_ROOT / "knowledge"


class AnswerSettings(BaseModel):
    """How answers are chosen and when the bot abstains (frozen: build new settings to try
    other values, e.g. ``settings.answer.model_copy(update=...)``)."""

    model_config = ConfigDict(frozen=True)

    top_k: int = Field(default=5, ge=1, le=50)
    abstain_threshold: float = Field(default=0.4, ge=0.0, le=1.0)
    fact_threshold: float = Field(default=0.6, ge=0.0, le=1.0)
    max_question_chars: int = Field(default=500, ge=10)
    max_answer_chars: int = Field(default=100, ge=20)
    suggestions: int = Field(default=3, ge=0, le=10)
    weights: ScoringWeights = Field(default_factory=ScoringWeights)


class DialogSettings(BaseModel):
    """Per-session dialog memory: where it is kept and for how long (README, "Deployment")."""

    max_sessions: int = Field(default=10_000, ge=1)  # the in-process store's bound
    idle_minutes: float = Field(default=30.0, gt=0)  # with Redis: the keys' time to live
    store: Literal["memory", "redis"] = "memory"  # redis: shared by workers and machines
    redis_url: str = Field(default="redis://127.0.0.1:6379/0", pattern=r"^(redis|rediss|unix)://")


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


class HttpSettings(BaseModel):
    """``qa-bot serve``: the HTTP API and the web chat page (see README, "Web and API")."""

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    workers: int = Field(default=1, ge=1, le=64)  # > 1: set dialog.store = "redis"
    title: str = Field(default="知识库问答", min_length=1, max_length=100)
    welcome: str = "你好！我可以回答知识库文档里的问题，并注明出处。可以这样问："
    api_keys: list[SecretStr] = Field(default_factory=list)  # bearer keys; empty: open
    cors_origins: list[str] = Field(default_factory=list)  # other sites that may call the API
    max_body_bytes: int = Field(default=65_536, ge=1024)
    max_question_chars: int = Field(default=500, ge=10)
    rate_limit_per_minute: int = Field(default=60, ge=0)  # per client address; 0: no limit
    forwarded_allow_ips: list[str] = Field(default_factory=lambda: ["127.0.0.1"])
    frame_ancestors: list[str] = Field(default_factory=list)  # sites that may embed the page


def checked_aes_key(key: SecretStr | None) -> SecretStr | None:
    """An EncodingAESKey as the consoles show it: 43 characters of base64 (32 bytes)."""
    if key is None or not key.get_secret_value():
        return None
    text = key.get_secret_value()
    if len(text) != 43 or not re.fullmatch(r"[A-Za-z0-9+/]{43}", text):
        raise ValueError(f"must be the console's 43-character key, got {len(text)} characters")
    return key


class WechatSettings(BaseModel):
    """The WeChat Official Account callback at ``/wechat`` (see README, "WeChat / WeCom")."""

    token: SecretStr | None = None  # enables /wechat
    encoding_aes_key: SecretStr | None = None  # safe mode (needs app_id)
    app_id: str = ""
    app_secret: SecretStr | None = None  # for the customer-service API (late answers)
    api_base_url: str = "https://api.weixin.qq.com"
    deadline_seconds: float = Field(default=4.5, gt=0, lt=5)  # the platform waits 5 s

    _aes_key = field_validator("encoding_aes_key")(checked_aes_key)

    @model_validator(mode="after")
    def safe_mode_names_the_account(self) -> WechatSettings:
        if self.token and self.encoding_aes_key and not self.app_id:
            raise ValueError("wechat.app_id is required when wechat.encoding_aes_key is set")
        return self


class WecomSettings(BaseModel):
    """The WeCom (企业微信) app callback at ``/wecom``; WeCom always encrypts."""

    token: SecretStr | None = None  # enables /wecom (with encoding_aes_key and corp_id)
    encoding_aes_key: SecretStr | None = None
    corp_id: str = ""
    agent_id: int | None = None  # for the message API (late answers)
    secret: SecretStr | None = None  # the app's Secret, for the message API
    api_base_url: str = "https://qyapi.weixin.qq.com"
    deadline_seconds: float = Field(default=4.5, gt=0, lt=5)

    _aes_key = field_validator("encoding_aes_key")(checked_aes_key)

    @model_validator(mode="after")
    def callbacks_are_encrypted(self) -> WecomSettings:
        if self.token and not (self.encoding_aes_key and self.corp_id):
            missing = "wecom.encoding_aes_key" if not self.encoding_aes_key else "wecom.corp_id"
            raise ValueError(f"{missing} is required when wecom.token is set")
        return self


class ConversationSettings(BaseModel):
    """The conversation log (SQLite, or PostgreSQL for several machines): questions, answers
    and feedback, for ``qa-bot report``."""

    enabled: bool = True  # log from the web page, the API, the console and Telegram
    file: Path | None = None  # default: <cache_dir>/conversations.sqlite3
    database_url: SecretStr | None = None  # postgresql://user:pass@host:5432/db, else the file
    retention_days: float = Field(default=90.0, gt=0)  # older records are deleted


class Settings(BaseSettings):
    """All settings of the bot; every key is documented in README.md."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_nested_delimiter="__",
        env_file=ENV_FILE,
        env_file_encoding="utf-8",
        extra="forbid",
    )

    knowledge_dir: Path = Field(default_factory=shipped_knowledge_dir)
    cache_dir: Path = Path.home() / ".cache" / "qa-bot"
    log_level: str = "WARNING"
    answer: AnswerSettings = Field(default_factory=AnswerSettings)
    dialog: DialogSettings = Field(default_factory=DialogSettings)
    misses: MissesSettings = Field(default_factory=MissesSettings)
    telegram: TelegramSettings = Field(default_factory=TelegramSettings)
    http: HttpSettings = Field(default_factory=HttpSettings)
    conversations: ConversationSettings = Field(default_factory=ConversationSettings)
    wechat: WechatSettings = Field(default_factory=WechatSettings)
    wecom: WecomSettings = Field(default_factory=WecomSettings)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Priority, highest first: arguments, environment, .env, the TOML config file.

        Only the ``QA_BOT_*`` keys of .env are read: a deployment's .env holds other
        programs' keys too (DATABASE_URL …), which are none of our business.
        """
        if isinstance(dotenv_settings, DotEnvSettingsSource):
            dotenv_settings.env_vars = own_keys(dotenv_settings.env_vars)
        return (init_settings, env_settings, dotenv_settings, toml_source(settings_cls))


def own_keys(variables: Mapping[str, str | None]) -> dict[str, str | None]:
    """The variables named ``QA_BOT_…`` (in any case)."""
    return {k: v for k, v in variables.items() if k.upper().startswith(ENV_PREFIX)}


def toml_source(settings_cls: type[BaseSettings]) -> TomlConfigSettingsSource:
    """The TOML config file as a settings source.

    :raises ConfigError: naming the file when it cannot be read or is not valid TOML.
    """
    path = config_file()
    try:
        return TomlConfigSettingsSource(settings_cls, toml_file=path)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None


def misses_file(settings: Settings) -> Path:
    """Where unanswered questions are logged."""
    return settings.misses.file or cache_root(settings.cache_dir) / "misses.jsonl"


def conversations_file(settings: Settings) -> Path:
    """Where the conversation log is kept."""
    return settings.conversations.file or cache_root(settings.cache_dir) / "conversations.sqlite3"


def state_file(settings: Settings, name: str) -> Path:
    """Where a channel keeps its state (``name``: e.g. ``repl_history``), in the checked
    private cache directory."""
    return cache_root(settings.cache_dir) / name


def config_file() -> Path:
    """The TOML file read first: ``QA_BOT_CONFIG`` if set, else config/default.toml.

    A file named explicitly must exist: silently falling back to the defaults would, for
    one, leave the Telegram allowlist empty, which means open to everyone.

    :raises ConfigError: when ``QA_BOT_CONFIG`` names no file.
    """
    named = os.environ.get("QA_BOT_CONFIG", "")
    if not named:
        return DEFAULT_CONFIG_FILE
    path = Path(named).expanduser()
    if not path.is_file():
        raise ConfigError(f"QA_BOT_CONFIG: {path}: no such file")
    return path


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
    except SettingsError as exc:
        raise undecodable_variable(exc) from None


def undecodable_variable(exc: SettingsError) -> ConfigError:
    """pydantic-settings' error for a list or table value that is not JSON, as one line
    naming the variable (and .env when it is set there) instead of the top-level field.
    """
    cause = exc.__cause__
    while cause is not None and not isinstance(cause, json.JSONDecodeError):
        cause = cause.__cause__
    if not isinstance(cause, json.JSONDecodeError):
        return ConfigError(f"settings: {exc}")
    problem = f"not valid JSON ({cause.msg} at column {cause.colno}), e.g. [123, 456]"
    sources: list[tuple[str, Mapping[str, str | None]]] = [("", os.environ)]
    if Path(ENV_FILE).is_file():
        sources.append((f"{ENV_FILE}: ", dotenv_values(ENV_FILE)))
    for where, variables in sources:
        for name, value in own_keys(variables).items():
            if value == cause.doc:
                return ConfigError(f"{where}{name}: {problem}")
    return ConfigError(f"settings: {exc}: {problem}")


def check_bot_api(telegram: TelegramSettings) -> str:
    """Log the Bot API server the token is sent to, and warn when it is not Telegram's.

    ``telegram.base_url`` may come from a .env file in the working directory, so a planted
    one could send the token to any server; a self-hosted Bot API server is the honest
    reason to change it. Called by ``qa-bot telegram`` before it starts polling.

    :returns: the host name.
    """
    parts = urlsplit(telegram.base_url)
    host = parts.hostname or telegram.base_url
    log.info("Telegram Bot API host: %s", host)
    if f"{parts.scheme}://{host}" != OFFICIAL_BOT_API:
        log.warning(
            "telegram.base_url sends the bot token to %s://%s, not %s; check "
            "QA_BOT_TELEGRAM__BASE_URL, %s and %s",
            parts.scheme,
            host,
            OFFICIAL_BOT_API,
            ENV_FILE,
            config_file(),
        )
    return host
