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
    # Telegram may be unreachable at start (app.start waits for it): a stop signal must still end us.
    starting = asyncio.create_task(app.start(runback))
    stop_requested = asyncio.create_task(stopping.wait())
    await asyncio.wait({starting, stop_requested}, return_when=asyncio.FIRST_COMPLETED)
    try:
        if starting.done():
            starting.result()
            log.info("RunBack is running")
            await stop_requested
        else:
            starting.cancel()
            log.info("stopped before Telegram could be reached")
    finally:
        await app.stop(runback)
        log.info("RunBack stopped")


def run_bot(settings: Settings) -> int:
    configure_logging(settings.log_level, secrets=[settings.token or ""])
    upgrade(settings.database_url)
    asyncio.run(_serve(settings))
    return 0
