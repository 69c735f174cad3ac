"""The people on the other side of the chat, driven by a test or the demo: they send texts, stickers,
photos and documents, edit what they sent, tap the bot's buttons, block and unblock the bot. Each act queues the update
Telegram would send the bot."""

from __future__ import annotations

import time
from collections.abc import Callable

from emulator.errors import JSON
from emulator.models import BotMessage
from emulator.state import ChatType, TelegramState, image_size, photo_size, raw_document
from emulator.updates import UpdateQueue

__all__ = ["TINY_PNG", "UserSide"]

TINY_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a0d40000000049454e44ae426082"
)
_GROUP_MEMBER_ID = 424242  # the user who speaks in a group when a test names none


def _user(user_id: int, first_name: str, language_code: str | None) -> JSON:
    user: JSON = {"id": user_id, "is_bot": False, "first_name": first_name}
    if language_code:
        user["language_code"] = language_code
    return user


class UserSide:
    """What users do, turned into updates for the bot."""

    def __init__(self, state: TelegramState, updates: UpdateQueue, clock: Callable[[], float]) -> None:
        self._state = state
        self._updates = updates
        self._clock = clock

    def _user_message(
        self,
        chat_id: int,
        user_id: int | None,
        first_name: str,
        chat_type: str,
        language_code: str | None,
        title: str | None,
    ) -> tuple[JSON, BotMessage]:
        """A new message of the user in the chat (which this starts): its raw update part and its record."""
        if user_id is None:
            user_id = chat_id if chat_type == "private" else _GROUP_MEMBER_ID
        chat = self._state.register_chat(chat_id, chat_type, first_name=first_name, title=title)
        message_id = self._state.next_message_id(chat_id)
        raw: JSON = {
            "message_id": message_id,
            "from": _user(user_id, first_name, language_code),
            "chat": dict(chat),
            "date": int(time.time()),
        }
        message = BotMessage(chat_id=chat_id, message_id=message_id, date=raw["date"], from_bot=False, method="user")
        message.extra["from"] = raw["from"]
        self._state.add_message(message)
        return raw, message

    def sends(
        self,
        chat_id: int,
        text: str,
        *,
        user_id: int | None = None,
        first_name: str = "Runner",
        chat_type: ChatType = "private",
        language_code: str | None = "en",
        title: str | None = None,
        reply_to_message_id: int | None = None,
    ) -> JSON:
        """The user sends ``text``; queues a ``message`` update and returns it.

        Also "starts" the chat, so the bot may send to it.  A text starting with ``/`` gets a
        ``bot_command`` entity.  ``chat_type`` ``"group"``/``"supergroup"`` need a negative
        ``chat_id`` (and ``user_id`` defaults to 424242 there; in private chats to ``chat_id``).
        """
        raw, message = self._user_message(chat_id, user_id, first_name, chat_type, language_code, title)
        raw["text"] = text
        message.text = message.raw_text = text
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0] if text.strip() else text
            entity = {"type": "bot_command", "offset": 0, "length": len(command.encode("utf-16-le")) // 2}
            raw["entities"] = [entity]
            message.entities = [entity]
        if reply_to_message_id is not None:
            replied = self._state.get_message(chat_id, reply_to_message_id)
            if replied is not None:
                raw["reply_to_message"] = self._state.raw_message(replied)
                message.reply_to_message_id = reply_to_message_id
        return self._updates.add("message", raw)

    def sends_sticker(
        self, chat_id: int, emoji: str = "👍", *, user_id: int | None = None, first_name: str = "Runner"
    ) -> JSON:
        """The user sends a sticker."""
        chat_type = self._state.chat_type(chat_id)
        raw, message = self._user_message(chat_id, user_id, first_name, chat_type, "en", None)
        stored = self._state.store_file(
            "sticker", None, "image/webp", b"RIFF\x00\x00\x00\x00WEBP", width=512, height=512
        )
        message.sticker = stored
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
        return self._updates.add("message", raw)

    def sends_photo(
        self,
        chat_id: int,
        data: bytes = TINY_PNG,
        *,
        caption: str | None = None,
        user_id: int | None = None,
        first_name: str = "Runner",
    ) -> JSON:
        """The user sends a photo (PNG/JPEG bytes; a 1x1 PNG by default)."""
        chat_type = self._state.chat_type(chat_id)
        raw, message = self._user_message(chat_id, user_id, first_name, chat_type, "en", None)
        width, height = image_size(data)
        stored = self._state.store_file("photo", None, "image/jpeg", data, width=width, height=height)
        message.photo = stored
        raw["photo"] = [photo_size(stored)]
        if caption is not None:
            raw["caption"] = caption
            message.caption = caption
        return self._updates.add("message", raw)

    def sends_document(
        self,
        chat_id: int,
        data: bytes,
        file_name: str,
        *,
        mime_type: str | None = "application/octet-stream",
        caption: str | None = None,
        user_id: int | None = None,
        first_name: str = "Runner",
    ) -> JSON:
        """The user sends a file as a document (e.g. a watch's GPX); the bot fetches it with getFile.

        The update's ``document`` has ``file_id``, ``file_unique_id``, ``file_name``, ``mime_type`` and
        ``file_size``, as Telegram's.  A file over 20 MB arrives too, but getFile refuses it.
        """
        chat_type = self._state.chat_type(chat_id)
        raw, message = self._user_message(chat_id, user_id, first_name, chat_type, "en", None)
        stored = self._state.store_file("document", file_name, mime_type, bytes(data))
        message.document = stored
        raw["document"] = raw_document(stored)
        if caption is not None:
            raw["caption"] = caption
            message.caption = caption
        return self._updates.add("message", raw)

    def edits_message(self, chat_id: int, message_id: int, text: str) -> JSON:
        """The user edits one of their earlier text messages; queues an ``edited_message`` update."""
        message = self._state.get_message(chat_id, message_id)
        if message is None or message.from_bot:
            raise LookupError(f"no user message {message_id} in chat {chat_id}")
        message.edits.append(message.snapshot())
        message.text = message.raw_text = text
        message.edit_date = int(time.time())
        return self._updates.add("edited_message", self._state.raw_message(message))

    def channel_post(self, chat_id: int, text: str, *, title: str = "RunBack channel") -> JSON:
        """A post in a channel the bot administers (negative ``chat_id``); queues ``channel_post``."""
        chat = self._state.register_chat(chat_id, "channel", title=title)
        message_id = self._state.next_message_id(chat_id)
        message = BotMessage(
            chat_id=chat_id, message_id=message_id, date=int(time.time()), from_bot=False, method="user"
        )
        message.text = message.raw_text = text
        message.extra["sender_chat"] = dict(chat)
        self._state.add_message(message)
        return self._updates.add("channel_post", self._state.raw_message(message))

    def presses(
        self,
        chat_id: int,
        message_id: int,
        callback_data: str,
        *,
        user_id: int | None = None,
        first_name: str = "Runner",
        force: bool = False,
        language_code: str | None = "en",
    ) -> JSON:
        """The user presses an inline button of the bot's message; queues a ``callback_query``
        (``language_code``: the user's, as Telegram reports it on every update).

        Raises :class:`LookupError` if the message does not exist or has no button with that
        ``callback_data`` (a user cannot press a button that is not there) unless ``force``.
        """
        message = self._state.get_message(chat_id, message_id)
        if not force:
            _check_pressable(message, chat_id, message_id, callback_data)
        if user_id is None:
            user_id = chat_id if chat_id > 0 else _GROUP_MEMBER_ID
        query_id = self._state.open_callback_query(self._clock(), chat_id, message_id, callback_data)
        payload: JSON = {
            "id": query_id,
            "from": _user(user_id, first_name, language_code),
            "chat_instance": str(-abs(chat_id) * 7919 - 17),
            "data": callback_data,
        }
        if message is not None and not message.deleted:
            payload["message"] = self._state.raw_message(message)
        else:  # a forged tap on a message that is gone: Telegram still names the chat
            chat = self._state.chats.get(chat_id, {"id": chat_id, "type": "private", "first_name": first_name})
            payload["message"] = {"chat": chat, "message_id": message_id, "date": 0}
        return self._updates.add("callback_query", payload)

    def block(self, chat_id: int, *, notify: bool = True) -> None:
        """The user blocks the bot: every send/edit to the chat gets 403 until :meth:`unblock`.

        With ``notify`` a ``my_chat_member`` update (member -> kicked) is queued, as Telegram does.
        """
        self._state.blocked.add(chat_id)
        if notify and chat_id in self._state.chats:
            self._queue_my_chat_member(chat_id, "member", "kicked")

    def unblock(self, chat_id: int, *, notify: bool = True) -> None:
        """The user unblocks the bot (``my_chat_member`` kicked -> member with ``notify``)."""
        self._state.blocked.discard(chat_id)
        if notify and chat_id in self._state.chats:
            self._queue_my_chat_member(chat_id, "kicked", "member")

    def _queue_my_chat_member(self, chat_id: int, old: str, new: str) -> None:
        chat = self._state.chats[chat_id]
        user = {"id": chat_id, "is_bot": False, "first_name": chat.get("first_name", "Runner")}

        def member(status: str) -> JSON:
            out: JSON = {"status": status, "user": dict(self._state.bot_user)}
            if status == "kicked":
                out["until_date"] = 0
            return out

        self._updates.add(
            "my_chat_member",
            {
                "chat": dict(chat),
                "from": user,
                "date": int(time.time()),
                "old_chat_member": member(old),
                "new_chat_member": member(new),
            },
        )


def _check_pressable(message: BotMessage | None, chat_id: int, message_id: int, callback_data: str) -> None:
    """A user can only press a button that is there, on a live message of the bot's."""
    if message is None or message.deleted:
        raise LookupError(f"no message {message_id} in chat {chat_id}")
    if not message.from_bot:
        raise LookupError(f"message {message_id} in chat {chat_id} is not the bot's")
    if (message.reply_markup or {}).get("inline_keyboard") is None or callback_data not in [
        data for _, data in message.buttons
    ]:
        raise LookupError(
            f"message {message_id} has no button with that callback_data "
            f"(buttons: {[text for text, _ in message.buttons]})"
        )
