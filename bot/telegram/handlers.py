"""python-telegram-bot handlers: thin translations from updates to the router (bot/telegram/router.py) and back."""

from __future__ import annotations

import asyncio
import logging
import traceback

from telegram import CallbackQuery, Update
from telegram.constants import ChatType
from telegram.error import BadRequest, TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot import texts
from bot.activity import ActivityRejected, RejectReason
from bot.i18n import Texts, resolve, texts_for
from bot.replies import Outcome, Reply
from bot.telegram.router import Router
from bot.telegram.sending import call, deliver
from bot.usecases import activity_file

log = logging.getLogger("runback.handlers")

COMMANDS = (*(name for name, _ in texts.COMMANDS), "start")
PRIVATE = filters.ChatType.PRIVATE
NEW_MESSAGE = filters.UpdateType.MESSAGE


async def _texts(update: Update, context: ContextTypes.DEFAULT_TYPE) -> Texts:
    """A reply that stores nothing (a sticker, an edit, a group): the sender's chosen language, else Telegram's."""
    user = update.effective_user
    if user is None:
        return texts_for(resolve(None, None))
    return await _router(context).texts_of(user.id, user.language_code)


def _router(context: ContextTypes.DEFAULT_TYPE) -> Router:
    router: Router = context.application.bot_data["router"]
    return router


async def _send(context: ContextTypes.DEFAULT_TYPE, outcome: Outcome) -> None:
    router = _router(context)
    for reply in outcome.replies:
        await deliver(context.bot, reply, router.mark_blocked, on_sent=router.alert_sent)


async def command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A /command in a private chat."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or message.text is None:
        return
    words = message.text.split(maxsplit=1)
    name = words[0][1:].split("@")[0].lower()
    argument = words[1].strip() if len(words) > 1 and name == "start" else ""  # a deep-link payload
    outcome = await _router(context).on_command(
        user.id,
        message.chat_id,
        user.first_name,
        name,
        update.update_id,
        argument=argument,
        language_code=user.language_code,
    )
    await _send(context, outcome)


async def text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Free text in a private chat: an answer, "what's today?", a pain report, or something else."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or message.text is None:
        return
    outcome = await _router(context).on_text(
        user.id, message.chat_id, user.first_name, message.text, update.update_id, language_code=user.language_code
    )
    await _send(context, outcome)


async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A tap on one of our inline buttons."""
    query, user = update.callback_query, update.effective_user
    if query is None or user is None:
        return
    message = query.message
    chat_id = message.chat.id if message is not None else user.id
    if message is None or message.chat.type != ChatType.PRIVATE or chat_id != user.id:
        await _answer(context, query, (await _texts(update, context)).FORGED_BUTTON)
        return
    outcome = await _router(context).on_button(
        user.id,
        chat_id,
        user.first_name,
        message.message_id,
        query.data or "",
        update.update_id,
        language_code=user.language_code,
    )
    # the answer (the spinner, a notice) and the replies go out together: one round trip to Telegram, not two
    await asyncio.gather(_answer(context, query, outcome.notice), _send(context, outcome))


async def _answer(context: ContextTypes.DEFAULT_TYPE, query: CallbackQuery, notice: str | None) -> None:
    """Answer a button tap. Telegram refuses answers to taps older than ~15 s (handled late, after downtime,
    or a replayed update): the answer is only the spinner and a notice, so the replies must still go out."""
    try:
        await call(context.bot, "answerCallbackQuery", {"callback_query_id": query.id, "text": notice})
    except TelegramError as error:
        log.info("could not answer a button tap (%s)", type(error).__name__)


async def document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A file sent as a document (a watch's GPX, TCX or FIT): downloaded here, read and logged by the use case."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or message.document is None:
        return
    sent = message.document
    filename = sent.file_name or ""
    received: activity_file.Received | None = activity_file.refused_before_download(filename, sent.file_size)
    if received is None:
        received = await _download(context, sent.file_id)
    outcome = await _router(context).on_document(
        user.id, message.chat_id, user.first_name, filename, received, update.update_id
    )
    await _send(context, outcome)


async def _download(context: ContextTypes.DEFAULT_TYPE, file_id: str) -> activity_file.Received:
    """The file's bytes through getFile (Telegram serves a bot at most 20 MB), or why not."""
    try:
        file = await context.bot.get_file(file_id)
        return bytes(await file.download_as_bytearray())
    except BadRequest as error:
        if "too big" in str(error).lower():
            return ActivityRejected(RejectReason.TOO_LARGE)
        log.info("could not download a document (%s)", type(error).__name__)
        return activity_file.DownloadFailure.UNAVAILABLE
    except TelegramError as error:
        log.info("could not download a document (%s)", type(error).__name__)
        return activity_file.DownloadFailure.UNAVAILABLE


async def non_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stickers, photos, voice...: a short pointer, nothing stored (but the update id, so it is answered once)."""
    message = update.effective_message
    if message is not None and await _router(context).first_delivery(update.update_id):
        await message.reply_text((await _texts(update, context)).NON_TEXT)


async def edited(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An edited private message: answers are never changed by an edit (it could rewrite history); say so."""
    message = update.effective_message
    if message is not None and await _router(context).first_delivery(update.update_id):
        words = await _texts(update, context)
        await deliver(context.bot, Reply(message.chat_id, words.EDIT_IGNORED), _router(context).mark_blocked)


async def group(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Anything from a group: a polite refusal, nothing stored."""
    message = update.effective_message
    if (
        message is not None
        and (message.text or "").startswith("/")
        and await _router(context).first_delivery(update.update_id)
    ):
        await message.reply_text((await _texts(update, context)).GROUP_REFUSAL)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the failure without any message text (health data); answer the runner if we can."""
    error = context.error
    update_id = update.update_id if isinstance(update, Update) else None
    trace = "".join(traceback.format_exception(error)) if error else ""
    log.error("error handling update %s: %s\n%s", update_id, type(error).__name__, trace)


def add_handlers(application: Application) -> None:  # type: ignore[type-arg]
    # taps first: most updates are taps, and no other handler takes a callback query (PTB tries them in order)
    application.add_handler(CallbackQueryHandler(button))
    application.add_handler(MessageHandler(~PRIVATE & (NEW_MESSAGE | filters.UpdateType.CHANNEL_POST), group))
    application.add_handler(CommandHandler(list(COMMANDS), command, filters=PRIVATE & NEW_MESSAGE))
    application.add_handler(MessageHandler(PRIVATE & NEW_MESSAGE & filters.COMMAND, command))
    application.add_handler(MessageHandler(PRIVATE & NEW_MESSAGE & filters.TEXT, text))
    application.add_handler(MessageHandler(PRIVATE & NEW_MESSAGE & filters.Document.ALL, document))
    application.add_handler(MessageHandler(PRIVATE & NEW_MESSAGE, non_text))
    application.add_handler(MessageHandler(PRIVATE & filters.UpdateType.EDITED_MESSAGE, edited))
    application.add_error_handler(on_error)
