"""The morning round, the same on SQLite and PostgreSQL: claim small batches of due prompts (bot/usecases/
morning.py, over the claims port), send them at Telegram's rate, mark them sent, until nothing is due.

The next batch is claimed while the previous one is being sent, so the rate limiter always has a prompt waiting
and Telegram's limit is the only bottleneck; a batch is about two seconds of this worker's sending, so claims
stay short and several workers run out of work together. The sends wait behind replies to runners
(`bulk_sending`). Run by every worker's scheduler.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable
from datetime import timedelta

from telegram import Bot

from bot.clock import Clock
from bot.replies import Reply
from bot.storage.claims import PromptClaims
from bot.storage.unit_of_work import UnitOfWork
from bot.telegram.ratelimit import BEFORE_SEND, LeaseLost, bulk_sending
from bot.telegram.sending import deliver
from bot.usecases import morning

log = logging.getLogger("runback.morning")

FIRST_CLAIM, MIN_CLAIM, MAX_CLAIM = 20, 10, 500  # prompts claimed per transaction
CLAIM_SECONDS = 2.0  # a batch is about this many seconds of this worker's sending
SEND_CONCURRENCY = 8  # sends in flight; the rate limiter paces them
MARK_EVERY_S = 0.25
RENEW_EVERY_S = 1.5
CLAIM_LATE_S = 0.05
LOOK_AGAIN_S = 1.0  # nothing due for this worker, but others' leases may expire


class MorningRound:
    def __init__(
        self,
        uow: UnitOfWork,
        claims: PromptClaims,
        clock: Clock,
        reminder_after: timedelta,
        pruning: morning.Pruning | None = None,
    ) -> None:
        self.uow = uow
        self.claims = claims
        self.clock = clock
        self.reminder_after = reminder_after
        self.pruning = pruning or morning.Pruning()

    async def claim(self, limit: int) -> morning.Batch:
        now = self.clock.now()
        return await morning.claim_batch(self.uow, self.claims, now, limit, self.reminder_after, self.pruning)

    async def run(
        self,
        bot: Bot,
        on_blocked: Callable[[int], Awaitable[None]],
        on_sent: Callable[[int, int], Awaitable[None]] | None = None,
    ) -> int:
        """Send this worker's share of what is due, until nothing is (claimed by anyone); returns how many
        prompts and reminders Telegram accepted from this worker. `on_sent`: a care-team alert went out."""
        one = _Round(self, bot, on_blocked, on_sent)
        with bulk_sending():
            await asyncio.gather(one.claim_and_send(), one.mark(), one.renew())
        return one.sent


class _Round:
    """One run of the round: a claimer, senders, and the marking and lease renewal beside them."""

    def __init__(
        self,
        owner: MorningRound,
        bot: Bot,
        on_blocked: Callable[[int], Awaitable[None]],
        on_sent: Callable[[int, int], Awaitable[None]] | None = None,
    ) -> None:
        self.owner = owner
        self.bot = bot
        self.on_blocked = on_blocked
        self.on_sent = on_sent
        self.queue: asyncio.Queue[morning.Claimed | Reply | None] = asyncio.Queue()
        self.answered: list[morning.Claimed] = []
        self.sent_at: deque[float] = deque()
        self.sent = 0
        self.finished = asyncio.Event()

    def _batch_size(self) -> int:
        now = time.monotonic()
        while self.sent_at and self.sent_at[0] < now - CLAIM_SECONDS:
            self.sent_at.popleft()
        return max(MIN_CLAIM, min(MAX_CLAIM, len(self.sent_at) + SEND_CONCURRENCY))

    async def claim_and_send(self) -> None:
        try:
            await asyncio.gather(self._claim(), *(self._send() for _ in range(SEND_CONCURRENCY)))
        finally:
            self.finished.set()

    async def _claim(self) -> None:
        owner = self.owner
        try:
            limit = FIRST_CLAIM  # a small first batch: the first prompt leaves at once
            while True:
                if self.queue.qsize() > limit // 2:  # enough waiting: claim late, so claims stay short
                    await asyncio.sleep(CLAIM_LATE_S)
                    continue
                batch = await owner.claim(limit)
                for reply in batch.others:
                    self.queue.put_nowait(reply)
                for prompt in batch.claimed:
                    self.queue.put_nowait(prompt)
                limit = self._batch_size()
                if not batch.claimed and not batch.others and not batch.more_due:
                    if await owner.claims.worth_waiting(owner.clock.now(), self.queue.qsize() > 0):
                        await asyncio.sleep(LOOK_AGAIN_S)
                        continue
                    break
        finally:
            for _ in range(SEND_CONCURRENCY):
                self.queue.put_nowait(None)

    async def _send(self) -> None:
        while (item := await self.queue.get()) is not None:
            held = item if isinstance(item, morning.Claimed) else None
            reply = held.reply if held is not None else item
            assert isinstance(reply, Reply)
            token = BEFORE_SEND.set(self._still_held(held.user_id) if held is not None else None)
            try:
                accepted = await deliver(self.bot, reply, self.on_blocked, on_sent=self.on_sent)
            except LeaseLost:
                continue
            except Exception:  # one broken prompt must not stop the round
                log.exception("a morning prompt could not be sent")
                accepted = False
            finally:
                BEFORE_SEND.reset(token)
            if held is not None:
                self.answered.append(held)
            if accepted:
                self.sent += 1
                self.sent_at.append(time.monotonic())

    def _still_held(self, user_id: int) -> Callable[[], Awaitable[bool]]:
        claims = self.owner.claims
        return lambda: claims.still_held(user_id)

    async def mark(self) -> None:
        owner = self.owner
        while True:
            done = self.finished.is_set()
            if self.answered:
                batch = self.answered[:]
                del self.answered[: len(batch)]
                await morning.mark_sent(owner.uow, owner.claims, batch, owner.clock.now(), owner.reminder_after)
            if done:
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.finished.wait(), MARK_EVERY_S)

    async def renew(self) -> None:
        while not self.finished.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.finished.wait(), RENEW_EVERY_S)
            await self.owner.claims.renew()
