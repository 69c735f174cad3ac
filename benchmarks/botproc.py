"""A bot in its own process, for the benchmarks: `python -m benchmarks.botproc MODE --api URL ...`.

Modes:
- `round`: RunBack's morning round once (until nothing is due), then exit.
- `serve`: RunBack polling for updates (optionally after a morning round) until stdin closes.
- `echo`: the baseline, a bare python-telegram-bot echo bot polling until stdin closes.

It prints one JSON object per line on stdout (`{"ready": ...}` once serving, the figures at the end,
with this process's peak RSS). Times are `time.monotonic()`, the same clock as the parent's.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import inspect
import json
import logging
import os
import sys
import time
from dataclasses import replace
from datetime import datetime
from typing import Any

from benchmarks.common import NOW, TOKEN, peak_rss_mb


def _say(**figures: Any) -> None:
    sys.stdout.write(json.dumps(figures) + "\n")
    sys.stdout.flush()


async def _stdin_closed() -> None:
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while await reader.readline():
        pass


def _build(args: argparse.Namespace) -> Any:
    from bot import app
    from bot.clock import FakeClock
    from bot.config import load_settings

    settings = replace(
        load_settings({"RUNBACK_DATABASE_URL": args.db}),
        telegram_api_url=args.api,
    )
    kwargs: dict[str, Any] = {}
    parameters = inspect.signature(app.build).parameters
    if "overall_per_s" in parameters:
        kwargs["overall_per_s"] = args.overall or None
        kwargs["per_chat_per_s"] = args.per_chat or None
    clock = FakeClock(datetime.fromisoformat(args.now) if args.now else NOW)
    return app.build(settings, clock, token=TOKEN, scheduler=False, **kwargs)


async def _round(args: argparse.Namespace) -> None:
    runback = _build(args)
    await runback.application.initialize()
    started = time.monotonic()
    cpu_before = time.process_time()
    sent = 0
    rounds = 0
    # The production job runs every MORNING_ROUND_EVERY_S; here the rounds run back to back until one
    # sends nothing, which is what the job would do at best.
    while True:
        rounds += 1
        count = await runback.morning_round()
        sent += count
        if count == 0 or not args.repeat:
            break
    ended = time.monotonic()
    await runback.application.shutdown()
    await runback.close()
    _say(
        started=started,
        ended=ended,
        sent=sent,
        rounds=rounds,
        cpu_s=time.process_time() - cpu_before,
        peak_rss_mb=peak_rss_mb(),
    )


async def _serve(args: argparse.Namespace) -> None:
    from bot import app

    runback = _build(args)
    await app.start(runback, poll_timeout=10)
    prompted = 0
    if args.morning_round:
        prompted = await runback.morning_round()
    _say(ready=True, prompted=prompted, peak_rss_mb=peak_rss_mb())
    cpu_before = time.process_time()
    await _stdin_closed()
    handled = runback.handled_updates
    cpu = time.process_time() - cpu_before
    await app.stop(runback)
    _say(handled=handled, cpu_s=round(cpu, 2), peak_rss_mb=peak_rss_mb())


async def _echo(args: argparse.Namespace) -> None:
    from telegram import Update
    from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters

    handled = 0

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        nonlocal handled
        assert update.effective_message is not None and update.effective_message.text is not None
        await update.effective_message.reply_text(update.effective_message.text)
        handled += 1

    application = ApplicationBuilder().token(TOKEN).base_url(args.api).build()
    application.add_handler(MessageHandler(filters.TEXT, echo))
    await application.initialize()
    await application.start()
    assert application.updater is not None
    await application.updater.start_polling(poll_interval=0.0, timeout=10)
    _say(ready=True, peak_rss_mb=peak_rss_mb())
    cpu_before = time.process_time()
    await _stdin_closed()
    cpu = time.process_time() - cpu_before
    await application.updater.stop()
    await application.stop()
    await application.shutdown()
    _say(handled=handled, cpu_s=round(cpu, 2), peak_rss_mb=peak_rss_mb())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.botproc")
    parser.add_argument("mode", choices=("round", "serve", "echo"))
    parser.add_argument("--api", required=True, help="the emulator's base URL (.../bot)")
    parser.add_argument("--db", help="sqlite+aiosqlite:///... (RunBack modes)")
    parser.add_argument("--now", help="the bot's clock, ISO datetime (default: the benchmark morning)")
    parser.add_argument("--overall", type=float, default=0.0, help="the bot's overall send limit per s (0: none)")
    parser.add_argument("--per-chat", type=float, default=0.0, help="the bot's send limit per chat per s (0: none)")
    parser.add_argument("--repeat", action="store_true", help="round: repeat the round until nothing is sent")
    parser.add_argument("--morning-round", action="store_true", help="serve: run a morning round first")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    for noisy in ("httpx", "httpcore", "aiohttp", "telegram", "apscheduler", "aiosqlite"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    runner = {"round": _round, "serve": _serve, "echo": _echo}[args.mode]
    profile_to = os.environ.get("RUNBACK_BENCH_PROFILE")  # a cProfile dump of the bot process, for digging
    profiler = cProfile.Profile(time.thread_time) if profile_to else None
    if profiler is not None:
        profiler.enable()
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(runner(args))
    if profiler is not None and profile_to:
        profiler.disable()
        profiler.dump_stats(f"{profile_to}.{args.mode}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
