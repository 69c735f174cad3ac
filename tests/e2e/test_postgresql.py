"""The bot end to end on PostgreSQL (a subset of the SQLite journeys), and `runback migrate-db` from a filled
SQLite database to PostgreSQL with nothing lost."""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.storage.db import create_engine
from bot.storage.models import Base
from bot.storage.transfer import NOT_COPIED, TransferError, transfer
from tests.e2e.conftest import RUNNER, Harness, UnpacedHarness, backend_database_url, running_harness
from tests.e2e.test_care_team import follow
from tests.e2e.test_coaching import DAY1, at_morning, decision, seed_compliant_days

SECOND_RUNNER = 1002


@pytest.fixture(params=["sqlite", "postgresql"])
async def harness(tmp_path: Path, request: pytest.FixtureRequest) -> AsyncIterator[Harness]:
    async with running_harness(backend_database_url(request, tmp_path), UnpacedHarness) as h:
        yield h


@pytest.fixture
async def sqlite_harness(tmp_path: Path) -> AsyncIterator[Harness]:
    async with running_harness(f"sqlite+aiosqlite:///{tmp_path / 'runback.db'}", UnpacedHarness) as h:
        yield h


async def _row_counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return {
                table.name: int((await connection.execute(select(func.count()).select_from(table))).scalar_one())
                for table in Base.metadata.sorted_tables
                if table.name not in NOT_COPIED
            }
    finally:
        await engine.dispose()


async def _fill(harness: Harness) -> None:
    """A runner with 10 days of history, today's check-in, a session log, a pain report, a coach, and a
    replayed update; every table gets rows."""
    await harness.onboard()
    await seed_compliant_days(harness, DAY1 - timedelta(days=10), 10)
    harness.clock.set(at_morning(DAY1))
    await harness.send("/checkin")
    await harness.checkin(DAY1)
    code = DAY1.strftime("%Y%m%d")
    await harness.send("/log")
    await harness.tap(f"ld:{code}")
    await harness.tap(f"l:{code}:done:partial")
    await harness.tap(f"l:{code}:run_minutes:20")
    await harness.tap(f"l:{code}:pain_during:1")
    await harness.tap(f"l:{code}:pain_after:0")
    await harness.tap(f"l:{code}:rpe:3")
    await harness.send("/pain")
    await harness.tap("p:rest")
    await harness.tap("p:rest:1")
    await harness.send("/pause")
    await follow(harness, 2001, "coach", "Cora")


async def test_onboarding_checkin_and_plan(harness: Harness) -> None:
    await harness.onboard()
    await harness.send("/checkin")
    await harness.checkin(DAY1)
    assert (await decision(harness, DAY1)).action
    replies = await harness.send("/history")
    assert "Last 14 days" in (replies[0].text or "")


async def test_a_replayed_update_changes_nothing_twice(harness: Harness) -> None:
    await harness.onboard()
    sent: list[dict[str, Any]] = []
    await harness.user_does(lambda: sent.append(harness.emulator.user_sends(RUNNER, "/pause")))
    before, messages = await _row_counts(harness.database_url), len(harness.emulator.messages(RUNNER))
    await harness.stop()
    harness.emulator.redeliver(copy.deepcopy(sent[0]))  # Telegram delivers it again, same update_id
    await harness.start()
    harness._expected += 1
    await harness.coach_app.wait_until_handled(1)
    assert await _row_counts(harness.database_url) == before
    assert len(harness.emulator.messages(RUNNER)) == messages


async def test_migrate_db_copies_every_row_and_history_is_identical(sqlite_harness: Harness, pg_url: str) -> None:
    harness = sqlite_harness
    await _fill(harness)
    history_before = [m.text for m in await harness.send("/history")]
    before = await _row_counts(harness.database_url)
    assert all(before.values()), before  # every table has rows
    sqlite_url = harness.database_url
    await harness.stop()

    report = await transfer(sqlite_url, pg_url)
    after = await _row_counts(pg_url)
    assert report.rows == after
    assert after == before

    harness.database_url = pg_url
    await harness.start()
    history_after = [m.text for m in await harness.send("/history")]
    assert history_after == history_before
    # the sequences continue after the copied ids: new rows in every kind of table
    await harness.send("/start", SECOND_RUNNER)
    await harness.onboard(SECOND_RUNNER)
    await harness.send("/checkin", SECOND_RUNNER)
    await harness.checkin(DAY1, SECOND_RUNNER)
    assert (await _row_counts(pg_url))["users"] == before["users"] + 1

    with pytest.raises(TransferError, match="not empty"):
        await transfer(sqlite_url, pg_url)
