"""`runback set-webhook` against the Bot API emulator: it registers the URL with the secret token once, and
`--delete` goes back to polling; without a URL or secret it refuses, and Telegram hears nothing."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path

import pytest

from bot.config import Settings, load_settings
from bot.main import set_webhook
from emulator.server import BotAPIEmulator

URL = "https://runback.example.org/telegram/hook"
SECRET = "s3cret-token_1"


def _settings(emulator: BotAPIEmulator, tmp_path: Path, **env: str) -> Settings:
    base = load_settings({"TELEGRAM_BOT_TOKEN": emulator.token, "RUNBACK_DATA_DIR": str(tmp_path), **env})
    return replace(base, telegram_api_url=emulator.base_url)


async def test_set_webhook_registers_the_url_and_secret_then_delete_removes_it(tmp_path: Path) -> None:
    async with BotAPIEmulator() as emulator:
        settings = _settings(emulator, tmp_path, RUNBACK_WEBHOOK_URL=URL, RUNBACK_WEBHOOK_SECRET=SECRET)
        assert await asyncio.to_thread(set_webhook, settings) == 0
        registered = [r for r in emulator.requests if r.method == "setWebhook"]
        assert len(registered) == 1 and registered[0].status == 200 and not registered[0].problems
        assert registered[0].params["url"] == URL and registered[0].params["secret_token"] == SECRET
        assert await asyncio.to_thread(set_webhook, settings, True) == 0
        deleted = [r for r in emulator.requests if r.method == "deleteWebhook"]
        assert len(deleted) == 1 and deleted[0].status == 200 and not deleted[0].problems
        assert not deleted[0].params.get("drop_pending_updates")  # updates waiting are kept for polling


async def test_set_webhook_without_url_or_secret_refuses(tmp_path: Path) -> None:
    async with BotAPIEmulator() as emulator:
        settings = _settings(emulator, tmp_path, RUNBACK_WEBHOOK_URL=URL)
        with pytest.raises(ValueError, match="RUNBACK_WEBHOOK_SECRET"):
            await asyncio.to_thread(set_webhook, settings)
        assert not any(r.method == "setWebhook" for r in emulator.requests)
