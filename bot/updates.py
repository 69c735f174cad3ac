"""Updates of different people handled at the same time, each person's strictly in the order they came."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

CONCURRENT_UPDATES = 8


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
    """Updates taken by polling and not handled yet. Polling waits while there are `limit` or more: under a flood
    the next updates wait at Telegram, and the next getUpdates takes many of them at once, instead of one poll
    (a Bot API call, and its parsing) per update while hundreds wait in memory. With few updates in hand (any
    normal moment) a poll goes out at once, so no update waits longer for it."""

    def __init__(self, limit: int = 2 * CONCURRENT_UPDATES, patience_s: float = 1.0) -> None:
        self.limit = limit
        self.patience_s = patience_s  # a safety net: an update that never reports handled cannot stop polling
        self._taken = 0
        self._handled = 0
        self._room = asyncio.Event()
        self._room.set()

    @property
    def in_hand(self) -> int:
        return max(0, self._taken - self._handled)

    def took(self, count: int) -> None:
        self._taken += count
        if self.in_hand >= self.limit:
            self._room.clear()

    def handled(self) -> None:
        self._handled += 1
        if self.in_hand < self.limit:
            self._room.set()

    async def room(self) -> None:
        """Return once fewer than `limit` updates are in hand (or after `patience_s`, forgetting the count)."""
        if self._room.is_set():
            return
        try:
            await asyncio.wait_for(self._room.wait(), self.patience_s)
        except TimeoutError:
            self._handled = self._taken
            self._room.set()


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
            if self._backlog is not None:
                self._backlog.handled()

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None
