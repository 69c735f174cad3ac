"""Reading a chat as the user saw it, and waiting for the bot: what tests assert on after a user acted."""

from __future__ import annotations

import asyncio
import collections
import time
from collections.abc import Callable

from emulator.errors import JSON
from emulator.http import HttpServer
from emulator.journal import Journal
from emulator.models import BotMessage, buttons_of
from emulator.state import TelegramState
from emulator.updates import UpdateQueue

__all__ = ["Transcript"]


class Transcript:
    """The chats' messages in order, and waits on conditions over them with a useful failure message."""

    def __init__(self, state: TelegramState, journal: Journal, updates: UpdateQueue, http: HttpServer) -> None:
        self._state = state
        self._journal = journal
        self._updates = updates
        self._http = http

    def messages(self, chat_id: int, *, include_user: bool = False, include_deleted: bool = False) -> list[BotMessage]:
        """Messages of a chat in order: the bot's by default, or the whole transcript."""
        return [
            m
            for m in self._state.chat_messages(chat_id)
            if (include_user or m.from_bot) and (include_deleted or not m.deleted)
        ]

    def last_message(self, chat_id: int) -> BotMessage | None:
        """The bot's latest (not deleted) message in the chat."""
        messages = self.messages(chat_id)
        return messages[-1] if messages else None

    def message(self, chat_id: int, message_id: int) -> BotMessage:
        """One message by id (raises :class:`LookupError`)."""
        message = self._state.get_message(chat_id, message_id)
        if message is None:
            raise LookupError(f"no message {message_id} in chat {chat_id}")
        return message

    @staticmethod
    def buttons(message: BotMessage | JSON | None) -> list[tuple[str, str | None]]:
        """``(text, callback_data)`` of a message's keyboard (a :class:`BotMessage` or markup dict)."""
        if message is None:
            return []
        if isinstance(message, BotMessage):
            return message.buttons
        return buttons_of(message.get("reply_markup", message))

    def duplicate_texts(self, chat_id: int) -> list[str]:
        """Texts (or captions) the bot delivered more than once to the chat."""
        counts = collections.Counter(
            m.text if m.text is not None else (m.caption or "") for m in self.messages(chat_id, include_deleted=True)
        )
        return [text for text, n in counts.items() if n > 1]

    async def wait_for(
        self,
        predicate: Callable[[], bool],
        timeout: float = 5.0,  # noqa: ASYNC109 - a deadline for the condition, not for one call
        *,
        description: str | None = None,
        interval: float = 0.005,
    ) -> None:
        """Wait until ``predicate()`` is true (polled every ``interval`` s).

        Raises :class:`TimeoutError` naming the condition and the last requests the bot made.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not predicate():
            if loop.time() >= deadline:
                what = description or getattr(predicate, "__name__", repr(predicate))
                raise TimeoutError(f"condition {what!r} not met within {timeout}s; {self._journal.summary()}")
            await asyncio.sleep(interval)

    async def wait_for_message(
        self,
        chat_id: int,
        *,
        after: int | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> BotMessage:
        """Wait for the bot's first message in ``chat_id`` with a ``message_id`` above ``after``.

        ``after`` defaults to the id of the last user message in the chat, so
        ``emu.user_sends(c, "/start"); reply = await emu.wait_for_message(c)`` gets the reply.
        """
        if after is None:
            user_ids = [m.message_id for m in self._state.chat_messages(chat_id) if not m.from_bot]
            after = max(user_ids, default=0)
        threshold = after

        def found() -> bool:
            return any(m.message_id > threshold for m in self.messages(chat_id))

        await self.wait_for(found, timeout, description=f"bot message in chat {chat_id} after #{threshold}")
        return next(m for m in self.messages(chat_id) if m.message_id > threshold)

    async def wait_until_idle(
        self,
        timeout: float = 5.0,  # noqa: ASYNC109
        *,
        settle: float = 0.1,
    ) -> None:
        """Wait until the bot has taken every queued update and gone quiet.

        Semantics (a server can only see requests): every queued update was confirmed by a
        later ``getUpdates`` (PTB confirms an update on its *next* poll, right after putting it in
        its update queue, not after handling it), no other request is in flight, and no other
        request finished in the last ``settle`` seconds.  A handler that thinks longer than
        ``settle`` before calling the API is not seen; prefer :meth:`wait_for` /
        :meth:`wait_for_message` on the state you expect.
        """
        loop = asyncio.get_running_loop()

        def idle() -> bool:
            quiet_for = time.monotonic() - self._http.last_activity
            return not self._updates.pending and self._http.inflight == 0 and quiet_for >= settle

        deadline = loop.time() + timeout
        while not idle():
            if loop.time() >= deadline:
                raise TimeoutError(
                    f"bot not idle within {timeout}s: {len(self._updates.pending)} update(s) unconfirmed, "
                    f"{self._http.inflight} request(s) in flight; {self._journal.summary()}"
                )
            await asyncio.sleep(0.005)
