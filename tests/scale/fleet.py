"""Several real RunBack workers (`runback run --webhook`, each its own process) on one PostgreSQL database,
talking to the Bot API emulator on loopback: the processes docker-compose.yml runs, without containers."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import sys
import time
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from bot.storage import models
from bot.storage.db import create_engine
from bot.storage.migrate import upgrade
from bot.timezones import local_date
from emulator.server import BotAPIEmulator
from tests.pg import free_port

WEBHOOK_PATH = "/telegram"
SECRET = "fleet-test-secret_123"


@dataclass
class Worker:
    port: int
    process: asyncio.subprocess.Process
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{WEBHOOK_PATH}"


@dataclass
class Fleet:
    database_url: str
    api_url: str
    token: str
    directory: Path
    messages_per_s: float = 30.0
    workers: list[Worker] = field(default_factory=list)

    def environment(self, port: int) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("RUNBACK_", "TELEGRAM_"))}
        env.update(
            TELEGRAM_BOT_TOKEN=self.token,
            RUNBACK_TELEGRAM_API_URL=self.api_url,
            RUNBACK_DATABASE_URL=self.database_url,
            RUNBACK_WEBHOOK_URL=f"https://runback.example{WEBHOOK_PATH}",
            RUNBACK_WEBHOOK_SECRET=SECRET,
            RUNBACK_LISTEN="127.0.0.1",
            RUNBACK_PORT=str(port),
            RUNBACK_MESSAGES_PER_S=str(self.messages_per_s),
            RUNBACK_LOG_LEVEL="WARNING",
            RUNBACK_DATA_DIR=str(self.directory),
        )
        return env

    async def start(self, count: int, timeout: float = 60.0) -> None:  # noqa: ASYNC109
        started = []
        for n in range(count):
            port = free_port()
            log = self.directory / f"worker-{len(self.workers) + n}.log"
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot.cli",
                "run",
                "--webhook",
                env=self.environment(port),
                stdin=asyncio.subprocess.DEVNULL,
                stdout=log.open("wb"),
                stderr=asyncio.subprocess.STDOUT,
            )
            started.append(Worker(port, process, log))
        deadline = time.monotonic() + timeout
        for worker in started:
            while not _listening(worker.port):
                if worker.process.returncode is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"worker did not start: {worker.log.read_text()[-3000:]}")
                await asyncio.sleep(0.1)
        self.workers.extend(started)

    def kill(self, index: int) -> None:
        """SIGKILL: no clean-up at all, as when a machine dies."""
        self.workers[index].process.send_signal(signal.SIGKILL)

    async def stop(self) -> None:
        for worker in self.workers:
            if worker.process.returncode is None:
                worker.process.send_signal(signal.SIGTERM)
        for worker in self.workers:
            try:
                await asyncio.wait_for(worker.process.wait(), 20)
            except TimeoutError:
                worker.process.kill()
                await worker.process.wait()

    def logs(self) -> str:
        return "\n".join(f"--- {w.log.name}\n{w.log.read_text(errors='replace')[-3000:]}" for w in self.workers)


def _listening(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
        return True
    return False


# ---------------------------------------------------------------------------- a morning with many runners due

CHAT_BASE = 20_000_000


def morning_zone(now: datetime) -> str:
    """A fixed-offset zone where it is 08:00 now: a 07:00 check-in is due and it is still morning."""
    minutes = (8 * 60 - (now.hour * 60 + now.minute)) % 1440
    if minutes >= 720:
        minutes -= 1440
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


async def seed_due_runners(database_url: str, count: int, now: datetime | None = None) -> list[int]:
    """`count` onboarded runners whose 07:00 prompt is due now (real time); returns their chat ids."""
    now = now or datetime.now(UTC)
    zone = morning_zone(now)
    today = local_date(now, zone)
    chats = [CHAT_BASE + i for i in range(count)]

    def rows() -> Iterable[tuple[Any, list[dict[str, Any]]]]:
        yield (
            models.User,
            [
                {
                    "id": i + 1,
                    "telegram_id": chat,
                    "chat_id": chat,
                    "first_name": f"Runner{i}",
                    "language": "en",
                    "time_zone": zone,
                    "checkin_minute": 7 * 60,
                    "active": True,
                    "consented_at": now - timedelta(days=3),
                    "onboarded_at": now - timedelta(days=3),
                    "created_at": now - timedelta(days=3),
                    "next_prompt_at": now - timedelta(minutes=60),
                    "next_prompt_for": today,
                }
                for i, chat in enumerate(chats)
            ],
        )
        yield (
            models.Profile,
            [
                {
                    "user_id": i + 1,
                    "injury_site": "tibia_posteromedial",
                    "diagnosed_on": today - timedelta(days=60),
                    "cleared_to_run_on": today - timedelta(days=2),
                    "pre_injury_weekly_minutes": 150,
                    "pre_injury_runs_per_week": 4,
                    "reds_answers": {},
                    "reds_positive": 0,
                    "started_on": today - timedelta(days=2),
                }
                for i in range(count)
            ],
        )
        yield (
            models.Event,
            [
                {
                    "user_id": i + 1,
                    "local_date": today - timedelta(days=2),
                    "kind": "readiness_confirmed",
                    "created_at": now - timedelta(days=2),
                }
                for i in range(count)
            ],
        )

    engine = create_engine(database_url)
    try:
        async with engine.begin() as connection:
            for table, values in rows():
                for start in range(0, len(values), 2000):
                    await connection.execute(insert(table), values[start : start + 2000])
            if connection.dialect.name == "postgresql":
                await connection.exec_driver_sql("SELECT setval('users_id_seq', (SELECT MAX(id) FROM users))")
    finally:
        await engine.dispose()
    return chats


@contextlib.asynccontextmanager
async def due_morning(
    database_url: str, prompts: int, rate: float, directory: Path
) -> AsyncIterator[tuple[Fleet, BotAPIEmulator, list[int]]]:
    """A migrated database with `prompts` runners due now, the emulator enforcing `rate` messages a second
    (1 a second per chat) and knowing their chats, and a fleet keeping to that rate (not started yet; stopped
    at the end)."""
    await asyncio.to_thread(upgrade, database_url)
    chats = await seed_due_runners(database_url, prompts)
    async with BotAPIEmulator(rate_limit_per_s=rate, per_chat_limit_per_s=1) as emulator:
        for chat in chats:
            emulator.register_chat(chat, "private", first_name="Runner")
        fleet = Fleet(database_url, emulator.base_url, emulator.token, directory, messages_per_s=rate)
        try:
            yield fleet, emulator, chats
        finally:
            await fleet.stop()
