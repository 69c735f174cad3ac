"""Wiring in one place: settings → database (unit of work) → router and morning round → python-telegram-bot
Application."""

from __future__ import annotations

import asyncio
import functools
import gc
import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from telegram import Bot, BotCommand
from telegram.error import NetworkError, TelegramError, TimedOut
from telegram.ext import Application, ApplicationBuilder, ContextTypes, TypeHandler

from bot.clock import Clock
from bot.config import Settings
from bot.i18n import LANGUAGES, texts_for
from bot.storage import send_budget
from bot.storage.claims import LeasedClaims, PromptClaims, SingleProcessClaims
from bot.storage.db import create_engine, is_postgresql
from bot.storage.taps import checkin_taps
from bot.storage.unit_of_work import UnitOfWork
from bot.telegram import webhook as telegram_webhook
from bot.telegram.handlers import add_handlers
from bot.telegram.morning_round import SEND_CONCURRENCY, MorningRound
from bot.telegram.ratelimit import PacedRateLimiter, SharedRateLimiter
from bot.telegram.router import Router
from bot.telegram.transport import AiohttpRequest, UpdatesRequest
from bot.telegram.updates import Backlog, PerPersonUpdateProcessor

log = logging.getLogger("runback.app")

MORNING_ROUND_EVERY_S = 20
TELEGRAM_MESSAGES_PER_S = 30.0  # Telegram's overall limit for a bot
TELEGRAM_MESSAGES_PER_CHAT_PER_S = 1.0


@dataclass
class RunBack:
    settings: Settings
    clock: Clock
    uow: UnitOfWork
    router: Router
    application: Application  # type: ignore[type-arg]
    morning: MorningRound
    handled_updates: int = 0  # updates fully handled (replies sent): the demo and tests wait on it
    webhook_server: Any = None  # webhook mode: the aiohttp server (bot/telegram/webhook.py)
    backlog: Backlog | None = None  # polling: the updates taken and not handled yet (bot/telegram/updates.py)

    @property
    def sessions(self) -> Any:
        """The database's sessions (for the demo and tests, which look at stored rows)."""
        return self.uow.sessions

    async def wait_until_handled(self, count: int, timeout: float = 10.0) -> None:  # noqa: ASYNC109
        """Wait until `count` updates in all have been handled (for the demo and tests; never sleeps long)."""
        deadline = asyncio.get_running_loop().time() + timeout
        while self.handled_updates < count:
            if asyncio.get_running_loop().time() > deadline:
                raise TimeoutError(f"{self.handled_updates} of {count} updates handled")
            await asyncio.sleep(0.002)

    async def morning_round(self) -> int:
        """Send every prompt and reminder that is due, until nothing is; returns how many Telegram accepted
        (bot/telegram/morning_round.py; on PostgreSQL several workers share it)."""
        return await self.morning.run(self.application.bot, self.router.mark_blocked, self.router.alert_sent)

    async def close(self) -> None:
        await self.uow.engine.dispose()


async def _morning_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    runback: RunBack = context.application.bot_data["runback"]
    await runback.morning_round()


async def set_menus(bot: Bot) -> None:
    """The command menu and the bot's descriptions: the default in English, then one per language for the
    people whose Telegram reports that language_code."""
    for code in LANGUAGES:
        words = texts_for(code)
        language_code = None if code == "en" else code
        await bot.set_my_commands([BotCommand(n, d) for n, d in words.COMMANDS], language_code=language_code)
        await bot.set_my_description(words.BOT_DESCRIPTION, language_code=language_code)
        await bot.set_my_short_description(words.BOT_SHORT_DESCRIPTION, language_code=language_code)


async def start(runback: RunBack, *, poll_timeout: int = 30, retry_every_s: float = 5.0, webhook: bool = False) -> None:
    """Connect to Telegram (waiting for it if it is unreachable), then poll for updates, or (`webhook`) serve
    Telegram's webhook requests (bot/telegram/webhook.py) until `stop`."""
    application = runback.application
    while True:
        try:
            await application.initialize()
            break
        except (NetworkError, TimedOut) as error:
            log.warning("Telegram unreachable at start (%s); retrying in %.0f s", type(error).__name__, retry_every_s)
            await asyncio.sleep(retry_every_s)
    runback.router.bot_username = application.bot.username
    try:
        await set_menus(application.bot)
    except (NetworkError, TimedOut):
        log.warning("could not set the command menu; it will be set at the next start")
    await application.start()
    if webhook:
        runback.webhook_server = await telegram_webhook.serve(application, runback.settings)
        return
    assert application.updater is not None
    await application.updater.start_polling(poll_interval=0.0, timeout=poll_timeout, drop_pending_updates=False)


def settle_heap() -> None:
    """Once a serving process is up (bot/main.py): hide what start-up loaded (modules, catalogs, tables,
    compiled statements: long-lived by nature) from the garbage collector, so that a full collection scans
    only what updates create. Without it, one landed in the middle of a reply every few hundred cold
    decisions and took ~50 ms (benchmarks/history.py)."""
    gc.collect()
    gc.freeze()


async def stop(runback: RunBack) -> None:
    application = runback.application
    if runback.webhook_server is not None:
        await runback.webhook_server.cleanup()  # stops listening, lets the updates in hand finish (a rolling restart)
        runback.webhook_server = None
    if application.updater is not None and application.updater.running:
        await application.updater.stop()
    if application.running:
        await application.stop()  # lets the updates in hand be handled
    await _confirm_handled(runback)
    await application.shutdown()
    await asyncio.to_thread(runback.router.close)
    await runback.close()


async def _confirm_handled(runback: RunBack) -> None:
    """Polling: tell Telegram which updates were handled since the last poll, so that the next start does not
    get them again (they would be refused as already handled, but each costs a round trip)."""
    backlog = runback.backlog
    if backlog is None or backlog.next_offset <= backlog.last_offset:
        return
    try:
        await runback.application.bot.get_updates(offset=backlog.next_offset, timeout=0, limit=1)
    except TelegramError as error:
        log.warning("could not confirm the last updates handled (%s); they will come again", type(error).__name__)


def build(
    settings: Settings,
    clock: Clock,
    *,
    token: str | None = None,
    scheduler: bool = True,
    overall_per_s: float | None = TELEGRAM_MESSAGES_PER_S,
    per_chat_per_s: float | None = TELEGRAM_MESSAGES_PER_CHAT_PER_S,
) -> RunBack:
    """`overall_per_s` / `per_chat_per_s`: the send limits the bot keeps to (None: none, for benchmarks)."""
    token = token or settings.token
    if not token:
        raise ValueError("a bot token is needed")
    db = create_engine(settings.database_url)
    uow = UnitOfWork(db)
    router = Router(uow, clock, taps=checkin_taps(db))
    shared = is_postgresql(settings.database_url)  # several workers may share the database
    claims: PromptClaims = LeasedClaims(db, uow.sessions) if shared else SingleProcessClaims()
    reminder_after = timedelta(minutes=settings.reminder_after_minutes)
    morning = MorningRound(uow, claims, clock, reminder_after)
    limiter = (  # several workers share the bot's rate too
        SharedRateLimiter(functools.partial(send_budget.reserve, db), overall_per_s, per_chat_per_s)
        if shared and overall_per_s
        else PacedRateLimiter(overall_per_s, per_chat_per_s)
    )
    backlog = Backlog()  # polling waits while many updates are in hand (bot/telegram/updates.py)
    builder = (
        ApplicationBuilder()
        .token(token)
        .base_url(settings.telegram_api_url)
        .base_file_url(settings.telegram_file_url)
        .rate_limiter(limiter)
        .concurrent_updates(PerPersonUpdateProcessor(backlog=backlog))
        .request(AiohttpRequest(connection_pool_size=SEND_CONCURRENCY + 8))
        .get_updates_request(UpdatesRequest(connection_pool_size=1, backlog=backlog))
    )
    application = builder.build()
    add_handlers(application)
    runback = RunBack(settings, clock, uow, router, application, morning, backlog=backlog)
    application.bot_data["router"] = router
    application.bot_data["runback"] = runback

    async def count_handled(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        runback.handled_updates += 1

    # group 99 runs after the handler of group 0 has finished with the same update
    application.add_handler(TypeHandler(object, count_handled), group=99)
    if scheduler and application.job_queue is not None:
        application.job_queue.run_repeating(_morning_job, interval=MORNING_ROUND_EVERY_S, first=1, name="morning-round")
    return runback
