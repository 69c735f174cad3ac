"""Shared pieces of the benchmarks: seeding a real SQLite file fast, running a bot in a child process
against the emulator that runs in this (the parent) process, percentiles and RSS."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import os
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, insert

from bot.storage import models
from bot.storage.migrate import upgrade
from bot.usecases.plan import NEUTRAL_FILL

# The benchmark morning: 07:00 UTC, every runner's check-in time (their zone is UTC).
NOW = datetime(2026, 10, 1, 7, 0, tzinfo=UTC)
TODAY = NOW.date()
CHAT_BASE = 10_000_000  # telegram id == chat id of runner i is CHAT_BASE + i
TOKEN = "123456:BENCH-TOKEN"
CHECKIN_SCRIPT: tuple[tuple[str, str], ...] = (
    ("pain_rest", "0"),
    ("pain_walking", "0"),
    ("pain_next_day", "0"),
    ("tenderness", "0"),
    ("swelling", "0"),
    ("limping", "0"),
    ("night_pain", "0"),
    ("sleep_hours", "8"),
    ("fatigue", "2"),
)


def database_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


def chat_of(i: int) -> int:
    return CHAT_BASE + i


def _fast_seeding(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=OFF")  # seeding only: the bot opens its own connections (FULL)
    cursor.close()


def _chunks(rows: Iterable[dict[str, Any]], size: int = 20_000) -> Iterable[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def seed(
    path: Path,
    runners: int,
    *,
    due: int | None = None,
    history_days: int = 0,
    history_runners: int = 0,
) -> float:
    """Create the schema with the migrations and insert `runners` onboarded runners with bulk inserts
    (Core executemany). The first `due` runners are due at NOW; the others are scheduled for tomorrow.
    The first `history_runners` runners get `history_days` days of complete check-ins before today
    and a logged run every other day. Returns the seconds it took."""
    started = time.perf_counter()
    if path.exists():
        path.unlink()
    upgrade(database_url(path))
    engine = create_engine(f"sqlite:///{path}")
    event.listen(engine, "connect", _fast_seeding)
    due = runners if due is None else due
    first_day = TODAY - timedelta(days=history_days)
    tomorrow = NOW + timedelta(days=1)

    def users() -> Iterable[dict[str, Any]]:
        for i in range(runners):
            is_due = i < due
            yield {
                "id": i + 1,
                "telegram_id": chat_of(i),
                "chat_id": chat_of(i),
                "first_name": f"Runner{i}",
                "language": "en",
                "time_zone": "UTC",
                "checkin_minute": 7 * 60,
                "active": True,
                "consented_at": NOW - timedelta(days=history_days + 1),
                "onboarded_at": NOW - timedelta(days=history_days + 1),
                "created_at": NOW - timedelta(days=history_days + 1),
                "flow": None,
                "flow_step": None,
                "flow_data": None,
                "next_prompt_at": NOW if is_due else tomorrow,
                "next_prompt_for": TODAY if is_due else TODAY + timedelta(days=1),
                "last_prompted_for": None if is_due else TODAY,
                "reminder_at": None,
            }

    def profiles() -> Iterable[dict[str, Any]]:
        for i in range(runners):
            with_history = i < history_runners
            yield {
                "user_id": i + 1,
                "injury_site": "tibia_posteromedial",
                "diagnosed_on": first_day - timedelta(days=42),
                "cleared_to_run_on": first_day,
                "pre_injury_weekly_minutes": 150,
                "pre_injury_runs_per_week": 4,
                "reds_answers": {},
                "reds_positive": 0,
                "started_on": first_day if with_history else TODAY,
            }

    def events() -> Iterable[dict[str, Any]]:
        for i in range(runners):
            start = first_day if i < history_runners else TODAY
            yield {
                "user_id": i + 1,
                "local_date": start,
                "kind": "readiness_confirmed",
                "created_at": NOW - timedelta(days=history_days),
            }

    # day by day, as a real database fills up: one runner's rows are spread over the whole table
    def checkins() -> Iterable[dict[str, Any]]:
        for d in range(history_days):
            day = first_day + timedelta(days=d)
            for i in range(history_runners):
                moment = datetime(day.year, day.month, day.day, 7, 5, tzinfo=UTC)
                yield {
                    "user_id": i + 1,
                    "local_date": day,
                    **NEUTRAL_FILL,  # no symptoms, a good night
                    "fatigue": 2,
                    "completed_at": moment,
                    "updated_at": moment,
                }

    def sessions() -> Iterable[dict[str, Any]]:
        for d in range(0, history_days, 2):
            day = first_day + timedelta(days=d)
            for i in range(history_runners):
                yield {
                    "user_id": i + 1,
                    "local_date": day,
                    "done": "as_prescribed",
                    "run_minutes": 20.0,
                    "pain_during": 0,
                    "pain_after": 0,
                    "rpe": 3.0,
                    "logged_at": datetime(day.year, day.month, day.day, 18, 0, tzinfo=UTC),
                }

    with engine.begin() as connection:
        for table, rows in (
            (models.User, users()),
            (models.Profile, profiles()),
            (models.Event, events()),
            (models.CheckIn, checkins()),
            (models.SessionLog, sessions()),
        ):
            for chunk in _chunks(rows):
                connection.execute(insert(table), chunk)
    engine.dispose()
    return time.perf_counter() - started


@contextlib.contextmanager
def no_collector_pauses() -> Iterator[None]:
    """This process plays Telegram and the runners for a bot in another process. Its garbage collector's full
    collections, with every request and message it recorded in memory, pause it for long (the measured pauses:
    docs/performance.md, "How the figures are made"): the bot's figures would show this process's pauses, at
    random moments in either bot's run. So no collection while measuring (reference counting still frees nearly
    everything)."""
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0-100) by nearest rank; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 2)


def peak_rss_mb() -> float:
    """VmHWM of this process in MB (peak resident set size)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    import resource

    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


@dataclass
class Child:
    """A bot running in a child process (`python -m benchmarks.botproc ...`): it prints one JSON
    object per line; `stop()` closes its stdin, which tells it to shut down and print its last line."""

    process: asyncio.subprocess.Process
    lines: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    async def start(cls, *args: str) -> Child:
        env = dict(os.environ)
        env.setdefault("PYTHONHASHSEED", "0")
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "benchmarks.botproc",
            *args,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            env=env,
        )
        return cls(process)

    async def read(self, timeout: float = 600.0) -> dict[str, Any]:  # noqa: ASYNC109
        assert self.process.stdout is not None
        while True:
            raw = await asyncio.wait_for(self.process.stdout.readline(), timeout)
            if not raw:
                raise RuntimeError(f"bot process ended (exit code {await self.process.wait()})")
            text = raw.decode().strip()
            if text.startswith("{"):
                line: dict[str, Any] = json.loads(text)
                self.lines.append(line)
                return line

    async def stop(self, timeout: float = 60.0) -> dict[str, Any]:  # noqa: ASYNC109
        assert self.process.stdin is not None
        self.process.stdin.close()
        last = await self.read(timeout)
        await asyncio.wait_for(self.process.wait(), timeout)
        return last

    async def finish(self, timeout: float = 600.0) -> dict[str, Any]:  # noqa: ASYNC109
        """For a child that ends by itself: its final line."""
        last = await self.read(timeout)
        await asyncio.wait_for(self.process.wait(), timeout)
        return last


def register_chats(emulator: Any, runners: int, offset: int = 0) -> None:
    """Make the emulator know the runners' private chats (they all talked to the bot before)."""
    for i in range(offset, offset + runners):
        emulator.register_chat(chat_of(i), "private", first_name=f"Runner{i}")


def day_code(day: date) -> str:
    return day.strftime("%Y%m%d")
