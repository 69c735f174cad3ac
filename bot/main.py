"""`runback run`: the real bot, polling Telegram until interrupted."""

from __future__ import annotations

import asyncio
import logging
import signal

from bot import app
from bot.clock import SystemClock
from bot.config import Settings, configure_logging
from bot.storage.migrate import upgrade
from bot.telegram import webhook as telegram_webhook

log = logging.getLogger("runback")


async def _serve(settings: Settings, webhook: bool = False) -> None:
    runback = app.build(settings, SystemClock(), overall_per_s=settings.messages_per_s)
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stopping.set)
    # Telegram may be unreachable at start (app.start waits for it): a stop signal must still end us.
    starting = asyncio.create_task(app.start(runback, webhook=webhook))
    stop_requested = asyncio.create_task(stopping.wait())
    await asyncio.wait({starting, stop_requested}, return_when=asyncio.FIRST_COMPLETED)
    try:
        if starting.done():
            starting.result()
            app.settle_heap()
            log.info("RunBack is running")
            await stop_requested
        else:
            starting.cancel()
            log.info("stopped before Telegram could be reached")
    finally:
        await app.stop(runback)
        log.info("RunBack stopped")


def run_bot(settings: Settings, webhook: bool = False) -> int:
    """Polling (the default), or `webhook`: serve Telegram's webhook requests (several workers may run)."""
    configure_logging(settings.log_level, secrets=[settings.token or "", settings.webhook_secret or ""])
    upgrade(settings.database_url)  # several workers at once: the migrations take a lock (migrations/env.py)
    asyncio.run(_serve(settings, webhook))
    return 0


def set_webhook(settings: Settings, delete: bool = False) -> int:
    """`runback set-webhook`: register RUNBACK_WEBHOOK_URL and the secret token with Telegram, once."""
    configure_logging(settings.log_level, secrets=[settings.token or "", settings.webhook_secret or ""])
    runback = app.build(settings, SystemClock(), scheduler=False)

    async def register() -> None:
        try:
            await telegram_webhook.register(runback.application.bot, settings, delete=delete)
        finally:
            await runback.close()

    asyncio.run(register())
    log.info("webhook %s", "deleted: poll again" if delete else f"set to {settings.webhook_url}")
    return 0
