"""Configuration from environment variables, checked once at start."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

DEFAULT_TELEGRAM_API_URL = "https://api.telegram.org/bot"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")  # what Telegram accepts as a secret_token


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
    # Webhook mode (`runback run --webhook`): Telegram POSTs updates to webhook_url (a reverse proxy in front
    # of the workers); each worker listens on listen:port and checks Telegram's secret token on every request.
    webhook_url: str | None = None
    webhook_secret: str | None = None
    listen: str = "127.0.0.1"
    port: int = 8443
    messages_per_s: float = 30.0  # the bot's overall send rate (Telegram's limit is per bot, for all workers)

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
    if not (database_url.startswith("sqlite+aiosqlite://") or database_url.startswith("postgresql+asyncpg://")):
        raise ConfigError("RUNBACK_DATABASE_URL must start with sqlite+aiosqlite:// (or postgresql+asyncpg://)")
    api_url = env.get("RUNBACK_TELEGRAM_API_URL") or DEFAULT_TELEGRAM_API_URL
    if not api_url.startswith(("http://", "https://")):
        raise ConfigError("RUNBACK_TELEGRAM_API_URL must be an http(s):// URL ending in /bot")
    log_level = (env.get("RUNBACK_LOG_LEVEL") or "INFO").upper()
    if log_level not in LOG_LEVELS:
        raise ConfigError(f"RUNBACK_LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}")
    reminder = env.get("RUNBACK_REMINDER_AFTER_MINUTES") or "120"
    if not reminder.isdigit() or not 1 <= int(reminder) <= 720:
        raise ConfigError("RUNBACK_REMINDER_AFTER_MINUTES must be a whole number of minutes from 1 to 720")
    webhook_url = env.get("RUNBACK_WEBHOOK_URL") or None
    if webhook_url is not None and not webhook_url.startswith(("https://", "http://")):
        raise ConfigError("RUNBACK_WEBHOOK_URL must be the public https:// URL Telegram posts updates to")
    webhook_secret = env.get("RUNBACK_WEBHOOK_SECRET") or None
    if webhook_secret is not None and not WEBHOOK_SECRET.fullmatch(webhook_secret):
        raise ConfigError("RUNBACK_WEBHOOK_SECRET must be 1-256 characters A-Z, a-z, 0-9, _ and -")
    port = env.get("RUNBACK_PORT") or "8443"
    if not port.isdigit() or not 1 <= int(port) <= 65535:
        raise ConfigError("RUNBACK_PORT must be a port number from 1 to 65535")
    rate = env.get("RUNBACK_MESSAGES_PER_S") or "30"
    try:
        messages_per_s = float(rate)
    except ValueError:
        messages_per_s = 0.0
    if not 0 < messages_per_s <= 1000:
        raise ConfigError("RUNBACK_MESSAGES_PER_S must be a number of messages a second from 1 to 1000")
    return Settings(
        token=token,
        database_url=database_url,
        telegram_api_url=api_url,
        log_level=log_level,
        data_dir=data_dir,
        reminder_after_minutes=int(reminder),
        webhook_url=webhook_url,
        webhook_secret=webhook_secret,
        listen=env.get("RUNBACK_LISTEN") or "127.0.0.1",
        port=int(port),
        messages_per_s=messages_per_s,
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
    for noisy in ("httpx", "httpcore", "aiohttp", "telegram", "apscheduler", "aiosqlite", "sqlalchemy.engine"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
