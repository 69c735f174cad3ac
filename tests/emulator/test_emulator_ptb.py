"""python-telegram-bot's real stack (httpx, Updater, Application) against the emulator."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest
from telegram import Bot, BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from emulator import BotAPIEmulator, validate_object

AppFactory = Callable[..., Awaitable[Application]]  # type: ignore[type-arg]
BuilderFactory = Callable[[], ApplicationBuilder]  # type: ignore[type-arg]

KEYBOARD = InlineKeyboardMarkup(
    [
        [
            InlineKeyboardButton("Easy run ✅", callback_data="done:easy"),
            InlineKeyboardButton("Skip", callback_data="skip"),
        ]
    ]
)


async def on_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    await update.effective_message.reply_text(
        "Welcome back, <b>runner</b>! Today: 20 min easy.", parse_mode=ParseMode.HTML, reply_markup=KEYBOARD
    )


async def on_press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer("Logged")
    await query.edit_message_text(f"Logged: {query.data}")


async def test_start_press_edit_answer(emu: BotAPIEmulator, running_app: AppFactory) -> None:
    await running_app(CommandHandler("start", on_start), CallbackQueryHandler(on_press))
    emu.user_sends(42, "/start")
    welcome = await emu.wait_for_message(42)
    assert welcome.text == "Welcome back, runner! Today: 20 min easy."
    assert welcome.raw_text is not None and "<b>runner</b>" in welcome.raw_text
    assert welcome.entities == [{"type": "bold", "offset": 14, "length": 6}]
    assert emu.buttons(welcome) == [("Easy run ✅", "done:easy"), ("Skip", "skip")]

    emu.user_presses(42, welcome.message_id, "done:easy")
    await emu.wait_for(lambda: bool(emu.callback_answers) and bool(welcome.edits), description="answer+edit")
    await emu.wait_until_idle()
    assert welcome.text == "Logged: done:easy" and welcome.reply_markup is None
    assert [v.text for v in welcome.edits] == ["Welcome back, runner! Today: 20 min easy."]
    assert emu.callback_answers[0].text == "Logged"
    assert emu.pending_updates == []
    assert emu.sent_count(42) == 1
    methods = [r.method for r in emu.requests if r.method != "getUpdates"]
    assert methods[:2] == ["getMe", "deleteWebhook"]
    assert set(methods[2:]) == {"sendMessage", "answerCallbackQuery", "editMessageText"}
    for request in emu.requests:
        # status 0: the long poll still waiting
        assert request.problems == [] and request.status in (200, 0), request


async def test_other_update_kinds_reach_handlers(emu: BotAPIEmulator, running_app: AppFactory) -> None:
    seen: list[str] = []

    async def record(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        assert message is not None and update.effective_chat is not None
        kind = "sticker" if message.sticker else "photo" if message.photo else "text"
        seen.append(f"{update.effective_chat.type}:{kind}:{'edited' if update.edited_message else 'new'}")
        if message.photo:
            file = await message.photo[-1].get_file()
            data = await file.download_as_bytearray()
            seen.append(f"downloaded {len(data)} bytes")

    await running_app(MessageHandler(filters.ALL, record))
    emu.user_sends(42, "hello")
    emu.user_sends_sticker(42)
    emu.user_sends_photo(42, b"\xff\xd8" + bytes(68), caption="after my run")
    emu.user_edits_message(42, 1, "hello again")
    emu.user_sends(-100, "group hello", chat_type="group")
    emu.channel_post(-1002, "channel news")
    await emu.wait_for(lambda: len(seen) == 7, description="7 handler calls")
    assert seen == [
        "private:text:new",
        "private:sticker:new",
        "private:photo:new",
        "downloaded 70 bytes",
        "private:text:edited",
        "group:text:new",
        "channel:text:new",
    ]


async def test_unknown_parameter_via_api_kwargs_is_rejected(emu: BotAPIEmulator) -> None:
    emu.user_sends(42, "hi")
    async with Bot(emu.token, base_url=emu.base_url, base_file_url=emu.base_file_url) as bot:
        with pytest.raises(BadRequest, match="Unknown parameter 'colour' for method sendmessage"):
            await bot.send_message(42, "hi", api_kwargs={"colour": "red"})
    assert emu.validation_errors == ["sendMessage: unknown parameter 'colour' for method sendMessage"]
    assert emu.messages(42) == []
    emu.validation_errors.clear()


async def test_429_reaches_ptb_as_retry_after(emu: BotAPIEmulator) -> None:
    emu.user_sends(42, "hi")
    emu.fail_next("sendMessage", "429", retry_after=3)
    async with Bot(emu.token, base_url=emu.base_url) as bot:
        with pytest.raises(RetryAfter) as caught:
            await bot.send_message(42, "hi")
        assert "Retry in 3" in str(caught.value)
        await bot.send_message(42, "second try")
    assert [m.text for m in emu.messages(42)] == ["second try"]


async def test_403_reaches_ptb_as_forbidden(emu: BotAPIEmulator) -> None:
    emu.user_sends(42, "hi")
    async with Bot(emu.token, base_url=emu.base_url) as bot:
        emu.fail_next("sendMessage", "403")
        with pytest.raises(Forbidden, match="bot was blocked by the user"):
            await bot.send_message(42, "hi")
        emu.block(42)
        with pytest.raises(Forbidden):
            await bot.send_message(42, "hi")
        emu.unblock(42)
        await bot.send_message(42, "welcome back")
        with pytest.raises(BadRequest, match="Chat not found"):
            await bot.send_message(7, "never started")
    assert emu.sent_count(42) == 1


async def test_timeouts_and_duplicate_delivery(emu: BotAPIEmulator, make_builder: BuilderFactory) -> None:
    emu.user_sends(42, "hi")
    builder = make_builder().read_timeout(0.3)
    app = builder.build()
    async with app.bot as bot:
        emu.fail_next("sendMessage", "timeout", delay=1.0)
        with pytest.raises(TimedOut):
            await bot.send_message(42, "lost")
        assert emu.sent_count(42) == 0
        emu.fail_next("sendMessage", "timeout", delay=1.0, apply=True)
        with pytest.raises(TimedOut):
            await bot.send_message(42, "delivered but timed out")
        await bot.send_message(42, "delivered but timed out")  # a naive retry
    assert emu.sent_count(42) == 2
    assert emu.duplicate_texts(42) == ["delivered but timed out"]


async def test_bot_starting_while_telegram_is_down(emu: BotAPIEmulator, make_builder: BuilderFactory) -> None:
    emu.set_unreachable(True)
    app = make_builder().build()
    with pytest.raises(NetworkError):
        await app.initialize()
    emu.set_unreachable(True, mode="502")
    with pytest.raises(NetworkError, match="Bad Gateway"):
        await app.initialize()
    emu.set_unreachable(False)
    await app.initialize()
    assert app.bot.username == "runback_test_bot"
    await app.shutdown()


async def test_commands_documents_photos_and_chat(emu: BotAPIEmulator) -> None:
    emu.user_sends(42, "hi", first_name="Ana")
    async with Bot(emu.token, base_url=emu.base_url, base_file_url=emu.base_file_url) as bot:
        await bot.set_my_commands([BotCommand("start", "Begin"), BotCommand("plan", "This week's plan")])
        assert emu.commands == [("start", "Begin"), ("plan", "This week's plan")]
        assert [c.command for c in await bot.get_my_commands()] == ["start", "plan"]
        await bot.delete_my_commands()
        assert emu.commands == []

        message = await bot.send_document(42, InputFile(b"week,km\n1,12\n", filename="plan.csv"), caption="Week plan")
        assert message.document is not None and message.document.file_name == "plan.csv"
        stored = emu.last_message(42)
        assert stored is not None and stored.document is not None and stored.caption == "Week plan"
        assert stored.document.content == b"week,km\n1,12\n" and stored.document.filename == "plan.csv"
        file = await bot.get_file(message.document.file_id)
        assert bytes(await file.download_as_bytearray()) == b"week,km\n1,12\n"

        png = bytes.fromhex(
            "89504e470d0a1a0a0000000d49484452000000020000000308060000009d"
            "2b7a9c0000000d4944415478da63f8ffff3f0005fe02fea7d6a0d40000000049454e44ae426082"
        )
        photo = await bot.send_photo(42, png)
        assert (photo.photo[-1].width, photo.photo[-1].height) == (2, 3)

        chat = await bot.get_chat(42)
        assert chat.first_name == "Ana" and chat.type == "private"
        await bot.send_chat_action(42, "typing")
        assert emu.chat_actions == [(42, "typing")]
        assert await bot.delete_message(42, message.message_id)
        assert [m.method for m in emu.messages(42)] == ["sendPhoto"]
        info = await bot.get_webhook_info()
        assert info.url == ""
    for request in emu.requests:
        if request.ok and request.method in ("sendDocument", "sendPhoto", "getChat"):
            returns = emu.spec.methods[request.method].returns[0]
            assert request.response is not None
            assert validate_object(returns, request.response["result"]) == []


async def test_stop_is_clean_with_a_pending_long_poll(emu: BotAPIEmulator, running_app: AppFactory) -> None:
    await running_app()
    await asyncio.sleep(0.2)  # the updater is now waiting in a long poll
    emu.user_sends(42, "hi")
    await emu.wait_until_idle()
    assert emu.pending_updates == []
