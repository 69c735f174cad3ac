"""Updates of different people handled at the same time, each person's strictly in the order they came; in
polling mode, an update is confirmed to Telegram only once it and every earlier one are handled."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

log = logging.getLogger("runback.updates")

CONCURRENT_UPDATES = 8
GIVE_UP_AFTER_S = 300.0  # an update taken by polling and still not handled is confirmed anyway (and logged)


def drop_tapped_keyboard(update: Any) -> Any:
    """Take out of a raw update (Telegram's JSON) the keyboard of the message a button was tapped on.

    A button tap carries the whole message the button was on, keyboard included (a check-in question has a
    dozen buttons); python-telegram-bot would build an object for each, which doubled the cost of parsing the
    update, and the bot never reads them: the tap's own data says which button it was."""
    if isinstance(update, dict):
        query = update.get("callback_query")
        message = query.get("message") if isinstance(query, dict) else None
        if isinstance(message, dict):
            message.pop("reply_markup", None)
    return update


class Backlog:
    """Updates taken by polling and not handled yet, by id: when Telegram may forget them, and when to poll.

    Confirmation: a getUpdates' offset tells Telegram to forget every update below it, and python-telegram-bot
    passes the offset over an update as soon as it has queued it, before handling it. The offset sent is
    instead the lowest update still in hand (`offset`): an update is confirmed only once it and every earlier
    one are handled (their effect committed, their replies sent or given up on), so a crash at any moment loses
    none; after a restart Telegram sends them again and the update id claimed with their effect makes a copy
    that was in fact handled change nothing twice. Until then Telegram sends the updates in hand again with
    every poll: they are left out of the result (`fresh`), and since such a poll comes back at once, a poll
    with updates in hand waits until one of them is handled, or `poll_gap_s` (`before_poll`).

    Batching: polling waits while `limit` or more are in hand: under a flood the next updates wait at Telegram,
    and the next getUpdates takes many of them at once, instead of one poll (a Bot API call, and its parsing)
    per update while hundreds wait in memory. With few updates in hand (any normal moment) a poll goes out at
    once, so no update waits longer for it."""

    def __init__(
        self,
        limit: int = 2 * CONCURRENT_UPDATES,
        patience_s: float = 1.0,
        poll_gap_s: float = 0.02,
        give_up_after_s: float = GIVE_UP_AFTER_S,
    ) -> None:
        self.limit = limit
        self.patience_s = patience_s  # a full backlog that is not handled in time does not stop polling
        self.poll_gap_s = poll_gap_s
        self.give_up_after_s = give_up_after_s
        self._in_hand: dict[int, float] = {}  # update id: when it was taken (in the order taken)
        self._next = 0  # the id after the highest taken
        self.last_offset = 0  # the offset of the last poll sent: every update below it is handled
        self._progress = asyncio.Event()  # an update in hand was handled since the last poll

    @property
    def in_hand(self) -> int:
        return len(self._in_hand)

    @property
    def next_offset(self) -> int:
        """The offset that confirms every update handled so far, and no other."""
        return min(self._in_hand, default=self._next)

    def offset(self, requested: int) -> int:
        """The offset to send instead of python-telegram-bot's `requested` (the id after the last it took)."""
        self._give_up_on_stuck()
        self.last_offset = min(self._in_hand, default=requested)
        return self.last_offset

    def fresh(self, updates: list[Any]) -> list[Any]:
        """Of a getUpdates result, the updates not taken before, now taken."""
        if updates and updates[0]["update_id"] < self._next:
            updates = [update for update in updates if update["update_id"] >= self._next]
        taken_at = time.monotonic()
        for update in updates:
            self._in_hand[update["update_id"]] = taken_at
        if updates:
            self._next = updates[-1]["update_id"] + 1
        return updates

    def handled(self, update_id: int) -> None:
        if self._in_hand.pop(update_id, None) is not None:
            self._progress.set()

    async def before_poll(self) -> None:
        """Return once fewer than `limit` updates are in hand (or after `patience_s`) and, with updates in hand,
        once one was handled since the last poll (or after `poll_gap_s`)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.patience_s
        while len(self._in_hand) >= self.limit and (remaining := deadline - loop.time()) > 0:
            self._progress.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._progress.wait(), remaining)
        if self._in_hand and not self._progress.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._progress.wait(), self.poll_gap_s)
        self._progress.clear()

    def _give_up_on_stuck(self) -> None:
        """An update in hand for minutes is stuck (a bug): held, it would keep every later update at Telegram
        once a hundred have come after it (the most a poll returns)."""
        too_old = time.monotonic() - self.give_up_after_s
        while self._in_hand:
            update_id, taken_at = next(iter(self._in_hand.items()))
            if taken_at > too_old:
                return
            del self._in_hand[update_id]
            log.error(
                "update %d not handled after %.0f s: confirmed to Telegram all the same",
                update_id,
                self.give_up_after_s,
            )


class PerPersonUpdateProcessor(BaseUpdateProcessor):
    """While one update waits (for the database, for Telegram), the next person's is handled: the bot keeps its
    CPU busy instead of idling between round trips. A person's own updates never overlap nor overtake each
    other (a double tap is two updates of one person, handled one after the other); updates without a person
    (none of ours) share one queue."""

    def __init__(self, max_concurrent_updates: int = CONCURRENT_UPDATES, backlog: Backlog | None = None) -> None:
        super().__init__(max_concurrent_updates)
        self._turns: dict[int | None, tuple[asyncio.Lock, list[int]]] = {}  # person: (lock, [holders + waiters])
        self._backlog = backlog

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        person = update.effective_user.id if isinstance(update, Update) and update.effective_user else None
        turn, users = self._turns.get(person) or self._turns.setdefault(person, (asyncio.Lock(), [0]))
        users[0] += 1
        try:
            async with turn:  # waiters get the lock first come, first served: the order updates arrived in
                await coroutine
        finally:
            users[0] -= 1
            if users[0] == 0:
                del self._turns[person]
            if self._backlog is not None and isinstance(update, Update):
                self._backlog.handled(update.update_id)

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None
