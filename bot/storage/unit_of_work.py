"""The unit of work: one transaction per use case, with the runner's row locked first.

A use case receives a `DbSession` and hands it to the repository's functions (bot/storage/repository.py); it
never commits: the unit of work commits when the work returns and rolls back if it raises. That is what makes
an update's effects, its claimed update id and the runner's new state one atomic step.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.storage import repository
from bot.storage.db import session_factory
from bot.storage.models import User

log = logging.getLogger("runback.storage")

DbSession = AsyncSession  # what a use case holds and passes on to the repository; it never calls it itself
T = TypeVar("T")


class UnitOfWork:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.sessions: async_sessionmaker[AsyncSession] = session_factory(engine)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    async def run(self, work: Callable[[DbSession], Awaitable[T]]) -> T:
        """`work` in one transaction: committed when it returns, rolled back if it raises."""
        async with self.sessions() as session, session.begin():
            return await work(session)

    async def for_runner(self, telegram_id: int, work: Callable[[DbSession, User | None], Awaitable[T]]) -> T:
        """`work` in one transaction that first locks the runner's row (None: not known yet).

        Updates of one runner handled by two workers take turns at this lock, and a duplicated update waits
        here until the first copy committed. When two workers create the same new runner at once, the one that
        loses sees a conflict: everything it did is rolled back and `work` runs again, the runner now known.
        """

        async def locked(session: DbSession) -> T:
            user = await repository.user_by_telegram_id(session, telegram_id, lock=True)
            return await work(session, user)

        try:
            return await self.run(locked)
        except IntegrityError:
            log.info("a new runner was created by another worker at the same time; handling the update again")
            return await self.run(locked)
