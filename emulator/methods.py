"""The Bot API methods other than sending messages: the bot itself, webhook and updates, commands, chats,
files, answers to button taps; and the table that names every method the emulator serves."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from emulator.errors import JSON, APIError, bad_request
from emulator.journal import Journal
from emulator.messages import MessageMethods
from emulator.models import MAX_DOWNLOAD_BYTES, CallbackAnswer, EmulatorEvent
from emulator.state import TelegramState
from emulator.updates import UpdateQueue

__all__ = ["BotMethods", "Handler", "method_table"]

Handler = Callable[[JSON], Awaitable[Any]]

# Telegram refuses to answer a callback query older than this.
_CALLBACK_QUERY_MAX_AGE_S = 15.0


class BotMethods:
    """The bot's own settings (webhook, commands) and the methods that read or answer, not send."""

    def __init__(
        self,
        state: TelegramState,
        journal: Journal,
        updates: UpdateQueue,
        clock: Callable[[], float],
        long_polls_end: Callable[[], bool],
    ) -> None:
        self.webhook_url = ""
        self.commands_by_scope: dict[tuple[str, str], list[JSON]] = {}
        # the bot's description and short description, by language_code ("" = the default)
        self.descriptions: dict[str, str] = {}
        self.short_descriptions: dict[str, str] = {}
        self._state = state
        self._journal = journal
        self._updates = updates
        self._clock = clock
        self._long_polls_end = long_polls_end

    async def get_me(self, params: JSON) -> JSON:
        return {
            **self._state.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def accept(self, params: JSON) -> bool:
        """``logOut`` and ``close``: nothing to do but say yes."""
        return True

    # --------------------------------------------------------------------------- webhook, updates

    async def set_webhook(self, params: JSON) -> bool:
        self.webhook_url = str(params.get("url", ""))
        if params.get("drop_pending_updates"):
            self._updates.drop()
        return True

    async def delete_webhook(self, params: JSON) -> bool:
        self.webhook_url = ""
        if params.get("drop_pending_updates"):
            self._updates.drop()
        return True

    async def get_webhook_info(self, params: JSON) -> JSON:
        info: JSON = {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates.pending),
        }
        if self._updates.allowed_updates is not None:
            info["allowed_updates"] = list(self._updates.allowed_updates)
        return info

    async def get_updates(self, params: JSON) -> list[JSON]:
        if self.webhook_url:
            raise APIError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        return await self._updates.poll(params, self._long_polls_end)

    # ---------------------------------------------------------------------------------- commands

    async def set_my_commands(self, params: JSON) -> bool:
        self.commands_by_scope[_commands_key(params)] = [dict(c) for c in params["commands"]]
        return True

    async def get_my_commands(self, params: JSON) -> list[JSON]:
        return self.commands_by_scope.get(_commands_key(params), [])

    async def set_my_description(self, params: JSON) -> bool:
        self.descriptions[str(params.get("language_code", ""))] = str(params.get("description", ""))
        return True

    async def get_my_description(self, params: JSON) -> JSON:
        return {"description": self.descriptions.get(str(params.get("language_code", "")), "")}

    async def set_my_short_description(self, params: JSON) -> bool:
        self.short_descriptions[str(params.get("language_code", ""))] = str(params.get("short_description", ""))
        return True

    async def get_my_short_description(self, params: JSON) -> JSON:
        return {"short_description": self.short_descriptions.get(str(params.get("language_code", "")), "")}

    async def delete_my_commands(self, params: JSON) -> bool:
        self.commands_by_scope.pop(_commands_key(params), None)
        return True

    # ----------------------------------------------------------------------- chats, files, taps

    async def get_chat(self, params: JSON) -> JSON:
        cid = self._state.resolve_chat(params["chat_id"])
        return {
            **self._state.chats[cid],
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

    async def get_file(self, params: JSON) -> JSON:
        stored = self._state.files.get(params["file_id"])
        if stored is None:
            raise bad_request("invalid file_id")
        if stored.size > MAX_DOWNLOAD_BYTES:
            raise bad_request("file is too big")
        out: JSON = {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id}
        if stored.content is not None:
            out["file_size"] = stored.size
            out["file_path"] = stored.file_path
        return out

    async def answer_callback_query(self, params: JSON) -> bool:
        query_id = params["callback_query_id"]
        query = self._state.callback_queries.get(query_id)
        if query is None or query.answered or self._clock() - query.created > _CALLBACK_QUERY_MAX_AGE_S:
            raise bad_request("query is too old and response timeout expired or query ID is invalid")
        query.answered = True
        answer = CallbackAnswer(
            callback_query_id=query_id,
            chat_id=query.chat_id,
            message_id=query.message_id,
            data=query.data,
            text=params.get("text"),
            show_alert=bool(params.get("show_alert", False)),
            url=params.get("url"),
            cache_time=params.get("cache_time"),
        )
        self._journal.callback_answers.append(answer)
        self._journal.emit(EmulatorEvent("callback_answer", query.chat_id, callback_answer=answer))
        return True


def _commands_key(params: JSON) -> tuple[str, str]:
    scope = params.get("scope") or {"type": "default"}
    scope_key = scope["type"] if len(scope) == 1 else json.dumps(scope, sort_keys=True)
    return scope_key, str(params.get("language_code", ""))


def method_table(bot: BotMethods, messages: MessageMethods) -> dict[str, Handler]:
    """Every Bot API method the emulator serves, by its name in the spec."""
    return {
        "getMe": bot.get_me,
        "logOut": bot.accept,
        "close": bot.accept,
        "setWebhook": bot.set_webhook,
        "deleteWebhook": bot.delete_webhook,
        "getWebhookInfo": bot.get_webhook_info,
        "getUpdates": bot.get_updates,
        "setMyCommands": bot.set_my_commands,
        "getMyCommands": bot.get_my_commands,
        "deleteMyCommands": bot.delete_my_commands,
        "setMyDescription": bot.set_my_description,
        "getMyDescription": bot.get_my_description,
        "setMyShortDescription": bot.set_my_short_description,
        "getMyShortDescription": bot.get_my_short_description,
        "getChat": bot.get_chat,
        "getFile": bot.get_file,
        "answerCallbackQuery": bot.answer_callback_query,
        "sendMessage": messages.send_message,
        "sendDocument": messages.send_document,
        "sendPhoto": messages.send_photo,
        "sendChatAction": messages.send_chat_action,
        "editMessageText": messages.edit_message_text,
        "editMessageCaption": messages.edit_message_caption,
        "editMessageReplyMarkup": messages.edit_message_reply_markup,
        "deleteMessage": messages.delete_message,
    }
