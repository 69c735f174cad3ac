"""A fake Telegram Bot API server for tests and the terminal demo.

:class:`BotAPIEmulator` is an aiohttp server on 127.0.0.1 that speaks the Bot API well enough for
python-telegram-bot's real HTTP stack: point ``ApplicationBuilder().base_url(emu.base_url)
.base_file_url(emu.base_file_url).token(emu.token)`` at it and the bot polls it with
``getUpdates`` like it would poll Telegram.  The other side of the chat is driven from Python
(:meth:`~BotAPIEmulator.user_sends`, :meth:`~BotAPIEmulator.user_presses`, ...), and what the bot
did is inspected afterwards (:meth:`~BotAPIEmulator.messages`, :attr:`~BotAPIEmulator.requests`,
...).

Every request is checked against the Bot API spec shipped with this package (see
:mod:`emulator.spec`); in strict mode an invalid request is answered ``400 Bad Request`` and
recorded in :attr:`~BotAPIEmulator.validation_errors`, which a test fixture should assert empty.

Faults can be injected: :meth:`~BotAPIEmulator.fail_next` (429/500/502/403/400/timeout),
:meth:`~BotAPIEmulator.block`, :meth:`~BotAPIEmulator.set_unreachable`, and rate limits.

The emulator is a small object holding its parts, each in its own module: the chats' state
(:mod:`emulator.state`), the update queue (:mod:`emulator.updates`), the Bot API methods
(:mod:`emulator.methods`, :mod:`emulator.messages`), the HTTP server (:mod:`emulator.http`), the user
side (:mod:`emulator.users`), what the bot did (:mod:`emulator.journal`, :mod:`emulator.transcript`) and
the faults (:mod:`emulator.faults`).  This class wires them and names the verbs tests use.

The server never logs the token or message contents; it logs method names at DEBUG on the
``runback.emulator`` logger.
"""

from __future__ import annotations

import collections
import time
from collections.abc import Callable
from types import TracebackType
from typing import Self

from emulator.errors import JSON
from emulator.faults import FaultKind, Faults, RateLimits, Unreachable
from emulator.http import HttpServer
from emulator.journal import Journal
from emulator.messages import MessageMethods
from emulator.methods import BotMethods, method_table
from emulator.models import CallbackAnswer, RecordedRequest, StoredFile
from emulator.spec import Spec, load_spec
from emulator.state import ChatType, TelegramState
from emulator.transcript import Transcript
from emulator.updates import UpdateQueue
from emulator.users import UserSide

__all__ = ["BotAPIEmulator", "FaultKind"]


class BotAPIEmulator:
    """A fake Telegram Bot API server with a scriptable user side.

    Args:
        token: the bot token the server accepts (anything else gets ``401 Unauthorized``).
        bot_username: username returned by ``getMe``.
        strict: answer requests that fail validation with ``400 Bad Request`` (else they are
            recorded in :attr:`validation_warnings` and served if possible).
        rate_limit_per_s: accept at most this many sends per second overall (sliding 1 s window
            on ``clock``); more get ``429 Too Many Requests`` with ``retry_after``.
        per_chat_limit_per_s: the same, per chat.
        clock: monotonic clock for rate-limit windows and callback-query age (default
            :func:`time.monotonic`); inject a fake one to test rate limits without sleeping.
        fault_delay: how long a ``"timeout"`` fault holds the request (seconds) unless
            :meth:`fail_next` says otherwise.  Set the bot's read timeout below it.
    """

    def __init__(
        self,
        token: str = "123456:TEST-TOKEN",
        *,
        bot_username: str = "runback_test_bot",
        bot_first_name: str = "RunBack",
        strict: bool = True,
        rate_limit_per_s: float | None = None,
        per_chat_limit_per_s: float | None = None,
        clock: Callable[[], float] | None = None,
        fault_delay: float = 10.0,
    ) -> None:
        self.clock: Callable[[], float] = clock or time.monotonic
        prefix = token.split(":", 1)[0]
        bot_id = int(prefix) if prefix.isdigit() else 123456
        bot_user: JSON = {"id": bot_id, "is_bot": True, "first_name": bot_first_name, "username": bot_username}
        self.state = TelegramState(bot_user)
        self.journal = Journal()
        self.updates = UpdateQueue()
        self.faults = Faults(fault_delay)
        self.limits = RateLimits(rate_limit_per_s, per_chat_limit_per_s, self.clock)
        self.bot_methods = BotMethods(self.state, self.journal, self.updates, self.clock, self._long_polls_end)
        sending = MessageMethods(self.state, self.journal, self.limits)
        self.http = HttpServer(
            token,
            spec=load_spec(),
            methods=method_table(self.bot_methods, sending),
            state=self.state,
            journal=self.journal,
            faults=self.faults,
            strict=strict,
            clock=self.clock,
        )
        self.users = UserSide(self.state, self.updates, self.clock)
        self.transcript = Transcript(self.state, self.journal, self.updates, self.http)
        self._expose_verbs()

    def _expose_verbs(self) -> None:
        """The verbs tests say, each the method of the part that does it."""
        # the user side
        self.user_sends = self.users.sends
        self.user_sends_sticker = self.users.sends_sticker
        self.user_sends_photo = self.users.sends_photo
        self.user_sends_document = self.users.sends_document
        self.user_edits_message = self.users.edits_message
        self.user_presses = self.users.presses
        self.channel_post = self.users.channel_post
        self.block = self.users.block
        self.unblock = self.users.unblock
        self.queue_update = self.updates.add_raw
        self.redeliver = self.updates.redeliver
        self.drop_pending_updates = self.updates.drop
        # what the bot sent, and waiting for it
        self.messages = self.transcript.messages
        self.last_message = self.transcript.last_message
        self.message = self.transcript.message
        self.buttons = self.transcript.buttons
        self.duplicate_texts = self.transcript.duplicate_texts
        self.wait_for = self.transcript.wait_for
        self.wait_for_message = self.transcript.wait_for_message
        self.wait_until_idle = self.transcript.wait_until_idle
        self.calls = self.journal.calls
        self.sent_count = self.journal.sent_count
        self.add_listener = self.journal.add_listener
        self.remove_listener = self.journal.remove_listener
        # faults
        self.fail_next = self.faults.fail_next
        self.clear_faults = self.faults.clear

    # ---------------------------------------------------------------------------------- lifecycle

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        """Listen on ``host:port`` (port 0 picks a free port; see :attr:`port`)."""
        await self.http.start(host, port)

    async def stop(self) -> None:
        """Stop the server; long polls and held requests are released first."""
        self.http.closing.set()
        self.updates.wake()
        await self.http.stop()

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    def _long_polls_end(self) -> bool:
        """A waiting ``getUpdates`` answers at once: the server is stopping or Telegram is down."""
        return self.http.closing.is_set() or self.faults.unreachable is not None

    @property
    def token(self) -> str:
        return self.http.token

    @property
    def port(self) -> int:
        return self.http.port

    @property
    def base_url(self) -> str:
        """For ``ApplicationBuilder.base_url``: PTB appends the token."""
        return f"http://{self.http.host}:{self.http.port}/bot"

    @property
    def base_file_url(self) -> str:
        """For ``ApplicationBuilder.base_file_url``: PTB appends the token."""
        return f"http://{self.http.host}:{self.http.port}/file/bot"

    # --------------------------------------------------------------------------------- the world

    def register_chat(
        self, chat_id: int, chat_type: ChatType = "private", *, first_name: str = "Runner", title: str | None = None
    ) -> None:
        """The chat exists, as if its user had talked to the bot before: the bot may send to it."""
        self.state.register_chat(chat_id, chat_type, first_name=first_name, title=title)

    def known_chats(self) -> list[int]:
        return sorted(self.state.chats)

    def files(self) -> list[StoredFile]:
        """Every stored file (bot uploads and user media)."""
        return list(self.state.files.values())

    @property
    def pending_updates(self) -> list[JSON]:
        """Updates queued and not yet confirmed by the bot."""
        return list(self.updates.pending)

    @property
    def spec(self) -> Spec:
        """The Bot API spec every request is checked against."""
        return load_spec()

    def set_unreachable(self, unreachable: bool, *, mode: Unreachable = "disconnect") -> None:
        """Simulate Telegram being down.

        ``mode="disconnect"`` (default): every request's connection is closed without an answer
        (PTB raises ``NetworkError``), including long polls already waiting.  ``mode="502"``:
        every request is answered ``502 Bad Gateway``.  Requests are recorded with status 0 / 502.
        """
        self.faults.unreachable = mode if unreachable else None
        if unreachable:
            self.updates.wake()

    # --------------------------------------------------------------------------- what the bot did

    @property
    def requests(self) -> list[RecordedRequest]:
        return self.journal.requests

    @property
    def validation_errors(self) -> list[str]:
        return self.journal.validation_errors

    @property
    def validation_warnings(self) -> list[str]:
        return self.journal.validation_warnings

    @property
    def callback_answers(self) -> list[CallbackAnswer]:
        return self.journal.callback_answers

    @property
    def chat_actions(self) -> list[tuple[int, str]]:
        return self.journal.chat_actions

    @property
    def delivered(self) -> collections.Counter[int]:
        """Messages the bot delivered, per chat."""
        return self.journal.delivered

    @property
    def webhook_url(self) -> str:
        return self.bot_methods.webhook_url

    @property
    def commands_by_scope(self) -> dict[tuple[str, str], list[JSON]]:
        return self.bot_methods.commands_by_scope

    @property
    def commands(self) -> list[tuple[str, str]]:
        """``(command, description)`` set by ``setMyCommands`` for the default scope and language."""
        return [(c["command"], c["description"]) for c in self.commands_by_scope.get(("default", ""), [])]

    @property
    def bot_id(self) -> int:
        return int(self.state.bot_user["id"])

    @property
    def bot_username(self) -> str:
        return str(self.state.bot_user["username"])

    @property
    def strict(self) -> bool:
        return self.http.strict
