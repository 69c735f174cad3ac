"""Records the emulator keeps: requests, messages, files, callback answers, events."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = [
    "MAX_DOWNLOAD_BYTES",
    "BotMessage",
    "CallbackAnswer",
    "EmulatorEvent",
    "MessageVersion",
    "RecordedRequest",
    "StoredFile",
    "buttons_of",
]

JSON = dict[str, Any]

# The largest file a bot may download through the cloud Bot API ("up to 20MB in size", getFile).
MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024


@dataclass
class RecordedRequest:
    """One request the bot made.

    ``status`` is the HTTP status answered (0 while unanswered, e.g. a long poll still waiting, or
    when the connection was dropped on purpose by :meth:`BotAPIEmulator.set_unreachable`);
    ``problems`` the validation problems found (empty for a valid request); ``time`` the
    emulator's clock when the request arrived.
    """

    method: str
    params: JSON
    status: int
    time: float
    response: JSON | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status == 200


@dataclass
class StoredFile:
    """A file the bot uploaded (or a user sent), kept so tests can inspect it and bots fetch it."""

    file_id: str
    file_unique_id: str
    kind: str  # "document", "photo", "sticker", ...
    filename: str | None
    mime_type: str | None
    content: bytes | None  # None for a file sent by URL
    url: str | None = None
    width: int | None = None
    height: int | None = None

    @property
    def size(self) -> int:
        return len(self.content) if self.content is not None else 0

    @property
    def file_path(self) -> str:
        """Where getFile says the file is; like Telegram's ("documents/file_3.gpx"), it keeps the extension."""
        suffix = ""
        if self.filename and "." in self.filename:
            extension = self.filename.rsplit(".", 1)[1]
            if extension.isascii() and extension.isalnum():
                suffix = "." + extension.lower()
        return f"{self.kind}s/{self.file_unique_id}{suffix}"

    def __repr__(self) -> str:
        return f"StoredFile({self.file_id!r}, {self.kind!r}, {self.filename!r}, {self.size} bytes)"


@dataclass
class MessageVersion:
    """The content of a message before one of its edits."""

    text: str | None
    caption: str | None
    entities: list[JSON]
    reply_markup: JSON | None
    edit_date: int | None


def buttons_of(reply_markup: JSON | None) -> list[tuple[str, str | None]]:
    """``(text, callback_data)`` of every button of an inline or reply keyboard, row by row."""
    if not reply_markup:
        return []
    rows = reply_markup.get("inline_keyboard") or reply_markup.get("keyboard") or []
    out: list[tuple[str, str | None]] = []
    for row in rows:
        for button in row:
            if isinstance(button, str):
                out.append((button, None))
            else:
                out.append((str(button.get("text", "")), button.get("callback_data")))
    return out


@dataclass
class BotMessage:
    """A message in a chat, as the emulator stores it (``from_bot`` tells whose it is).

    ``text`` is the text after entity parsing (what the user sees); ``raw_text`` what the bot sent
    (with HTML/Markdown markup).  ``reply_markup`` is whatever keyboard the bot attached (inline or
    reply keyboard).  ``edits`` holds previous versions, oldest first.
    """

    chat_id: int
    message_id: int
    date: int
    from_bot: bool
    method: str
    text: str | None = None
    raw_text: str | None = None
    parse_mode: str | None = None
    entities: list[JSON] = field(default_factory=list)
    caption: str | None = None
    reply_markup: JSON | None = None
    document: StoredFile | None = None
    photo: StoredFile | None = None
    sticker: StoredFile | None = None
    reply_to_message_id: int | None = None
    edit_date: int | None = None
    edits: list[MessageVersion] = field(default_factory=list)
    deleted: bool = False
    extra: JSON = field(default_factory=dict)  # other fields of the raw message (e.g. "from")

    @property
    def buttons(self) -> list[tuple[str, str | None]]:
        """``(text, callback_data)`` for each button of the message's keyboard."""
        return buttons_of(self.reply_markup)

    def snapshot(self) -> MessageVersion:
        return MessageVersion(
            self.text,
            self.caption,
            copy.deepcopy(self.entities),
            copy.deepcopy(self.reply_markup),
            self.edit_date,
        )


@dataclass
class CallbackAnswer:
    """An ``answerCallbackQuery`` call, with the query it answered."""

    callback_query_id: str
    chat_id: int | None
    message_id: int | None
    data: str | None
    text: str | None = None
    show_alert: bool = False
    url: str | None = None
    cache_time: int | None = None


@dataclass
class EmulatorEvent:
    """Something the bot did that a person watching the chat would see (for the terminal demo)."""

    kind: Literal["message", "edit", "delete", "callback_answer", "chat_action"]
    chat_id: int | None
    message: BotMessage | None = None
    callback_answer: CallbackAnswer | None = None
    action: str | None = None
