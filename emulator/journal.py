"""What the bot did, as a test reads it afterwards: its requests, what failed validation, its answers to
button taps, its chat actions, how many messages each chat received; and listeners told as it happens."""

from __future__ import annotations

import collections
import logging
from collections.abc import Callable

from emulator.models import CallbackAnswer, EmulatorEvent, RecordedRequest

__all__ = ["Journal"]

logger = logging.getLogger("runback.emulator")


class Journal:
    """The emulator's record of the bot's side of every chat."""

    def __init__(self) -> None:
        self.requests: list[RecordedRequest] = []
        self.validation_errors: list[str] = []
        self.validation_warnings: list[str] = []
        self.callback_answers: list[CallbackAnswer] = []
        self.chat_actions: list[tuple[int, str]] = []
        self.delivered: collections.Counter[int] = collections.Counter()
        self._listeners: list[Callable[[EmulatorEvent], None]] = []

    def calls(self, method: str) -> list[RecordedRequest]:
        """Recorded requests of one method (case-insensitive)."""
        return [r for r in self.requests if r.method.lower() == method.lower()]

    def sent_count(self, chat_id: int) -> int:
        """How many messages the bot successfully delivered to the chat."""
        return self.delivered[chat_id]

    def add_listener(self, callback: Callable[[EmulatorEvent], None]) -> None:
        """Call ``callback`` for everything the bot does in a chat (used by the terminal demo)."""
        self._listeners.append(callback)

    def remove_listener(self, callback: Callable[[EmulatorEvent], None]) -> None:
        self._listeners.remove(callback)

    def emit(self, event: EmulatorEvent) -> None:
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:
                logger.exception("emulator listener failed")

    def summary(self) -> str:
        """The last requests and validation errors, for a test's failure message."""
        last = ", ".join(f"{r.method}->{r.status}" for r in self.requests[-8:] if r.method != "getUpdates")
        parts = [f"last requests (without getUpdates): [{last}]"]
        if self.validation_errors:
            parts.append(f"validation errors: {self.validation_errors[-3:]}")
        return "; ".join(parts)
