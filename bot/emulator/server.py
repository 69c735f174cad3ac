"""A fake Telegram Bot API server for tests and the terminal demo.

:class:`BotAPIEmulator` is an aiohttp server on 127.0.0.1 that speaks the Bot API well enough for
python-telegram-bot's real HTTP stack: point ``ApplicationBuilder().base_url(emu.base_url)
.base_file_url(emu.base_file_url).token(emu.token)`` at it and the bot polls it with
``getUpdates`` like it would poll Telegram.  The other side of the chat is driven from Python
(:meth:`~BotAPIEmulator.user_sends`, :meth:`~BotAPIEmulator.user_presses`, ...), and what the bot
did is inspected afterwards (:meth:`~BotAPIEmulator.messages`, :attr:`~BotAPIEmulator.requests`,
...).

Every request is checked against the Bot API spec shipped with this package (see
:mod:`bot.emulator.spec`); in strict mode an invalid request is answered ``400 Bad Request`` and
recorded in :attr:`~BotAPIEmulator.validation_errors`, which a test fixture should assert empty.

Faults can be injected: :meth:`~BotAPIEmulator.fail_next` (429/500/502/403/400/timeout),
:meth:`~BotAPIEmulator.block`, :meth:`~BotAPIEmulator.set_unreachable`, and rate limits.

The server never logs the token or message contents; it logs method names at DEBUG on the
``runback.emulator`` logger.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import dataclasses
import itertools
import json
import logging
import math
import struct
import time
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Any, Literal, Self, cast

from aiohttp import web

from bot.emulator.formatting import EntityParseError, parse_text
from bot.emulator.models import (
    BotMessage,
    CallbackAnswer,
    EmulatorEvent,
    RecordedRequest,
    StoredFile,
    buttons_of,
)
from bot.emulator.spec import Spec, UploadedFile, decode_params, load_spec, validate

__all__ = ["BotAPIEmulator", "FaultKind"]

logger = logging.getLogger("runback.emulator")

JSON = dict[str, Any]
FaultKind = Literal["429", "500", "502", "403", "timeout", "400"]

_CALLBACK_QUERY_MAX_AGE_S = 15.0
_DEFAULT_EXCLUDED_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
_TINY_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a0d40000000049454e44ae426082"
)


class _APIError(Exception):
    """A Telegram-style error answer: ``{"ok": false, "error_code", "description"}``."""

    def __init__(self, code: int, description: str, parameters: JSON | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def body(self) -> JSON:
        body: JSON = {"ok": False, "error_code": self.code, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def _bad_request(problem: str) -> _APIError:
    return _APIError(400, f"Bad Request: {problem}")


@dataclasses.dataclass
class _Fault:
    method: str  # lower-case method name, or "*"
    kind: FaultKind
    remaining: int
    retry_after: int
    chat_id: int | str | None
    delay: float | None
    apply: bool
    description: str | None


@dataclasses.dataclass
class _CallbackQuery:
    created: float
    chat_id: int | None
    message_id: int | None
    data: str | None
    answered: bool = False


def _image_size(data: bytes) -> tuple[int, int]:
    """Width and height of a PNG or JPEG, else a plausible default."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        w, h = struct.unpack(">II", data[16:24])
        return int(w), int(h)
    if data[:2] == b"\xff\xd8":
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                break
            marker = data[i + 1]
            length = int.from_bytes(data[i + 2 : i + 4], "big")
            if marker in (0xC0, 0xC1, 0xC2):
                h, w = struct.unpack(">HH", data[i + 5 : i + 9])
                return int(w), int(h)
            i += 2 + length
    return 800, 600


def _is_send(method: str) -> bool:
    """Methods that deliver a message (they count towards rate limits)."""
    return (method.startswith("send") and method != "sendChatAction") or method in (
        "copyMessage",
        "copyMessages",
        "forwardMessage",
        "forwardMessages",
    )


def _touches_chat(method: str) -> bool:
    """Methods that fail with 403 when the user blocked the bot."""
    return method.startswith(("send", "edit", "copy", "forward"))


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
        self._token = token
        self.bot_username = bot_username
        self.strict = strict
        self.rate_limit_per_s = rate_limit_per_s
        self.per_chat_limit_per_s = per_chat_limit_per_s
        self.clock: Callable[[], float] = clock or time.monotonic
        self.fault_delay = fault_delay
        prefix = token.split(":", 1)[0]
        self.bot_id = int(prefix) if prefix.isdigit() else 123456
        self._bot_user: JSON = {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
        }
        self._spec: Spec = load_spec()

        # what the bot did
        self.requests: list[RecordedRequest] = []
        self.validation_errors: list[str] = []
        self.validation_warnings: list[str] = []
        self.callback_answers: list[CallbackAnswer] = []
        self.chat_actions: list[tuple[int, str]] = []
        self.commands_by_scope: dict[tuple[str, str], list[JSON]] = {}
        self.webhook_url = ""
        self.delivered: collections.Counter[int] = collections.Counter()

        # chat state
        self._chats: dict[int, JSON] = {}
        self._messages: dict[int, dict[int, BotMessage]] = {}
        self._next_message_id: dict[int, int] = {}
        self._blocked: set[int] = set()
        self._files: dict[str, StoredFile] = {}
        self._file_counter = itertools.count(1)
        self._callback_queries: dict[str, _CallbackQuery] = {}
        self._callback_counter = itertools.count(1)

        # updates
        self._updates: list[JSON] = []  # queued, not yet confirmed
        self._next_update_id = 1
        self._highest_delivered = 0
        self._highest_confirmed = 0
        self._allowed_updates: list[str] | None = None
        self._poll_generation = 0
        self._wakeup = asyncio.Event()

        # faults and limits
        self._faults: list[_Fault] = []
        self._unreachable: Literal["disconnect", "502"] | None = None
        self._sends: collections.deque[float] = collections.deque()
        self._chat_sends: dict[int, collections.deque[float]] = collections.defaultdict(collections.deque)

        # server
        self._listeners: list[Callable[[EmulatorEvent], None]] = []
        self._runner: web.AppRunner | None = None
        self._site: web.TCPSite | None = None
        self._host = "127.0.0.1"
        self._port = 0
        self._closing = asyncio.Event()
        self._inflight = 0
        self._last_activity = time.monotonic()

    # ------------------------------------------------------------------------------ lifecycle

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        """Listen on ``host:port`` (port 0 picks a free port; see :attr:`port`)."""
        if self._runner is not None:
            raise RuntimeError("emulator already started")
        self._closing = asyncio.Event()
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        # access_log=None: aiohttp's access log would print the URL, which contains the token
        runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=0.5)
        await runner.setup()
        site = web.TCPSite(runner, host, port)
        await site.start()
        server = cast("asyncio.base_events.Server", site._server)
        self._port = int(server.sockets[0].getsockname()[1])
        self._host = host
        self._runner, self._site = runner, site
        logger.debug("emulator listening on %s:%s", host, self._port)

    async def stop(self) -> None:
        """Stop the server; long polls and held requests are released first."""
        self._closing.set()
        self._wake()
        if self._runner is not None:
            await self._runner.cleanup()
        self._runner = self._site = None

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

    @property
    def token(self) -> str:
        return self._token

    @property
    def port(self) -> int:
        return self._port

    @property
    def base_url(self) -> str:
        """For ``ApplicationBuilder.base_url``: PTB appends the token."""
        return f"http://{self._host}:{self._port}/bot"

    @property
    def base_file_url(self) -> str:
        """For ``ApplicationBuilder.base_file_url``: PTB appends the token."""
        return f"http://{self._host}:{self._port}/file/bot"

    # -------------------------------------------------------------------------------- user side

    def _new_update(self, kind: str, payload: JSON) -> JSON:
        update = {"update_id": self._next_update_id, kind: payload}
        self._next_update_id += 1
        self._updates.append(update)
        self._wake()
        return update

    def queue_update(self, raw: JSON) -> JSON:
        """Queue an arbitrary (possibly forged) update; its ``update_id`` is assigned here."""
        update = dict(raw)
        update["update_id"] = self._next_update_id
        self._next_update_id += 1
        self._updates.append(update)
        self._wake()
        return update

    def _user(self, user_id: int, first_name: str, language_code: str | None) -> JSON:
        user: JSON = {"id": user_id, "is_bot": False, "first_name": first_name}
        if language_code:
            user["language_code"] = language_code
        return user

    def _chat(self, chat_id: int, chat_type: str, *, first_name: str = "Runner", title: str | None = None) -> JSON:
        if chat_type == "private":
            if chat_id <= 0:
                raise ValueError("private chats have positive ids (the user's id)")
            chat: JSON = {"id": chat_id, "type": "private", "first_name": first_name}
        else:
            if chat_id >= 0:
                raise ValueError(f"{chat_type} chats have negative ids")
            chat = {"id": chat_id, "type": chat_type, "title": title or f"Test {chat_type}"}
        self._chats[chat_id] = chat
        return chat

    def _alloc_message_id(self, chat_id: int) -> int:
        mid = self._next_message_id.get(chat_id, 1)
        self._next_message_id[chat_id] = mid + 1
        return mid

    def _user_message(
        self,
        chat_id: int,
        user_id: int | None,
        first_name: str,
        chat_type: str,
        language_code: str | None,
        title: str | None,
    ) -> tuple[JSON, BotMessage]:
        if user_id is None:
            user_id = chat_id if chat_type == "private" else 424242
        chat = self._chat(chat_id, chat_type, first_name=first_name, title=title)
        mid = self._alloc_message_id(chat_id)
        raw: JSON = {
            "message_id": mid,
            "from": self._user(user_id, first_name, language_code),
            "chat": dict(chat),
            "date": int(time.time()),
        }
        msg = BotMessage(chat_id=chat_id, message_id=mid, date=raw["date"], from_bot=False, method="user")
        msg.extra["from"] = raw["from"]
        self._messages.setdefault(chat_id, {})[mid] = msg
        return raw, msg

    def user_sends(
        self,
        chat_id: int,
        text: str,
        *,
        user_id: int | None = None,
        first_name: str = "Runner",
        chat_type: Literal["private", "group", "supergroup"] = "private",
        language_code: str | None = "en",
        title: str | None = None,
        reply_to_message_id: int | None = None,
    ) -> JSON:
        """The user sends ``text``; queues a ``message`` update and returns it.

        Also "starts" the chat, so the bot may send to it.  A text starting with ``/`` gets a
        ``bot_command`` entity.  ``chat_type`` ``"group"``/``"supergroup"`` need a negative
        ``chat_id`` (and ``user_id`` defaults to 424242 there; in private chats to ``chat_id``).
        """
        raw, msg = self._user_message(chat_id, user_id, first_name, chat_type, language_code, title)
        raw["text"] = text
        msg.text = msg.raw_text = text
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0] if text.strip() else text
            entity = {"type": "bot_command", "offset": 0, "length": len(command.encode("utf-16-le")) // 2}
            raw["entities"] = [entity]
            msg.entities = [entity]
        if reply_to_message_id is not None:
            replied = self._messages.get(chat_id, {}).get(reply_to_message_id)
            if replied is not None:
                raw["reply_to_message"] = self._raw_message(replied)
                msg.reply_to_message_id = reply_to_message_id
        return self._new_update("message", raw)

    def user_sends_sticker(
        self, chat_id: int, emoji: str = "👍", *, user_id: int | None = None, first_name: str = "Runner"
    ) -> JSON:
        """The user sends a sticker."""
        raw, msg = self._user_message(chat_id, user_id, first_name, self._chat_type(chat_id), "en", None)
        stored = self._store_file("sticker", None, "image/webp", b"RIFF\x00\x00\x00\x00WEBP", width=512, height=512)
        msg.sticker = stored
        raw["sticker"] = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
            "file_size": stored.size,
        }
        return self._new_update("message", raw)

    def user_sends_photo(
        self,
        chat_id: int,
        data: bytes = _TINY_PNG,
        *,
        caption: str | None = None,
        user_id: int | None = None,
        first_name: str = "Runner",
    ) -> JSON:
        """The user sends a photo (PNG/JPEG bytes; a 1x1 PNG by default)."""
        raw, msg = self._user_message(chat_id, user_id, first_name, self._chat_type(chat_id), "en", None)
        w, h = _image_size(data)
        stored = self._store_file("photo", None, "image/jpeg", data, width=w, height=h)
        msg.photo = stored
        raw["photo"] = [self._photo_size(stored)]
        if caption is not None:
            raw["caption"] = caption
            msg.caption = caption
        return self._new_update("message", raw)

    def user_edits_message(self, chat_id: int, message_id: int, text: str) -> JSON:
        """The user edits one of their earlier text messages; queues an ``edited_message`` update."""
        msg = self._messages.get(chat_id, {}).get(message_id)
        if msg is None or msg.from_bot:
            raise LookupError(f"no user message {message_id} in chat {chat_id}")
        msg.edits.append(msg.snapshot())
        msg.text = msg.raw_text = text
        msg.edit_date = int(time.time())
        raw = self._raw_message(msg)
        return self._new_update("edited_message", raw)

    def channel_post(self, chat_id: int, text: str, *, title: str = "RunBack channel") -> JSON:
        """A post in a channel the bot administers (negative ``chat_id``); queues ``channel_post``."""
        chat = self._chat(chat_id, "channel", title=title)
        mid = self._alloc_message_id(chat_id)
        msg = BotMessage(chat_id=chat_id, message_id=mid, date=int(time.time()), from_bot=False, method="user")
        msg.text = msg.raw_text = text
        msg.extra["sender_chat"] = dict(chat)
        self._messages.setdefault(chat_id, {})[mid] = msg
        return self._new_update("channel_post", self._raw_message(msg))

    def user_presses(
        self,
        chat_id: int,
        message_id: int,
        callback_data: str,
        *,
        user_id: int | None = None,
        first_name: str = "Runner",
        force: bool = False,
    ) -> JSON:
        """The user presses an inline button of the bot's message; queues a ``callback_query``.

        Raises :class:`LookupError` if the message does not exist or has no button with that
        ``callback_data`` (a user cannot press a button that is not there) unless ``force``.
        """
        msg = self._messages.get(chat_id, {}).get(message_id)
        if not force:
            if msg is None or msg.deleted:
                raise LookupError(f"no message {message_id} in chat {chat_id}")
            if not msg.from_bot:
                raise LookupError(f"message {message_id} in chat {chat_id} is not the bot's")
            if (msg.reply_markup or {}).get("inline_keyboard") is None or callback_data not in [
                data for _, data in msg.buttons
            ]:
                raise LookupError(
                    f"message {message_id} has no button with that callback_data "
                    f"(buttons: {[text for text, _ in msg.buttons]})"
                )
        if user_id is None:
            user_id = chat_id if chat_id > 0 else 424242
        qid = str(4_000_000_000_000 + next(self._callback_counter))
        self._callback_queries[qid] = _CallbackQuery(self.clock(), chat_id, message_id, callback_data)
        payload: JSON = {
            "id": qid,
            "from": self._user(user_id, first_name, "en"),
            "chat_instance": str(-abs(chat_id) * 7919 - 17),
            "data": callback_data,
        }
        if msg is not None and not msg.deleted:
            payload["message"] = self._raw_message(msg)
        else:
            chat = self._chats.get(chat_id, {"id": chat_id, "type": "private", "first_name": first_name})
            payload["message"] = {"chat": chat, "message_id": message_id, "date": 0}
        return self._new_update("callback_query", payload)

    def _chat_type(self, chat_id: int) -> Literal["private", "group", "supergroup"]:
        kind = self._chats.get(chat_id, {}).get("type", "private" if chat_id > 0 else "group")
        return cast("Literal['private', 'group', 'supergroup']", kind)

    # -------------------------------------------------------------------------------- inspection

    def messages(self, chat_id: int, *, include_user: bool = False, include_deleted: bool = False) -> list[BotMessage]:
        """Messages of a chat in order: the bot's by default, or the whole transcript."""
        return [
            m
            for _, m in sorted(self._messages.get(chat_id, {}).items())
            if (include_user or m.from_bot) and (include_deleted or not m.deleted)
        ]

    def last_message(self, chat_id: int) -> BotMessage | None:
        """The bot's latest (not deleted) message in the chat."""
        msgs = self.messages(chat_id)
        return msgs[-1] if msgs else None

    def message(self, chat_id: int, message_id: int) -> BotMessage:
        """One message by id (raises :class:`LookupError`)."""
        try:
            return self._messages[chat_id][message_id]
        except KeyError:
            raise LookupError(f"no message {message_id} in chat {chat_id}") from None

    @staticmethod
    def buttons(message: BotMessage | JSON | None) -> list[tuple[str, str | None]]:
        """``(text, callback_data)`` of a message's keyboard (a :class:`BotMessage` or markup dict)."""
        if message is None:
            return []
        if isinstance(message, BotMessage):
            return message.buttons
        return buttons_of(message.get("reply_markup", message))

    @property
    def commands(self) -> list[tuple[str, str]]:
        """``(command, description)`` set by ``setMyCommands`` for the default scope and language."""
        return [(c["command"], c["description"]) for c in self.commands_by_scope.get(("default", ""), [])]

    @property
    def pending_updates(self) -> list[JSON]:
        """Updates queued and not yet confirmed by the bot."""
        return list(self._updates)

    def known_chats(self) -> list[int]:
        return sorted(self._chats)

    def files(self) -> list[StoredFile]:
        """Every stored file (bot uploads and user media)."""
        return list(self._files.values())

    def sent_count(self, chat_id: int) -> int:
        """How many messages the bot successfully delivered to the chat."""
        return self.delivered[chat_id]

    def duplicate_texts(self, chat_id: int) -> list[str]:
        """Texts (or captions) the bot delivered more than once to the chat."""
        counts = collections.Counter(
            m.text if m.text is not None else (m.caption or "") for m in self.messages(chat_id, include_deleted=True)
        )
        return [text for text, n in counts.items() if n > 1]

    def calls(self, method: str) -> list[RecordedRequest]:
        """Recorded requests of one method (case-insensitive)."""
        return [r for r in self.requests if r.method.lower() == method.lower()]

    def add_listener(self, callback: Callable[[EmulatorEvent], None]) -> None:
        """Call ``callback`` for everything the bot does in a chat (used by the terminal demo)."""
        self._listeners.append(callback)

    def remove_listener(self, callback: Callable[[EmulatorEvent], None]) -> None:
        self._listeners.remove(callback)

    def _emit(self, event: EmulatorEvent) -> None:
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:
                logger.exception("emulator listener failed")

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
                raise TimeoutError(f"condition {what!r} not met within {timeout}s; {self._summary()}")
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
            user_ids = [m.message_id for m in self._messages.get(chat_id, {}).values() if not m.from_bot]
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
            return not self._updates and self._inflight == 0 and time.monotonic() - self._last_activity >= settle

        # reuse wait_for's polling and error message
        deadline = loop.time() + timeout
        while not idle():
            if loop.time() >= deadline:
                raise TimeoutError(
                    f"bot not idle within {timeout}s: {len(self._updates)} update(s) unconfirmed, "
                    f"{self._inflight} request(s) in flight; {self._summary()}"
                )
            await asyncio.sleep(0.005)

    def _summary(self) -> str:
        last = ", ".join(f"{r.method}->{r.status}" for r in self.requests[-8:] if r.method != "getUpdates")
        parts = [f"last requests (without getUpdates): [{last}]"]
        if self.validation_errors:
            parts.append(f"validation errors: {self.validation_errors[-3:]}")
        return "; ".join(parts)

    # ------------------------------------------------------------------------------------ faults

    def fail_next(
        self,
        method: str,
        kind: FaultKind,
        *,
        times: int = 1,
        retry_after: int = 1,
        chat_id: int | str | None = None,
        delay: float | None = None,
        apply: bool = False,
        description: str | None = None,
    ) -> None:
        """Make the next ``times`` calls of ``method`` (``"*"`` = any) fail.

        ``kind``: ``"429"`` Too Many Requests with ``retry_after``; ``"500"`` Internal Server
        Error; ``"502"`` Bad Gateway; ``"403"`` bot was blocked by the user; ``"400"`` a Bad
        Request (``description`` overrides the text); ``"timeout"`` holds the request for ``delay``
        seconds (default :attr:`fault_delay`) without blocking other requests, then answers
        ``504 Gateway Timeout`` — or, with ``apply=True``, performs the call (the message *is*
        delivered) and answers normally after the delay, the way a send that timed out on the
        client can still have reached the user.  ``chat_id`` restricts the fault to calls for
        that chat.  Faults apply after validation (an invalid request is still a 400).
        """
        self._faults.append(_Fault(method.lower(), kind, times, retry_after, chat_id, delay, apply, description))

    def clear_faults(self) -> None:
        self._faults.clear()

    def block(self, chat_id: int, *, notify: bool = True) -> None:
        """The user blocks the bot: every send/edit to the chat gets 403 until :meth:`unblock`.

        With ``notify`` a ``my_chat_member`` update (member -> kicked) is queued, as Telegram does.
        """
        self._blocked.add(chat_id)
        if notify and chat_id in self._chats:
            self._queue_my_chat_member(chat_id, "member", "kicked")

    def unblock(self, chat_id: int, *, notify: bool = True) -> None:
        """The user unblocks the bot (``my_chat_member`` kicked -> member with ``notify``)."""
        self._blocked.discard(chat_id)
        if notify and chat_id in self._chats:
            self._queue_my_chat_member(chat_id, "kicked", "member")

    def _queue_my_chat_member(self, chat_id: int, old: str, new: str) -> None:
        chat = self._chats[chat_id]
        user = {"id": chat_id, "is_bot": False, "first_name": chat.get("first_name", "Runner")}

        def member(status: str) -> JSON:
            out: JSON = {"status": status, "user": dict(self._bot_user)}
            if status == "kicked":
                out["until_date"] = 0
            return out

        self._new_update(
            "my_chat_member",
            {
                "chat": dict(chat),
                "from": user,
                "date": int(time.time()),
                "old_chat_member": member(old),
                "new_chat_member": member(new),
            },
        )

    def set_unreachable(self, unreachable: bool, *, mode: Literal["disconnect", "502"] = "disconnect") -> None:
        """Simulate Telegram being down.

        ``mode="disconnect"`` (default): every request's connection is closed without an answer
        (PTB raises ``NetworkError``), including long polls already waiting.  ``mode="502"``:
        every request is answered ``502 Bad Gateway``.  Requests are recorded with status 0 / 502.
        """
        self._unreachable = mode if unreachable else None
        if unreachable:
            self._wake()

    # ------------------------------------------------------------------------------- HTTP layer

    def _wake(self) -> None:
        self._wakeup.set()
        self._wakeup = asyncio.Event()

    async def _hold(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._closing.wait(), seconds)

    @staticmethod
    def _respond(body: JSON, status: int) -> web.Response:
        return web.json_response(body, status=status)

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        path = request.path
        if path.startswith("/file/bot"):
            return self._download(path.removeprefix("/file/bot"))
        if not path.startswith("/bot"):
            return self._respond({"ok": False, "error_code": 404, "description": "Not Found"}, 404)
        token, _, method = path.removeprefix("/bot").partition("/")
        if token != self._token:
            return self._respond({"ok": False, "error_code": 401, "description": "Unauthorized"}, 401)
        logger.debug("request %s", method)
        record = RecordedRequest(method=method, params={}, status=0, time=self.clock())
        self.requests.append(record)

        if self._unreachable is not None:
            return self._unreachable_answer(request, record)

        try:
            raw = await self._read_params(request)
        except _APIError as err:
            record.status, record.response = err.code, err.body()
            return self._respond(err.body(), err.code)

        canonical = self._spec.canonical_method_name(method)
        if canonical is None:
            problem = f"unknown method {method!r}"
            record.problems = [problem]
            record.params = dict(raw)
            (self.validation_errors if self.strict else self.validation_warnings).append(problem)
            body = {"ok": False, "error_code": 404, "description": "Not Found"}
            record.status, record.response = 404, body
            return self._respond(body, 404)
        record.method = canonical
        params = decode_params(canonical, raw, self._spec)
        record.params = params
        problems = validate(canonical, params, self._spec)
        if problems:
            record.problems = problems
            tagged = [f"{canonical}: {p}" for p in problems]
            if self.strict:
                self.validation_errors.extend(tagged)
                bad = _bad_request("; ".join(problems))
                record.status, record.response = bad.code, bad.body()
                return self._respond(bad.body(), bad.code)
            self.validation_warnings.extend(tagged)

        tracked = canonical != "getUpdates"
        if tracked:
            self._inflight += 1
        try:
            status, body = await self._execute(canonical, params, request)
        except Exception as exc:  # a bug in the emulator: answer like Telegram would, and say so
            logger.exception("emulator failed handling %s", canonical)
            self.validation_errors.append(f"{canonical}: internal emulator error {type(exc).__name__}")
            status, body = 500, {"ok": False, "error_code": 500, "description": "Internal Server Error"}
        finally:
            if tracked:
                self._inflight -= 1
                self._last_activity = time.monotonic()
        record.status, record.response = status, body
        if self._unreachable is not None:  # went down while the request was held
            return self._unreachable_answer(request, record)
        return self._respond(body, status)

    def _unreachable_answer(self, request: web.Request, record: RecordedRequest) -> web.StreamResponse:
        if self._unreachable == "502":
            body: JSON = {"ok": False, "error_code": 502, "description": "Bad Gateway"}
            record.status, record.response = 502, body
            return self._respond(body, 502)
        record.status = 0
        if request.transport is not None:
            request.transport.abort()
        raise asyncio.CancelledError()  # aiohttp drops a request whose handler is cancelled

    async def _read_params(self, request: web.Request) -> dict[str, Any]:
        raw: dict[str, Any] = {k: v for k, v in request.query.items()}
        if request.method != "POST" or not request.can_read_body:
            return raw
        ctype = request.content_type
        if ctype == "application/json":
            try:
                body = await request.json()
            except ValueError:
                raise _bad_request("can't parse JSON encoded request parameters") from None
            if not isinstance(body, dict):
                raise _bad_request("JSON object expected as request body")
            raw.update(body)
        elif ctype in ("application/x-www-form-urlencoded", "multipart/form-data"):
            form = await request.post()
            for key, value in form.items():
                if isinstance(value, web.FileField):
                    raw[key] = UploadedFile(key, value.filename, value.file.read(), value.content_type)
                else:
                    raw[key] = value if isinstance(value, str) else bytes(value).decode()
        return raw

    def _download(self, rest: str) -> web.Response:
        token, _, file_path = rest.partition("/")
        if token != self._token:
            return self._respond({"ok": False, "error_code": 401, "description": "Unauthorized"}, 401)
        for stored in self._files.values():
            if stored.file_path == file_path and stored.content is not None:
                return web.Response(body=stored.content, content_type=stored.mime_type or "application/octet-stream")
        return self._respond({"ok": False, "error_code": 404, "description": "Not Found"}, 404)

    def _take_fault(self, method: str, params: JSON) -> _Fault | None:
        for fault in self._faults:
            if fault.method not in ("*", method.lower()):
                continue
            if fault.chat_id is not None and params.get("chat_id") != fault.chat_id:
                continue
            fault.remaining -= 1
            if fault.remaining <= 0:
                self._faults.remove(fault)
            return fault
        return None

    async def _execute(self, method: str, params: JSON, request: web.Request) -> tuple[int, JSON]:
        fault = self._take_fault(method, params)
        if fault is not None:
            logger.debug("injecting fault %s into %s", fault.kind, method)
            if fault.kind == "timeout":
                if fault.apply:
                    status, body = await self._call(method, params)
                    await self._hold(fault.delay if fault.delay is not None else self.fault_delay)
                    return status, body
                await self._hold(fault.delay if fault.delay is not None else self.fault_delay)
                return 504, {"ok": False, "error_code": 504, "description": "Gateway Timeout"}
            return self._fault_error(fault).code, self._fault_error(fault).body()
        return await self._call(method, params)

    @staticmethod
    def _fault_error(fault: _Fault) -> _APIError:
        if fault.kind == "429":
            return _APIError(
                429,
                f"Too Many Requests: retry after {fault.retry_after}",
                {"retry_after": fault.retry_after},
            )
        if fault.kind == "500":
            return _APIError(500, fault.description or "Internal Server Error")
        if fault.kind == "502":
            return _APIError(502, fault.description or "Bad Gateway")
        if fault.kind == "403":
            return _APIError(403, fault.description or "Forbidden: bot was blocked by the user")
        return _APIError(400, fault.description or "Bad Request: injected fault")

    async def _call(self, method: str, params: JSON) -> tuple[int, JSON]:
        handler = getattr(self, f"_m_{method}", None)
        try:
            if handler is None:
                result = self._unimplemented(method)
            else:
                result = await cast("Callable[[JSON], Awaitable[Any]]", handler)(params)
        except _APIError as err:
            return err.code, err.body()
        return 200, {"ok": True, "result": result}

    def _unimplemented(self, method: str) -> Any:
        spec = self._spec.methods[method]
        if spec.returns == ("Boolean",):
            return True
        problem = f"{method}: method not implemented by the emulator"
        self.validation_errors.append(problem)
        raise _bad_request(problem)

    # -------------------------------------------------------------------------- helpers for API

    def _resolve_chat(self, chat_id: Any) -> int:
        if isinstance(chat_id, int) and chat_id in self._chats:
            return chat_id
        if isinstance(chat_id, str):
            name = chat_id.lstrip("@").lower()
            for cid, chat in self._chats.items():
                if str(chat.get("username", "")).lower() == name:
                    return cid
        raise _bad_request("chat not found")

    def _pre_send(self, method: str, chat_id: Any) -> int:
        cid = self._resolve_chat(chat_id)
        if cid in self._blocked and _touches_chat(method):
            raise _APIError(403, "Forbidden: bot was blocked by the user")
        if _is_send(method):
            self._check_rate(cid)
        return cid

    def _check_rate(self, chat_id: int) -> None:
        now = self.clock()
        for limit, window in (
            (self.rate_limit_per_s, self._sends),
            (self.per_chat_limit_per_s, self._chat_sends[chat_id]),
        ):
            if limit is None:
                continue
            while window and window[0] <= now - 1.0:
                window.popleft()
            if len(window) >= limit:
                retry = max(1, math.ceil(window[0] + 1.0 - now))
                raise _APIError(429, f"Too Many Requests: retry after {retry}", {"retry_after": retry})

    def _count_send(self, chat_id: int) -> None:
        now = self.clock()
        self._sends.append(now)
        self._chat_sends[chat_id].append(now)
        self.delivered[chat_id] += 1

    def _find_message(self, params: JSON, what: str) -> BotMessage:
        if "inline_message_id" in params:
            raise _bad_request(f"message to {what} not found")
        cid = self._resolve_chat(params.get("chat_id"))
        msg = self._messages.get(cid, {}).get(params.get("message_id", -1))
        if msg is None or msg.deleted:
            raise _bad_request(f"message to {what} not found")
        return msg

    def _raw_message(self, msg: BotMessage) -> JSON:
        raw: JSON = {"message_id": msg.message_id}
        if msg.from_bot:
            raw["from"] = dict(self._bot_user)
        elif "from" in msg.extra:
            raw["from"] = msg.extra["from"]
        if "sender_chat" in msg.extra:
            raw["sender_chat"] = msg.extra["sender_chat"]
        raw["chat"] = dict(self._chats.get(msg.chat_id, {"id": msg.chat_id, "type": "private"}))
        raw["date"] = msg.date
        if msg.edit_date is not None:
            raw["edit_date"] = msg.edit_date
        if msg.reply_to_message_id is not None:
            replied = self._messages.get(msg.chat_id, {}).get(msg.reply_to_message_id)
            if replied is not None and replied is not msg:
                inner = self._raw_message(replied)
                inner.pop("reply_to_message", None)
                raw["reply_to_message"] = inner
        if msg.text is not None:
            raw["text"] = msg.text
            if msg.entities:
                raw["entities"] = msg.entities
        if msg.document is not None:
            d = msg.document
            doc: JSON = {"file_id": d.file_id, "file_unique_id": d.file_unique_id}
            if d.filename:
                doc["file_name"] = d.filename
            if d.mime_type:
                doc["mime_type"] = d.mime_type
            if d.content is not None:
                doc["file_size"] = d.size
            raw["document"] = doc
        if msg.photo is not None:
            raw["photo"] = [self._photo_size(msg.photo)]
        if msg.sticker is not None:
            s = msg.sticker
            raw["sticker"] = {
                "file_id": s.file_id,
                "file_unique_id": s.file_unique_id,
                "type": "regular",
                "width": s.width or 512,
                "height": s.height or 512,
                "is_animated": False,
                "is_video": False,
            }
        if msg.caption is not None:
            raw["caption"] = msg.caption
            if msg.entities and msg.text is None:
                raw["caption_entities"] = msg.entities
        if msg.reply_markup and "inline_keyboard" in msg.reply_markup:
            raw["reply_markup"] = msg.reply_markup  # Telegram only echoes inline keyboards
        return raw

    @staticmethod
    def _photo_size(stored: StoredFile) -> JSON:
        out: JSON = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "width": stored.width or 800,
            "height": stored.height or 600,
        }
        if stored.content is not None:
            out["file_size"] = stored.size
        return out

    def _store_file(
        self,
        kind: str,
        filename: str | None,
        mime_type: str | None,
        content: bytes | None,
        *,
        url: str | None = None,
        width: int | None = None,
        height: int | None = None,
    ) -> StoredFile:
        n = next(self._file_counter)
        stored = StoredFile(
            file_id=f"EMU{kind[:3].upper()}{n:06d}-{self.bot_id}",
            file_unique_id=f"U{n:06d}",
            kind=kind,
            filename=filename,
            mime_type=mime_type,
            content=content,
            url=url,
            width=width,
            height=height,
        )
        self._files[stored.file_id] = stored
        return stored

    def _input_file(self, kind: str, value: Any) -> StoredFile:
        if isinstance(value, UploadedFile):
            width = height = None
            if kind == "photo":
                width, height = _image_size(value.content)
            return self._store_file(kind, value.filename, value.content_type, value.content, width=width, height=height)
        if isinstance(value, str):
            if value in self._files:
                return self._files[value]
            if value.startswith(("http://", "https://")):
                return self._store_file(kind, value.rsplit("/", 1)[-1] or None, None, None, url=value)
        raise _bad_request("wrong file identifier/HTTP URL specified")

    def _parsed(self, text: str, params: JSON, entities_key: str) -> tuple[str, list[JSON]]:
        if entities_key in params:
            return text, list(params[entities_key])
        mode = params.get("parse_mode")
        try:
            parsed = parse_text(text, mode if isinstance(mode, str) else None)
        except EntityParseError as exc:
            raise _bad_request(f"can't parse entities: {exc}") from None
        return parsed.text, parsed.entities

    def _deliver(self, method: str, cid: int, params: JSON, **content: Any) -> JSON:
        mid = self._alloc_message_id(cid)
        msg = BotMessage(chat_id=cid, message_id=mid, date=int(time.time()), from_bot=True, method=method, **content)
        markup = params.get("reply_markup")
        msg.reply_markup = dict(markup) if isinstance(markup, dict) else None
        msg.parse_mode = params.get("parse_mode")
        reply = params.get("reply_parameters")
        if isinstance(reply, dict):
            target = reply.get("message_id")
            if target not in self._messages.get(cid, {}) and not reply.get("allow_sending_without_reply"):
                raise _bad_request("message to be replied not found")
            msg.reply_to_message_id = target if target in self._messages.get(cid, {}) else None
        self._messages.setdefault(cid, {})[mid] = msg
        self._count_send(cid)
        self._emit(EmulatorEvent("message", cid, message=msg))
        return self._raw_message(msg)

    # ------------------------------------------------------------------------------ API methods

    async def _m_getMe(self, params: JSON) -> JSON:
        return {
            **self._bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _m_logOut(self, params: JSON) -> bool:
        return True

    async def _m_close(self, params: JSON) -> bool:
        return True

    async def _m_setWebhook(self, params: JSON) -> bool:
        self.webhook_url = str(params.get("url", ""))
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    async def _m_deleteWebhook(self, params: JSON) -> bool:
        self.webhook_url = ""
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    async def _m_getWebhookInfo(self, params: JSON) -> JSON:
        info: JSON = {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        if self._allowed_updates is not None:
            info["allowed_updates"] = list(self._allowed_updates)
        return info

    def _allowed(self, update: JSON) -> bool:
        kind = next((k for k in update if k != "update_id"), "")
        if not self._allowed_updates:
            return kind not in _DEFAULT_EXCLUDED_UPDATES
        return kind in self._allowed_updates

    def _confirm(self, offset: int) -> None:
        if offset > 0:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
            self._highest_confirmed = max(self._highest_confirmed, offset - 1)
        elif offset < 0:
            self._updates = self._updates[offset:]

    async def _m_getUpdates(self, params: JSON) -> list[JSON]:
        if self.webhook_url:
            raise _APIError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        if "allowed_updates" in params:
            self._allowed_updates = list(params["allowed_updates"])
        offset = params.get("offset")
        if isinstance(offset, int):
            self._confirm(offset)
        limit = max(1, min(100, int(params.get("limit", 100))))
        timeout = max(0, int(params.get("timeout", 0)))

        self._poll_generation += 1
        generation = self._poll_generation
        self._wake()  # an earlier long poll still waiting is terminated (409) like on Telegram

        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            self._updates = [u for u in self._updates if self._allowed(u)]
            if self._updates:
                batch = self._updates[:limit]
                self._highest_delivered = max(self._highest_delivered, batch[-1]["update_id"])
                return batch
            remaining = deadline - loop.time()
            if remaining <= 0 or self._closing.is_set() or self._unreachable is not None:
                return []
            wakeup = self._wakeup
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(wakeup.wait(), remaining)
            if self._poll_generation != generation:
                raise _APIError(
                    409,
                    "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
                )

    async def _m_setMyCommands(self, params: JSON) -> bool:
        key = self._commands_key(params)
        self.commands_by_scope[key] = [dict(c) for c in params["commands"]]
        return True

    async def _m_getMyCommands(self, params: JSON) -> list[JSON]:
        return self.commands_by_scope.get(self._commands_key(params), [])

    async def _m_deleteMyCommands(self, params: JSON) -> bool:
        self.commands_by_scope.pop(self._commands_key(params), None)
        return True

    @staticmethod
    def _commands_key(params: JSON) -> tuple[str, str]:
        scope = params.get("scope") or {"type": "default"}
        scope_key = scope["type"] if len(scope) == 1 else json.dumps(scope, sort_keys=True)
        return scope_key, str(params.get("language_code", ""))

    async def _m_sendMessage(self, params: JSON) -> JSON:
        cid = self._pre_send("sendMessage", params["chat_id"])
        text, entities = self._parsed(params["text"], params, "entities")
        return self._deliver("sendMessage", cid, params, text=text, raw_text=params["text"], entities=entities)

    async def _m_sendDocument(self, params: JSON) -> JSON:
        cid = self._pre_send("sendDocument", params["chat_id"])
        stored = self._input_file("document", params["document"])
        caption, entities = self._caption(params)
        return self._deliver("sendDocument", cid, params, document=stored, caption=caption, entities=entities)

    async def _m_sendPhoto(self, params: JSON) -> JSON:
        cid = self._pre_send("sendPhoto", params["chat_id"])
        stored = self._input_file("photo", params["photo"])
        caption, entities = self._caption(params)
        return self._deliver("sendPhoto", cid, params, photo=stored, caption=caption, entities=entities)

    def _caption(self, params: JSON) -> tuple[str | None, list[JSON]]:
        if "caption" not in params:
            return None, []
        return self._parsed(params["caption"], params, "caption_entities")

    async def _m_sendChatAction(self, params: JSON) -> bool:
        cid = self._pre_send("sendChatAction", params["chat_id"])
        self.chat_actions.append((cid, params["action"]))
        self._emit(EmulatorEvent("chat_action", cid, action=params["action"]))
        return True

    async def _m_getChat(self, params: JSON) -> JSON:
        cid = self._resolve_chat(params["chat_id"])
        return {
            **self._chats[cid],
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }

    async def _m_getFile(self, params: JSON) -> JSON:
        stored = self._files.get(params["file_id"])
        if stored is None:
            raise _bad_request("invalid file_id")
        out: JSON = {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id}
        if stored.content is not None:
            out["file_size"] = stored.size
            out["file_path"] = stored.file_path
        return out

    def _check_editable(self, msg: BotMessage, method: str) -> None:
        if not msg.from_bot:
            raise _bad_request("message can't be edited")
        if msg.chat_id in self._blocked:
            raise _APIError(403, "Forbidden: bot was blocked by the user")
        del method

    def _apply_edit(self, msg: BotMessage, **changes: Any) -> JSON:
        version = msg.snapshot()
        new_markup = changes.get("reply_markup", msg.reply_markup)
        unchanged = all(getattr(msg, k) == v for k, v in changes.items() if k != "reply_markup") and (
            new_markup == msg.reply_markup
        )
        if unchanged:
            raise _bad_request(
                "message is not modified: specified new message content and reply markup are exactly the "
                "same as a current content and reply markup of the message"
            )
        for key, value in changes.items():
            setattr(msg, key, value)
        msg.edit_date = int(time.time())
        msg.edits.append(version)
        self._emit(EmulatorEvent("edit", msg.chat_id, message=msg))
        return self._raw_message(msg)

    async def _m_editMessageText(self, params: JSON) -> JSON:
        msg = self._find_message(params, "edit")
        self._check_editable(msg, "editMessageText")
        if msg.text is None:
            raise _bad_request("there is no text in the message to edit")
        text, entities = self._parsed(params["text"], params, "entities")
        markup = params.get("reply_markup")  # no reply_markup = the inline keyboard is removed
        return self._apply_edit(
            msg,
            text=text,
            raw_text=params["text"],
            entities=entities,
            reply_markup=dict(markup) if isinstance(markup, dict) else None,
        )

    async def _m_editMessageCaption(self, params: JSON) -> JSON:
        msg = self._find_message(params, "edit")
        self._check_editable(msg, "editMessageCaption")
        if msg.document is None and msg.photo is None:
            raise _bad_request("there is no caption in the message to edit")
        caption, entities = self._caption(params)
        markup = params.get("reply_markup")
        return self._apply_edit(
            msg,
            caption=caption,
            entities=entities,
            reply_markup=dict(markup) if isinstance(markup, dict) else None,
        )

    async def _m_editMessageReplyMarkup(self, params: JSON) -> JSON:
        msg = self._find_message(params, "edit")
        self._check_editable(msg, "editMessageReplyMarkup")
        markup = params.get("reply_markup")
        return self._apply_edit(msg, reply_markup=dict(markup) if isinstance(markup, dict) else None)

    async def _m_deleteMessage(self, params: JSON) -> bool:
        msg = self._find_message(params, "delete")
        msg.deleted = True
        self._emit(EmulatorEvent("delete", msg.chat_id, message=msg))
        return True

    async def _m_answerCallbackQuery(self, params: JSON) -> bool:
        qid = params["callback_query_id"]
        query = self._callback_queries.get(qid)
        if query is None or query.answered or self.clock() - query.created > _CALLBACK_QUERY_MAX_AGE_S:
            raise _bad_request("query is too old and response timeout expired or query ID is invalid")
        query.answered = True
        answer = CallbackAnswer(
            callback_query_id=qid,
            chat_id=query.chat_id,
            message_id=query.message_id,
            data=query.data,
            text=params.get("text"),
            show_alert=bool(params.get("show_alert", False)),
            url=params.get("url"),
            cache_time=params.get("cache_time"),
        )
        self.callback_answers.append(answer)
        self._emit(EmulatorEvent("callback_answer", query.chat_id, callback_answer=answer))
        return True
