"""The queue of updates waiting for the bot, and ``getUpdates``' long poll over it."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable

from emulator.errors import JSON, APIError

__all__ = ["UpdateQueue"]

# Telegram leaves these out unless the bot asks for them in allowed_updates.
_DEFAULT_EXCLUDED_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


class UpdateQueue:
    """Updates queued for the bot, numbered here, dropped once a later poll's offset confirms them."""

    def __init__(self) -> None:
        self.pending: list[JSON] = []  # queued, not yet confirmed
        self.allowed_updates: list[str] | None = None
        self._next_update_id = 1
        self._poll_generation = 0
        self._wakeup = asyncio.Event()

    def add(self, kind: str, payload: JSON) -> JSON:
        """Queue a new update of ``kind`` (``"message"``, ``"callback_query"``, ...)."""
        update = {"update_id": self._take_update_id(), kind: payload}
        self._enqueue(update)
        return update

    def add_raw(self, raw: JSON) -> JSON:
        """Queue an arbitrary (possibly forged) update; its ``update_id`` is assigned here."""
        update = dict(raw)
        update["update_id"] = self._take_update_id()
        self._enqueue(update)
        return update

    def redeliver(self, update: JSON) -> None:
        """Queue ``update`` again with its own ``update_id``, as Telegram does when a confirmation was lost."""
        self._enqueue(update)

    def _take_update_id(self) -> int:
        update_id = self._next_update_id
        self._next_update_id += 1
        return update_id

    def _enqueue(self, update: JSON) -> None:
        self.pending.append(update)
        self.wake()

    def drop(self) -> None:
        """Forget every pending update (``drop_pending_updates``)."""
        self.pending.clear()

    def wake(self) -> None:
        """Release every long poll waiting, to look again (new update, shutdown, outage)."""
        self._wakeup.set()
        self._wakeup = asyncio.Event()

    def confirm(self, offset: int) -> None:
        """``getUpdates``' offset: updates below it are confirmed; a negative one keeps the last ``-offset``."""
        if offset > 0:
            self.pending = [u for u in self.pending if u["update_id"] >= offset]
        elif offset < 0:
            self.pending = self.pending[offset:]

    def _allowed(self, update: JSON) -> bool:
        kind = next((k for k in update if k != "update_id"), "")
        if not self.allowed_updates:
            return kind not in _DEFAULT_EXCLUDED_UPDATES
        return kind in self.allowed_updates

    async def poll(self, params: JSON, give_up: Callable[[], bool]) -> list[JSON]:
        """``getUpdates``: confirm by offset, then answer the pending updates or wait up to ``timeout``.

        A newer poll ends an older one still waiting with 409 Conflict, like Telegram; ``give_up``
        (shutdown, outage) ends the wait with no updates.
        """
        if "allowed_updates" in params:
            self.allowed_updates = list(params["allowed_updates"])
        offset = params.get("offset")
        if isinstance(offset, int):
            self.confirm(offset)
        limit = max(1, min(100, int(params.get("limit", 100))))
        timeout = max(0, int(params.get("timeout", 0)))

        self._poll_generation += 1
        generation = self._poll_generation
        self.wake()  # an earlier long poll still waiting is terminated (409) like on Telegram

        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            self.pending = [u for u in self.pending if self._allowed(u)]
            if self.pending:
                return self.pending[:limit]
            remaining = deadline - loop.time()
            if remaining <= 0 or give_up():
                return []
            wakeup = self._wakeup
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(wakeup.wait(), remaining)
            if self._poll_generation != generation:
                raise APIError(
                    409,
                    "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
                )
