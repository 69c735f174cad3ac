"""Wiring in one place: settings → database → coach → python-telegram-bot Application."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import BotCommand
from telegram.error import NetworkError, TimedOut
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, ContextTypes, TypeHandler

from bot import texts
from bot.clock import Clock
from bot.coach import Coach
from bot.config import Settings
from bot.handlers import add_handlers
from bot.storage.db import create_engine, session_factory
from bot.telegram_io import deliver

log = logging.getLogger("runback.app")

MORNING_ROUND_EVERY_S = 20
SEND_CONCURRENCY = 30


@dataclass
class RunBack:
    settings: Settings
    clock: Clock
    db: AsyncEngine
    coach: Coach
    application: Application  # type: ignore[type-arg]
    handled_updates: int = 0  # updates fully handled (replies sent): the demo and tests wait on it

    async def wait_until_handled(self, count: int, timeout: float = 10.0) -> None:  # noqa: ASYNC109
        """Wait until `count` updates in all have been handled (for the demo and tests; never sleeps long)."""
        deadline = asyncio.get_running_loop().time() + timeout
        while self.handled_updates < count:
            if asyncio.get_running_loop().time() > deadline:
                raise TimeoutError(f"{self.handled_updates} of {count} updates handled")
            await asyncio.sleep(0.002)

    async def morning_round(self) -> int:
        """Send every prompt and reminder that is due; returns how many Telegram accepted."""
        replies = await self.coach.collect_due()
        if not replies:
            return 0
        limit = asyncio.Semaphore(SEND_CONCURRENCY)

        async def send_one(reply: object) -> bool:
            async with limit:
                return await deliver(self.application.bot, reply, self.coach.mark_blocked)  # type: ignore[arg-type]

        results = await asyncio.gather(*(send_one(r) for r in replies))
        return sum(results)

    async def close(self) -> None:
        await self.db.dispose()


async def _morning_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    runback: RunBack = context.application.bot_data["runback"]
    await runback.morning_round()


async def start(runback: RunBack, *, poll_timeout: int = 30, retry_every_s: float = 5.0) -> None:
    """Connect to Telegram (waiting for it if it is unreachable), then poll for updates."""
    application = runback.application
    while True:
        try:
            await application.initialize()
            break
        except (NetworkError, TimedOut) as error:
            log.warning("Telegram unreachable at start (%s); retrying in %.0f s", type(error).__name__, retry_every_s)
            await asyncio.sleep(retry_every_s)
    runback.coach.bot_username = application.bot.username
    try:
        await application.bot.set_my_commands([BotCommand(n, d) for n, d in texts.COMMANDS])
    except (NetworkError, TimedOut):
        log.warning("could not set the command menu; it will be set at the next start")
    await application.start()
    assert application.updater is not None
    await application.updater.start_polling(poll_interval=0.0, timeout=poll_timeout, drop_pending_updates=False)


async def stop(runback: RunBack) -> None:
    application = runback.application
    if application.updater is not None and application.updater.running:
        await application.updater.stop()
    if application.running:
        await application.stop()
    await application.shutdown()
    await runback.close()


def build(settings: Settings, clock: Clock, *, token: str | None = None, scheduler: bool = True) -> RunBack:
    token = token or settings.token
    if not token:
        raise ValueError("a bot token is needed")
    db = create_engine(settings.database_url)
    coach = Coach(session_factory(db), clock, reminder_after=timedelta(minutes=settings.reminder_after_minutes))
    builder = (
        ApplicationBuilder()
        .token(token)
        .base_url(settings.telegram_api_url)
        .base_file_url(settings.telegram_file_url)
        .rate_limiter(AIORateLimiter(max_retries=5))
        .concurrent_updates(False)
    )
    application = builder.build()
    add_handlers(application)
    runback = RunBack(settings, clock, db, coach, application)
    application.bot_data["coach"] = coach
    application.bot_data["runback"] = runback

    async def count_handled(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        runback.handled_updates += 1

    # group 99 runs after the handler of group 0 has finished with the same update
    application.add_handler(TypeHandler(object, count_handled), group=99)
    if scheduler and application.job_queue is not None:
        application.job_queue.run_repeating(_morning_job, interval=MORNING_ROUND_EVERY_S, first=1, name="morning-round")
    return runback
