"""`runback run`: the real bot, polling Telegram until interrupted."""

from __future__ import annotations

import asyncio
import logging
import signal

from bot import app
from bot.clock import SystemClock
from bot.config import Settings, configure_logging
from bot.storage.migrate import upgrade

log = logging.getLogger("runback")


async def _serve(settings: Settings) -> None:
    runback = app.build(settings, SystemClock())
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stopping.set)
    await app.start(runback)
    log.info("RunBack is running")
    try:
        await stopping.wait()
    finally:
        await app.stop(runback)
        log.info("RunBack stopped")


def run_bot(settings: Settings) -> int:
    configure_logging(settings.log_level, secrets=[settings.token or ""])
    upgrade(settings.database_url)
    asyncio.run(_serve(settings))
    return 0
