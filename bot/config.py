"""Configuration from environment variables, checked once at start."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

DEFAULT_TELEGRAM_API_URL = "https://api.telegram.org/bot"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class ConfigError(ValueError):
    """A bad setting: the message is the one line shown to the operator."""


@dataclass(frozen=True)
class Settings:
    token: str | None
    database_url: str
    telegram_api_url: str
    log_level: str
    data_dir: Path
    reminder_after_minutes: int

    @property
    def telegram_file_url(self) -> str:
        base = self.telegram_api_url.rstrip("/")
        # Telegram's file URL is the API URL with /file inserted before /bot
        if base.endswith("/bot"):
            return base[: -len("/bot")] + "/file/bot"
        return base + "/file/bot"


def default_database_url(data_dir: Path) -> str:
    return f"sqlite+aiosqlite:///{(data_dir / 'runback.db').resolve()}"


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if env is None else env
    data_dir = Path(env.get("RUNBACK_DATA_DIR", "data"))
    token = env.get("TELEGRAM_BOT_TOKEN") or None
    if token is not None and (":" not in token or any(c.isspace() for c in token)):
        raise ConfigError("TELEGRAM_BOT_TOKEN does not look like a bot token (expected '<digits>:<secret>')")
    database_url = env.get("RUNBACK_DATABASE_URL") or default_database_url(data_dir)
    if not (
        database_url.startswith("sqlite+aiosqlite://") or database_url.startswith("postgresql+asyncpg://")
    ):
        raise ConfigError(
            "RUNBACK_DATABASE_URL must start with sqlite+aiosqlite:// (or postgresql+asyncpg://)"
        )
    api_url = env.get("RUNBACK_TELEGRAM_API_URL") or DEFAULT_TELEGRAM_API_URL
    if not api_url.startswith(("http://", "https://")):
        raise ConfigError("RUNBACK_TELEGRAM_API_URL must be an http(s):// URL ending in /bot")
    log_level = (env.get("RUNBACK_LOG_LEVEL") or "INFO").upper()
    if log_level not in LOG_LEVELS:
        raise ConfigError(f"RUNBACK_LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}")
    reminder = env.get("RUNBACK_REMINDER_AFTER_MINUTES") or "120"
    if not reminder.isdigit() or not 1 <= int(reminder) <= 720:
        raise ConfigError("RUNBACK_REMINDER_AFTER_MINUTES must be a whole number of minutes from 1 to 720")
    return Settings(
        token=token,
        database_url=database_url,
        telegram_api_url=api_url,
        log_level=log_level,
        data_dir=data_dir,
        reminder_after_minutes=int(reminder),
    )


class RedactingFormatter(logging.Formatter):
    """Last line of defence: scrub secrets from the whole formatted record, tracebacks included."""

    def __init__(self, fmt: str, secrets: list[str]) -> None:
        super().__init__(fmt)
        self._secrets = [s for s in secrets if s]

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        for secret in self._secrets:
            text = text.replace(secret, "[REDACTED]")
        return text


def configure_logging(level: str, secrets: list[str] | None = None) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s", secrets or []))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # httpx logs every request URL (Telegram's contain the token) and python-telegram-bot logs request
    # parameters (message text, answers) at DEBUG: neither may reach the logs, at any level.
    for noisy in ("httpx", "httpcore", "telegram", "apscheduler", "aiosqlite", "sqlalchemy.engine"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
