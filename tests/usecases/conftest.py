"""Use cases called directly, as the router calls them, on a migrated SQLite file: no Telegram, no emulator.

Each test gets a copy of one database migrated once per session, a unit of work over it and a clock that only
moves when told to. `World.do` runs a use case as one update of one person (their row locked, the update id
claimed), exactly as bot/telegram/router.py does.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.clock import FakeClock
from bot.replies import Outcome
from bot.storage import models, repository
from bot.storage.db import create_engine
from bot.storage.migrate import upgrade
from bot.storage.unit_of_work import DbSession, UnitOfWork
from bot.usecases import onboarding, update
from bot.usecases.update import UseCase

RUNNER, COACH, CLINICIAN = 1001, 2001, 3001
START = datetime(2026, 10, 1, 6, 0, tzinfo=UTC)  # 08:00 in Berlin
DAY1 = date(2026, 10, 1)


class World:
    def __init__(self, uow: UnitOfWork, clock: FakeClock) -> None:
        self.uow = uow
        self.clock = clock
        self._update_id = 0

    async def do(self, use_case: UseCase, person: int = RUNNER, *, create: bool = True) -> Outcome:
        """One update of `person` handled by `use_case`, in its own unit of work."""
        self._update_id += 1
        now = self.clock.now()
        return await update.handle(
            self.uow, now, person, person, f"P{person}", self._update_id, use_case, create=create
        )

    async def user(self, person: int = RUNNER) -> models.User:
        async def read(session: DbSession) -> models.User:
            found = await repository.user_by_telegram_id(session, person)
            assert found is not None
            return found

        return await self.uow.run(read)

    async def onboard(self, person: int = RUNNER, *, ready: bool = True, reds_yes: int = 0) -> list[Outcome]:
        """Every onboarding step answered, as the buttons and typed answers would."""
        answers = [
            ("consent", "1"),
            ("timezone", "Europe/Berlin"),
            ("site", "tibia_posteromedial"),
            ("diagnosed", "2026-08-20"),
            ("cleared", "1"),
            ("cleared_date", "today"),
            ("weekly_minutes", "150"),
            ("runs_per_week", "4"),
            *((step, "1" if ready else "0") for step in ("ready_walk", "ready_daily", "ready_press", "ready_hops")),
            *(
                (step, "1" if i < reds_yes else "0")
                for i, step in enumerate(("reds_periods", "reds_weight", "reds_eating", "reds_previous"))
            ),
            *((("reds_review", "0"),) if reds_yes >= 2 else ()),
            ("checkin_time", "07:00"),
        ]
        outcomes = [await self.do(onboarding.start, person)]
        for step, value in answers:
            outcomes.append(await self.do(lambda ctx, s=step, v=value: onboarding.answer(ctx, s, v), person))
        return outcomes


@pytest.fixture(scope="session")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("usecases") / "migrated.db"
    upgrade(f"sqlite+aiosqlite:///{path}")
    return path


@pytest.fixture
async def world(migrated: Path, tmp_path: Path) -> AsyncIterator[World]:
    path = tmp_path / "runback.db"
    await asyncio.to_thread(shutil.copy, migrated, path)
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    try:
        yield World(UnitOfWork(engine), FakeClock(START))
    finally:
        await engine.dispose()


def texts_of(outcome: Outcome) -> list[str]:
    return [reply.text for reply in outcome.replies]
