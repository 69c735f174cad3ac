"""The Bot API methods that put messages in a chat, change them or take them away."""

from __future__ import annotations

import time
from typing import Any

from emulator.errors import JSON, bad_request, blocked
from emulator.faults import RateLimits
from emulator.formatting import EntityParseError, parse_text
from emulator.journal import Journal
from emulator.models import BotMessage, EmulatorEvent
from emulator.state import TelegramState

__all__ = ["MessageMethods", "is_send"]


def is_send(method: str) -> bool:
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


def _markup(params: JSON) -> JSON | None:
    markup = params.get("reply_markup")
    return dict(markup) if isinstance(markup, dict) else None


class MessageMethods:
    """``send*``, ``editMessage*`` and ``deleteMessage`` over the chats' state."""

    def __init__(self, state: TelegramState, journal: Journal, limits: RateLimits) -> None:
        self._state = state
        self._journal = journal
        self._limits = limits

    # ----------------------------------------------------------------------------------- sending

    async def send_message(self, params: JSON) -> JSON:
        cid = self._pre_send("sendMessage", params["chat_id"])
        text, entities = self._parsed(params["text"], params, "entities")
        return self._deliver("sendMessage", cid, params, text=text, raw_text=params["text"], entities=entities)

    async def send_document(self, params: JSON) -> JSON:
        cid = self._pre_send("sendDocument", params["chat_id"])
        stored = self._state.input_file("document", params["document"])
        caption, entities = self._caption(params)
        return self._deliver("sendDocument", cid, params, document=stored, caption=caption, entities=entities)

    async def send_photo(self, params: JSON) -> JSON:
        cid = self._pre_send("sendPhoto", params["chat_id"])
        stored = self._state.input_file("photo", params["photo"])
        caption, entities = self._caption(params)
        return self._deliver("sendPhoto", cid, params, photo=stored, caption=caption, entities=entities)

    async def send_chat_action(self, params: JSON) -> bool:
        cid = self._pre_send("sendChatAction", params["chat_id"])
        self._journal.chat_actions.append((cid, params["action"]))
        self._journal.emit(EmulatorEvent("chat_action", cid, action=params["action"]))
        return True

    def _pre_send(self, method: str, chat_id: Any) -> int:
        cid = self._state.resolve_chat(chat_id)
        if cid in self._state.blocked and _touches_chat(method):
            raise blocked()
        if is_send(method):
            self._limits.check(cid)
        return cid

    def _parsed(self, text: str, params: JSON, entities_key: str) -> tuple[str, list[JSON]]:
        """The text the user sees and its entities: given explicitly, or parsed from ``parse_mode``."""
        if entities_key in params:
            return text, list(params[entities_key])
        mode = params.get("parse_mode")
        try:
            parsed = parse_text(text, mode if isinstance(mode, str) else None)
        except EntityParseError as exc:
            raise bad_request(f"can't parse entities: {exc}") from None
        return parsed.text, parsed.entities

    def _caption(self, params: JSON) -> tuple[str | None, list[JSON]]:
        if "caption" not in params:
            return None, []
        return self._parsed(params["caption"], params, "caption_entities")

    def _deliver(self, method: str, cid: int, params: JSON, **content: Any) -> JSON:
        message_id = self._state.next_message_id(cid)
        message = BotMessage(
            chat_id=cid, message_id=message_id, date=int(time.time()), from_bot=True, method=method, **content
        )
        message.reply_markup = _markup(params)
        message.parse_mode = params.get("parse_mode")
        reply = params.get("reply_parameters")
        if isinstance(reply, dict):
            target = reply.get("message_id")
            exists = self._state.has_message(cid, target)
            if not exists and not reply.get("allow_sending_without_reply"):
                raise bad_request("message to be replied not found")
            message.reply_to_message_id = target if exists else None
        self._state.add_message(message)
        self._limits.count(cid)
        self._journal.delivered[cid] += 1
        self._journal.emit(EmulatorEvent("message", cid, message=message))
        return self._state.raw_message(message)

    # ----------------------------------------------------------------------------------- editing

    async def edit_message_text(self, params: JSON) -> JSON:
        message = self._editable(params)
        if message.text is None:
            raise bad_request("there is no text in the message to edit")
        text, entities = self._parsed(params["text"], params, "entities")
        # no reply_markup = the inline keyboard is removed
        return self._apply_edit(
            message, text=text, raw_text=params["text"], entities=entities, reply_markup=_markup(params)
        )

    async def edit_message_caption(self, params: JSON) -> JSON:
        message = self._editable(params)
        if message.document is None and message.photo is None:
            raise bad_request("there is no caption in the message to edit")
        caption, entities = self._caption(params)
        return self._apply_edit(message, caption=caption, entities=entities, reply_markup=_markup(params))

    async def edit_message_reply_markup(self, params: JSON) -> JSON:
        return self._apply_edit(self._editable(params), reply_markup=_markup(params))

    async def delete_message(self, params: JSON) -> bool:
        message = self._state.find_message(params, "delete")
        message.deleted = True
        self._journal.emit(EmulatorEvent("delete", message.chat_id, message=message))
        return True

    def _editable(self, params: JSON) -> BotMessage:
        message = self._state.find_message(params, "edit")
        if not message.from_bot:
            raise bad_request("message can't be edited")
        if message.chat_id in self._state.blocked:
            raise blocked()
        return message

    def _apply_edit(self, message: BotMessage, **changes: Any) -> JSON:
        version = message.snapshot()
        new_markup = changes.get("reply_markup", message.reply_markup)
        unchanged = all(getattr(message, k) == v for k, v in changes.items() if k != "reply_markup") and (
            new_markup == message.reply_markup
        )
        if unchanged:
            raise bad_request(
                "message is not modified: specified new message content and reply markup are exactly the "
                "same as a current content and reply markup of the message"
            )
        for key, value in changes.items():
            setattr(message, key, value)
        message.edit_date = int(time.time())
        message.edits.append(version)
        self._journal.emit(EmulatorEvent("edit", message.chat_id, message=message))
        return self._state.raw_message(message)
