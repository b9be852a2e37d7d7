"""Settings sources: every bad file or variable is one line naming it; foreign keys are ignored."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from qa_bot.cli import main
from qa_bot.errors import ConfigError
from qa_bot.settings import TelegramSettings, check_bot_api, load_settings


@pytest.fixture(autouse=True)
def _clean_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run in an empty directory (no .env) with a throw-away cache."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("QA_BOT_CACHE_DIR", str(tmp_path / "cache"))


def one_error_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0, err
    assert "Traceback" not in err
    return err


def test_malformed_toml_is_one_line_naming_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "bad.toml"
    config.write_text("[answer]\ntop_k = = 5\n", "utf-8")
    monkeypatch.setenv("QA_BOT_CONFIG", str(config))
    assert main(["ask", "问题"]) == 1
    err = one_error_line(capsys)
    assert "bad.toml" in err and "TOML" in err and "line 2" in err


def test_malformed_json_list_in_environment_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("QA_BOT_TELEGRAM__ALLOWED_USER_IDS", "123, 456")
    assert main(["ask", "问题"]) == 1
    err = one_error_line(capsys)
    assert "QA_BOT_TELEGRAM__ALLOWED_USER_IDS" in err and "JSON" in err


def test_malformed_json_list_in_dotenv_names_the_file_and_key(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("QA_BOT_TELEGRAM__ALLOWED_CHAT_IDS=[1,\n", "utf-8")
    with pytest.raises(ConfigError, match=r"\.env: QA_BOT_TELEGRAM__ALLOWED_CHAT_IDS: .*JSON"):
        load_settings()


def test_missing_config_file_named_in_qa_bot_config_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("QA_BOT_CONFIG", str(tmp_path / "prod.tmol"))
    assert main(["ask", "问题"]) == 1
    err = one_error_line(capsys)
    assert "QA_BOT_CONFIG" in err and "prod.tmol" in err


def test_config_file_named_in_qa_bot_config_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "prod.toml"
    config.write_text("[telegram]\nallowed_user_ids = [42]\n", "utf-8")
    monkeypatch.setenv("QA_BOT_CONFIG", str(config))
    assert load_settings().telegram.allowed_user_ids == [42]


def test_dotenv_keys_of_other_programs_are_ignored(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(
        "DATABASE_URL=postgres://db/app\nSECRET_KEY=x\nQA_BOT_LOG_LEVEL=INFO\n", "utf-8"
    )
    assert load_settings().log_level == "INFO"


def test_unknown_qa_bot_key_in_dotenv_is_still_an_error(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("QA_BOT_LOG_LEVL=INFO\n", "utf-8")
    with pytest.raises(ConfigError, match="log_levl"):
        load_settings()


def test_bot_api_host_is_logged_and_an_unofficial_one_warned(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="qa_bot.settings")
    check_bot_api(TelegramSettings())
    assert [(r.levelname, "api.telegram.org" in r.getMessage()) for r in caplog.records] == [
        ("INFO", True)
    ]
    caplog.clear()
    check_bot_api(TelegramSettings(base_url="https://evil.example:8443/bot"))
    [info, warning] = caplog.records
    assert info.levelname == "INFO" and "evil.example" in info.getMessage()
    assert warning.levelname == "WARNING" and "evil.example" in warning.getMessage()
    assert "\n" not in warning.getMessage()


def test_telegram_command_warns_about_a_planted_base_url_before_starting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / ".env").write_text(
        "QA_BOT_TELEGRAM__BASE_URL=http://collector.example/bot\n", "utf-8"
    )
    monkeypatch.setenv("QA_BOT_TELEGRAM__TOKEN", "123:abc")
    monkeypatch.setenv("QA_BOT_KNOWLEDGE_DIR", str(tmp_path / "no-such-folder"))
    assert main(["telegram"]) == 1  # stops at the missing knowledge folder, after the check
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert any("collector.example" in message for message in warnings)


def test_dialog_store_and_redis_url_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert load_settings().dialog.store == "memory"  # the default: today's behaviour
    monkeypatch.setenv("QA_BOT_DIALOG__STORE", "redis")
    monkeypatch.setenv("QA_BOT_DIALOG__REDIS_URL", "redis://cache.internal:6380/3")
    dialog = load_settings().dialog
    assert (dialog.store, dialog.redis_url) == ("redis", "redis://cache.internal:6380/3")


@pytest.mark.parametrize(
    ("variable", "value"),
    [("QA_BOT_DIALOG__STORE", "memcached"), ("QA_BOT_DIALOG__REDIS_URL", "cache.internal:6379")],
)
def test_a_bad_dialog_store_setting_is_one_line(
    variable: str, value: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(variable, value)
    assert main(["ask", "问题"]) == 1
    assert one_error_line(capsys).startswith("qa-bot: error: settings: dialog.")
