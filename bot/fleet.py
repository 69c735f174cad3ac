"""Several identical workers on one PostgreSQL database: the morning round shared with row locks, and one
send budget for the whole bot. Nothing home-made coordinates the workers but PostgreSQL itself.

The morning round (`morning_round`), run by every worker's scheduler:

1. claim: a small batch of due prompts with `SELECT ... FOR UPDATE SKIP LOCKED`, each marked with a lease
   (`prompt_claimed_by` = this worker, `prompt_claimed_until` = the database's now + LEASE). Workers never
   wait for each other's rows and never claim the same prompt. A live worker renews its leases.
2. send: right before the HTTP request leaves (after the shared budget gave it a slot), the prompt is marked
   `prompt_attempted_at`, only while this worker still holds its lease; a prompt whose lease was taken over is
   not sent.
3. mark sent: once Telegram answered, the prompt is moved on to the runner's next morning (in batches).

A worker that dies leaves its claims to expire; the next worker to claim them sends those it had not begun to
send. One whose send had begun (attempted, not marked) has an unknown outcome, as a send that timed out: it is
not sent again (at most once, as everywhere in RunBack), so a kill can lose at most the few prompts whose
request had not yet reached Telegram, and sends none twice. Batches are ~2 s of this worker's sending, so
the workers run out of work together and none idles while another still has a queue.

The send budget: Telegram's ~30 messages a second are per bot. One row (`send_budget.next_at`) holds when the
next message may leave; each message reserves the slot after it with one UPDATE (a generic cell rate
algorithm, no polling), so all workers together stay under the rate whatever their number, and a worker with
nothing to send takes no share. On SQLite (one process) the existing in-process limiter does all this.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import socket
import time
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import Bot

from bot.clock import Clock
from bot.ratelimit import PacedRateLimiter, bulk_sending, counts_as_message
from bot.replies import Reply
from bot.storage.models import User
from bot.storage.unit_of_work import UnitOfWork
from bot.telegram_io import deliver
from bot.timezones import local_date
from bot.usecases import morning
from bot.usecases.reports import weekly_summaries
from bot.usecases.schedule import schedule_prompt

log = logging.getLogger("runback.fleet")

LEASE = timedelta(seconds=5)  # a claim not renewed for this long is taken over (safe: see `attempt`)
RENEW_EVERY_S = 1.5
FIRST_CLAIM, MIN_CLAIM, MAX_CLAIM = 20, 10, 500
CLAIM_SECONDS = 2.0  # a batch is about this many seconds of this worker's sending
SEND_CONCURRENCY = 8
MARK_EVERY_S = 0.25
BUDGET_HEADROOM = 0.97  # of Telegram's rate: room for network jitter between the slot and the arrival
LATE_S, LATE_RETRIES = 0.015, 5  # a message about to leave this late after its slot takes a new one

# Set by the morning round around one prompt's send: called when its request is about to leave.
BEFORE_SEND: ContextVar[Callable[[], Awaitable[bool]] | None] = ContextVar("runback_before_send", default=None)

_RESERVE = text(
    "UPDATE send_budget SET next_at = GREATEST(next_at, clock_timestamp()) + make_interval(secs => :interval) "
    "WHERE id = 1 "
    "RETURNING CAST(EXTRACT(EPOCH FROM (next_at - clock_timestamp())) AS double precision) - :interval"
)


_ATTEMPT = text("UPDATE users SET prompt_attempted_at = now() WHERE id = :id AND prompt_claimed_by = :worker")


class LeaseLost(Exception):
    """Another worker took this prompt over (this one stalled past its lease): not sent here."""


def new_worker_id() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(3)}"


class SharedRateLimiter(PacedRateLimiter):
    """The bot's overall rate shared by every worker through PostgreSQL; the per-chat limit stays local."""

    def __init__(self, engine: AsyncEngine, overall_per_s: float, per_chat_per_s: float | None) -> None:
        super().__init__(None, per_chat_per_s)
        self._engine = engine
        self._interval = 1.0 / (overall_per_s * BUDGET_HEADROOM)

    async def reserve(self) -> float:
        """Wait for this worker's next slot of the bot's send budget; returns the slot's loop time."""
        loop = asyncio.get_running_loop()
        async with self._engine.connect() as connection:
            wait = float((await connection.execute(_RESERVE, {"interval": self._interval})).scalar_one())
            await connection.commit()
        slot = loop.time() + wait
        if wait > 0:
            await asyncio.sleep(wait)
        return slot

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        if not counts_as_message(endpoint):
            return await callback(*args, **kwargs)

        async def paced(*a: Any, **kw: Any) -> bool | dict[str, Any] | list[dict[str, Any]]:
            before_send = BEFORE_SEND.get()
            loop = asyncio.get_running_loop()
            for _ in range(LATE_RETRIES):
                slot = await self.reserve()
                if before_send is not None and not await before_send():
                    raise LeaseLost
                if loop.time() - slot <= LATE_S:
                    break
                # this process was too busy to send in its slot: sending now could crowd the messages of the
                # next slots into one second; the slot is let go, and the message takes a later one
            return await callback(*a, **kw)

        return await super().process_request(paced, args, kwargs, endpoint, data, rate_limit_args)


@dataclass(frozen=True)
class Claimed:
    user_id: int
    for_day: date
    reply: Reply


class Fleet:
    """This worker's part in the shared morning round."""

    def __init__(
        self,
        uow: UnitOfWork,
        clock: Clock,
        reminder_after: timedelta,
        pruning: morning.Pruning,
        worker: str | None = None,
    ) -> None:
        self.uow = uow
        self.clock = clock
        self.reminder_after = reminder_after
        self.pruning = pruning
        self.worker = worker or new_worker_id()

    # ------------------------------------------------------------------ database steps

    async def claim(self, limit: int) -> tuple[list[Claimed], list[Reply], bool]:
        """Claim up to `limit` due prompts (and due reminders and summaries, at most once as on SQLite).
        Returns the claimed prompts, the other messages, and whether more may be due right now."""
        now = self.clock.now()
        claimed: list[Claimed] = []
        async with self.uow.sessions() as session, session.begin():
            await self.pruning.maybe(session, now)
            users = (
                (
                    await session.execute(
                        select(User)
                        .where(
                            User.active.is_(True),
                            User.onboarded_at.is_not(None),
                            User.next_prompt_at <= now,
                            or_(User.prompt_claimed_until.is_(None), User.prompt_claimed_until < func.now()),
                        )
                        .order_by(User.next_prompt_at)
                        .limit(limit)
                        .with_for_update(skip_locked=True)
                    )
                )
                .scalars()
                .all()
            )
            known = await morning.batch_checkins(session, list(users), now)
            for user in users:
                if user.prompt_attempted_at is not None:
                    # claimed by a worker that stopped after its request left: Telegram may have it
                    log.warning("a prompt begun by a stopped worker (%s) is not sent again", user.prompt_claimed_by)
                    self._moved_on(user, local_date(now, user.time_zone), now)
                    continue
                for_day = morning.due_day(user, now)
                if for_day is not None:
                    reply = await morning.prompt(session, user, for_day, now, known=known)
                    if reply is not None:
                        user.prompt_claimed_by = self.worker
                        user.prompt_claimed_until = func.now() + LEASE  # type: ignore[assignment]
                        claimed.append(Claimed(user.id, for_day, reply))
                        continue
                self._release(user)
                schedule_prompt(user, now)
            reminders = (
                (
                    await session.execute(
                        select(User)
                        .where(User.active.is_(True), User.reminder_at <= now)
                        .order_by(User.reminder_at)
                        .limit(limit)
                        .with_for_update(skip_locked=True)
                    )
                )
                .scalars()
                .all()
            )
            others = await morning.reminders(session, list(reminders), now)
            others.extend(await weekly_summaries(session, now, limit))
        return claimed, others, len(users) >= limit or len(reminders) >= limit

    def _release(self, user: User) -> None:
        user.prompt_claimed_by = user.prompt_claimed_until = user.prompt_attempted_at = None

    def _moved_on(self, user: User, for_day: date, now: Any) -> None:
        """The prompt for `for_day` went out (or may have): on to the runner's next morning."""
        self._release(user)
        morning.moved_on(user, for_day, now, self.reminder_after)

    async def attempt(self, user_id: int) -> bool:
        """Right before the request leaves: True if this worker still holds the prompt's lease."""
        async with self.uow.engine.begin() as connection:  # Core, not the ORM: one short statement per prompt
            result = await connection.execute(_ATTEMPT, {"id": user_id, "worker": self.worker})
            return bool(result.rowcount)

    async def mark_sent(self, items: list[Claimed]) -> None:
        """Telegram answered these: move each runner on to their next morning (one transaction)."""
        now = self.clock.now()
        days = {item.user_id: item.for_day for item in items}
        async with self.uow.sessions() as session, session.begin():
            users = await session.execute(
                select(User).where(User.id.in_(days), User.prompt_claimed_by == self.worker).with_for_update()
            )
            for user in users.scalars():
                self._moved_on(user, days[user.id], now)

    def _attempt_for(self, item: Claimed) -> Callable[[], Awaitable[bool]]:
        return lambda: self.attempt(item.user_id)

    async def renew(self) -> None:
        async with self.uow.sessions() as session, session.begin():
            await session.execute(
                update(User)
                .where(User.prompt_claimed_by == self.worker)
                .values(prompt_claimed_until=func.now() + LEASE)
            )

    async def others_hold_claims(self) -> bool:
        """Due prompts claimed by other workers: sent soon, or taken over once their lease runs out."""
        async with self.uow.sessions() as session:
            found = await session.execute(
                select(User.id)
                .where(
                    User.prompt_claimed_by.is_not(None),
                    User.prompt_claimed_by != self.worker,
                    User.active.is_(True),
                    User.onboarded_at.is_not(None),
                    User.next_prompt_at <= self.clock.now(),
                )
                .limit(1)
            )
            return found.first() is not None

    # ------------------------------------------------------------------ the round

    async def morning_round(self, bot: Bot, on_blocked: Callable[[int], Awaitable[None]]) -> int:
        """Send this worker's share of what is due, until nothing is (claimed by anyone); returns how many
        prompts and reminders Telegram accepted from this worker."""
        queue: asyncio.Queue[Claimed | Reply | None] = asyncio.Queue()
        answered: list[Claimed] = []
        sent_at: deque[float] = deque()
        sent = 0
        finished = asyncio.Event()

        def batch_size() -> int:
            now = time.monotonic()
            while sent_at and sent_at[0] < now - CLAIM_SECONDS:
                sent_at.popleft()
            return max(MIN_CLAIM, min(MAX_CLAIM, len(sent_at) + SEND_CONCURRENCY))

        async def claim() -> None:
            try:
                limit = FIRST_CLAIM
                while True:
                    if queue.qsize() > limit // 2:  # enough waiting: claim late, so claims stay short
                        await asyncio.sleep(0.05)
                        continue
                    claimed, others, more = await self.claim(limit)
                    for reply in others:
                        queue.put_nowait(reply)
                    for prompt in claimed:
                        queue.put_nowait(prompt)
                    limit = batch_size()
                    if not claimed and not others and not more:
                        if queue.qsize() or await self.others_hold_claims():
                            await asyncio.sleep(1.0)  # a stopped worker's claims become free when they expire
                            continue
                        break
            finally:
                for _ in range(SEND_CONCURRENCY):
                    queue.put_nowait(None)

        async def send() -> None:
            nonlocal sent
            while (item := await queue.get()) is not None:
                reply = item.reply if isinstance(item, Claimed) else item
                token = BEFORE_SEND.set(self._attempt_for(item) if isinstance(item, Claimed) else None)
                try:
                    accepted = await deliver(bot, reply, on_blocked)
                except LeaseLost:
                    continue
                except Exception:  # one broken prompt must not stop the round
                    log.exception("a morning prompt could not be sent")
                    accepted = False
                finally:
                    BEFORE_SEND.reset(token)
                if isinstance(item, Claimed):
                    answered.append(item)
                if accepted:
                    sent += 1
                    sent_at.append(time.monotonic())

        async def mark() -> None:
            while True:
                done = finished.is_set()
                if answered:
                    batch = answered[:]
                    del answered[: len(batch)]
                    await self.mark_sent(batch)
                if done:
                    return
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(finished.wait(), MARK_EVERY_S)

        async def renew() -> None:
            while not finished.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(finished.wait(), RENEW_EVERY_S)
                await self.renew()

        async def claim_and_send() -> None:
            try:
                await asyncio.gather(claim(), *(send() for _ in range(SEND_CONCURRENCY)))
            finally:
                finished.set()

        with bulk_sending():
            await asyncio.gather(claim_and_send(), mark(), renew())
        return sent
