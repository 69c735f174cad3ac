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


class PerPersonUpdateProcessor(BaseUpdateProcessor):
    """While one update waits (for the database, for Telegram), the next person's is handled: the bot keeps its
    CPU busy instead of idling between round trips. A person's own updates never overlap nor overtake each
    other (a double tap is two updates of one person, handled one after the other); updates without a person
    (none of ours) share one queue."""

    def __init__(self, max_concurrent_updates: int = CONCURRENT_UPDATES) -> None:
        super().__init__(max_concurrent_updates)
        self._turns: dict[int | None, tuple[asyncio.Lock, list[int]]] = {}  # person: (lock, [holders + waiters])

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

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None
