"""The morning round's claims: which due prompts and reminders a worker takes, and how it holds a prompt until
Telegram has it. One round (bot/telegram/morning_round.py) runs over either implementation:

- `SingleProcessClaims` (SQLite, one process): a claimed prompt is moved on to the runner's next morning in the
  claiming transaction itself, before it is sent: a crash can lose it, never send it twice (at most once).
- `LeasedClaims` (PostgreSQL, several workers): prompts are claimed with `SELECT ... FOR UPDATE SKIP LOCKED`,
  each held with a lease (`prompt_claimed_by` = this worker, `prompt_claimed_until` = the database's now +
  LEASE) that a live worker renews. Right before a request leaves, `still_held` marks it attempted, only while
  the lease is still this worker's; once Telegram answered, the prompt is moved on. A worker that dies leaves
  its leases to expire; the next worker sends those it had not begun to send. One whose send had begun
  (attempted, not moved on) has an unknown outcome and is not sent again (at most once, as everywhere).

Both select with the same statements: on SQLite FOR UPDATE renders as nothing (one writer at a time anyway),
and no lease is ever set there.
"""

from __future__ import annotations

import os
import secrets
import socket
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import bindparam, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.storage.models import User

LEASE = timedelta(seconds=5)  # a claim not renewed for this long is taken over (safe: see `still_held`)

_DUE_PROMPTS = (
    select(User)
    .where(
        User.active.is_(True),
        User.onboarded_at.is_not(None),
        User.next_prompt_at <= bindparam("now"),
        or_(User.prompt_claimed_until.is_(None), User.prompt_claimed_until < func.now()),
    )
    .order_by(User.next_prompt_at)
    .limit(bindparam("limit"))
    .with_for_update(skip_locked=True)  # several workers: each due prompt claimed by one
)
_DUE_REMINDERS = (
    select(User)
    .where(User.active.is_(True), User.reminder_at <= bindparam("now"))
    .order_by(User.reminder_at)
    .limit(bindparam("limit"))
    .with_for_update(skip_locked=True)
)
_ATTEMPT = (
    update(User)
    .where(User.id == bindparam("user_id"), User.prompt_claimed_by == bindparam("worker"))
    .values(prompt_attempted_at=func.now())
)


def new_worker_id() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(3)}"


def release(user: User) -> None:
    user.prompt_claimed_by = user.prompt_claimed_until = user.prompt_attempted_at = None


async def due_prompts(session: AsyncSession, now: datetime, limit: int) -> Sequence[User]:
    """Up to `limit` prompts due now that nobody holds, locked for this transaction."""
    return (await session.execute(_DUE_PROMPTS, {"now": now, "limit": limit})).scalars().all()


async def due_reminders(session: AsyncSession, now: datetime, limit: int) -> Sequence[User]:
    return (await session.execute(_DUE_REMINDERS, {"now": now, "limit": limit})).scalars().all()


class PromptClaims(Protocol):
    """How a worker holds the prompts it claimed (see the module's docstring)."""

    moves_on_when_claimed: bool

    def hold(self, user: User) -> None:
        """Keep a claimed prompt for this worker until it is sent."""

    async def still_held(self, user_id: int) -> bool:
        """Right before the request leaves: True if this worker may send it (and it is now attempted)."""

    async def held(self, session: AsyncSession, user_ids: Sequence[int]) -> Sequence[User]:
        """Of these runners, those whose prompt this worker still holds, locked: to be moved on."""

    async def renew(self) -> None:
        """Keep this worker's leases alive."""

    async def worth_waiting(self, now: datetime, queue_waiting: bool) -> bool:
        """Nothing more is due for this worker: should it look again shortly (others' leases may expire)?"""


class SingleProcessClaims:
    moves_on_when_claimed = True

    def hold(self, user: User) -> None:
        return None

    async def still_held(self, user_id: int) -> bool:
        return True

    async def held(self, session: AsyncSession, user_ids: Sequence[int]) -> Sequence[User]:
        return ()  # moved on when claimed

    async def renew(self) -> None:
        return None

    async def worth_waiting(self, now: datetime, queue_waiting: bool) -> bool:
        return False


class LeasedClaims:
    moves_on_when_claimed = False

    def __init__(self, engine: AsyncEngine, sessions: async_sessionmaker[AsyncSession], worker: str | None = None):
        self._engine = engine
        self._sessions = sessions
        self.worker = worker or new_worker_id()

    def hold(self, user: User) -> None:
        user.prompt_claimed_by = self.worker
        user.prompt_claimed_until = func.now() + LEASE  # type: ignore[assignment]  # the database's clock

    async def still_held(self, user_id: int) -> bool:
        async with self._engine.begin() as connection:  # Core, not the ORM: one short statement per prompt
            result = await connection.execute(_ATTEMPT, {"user_id": user_id, "worker": self.worker})
            return bool(result.rowcount)

    async def held(self, session: AsyncSession, user_ids: Sequence[int]) -> Sequence[User]:
        statement = select(User).where(User.id.in_(user_ids), User.prompt_claimed_by == self.worker).with_for_update()
        return (await session.execute(statement)).scalars().all()

    async def renew(self) -> None:
        async with self._sessions() as session, session.begin():
            await session.execute(
                update(User)
                .where(User.prompt_claimed_by == self.worker)
                .values(prompt_claimed_until=func.now() + LEASE)
            )

    async def worth_waiting(self, now: datetime, queue_waiting: bool) -> bool:
        """Yes while this worker still sends, or other workers hold due prompts (sent soon, or taken over once
        their lease runs out)."""
        if queue_waiting:
            return True
        async with self._sessions() as session:
            found = await session.execute(
                select(User.id)
                .where(
                    User.prompt_claimed_by.is_not(None),
                    User.prompt_claimed_by != self.worker,
                    User.active.is_(True),
                    User.onboarded_at.is_not(None),
                    User.next_prompt_at <= now,
                )
                .limit(1)
            )
            return found.first() is not None
