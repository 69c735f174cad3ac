"""Several workers on PostgreSQL: webhook updates per second with 1, 2 and 3 workers, and the shared morning
round's fan-out time. `python -m benchmarks.scale [--updates N] [--prompts N] [--rate R] [--full] [--kill]`.

Everything runs on this machine: a throwaway PostgreSQL server (tests/pg.py), the Bot API emulator, and real
`runback run --webhook` worker processes (tests/scale/fleet.py). `--full` is the full-size round: 5,000
prompts at Telegram's 30 messages a second (~167 s). Prints one JSON object per measurement.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

from bot.storage.migrate import upgrade
from emulator.server import BotAPIEmulator
from tests.pg import PostgresServer
from tests.scale.fleet import SECRET, Fleet, due_morning


async def updates_per_second(server: PostgresServer, workers: int, updates: int, directory: Path) -> dict[str, object]:
    url = server.create_database("bench")
    await asyncio.to_thread(upgrade, url)
    async with BotAPIEmulator() as emulator:
        fleet = Fleet(url, emulator.base_url, emulator.token, directory, messages_per_s=1000)
        await fleet.start(workers)
        try:
            chats = [40_000_000 + i for i in range(updates)]
            raw = [emulator.user_sends(chat, "/start") for chat in chats]
            emulator.drop_pending_updates()
            gate = asyncio.Semaphore(40)
            headers = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET}
            started = time.monotonic()
            async with aiohttp.ClientSession() as session:

                async def post(n: int, update: dict[str, object]) -> None:
                    async with (
                        gate,
                        session.post(
                            fleet.workers[n % workers].url, data=json.dumps(update), headers=headers
                        ) as response,
                    ):
                        assert response.status == 200

                await asyncio.gather(*(post(n, u) for n, u in enumerate(raw)))
            while sum(emulator.delivered[c] for c in chats) < updates:  # noqa: ASYNC110
                await asyncio.sleep(0.05)
            elapsed = time.monotonic() - started
        finally:
            await fleet.stop()
    server.drop_database(url)
    return {
        "bench": "webhook_updates",
        "workers": workers,
        "updates": updates,
        "seconds": round(elapsed, 2),
        "updates_per_s": round(updates / elapsed, 1),
    }


async def fan_out(
    server: PostgresServer, workers: int, prompts: int, rate: float, directory: Path, kill: bool = False
) -> dict[str, object]:
    """`kill`: SIGKILL the first worker once a third of the prompts are delivered."""
    url = server.create_database("bench")
    async with due_morning(url, prompts, rate, directory) as (fleet, emulator, chats):
        await fleet.start(workers)
        killed = not kill
        while (delivered := sum(1 for c in chats if emulator.delivered[c])) < prompts:
            if not killed and delivered >= prompts // 3:
                fleet.kill(0)
                killed = True
            await asyncio.sleep(0.1)
        await asyncio.sleep(1.0)
    times = [r.time for r in emulator.requests if r.method == "sendMessage" and r.status == 200]
    server.drop_database(url)
    return {
        "bench": "fan_out",
        "workers": workers,
        "one_worker_killed": kill,
        "prompts": prompts,
        "rate_per_s": rate,
        "seconds": round(max(times) - min(times), 2),
        "bound_s": round(prompts / rate, 2),
        "twice": sum(1 for c in chats if emulator.delivered[c] > 1),
        "rejected_429": sum(1 for r in emulator.requests if r.status == 429),
    }


async def main_async(args: argparse.Namespace) -> None:
    server = PostgresServer()
    server.start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for workers in (1, 2, 3) if args.updates else ():
                print(json.dumps(await updates_per_second(server, workers, args.updates, Path(tmp))), flush=True)
            prompts, rate = (5000, 30.0) if args.full else (args.prompts, args.rate)
            for kill in (False, True) if args.kill else (False,):
                print(json.dumps(await fan_out(server, 3, prompts, rate, Path(tmp), kill=kill)), flush=True)
    finally:
        server.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.scale")
    parser.add_argument("--updates", type=int, default=1000, help="webhook updates per worker count (0: none)")
    parser.add_argument("--kill", action="store_true", help="the fan-out again, one worker SIGKILLed mid-round")
    parser.add_argument("--prompts", type=int, default=5000)
    parser.add_argument("--rate", type=float, default=100.0)
    parser.add_argument("--full", action="store_true", help="5,000 prompts at 30/s (about 3 minutes)")
    asyncio.run(main_async(parser.parse_args(argv)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
