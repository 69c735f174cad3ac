"""Two clinicians confirming an adjustment for the same runner on the same day at the same moment: both
confirmations succeed, the one committed last is the day's adjustment, and there is one row for the day."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

from bot.storage import repository
from bot.storage.db import create_engine
from bot.storage.migrate import upgrade
from bot.storage.unit_of_work import DbSession, UnitOfWork

NOW = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)
DAY = date(2026, 10, 1)


async def test_two_clinicians_at_once_both_succeed_and_the_last_wins(backend_url: str) -> None:
    await asyncio.to_thread(upgrade, backend_url)
    engine = create_engine(backend_url)
    try:
        uow = UnitOfWork(engine)

        async def people(session: DbSession) -> tuple[int, int, int]:
            made = [await repository.create_user(session, n, n, f"P{n}", NOW) for n in (1, 2, 3)]
            await session.flush()
            return made[0].id, made[1].id, made[2].id

        runner, first, second = await uow.run(people)
        second_began = asyncio.Event()

        async def first_confirms(session: DbSession) -> None:
            await repository.save_plan_event(session, runner, DAY, {"max_level": 3}, first, NOW)
            await second_began.wait()  # the second confirms while this one is not committed yet
            await asyncio.sleep(0.3)

        async def second_confirms(session: DbSession) -> None:
            second_began.set()
            await repository.save_plan_event(session, runner, DAY, {"max_level": 2}, second, NOW)

        await asyncio.gather(uow.run(first_confirms), uow.run(second_confirms))

        async def read(session: DbSession) -> list[tuple[int | None, object]]:
            _, _, events, _ = await repository.history_rows(session, runner, DAY)
            found = await repository.latest_plan_event(session, runner, DAY)
            assert found is not None and found[1] is not None and found[1].id == second
            return [(e.payload or {}).get("max_level") for e in events if e.kind == repository.PLAN_EVENT]

        assert await uow.run(read) == [2]
    finally:
        await engine.dispose()
