"""Staying under Telegram's flood limits without idling, and answering taps before bulk prompts.

python-telegram-bot's `AIORateLimiter` is a leaky bucket: it lets a burst of 30 through at once and then
30 a second, which a strict sliding window (Telegram, the emulator) can answer with 429s, and a 429 stops
every request for a whole second. It also counts edits against the 30/s and has no one-per-second limit
for a private chat.

`PacedRateLimiter` keeps a sliding window of its own: at most N messages in any window of N / rate seconds,
where a message stays in the window from the moment it is sent until `window` after its *answer* came
back. A message therefore reaches Telegram at least `window` after the one whose place it takes, however
late the event loop or the network delivered either: jitter can never turn into a 429, and no slot is
left unused (the only cost is one round trip per window). Bulk messages (`bulk_sending()`: morning prompts
and reminders) also keep one message a second per chat, counting every message sent to that chat. Replies
to a runner's own message or tap are not held back per chat (the runner writes at human pace, and Telegram
tolerates a short burst in a private chat), and they are served before waiting bulk messages, so a tap is
answered in the next free slot even in the middle of a 10,000-prompt round. Only methods that post a message count
(what Telegram limits); edits and callback answers pass straight through. A 429 that happens anyway
(another process using the token) pauses every send for the time Telegram asks and retries first.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from contextvars import ContextVar
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

log = logging.getLogger("runback.ratelimit")

_BULK: ContextVar[bool] = ContextVar("runback_bulk_send", default=False)
# Set by the morning round around one prompt's send: called when its request is about to leave.
BEFORE_SEND: ContextVar[Callable[[], Awaitable[bool]] | None] = ContextVar("runback_before_send", default=None)
BUDGET_HEADROOM = 0.97  # of Telegram's rate: room for network jitter between the slot and the arrival
LATE_S, LATE_RETRIES = 0.015, 5  # a message about to leave this late after its slot takes a new one
_SCAN = 64  # waiters looked at per slot for one whose chat may receive a message now
_PRUNE_CHATS_ABOVE = 4096  # forget per-chat send times that no longer delay anything

Waiter = tuple[object, "asyncio.Future[None]"]


@contextlib.contextmanager
def bulk_sending() -> Iterator[None]:
    """Messages sent inside (and in tasks started inside) wait behind replies to runners."""
    token = _BULK.set(True)
    try:
        yield
    finally:
        _BULK.reset(token)


def counts_as_message(endpoint: str) -> bool:
    return (endpoint.startswith("send") and endpoint != "sendChatAction") or endpoint in (
        "copyMessage",
        "copyMessages",
        "forwardMessage",
        "forwardMessages",
    )


def _retry_seconds(error: RetryAfter) -> float:
    retry_after: Any = error.retry_after
    return float(retry_after.total_seconds() if hasattr(retry_after, "total_seconds") else retry_after)


class PacedRateLimiter(BaseRateLimiter[int]):
    """`overall_per_s` messages a second in all and `per_chat_per_s` bulk messages in one chat (None: no limit).

    `headroom` < 1 widens the windows a little (Telegram's limits are not published to the message).
    `rate_limit_args`, if given, is the number of retries after a 429 (default `max_retries`).
    """

    def __init__(
        self,
        overall_per_s: float | None = 30.0,
        per_chat_per_s: float | None = 1.0,
        *,
        headroom: float = 0.99,
        max_retries: int = 3,
    ) -> None:
        self._burst = max(1, int(overall_per_s)) if overall_per_s else 0
        self._window = self._burst / (overall_per_s * headroom) if overall_per_s else 0.0
        self._chat_window = 1.0 / (per_chat_per_s * headroom) if per_chat_per_s else 0.0
        self._max_retries = max_retries
        self._answered: deque[float] = deque()  # when the answers of the messages in the window came
        self._in_flight = 0
        self._chat_free_at: dict[object, float] = {}  # inf while a message to the chat is in flight
        self._queues: tuple[deque[Waiter], deque[Waiter]] = (deque(), deque())  # replies, then bulk
        self._resume_at = 0.0
        self._wakeup: asyncio.Event | None = None
        self._pump: asyncio.Task[None] | None = None

    @property
    def limited(self) -> bool:
        return bool(self._burst or self._chat_window)

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        if self._pump is not None:
            self._pump.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._pump
            self._pump = None
        for queue in self._queues:
            while queue:
                queue.popleft()[1].cancel()

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
        loop = asyncio.get_running_loop()
        retries = self._max_retries if rate_limit_args is None else rate_limit_args
        chat = data.get("chat_id")
        bulk = _BULK.get()
        for attempt in range(retries + 1):
            counted = self.limited or self._resume_at > loop.time()
            if counted:
                await self._slot(chat, bulk and attempt == 0)  # a retry goes before anything waiting
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as error:
                if attempt == retries:
                    raise
                seconds = _retry_seconds(error)
                log.info("rate limited by Telegram: every send waits %.1f s", seconds)
                self._resume_at = max(self._resume_at, loop.time() + seconds)
            finally:
                if counted:
                    self._answered_now(chat, loop.time())
        raise AssertionError("unreachable")

    async def _slot(self, chat: object, bulk: bool) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._queues[1 if bulk else 0].append((chat, future))
        if self._wakeup is None:
            self._wakeup = asyncio.Event()
        if self._pump is None or self._pump.done():
            self._pump = asyncio.create_task(self._run(), name="runback-rate-limiter")
        self._wakeup.set()
        try:
            await future
        except asyncio.CancelledError:
            if future.done() and not future.cancelled():  # the slot was given: hand it back
                self._answered_now(chat, asyncio.get_running_loop().time())
            raise

    def _answered_now(self, chat: object, now: float) -> None:
        self._in_flight -= 1
        if self._burst:
            self._answered.append(now)
        if self._chat_window:
            self._chat_free_at[chat] = now + self._chat_window
        if self._wakeup is not None:
            self._wakeup.set()

    def _pick(self, now: float) -> tuple[Waiter | None, float]:
        """The first waiting reply, else bulk message, whose chat may receive a message now."""
        earliest = math.inf
        for queue, per_chat in zip(self._queues, (False, bool(self._chat_window)), strict=True):
            while queue and queue[0][1].done():  # cancelled while waiting
                queue.popleft()
            for index, (chat, future) in enumerate(queue):
                if index >= _SCAN:
                    break
                if future.done():
                    continue
                free_at = self._chat_free_at.get(chat, 0.0) if per_chat else 0.0
                if free_at <= now:
                    del queue[index]
                    return (chat, future), now
                earliest = min(earliest, free_at)
        return None, earliest

    def _next_free(self, now: float) -> float:
        """When the overall window has room (now if it has; inf: when a message in flight is answered)."""
        if not self._burst:
            return now
        while self._answered and self._answered[0] <= now - self._window:
            self._answered.popleft()
        if len(self._answered) + self._in_flight < self._burst:
            return now
        return self._answered[0] + self._window if self._answered else math.inf

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        assert self._wakeup is not None
        wakeup = self._wakeup
        while True:
            wakeup.clear()
            if not (self._queues[0] or self._queues[1]):
                await wakeup.wait()
                continue
            now = loop.time()
            start = max(self._resume_at, self._next_free(now))
            waiter = None
            if start <= now:
                waiter, start = self._pick(now)
            if waiter is None:
                if start > now:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(wakeup.wait(), min(start - now, 1.0))
                continue
            chat, future = waiter
            self._in_flight += 1
            if self._chat_window:
                if len(self._chat_free_at) > _PRUNE_CHATS_ABOVE:
                    self._chat_free_at = {c: t for c, t in self._chat_free_at.items() if t > now}
                self._chat_free_at[chat] = math.inf
            future.set_result(None)


class LeaseLost(Exception):
    """Another worker took this prompt over (this one stalled past its lease): not sent here."""


class SharedRateLimiter(PacedRateLimiter):
    """The bot's overall rate shared by every worker through PostgreSQL; the per-chat limit stays local."""

    def __init__(
        self,
        reserve_slot: Callable[[float], Awaitable[float]],
        overall_per_s: float,
        per_chat_per_s: float | None,
    ) -> None:
        """`reserve_slot(interval)`: the shared budget's next slot, as seconds from now (bot/storage/send_budget.py)."""
        super().__init__(None, per_chat_per_s)
        self._reserve_slot = reserve_slot
        self._interval = 1.0 / (overall_per_s * BUDGET_HEADROOM)

    async def reserve(self) -> float:
        """Wait for this worker's next slot of the bot's send budget; returns the slot's loop time."""
        loop = asyncio.get_running_loop()
        wait = await self._reserve_slot(self._interval)
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
                if loop.time() - slot <= LATE_S:
                    break
                # this process was too busy to send in its slot: sending now could crowd the messages of the
                # next slots into one second; the slot is let go, and the message takes a later one
            # Marked attempted only now, right before the request leaves: a worker killed between the mark and
            # the send loses that prompt (at most once), so nothing (no slot wait) may stand in between.
            if before_send is not None and not await before_send():
                raise LeaseLost
            return await callback(*a, **kw)

        return await super().process_request(paced, args, kwargs, endpoint, data, rate_limit_args)
