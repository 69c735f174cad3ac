"""The morning round's claims port, both implementations, under the one use case that claims (morning.claim_batch):
with one process a prompt is moved on when claimed; with several workers it is held by a lease, no other
worker claims or sends it, and it is moved on once marked sent."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.storage import repository
from bot.storage.claims import LeasedClaims, PromptClaims, SingleProcessClaims
from bot.storage.db import create_engine
from bot.storage.migrate import upgrade
from bot.storage.unit_of_work import DbSession, UnitOfWork
from bot.usecases import morning

NOW = datetime(2026, 10, 1, 5, 5, tzinfo=UTC)  # 07:05 in Berlin: the 07:00 prompt is due
REMINDER = timedelta(hours=2)


async def _due_runner(uow: UnitOfWork) -> int:
    async def work(session: DbSession) -> int:
        user = await repository.create_user(session, 1001, 1001, "Ana", NOW - timedelta(days=3))
        user.time_zone, user.checkin_minute = "Europe/Berlin", 7 * 60
        user.onboarded_at = NOW - timedelta(days=3)
        user.next_prompt_at = NOW - timedelta(minutes=5)
        return user.id

    return await uow.run(work)


async def _claim(uow: UnitOfWork, claims: PromptClaims) -> morning.Batch:
    return await morning.claim_batch(uow, claims, NOW, 20, REMINDER, morning.Pruning())


async def test_one_process_moves_a_prompt_on_when_it_is_claimed(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'runback.db'}"
    await asyncio.to_thread(upgrade, url)
    engine = create_engine(url)
    try:
        uow, claims = UnitOfWork(engine), SingleProcessClaims()
        runner = await _due_runner(uow)
        first = await _claim(uow, claims)
        assert [c.user_id for c in first.claimed] == [runner]
        assert (await _claim(uow, claims)).claimed == []  # moved on: never twice
        assert await claims.still_held(runner)
    finally:
        await engine.dispose()


async def test_several_workers_hold_a_prompt_by_lease_until_it_is_sent(pg_url: str) -> None:
    await asyncio.to_thread(upgrade, pg_url)
    engine = create_engine(pg_url)
    try:
        uow = UnitOfWork(engine)
        first, second = LeasedClaims(engine, uow.sessions, "a"), LeasedClaims(engine, uow.sessions, "b")
        runner = await _due_runner(uow)
        batch = await _claim(uow, first)
        assert [c.user_id for c in batch.claimed] == [runner]
        assert (await _claim(uow, second)).claimed == []  # held by the first worker's lease
        assert await second.worth_waiting(NOW, queue_waiting=False)  # another worker holds a due prompt
        assert not await second.still_held(runner)  # the second may not send it
        assert await first.still_held(runner)  # the first may (and it is now attempted)
        await morning.mark_sent(uow, first, batch.claimed, NOW, REMINDER)
        assert (await _claim(uow, second)).claimed == []  # moved on to the next morning
        assert not await second.worth_waiting(NOW, queue_waiting=False)

        async def read(session: DbSession) -> tuple[object, ...]:
            user = await repository.user_by_telegram_id(session, 1001)
            assert user is not None
            return user.prompt_claimed_by, user.last_prompted_for, user.next_prompt_at > NOW

        assert await uow.run(read) == (None, NOW.date(), True)
    finally:
        await engine.dispose()
