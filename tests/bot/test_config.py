"""Settings come from the environment; a bad value is one clear line."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings


def test_defaults() -> None:
    settings = load_settings({})
    assert settings.token is None
    assert settings.database_url == f"sqlite+aiosqlite:///{(Path('data') / 'runback.db').resolve()}"
    assert settings.telegram_api_url == "https://api.telegram.org/bot"
    assert settings.telegram_file_url == "https://api.telegram.org/file/bot"
    assert settings.log_level == "INFO"


@pytest.mark.parametrize(
    ("env", "fragment"),
    [
        ({"TELEGRAM_BOT_TOKEN": "no-colon"}, "TELEGRAM_BOT_TOKEN"),
        ({"RUNBACK_DATABASE_URL": "mysql://x"}, "RUNBACK_DATABASE_URL"),
        ({"RUNBACK_TELEGRAM_API_URL": "ftp://x"}, "RUNBACK_TELEGRAM_API_URL"),
        ({"RUNBACK_LOG_LEVEL": "LOUD"}, "RUNBACK_LOG_LEVEL"),
        ({"RUNBACK_REMINDER_AFTER_MINUTES": "0"}, "RUNBACK_REMINDER_AFTER_MINUTES"),
    ],
)
def test_bad_values_name_the_variable(env: dict[str, str], fragment: str) -> None:
    with pytest.raises(ConfigError) as error:
        load_settings(env)
    assert fragment in str(error.value)
    assert "\n" not in str(error.value)
