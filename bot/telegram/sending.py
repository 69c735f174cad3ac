"""Turning the coach's `Reply`s into Bot API calls, with Telegram's failures handled in one place."""

from __future__ import annotations

import asyncio
import html
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Bot, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut

from bot import charts
from bot.replies import Chart, Keyboard, Reply
from bot.telegram.callbacks import pack
from bot.telegram.transport import SurelyNotSent
from bot.usecases.buttons import ButtonData

log = logging.getLogger("runback.telegram")

SEND_ATTEMPTS = 4
BACKOFF_SECONDS = (0.5, 1.0, 2.0)


def markup(keyboard: Keyboard) -> dict[str, Any] | None:
    """An InlineKeyboardMarkup as the JSON Telegram takes (plain dicts: PTB objects built for every reply only to
    be serialised again are CPU spent for nothing; docs/performance.md)."""
    if not keyboard:
        return None
    return {
        "inline_keyboard": [[{"text": label, "callback_data": _data(data)} for label, data in row] for row in keyboard]
    }


def _data(button: ButtonData | str) -> str:
    return button if isinstance(button, str) else pack(button)  # str: callback data written as is (tests)


async def call(bot: Bot, method: str, parameters: dict[str, Any]) -> Any:
    """One Bot API call, through the bot's rate limiter and transport, returning Telegram's raw `result`.

    The public `Bot.send_message` & co. parse every answer into `Message` objects (keyboard included), which
    we never read (what that cost: docs/performance.md). `Bot._post` is the call they all end in (python-telegram-bot
    is pinned below 23 in pyproject.toml); errors are the same `TelegramError`s."""
    return await bot._post(method, {k: v for k, v in parameters.items() if v is not None})


async def _send_once(bot: Bot, reply: Reply) -> int | None:
    """Send or edit; the id of a new text message (None for the others)."""
    if reply.document is not None:
        await bot.send_document(
            reply.chat_id,
            document=reply.document.content,
            filename=reply.document.filename,
            caption=reply.text,
        )
        return None
    keyboard = markup(reply.keyboard)
    if reply.photo is not None:
        photo_markup = InlineKeyboardMarkup.de_json(keyboard, bot) if keyboard else None
        photo = reply.photo
        if isinstance(photo, Chart):
            photo = await asyncio.to_thread(charts.progress_png, photo.points, photo.title, photo.language)
        await bot.send_photo(reply.chat_id, photo=photo, caption=reply.text[:1024], reply_markup=photo_markup)
        return None
    text, parse_mode = reply.text, None
    if reply.monospace:
        text, parse_mode = f"<pre>{html.escape(reply.text)}</pre>", ParseMode.HTML
    parameters: dict[str, Any] = {
        "chat_id": reply.chat_id,
        "text": text,
        "parse_mode": parse_mode,
        "reply_markup": keyboard,
    }
    if reply.edit_message_id is not None:
        try:
            await call(bot, "editMessageText", {**parameters, "message_id": reply.edit_message_id})
        except BadRequest as error:
            # the same answer tapped twice leaves the message as it is: nothing to do
            if "not modified" not in error.message.lower():
                raise
        return None
    sent = await call(bot, "sendMessage", parameters)
    return sent.get("message_id") if isinstance(sent, dict) else None


def _surely_not_sent(error: NetworkError) -> bool:
    """True if Telegram cannot have acted on the request: it answered with an error status (5xx), or the
    connection was never made. A read timeout or a dropped connection leaves the outcome unknown."""
    cause = error.__cause__
    if cause is None:
        return True  # an HTTP error status from Telegram: the request was refused, not performed
    return isinstance(error, SurelyNotSent) or isinstance(cause, SurelyNotSent)


async def deliver(
    bot: Bot,
    reply: Reply,
    on_blocked: Callable[[int], Awaitable[None]],
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    on_sent: Callable[[int, int], Awaitable[None]] | None = None,
) -> bool:
    """Send one reply; True once Telegram accepted it.

    429s are waited out for as long as Telegram asks (the bot's rate limiter, ratelimit.py, retries them first;
    we see a RetryAfter only once it gave up, and wait once more); 5xx and connection failures are retried with
    a bounded backoff; a 403 (the runner blocked the bot) stops their prompts. A new message whose send timed
    out after it reached Telegram is not sent again (at most once: it may have been delivered, and a second
    copy would duplicate it); edits are idempotent and are retried. One failing chat never raises to the caller.
    `on_sent(follow_id, message_id)`: a care-team alert was sent (its message can then be added to).
    """
    for attempt in range(SEND_ATTEMPTS):
        try:
            message_id = await _send_once(bot, reply)
        except RetryAfter as error:
            retry_after = error.retry_after
            seconds = retry_after.total_seconds() if hasattr(retry_after, "total_seconds") else float(retry_after)
            log.info("rate limited, retrying after %.1f s", seconds)
            await sleep(seconds)
        except Forbidden:
            log.info("chat %s blocked the bot; prompts stop until they write again", reply.chat_id)
            await on_blocked(reply.chat_id)
            return False
        except BadRequest as error:
            log.warning("Telegram refused a message (%s)", type(error).__name__)
            return False
        except (TimedOut, NetworkError) as error:
            if reply.edit_message_id is None and not _surely_not_sent(error):
                log.warning("a send timed out with unknown outcome; not repeated (%s)", type(error).__name__)
                return False
            if attempt + 1 == SEND_ATTEMPTS:
                log.warning("giving up after %d attempts (%s)", SEND_ATTEMPTS, type(error).__name__)
                return False
            await sleep(BACKOFF_SECONDS[min(attempt, len(BACKOFF_SECONDS) - 1)])
        except TelegramError as error:  # e.g. ChatMigrated, InvalidToken: never let one chat stop the others
            log.warning("Telegram error, message dropped (%s)", type(error).__name__)
            return False
        else:
            if on_sent is not None and reply.alert_follow_id is not None and message_id is not None:
                try:
                    await on_sent(reply.alert_follow_id, message_id)
                except Exception:  # the alert is out; only a later one's edit is lost (it is then held instead)
                    log.exception("could not keep the id of an alert sent")
            return True
    return False
