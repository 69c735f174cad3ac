"""What Telegram's servers remember for one bot: chats, their messages, files and open callback queries,
and how a stored message reads as Bot API JSON."""

from __future__ import annotations

import dataclasses
import itertools
import struct
from typing import Any, Literal, cast

from emulator.errors import JSON, bad_request
from emulator.models import BotMessage, StoredFile
from emulator.spec import UploadedFile

__all__ = ["CallbackQuery", "ChatType", "TelegramState", "image_size", "photo_size", "raw_document"]

ChatType = Literal["private", "group", "supergroup"]


@dataclasses.dataclass
class CallbackQuery:
    """A button tap the bot has yet to answer (``answerCallbackQuery``)."""

    created: float
    chat_id: int | None
    message_id: int | None
    data: str | None
    answered: bool = False


def image_size(data: bytes) -> tuple[int, int]:
    """Width and height of a PNG or JPEG, else a plausible default."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    if data[:2] == b"\xff\xd8":
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                break
            marker = data[i + 1]
            length = int.from_bytes(data[i + 2 : i + 4], "big")
            if marker in (0xC0, 0xC1, 0xC2):
                height, width = struct.unpack(">HH", data[i + 5 : i + 9])
                return int(width), int(height)
            i += 2 + length
    return 800, 600


class TelegramState:
    """Chats, messages (the user's and the bot's), files, blocked chats and callback queries."""

    def __init__(self, bot_user: JSON) -> None:
        self.bot_user = bot_user
        self.chats: dict[int, JSON] = {}
        self.blocked: set[int] = set()
        self.files: dict[str, StoredFile] = {}
        self.callback_queries: dict[str, CallbackQuery] = {}
        self._messages: dict[int, dict[int, BotMessage]] = {}
        self._next_message_id: dict[int, int] = {}
        self._file_counter = itertools.count(1)
        self._callback_counter = itertools.count(1)

    # ----------------------------------------------------------------------------------- chats

    def register_chat(
        self, chat_id: int, chat_type: str, *, first_name: str = "Runner", title: str | None = None
    ) -> JSON:
        """The chat exists (the user started it, or the bot is in the group): the bot may send to it."""
        if chat_type == "private":
            if chat_id <= 0:
                raise ValueError("private chats have positive ids (the user's id)")
            chat: JSON = {"id": chat_id, "type": "private", "first_name": first_name}
        else:
            if chat_id >= 0:
                raise ValueError(f"{chat_type} chats have negative ids")
            chat = {"id": chat_id, "type": chat_type, "title": title or f"Test {chat_type}"}
        self.chats[chat_id] = chat
        return chat

    def chat_type(self, chat_id: int) -> ChatType:
        kind = self.chats.get(chat_id, {}).get("type", "private" if chat_id > 0 else "group")
        return cast("ChatType", kind)

    def resolve_chat(self, chat_id: Any) -> int:
        """A method's ``chat_id`` (an id or ``@username``) as a known chat's id, else 400 chat not found."""
        if isinstance(chat_id, int) and chat_id in self.chats:
            return chat_id
        if isinstance(chat_id, str):
            name = chat_id.lstrip("@").lower()
            for cid, chat in self.chats.items():
                if str(chat.get("username", "")).lower() == name:
                    return cid
        raise bad_request("chat not found")

    # -------------------------------------------------------------------------------- messages

    def next_message_id(self, chat_id: int) -> int:
        """Message ids count up per chat, shared by the user's and the bot's messages."""
        message_id = self._next_message_id.get(chat_id, 1)
        self._next_message_id[chat_id] = message_id + 1
        return message_id

    def add_message(self, message: BotMessage) -> None:
        self._messages.setdefault(message.chat_id, {})[message.message_id] = message

    def get_message(self, chat_id: int, message_id: int) -> BotMessage | None:
        return self._messages.get(chat_id, {}).get(message_id)

    def has_message(self, chat_id: int, message_id: Any) -> bool:
        return message_id in self._messages.get(chat_id, {})

    def chat_messages(self, chat_id: int) -> list[BotMessage]:
        """Every message of the chat, deleted ones too, by message id."""
        return [message for _, message in sorted(self._messages.get(chat_id, {}).items())]

    def find_message(self, params: JSON, what: str) -> BotMessage:
        """The live message an edit or delete names by ``chat_id`` and ``message_id``, else 400."""
        if "inline_message_id" in params:
            raise bad_request(f"message to {what} not found")
        cid = self.resolve_chat(params.get("chat_id"))
        message = self.get_message(cid, params.get("message_id", -1))
        if message is None or message.deleted:
            raise bad_request(f"message to {what} not found")
        return message

    # --------------------------------------------------------------------------- callback queries

    def open_callback_query(self, created: float, chat_id: int, message_id: int, data: str) -> str:
        """A tap's query, open until the bot answers it; returns its id."""
        query_id = str(4_000_000_000_000 + next(self._callback_counter))
        self.callback_queries[query_id] = CallbackQuery(created, chat_id, message_id, data)
        return query_id

    # ----------------------------------------------------------------------------------- files

    def store_file(
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
        number = next(self._file_counter)
        bot_id = self.bot_user["id"]
        stored = StoredFile(
            file_id=f"EMU{kind[:3].upper()}{number:06d}-{bot_id}",
            file_unique_id=f"U{number:06d}",
            kind=kind,
            filename=filename,
            mime_type=mime_type,
            content=content,
            url=url,
            width=width,
            height=height,
        )
        self.files[stored.file_id] = stored
        return stored

    def input_file(self, kind: str, value: Any) -> StoredFile:
        """A file the bot sends: an upload, a ``file_id`` already stored, or an HTTP URL."""
        if isinstance(value, UploadedFile):
            width = height = None
            if kind == "photo":
                width, height = image_size(value.content)
            return self.store_file(kind, value.filename, value.content_type, value.content, width=width, height=height)
        if isinstance(value, str):
            if value in self.files:
                return self.files[value]
            if value.startswith(("http://", "https://")):
                return self.store_file(kind, value.rsplit("/", 1)[-1] or None, None, None, url=value)
        raise bad_request("wrong file identifier/HTTP URL specified")

    # ------------------------------------------------------------------------- as Bot API JSON

    def raw_message(self, message: BotMessage) -> JSON:
        """The Bot API ``Message`` object of a stored message."""
        raw: JSON = {"message_id": message.message_id}
        if message.from_bot:
            raw["from"] = dict(self.bot_user)
        elif "from" in message.extra:
            raw["from"] = message.extra["from"]
        if "sender_chat" in message.extra:
            raw["sender_chat"] = message.extra["sender_chat"]
        raw["chat"] = dict(self.chats.get(message.chat_id, {"id": message.chat_id, "type": "private"}))
        raw["date"] = message.date
        if message.edit_date is not None:
            raw["edit_date"] = message.edit_date
        if message.reply_to_message_id is not None:
            replied = self.get_message(message.chat_id, message.reply_to_message_id)
            if replied is not None and replied is not message:
                inner = self.raw_message(replied)
                inner.pop("reply_to_message", None)
                raw["reply_to_message"] = inner
        raw.update(self._raw_content(message))
        if message.reply_markup and "inline_keyboard" in message.reply_markup:
            raw["reply_markup"] = message.reply_markup  # Telegram only echoes inline keyboards
        return raw

    def _raw_content(self, message: BotMessage) -> JSON:
        raw: JSON = {}
        if message.text is not None:
            raw["text"] = message.text
            if message.entities:
                raw["entities"] = message.entities
        if message.document is not None:
            raw["document"] = raw_document(message.document)
        if message.photo is not None:
            raw["photo"] = [photo_size(message.photo)]
        if message.sticker is not None:
            raw["sticker"] = _raw_sticker(message.sticker)
        if message.caption is not None:
            raw["caption"] = message.caption
            if message.entities and message.text is None:
                raw["caption_entities"] = message.entities
        return raw


def photo_size(stored: StoredFile) -> JSON:
    """The Bot API ``PhotoSize`` of a stored photo."""
    out: JSON = {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "width": stored.width or 800,
        "height": stored.height or 600,
    }
    if stored.content is not None:
        out["file_size"] = stored.size
    return out


def raw_document(document: StoredFile) -> JSON:
    """The Bot API ``Document`` of a stored file."""
    raw: JSON = {"file_id": document.file_id, "file_unique_id": document.file_unique_id}
    if document.filename:
        raw["file_name"] = document.filename
    if document.mime_type:
        raw["mime_type"] = document.mime_type
    if document.content is not None:
        raw["file_size"] = document.size
    return raw


def _raw_sticker(sticker: StoredFile) -> JSON:
    return {
        "file_id": sticker.file_id,
        "file_unique_id": sticker.file_unique_id,
        "type": "regular",
        "width": sticker.width or 512,
        "height": sticker.height or 512,
        "is_animated": False,
        "is_video": False,
    }
