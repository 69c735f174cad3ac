"""A user sends a file as a document; the bot fetches it with getFile and downloads it, within Telegram's
20 MB limit, through python-telegram-bot's real HTTP stack."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import httpx
from telegram import Bot, Update
from telegram.error import BadRequest
from telegram.ext import Application, ContextTypes, MessageHandler, filters

from emulator import MAX_DOWNLOAD_BYTES, BotAPIEmulator, validate_object

AppFactory = Callable[..., Awaitable[Application]]  # type: ignore[type-arg]

GPX = b'<?xml version="1.0"?><gpx version="1.1" creator="watch"><trk><trkseg/></trk></gpx>'


def bot_for(emu: BotAPIEmulator) -> Bot:
    return Bot(emu.token, base_url=emu.base_url, base_file_url=emu.base_file_url)


async def test_a_sent_document_reaches_the_bot_and_downloads(emu: BotAPIEmulator, running_app: AppFactory) -> None:
    received: list[tuple[str | None, str | None, int | None, bytes]] = []

    async def on_document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        assert message is not None and message.document is not None
        file = await context.bot.get_file(message.document.file_id)
        data = bytes(await file.download_as_bytearray())
        document = message.document
        received.append((document.file_name, document.mime_type, document.file_size, data))
        await message.reply_text(f"Got {document.file_name}: {len(data)} bytes")

    await running_app(MessageHandler(filters.Document.ALL, on_document))
    update = emu.user_sends_document(42, GPX, "Morning_Run.gpx", mime_type="application/gpx+xml", caption="today")
    assert validate_object("Update", update) == []
    document = update["message"]["document"]
    assert set(document) == {"file_id", "file_unique_id", "file_name", "mime_type", "file_size"}
    assert document["file_size"] == len(GPX) and update["message"]["caption"] == "today"

    reply = await emu.wait_for_message(42)
    assert reply.text == f"Got Morning_Run.gpx: {len(GPX)} bytes"
    assert received == [("Morning_Run.gpx", "application/gpx+xml", len(GPX), GPX)]
    get_file = emu.calls("getFile")[0]
    assert get_file.ok and get_file.response is not None
    result = get_file.response["result"]
    assert set(result) == {"file_id", "file_unique_id", "file_size", "file_path"}
    assert result["file_path"].endswith(".gpx") and result["file_size"] == len(GPX)
    assert validate_object("File", result) == []


async def test_get_file_refuses_a_file_over_20_mb_as_telegram_does(emu: BotAPIEmulator) -> None:
    at_limit = emu.user_sends_document(42, bytes(MAX_DOWNLOAD_BYTES), "long.fit")["message"]["document"]
    over = emu.user_sends_document(42, bytes(MAX_DOWNLOAD_BYTES + 1), "huge.fit")["message"]["document"]
    assert over["file_size"] == MAX_DOWNLOAD_BYTES + 1  # the message still says how big it is
    async with bot_for(emu) as bot:
        file = await bot.get_file(at_limit["file_id"])
        assert file.file_size == MAX_DOWNLOAD_BYTES
        assert len(await file.download_as_bytearray()) == MAX_DOWNLOAD_BYTES
        try:
            await bot.get_file(over["file_id"])
        except BadRequest as err:
            assert str(err) == "File is too big"
        else:
            raise AssertionError("getFile served a file over 20 MB")
    refused = emu.calls("getFile")[-1]
    assert refused.status == 400 and refused.response is not None
    assert refused.response["description"] == "Bad Request: file is too big"
    assert refused.problems == []  # a valid request, refused by Telegram's rule, not by the spec


async def test_the_download_path_serves_only_known_files_to_the_right_token(emu: BotAPIEmulator) -> None:
    sent = emu.user_sends_document(42, b"<TrainingCenterDatabase/>", "run.TCX")["message"]["document"]
    async with bot_for(emu) as bot:
        file = await bot.get_file(sent["file_id"])
        assert file.file_path is not None and file.file_path.endswith(".tcx")
        assert bytes(await file.download_as_bytearray()) == b"<TrainingCenterDatabase/>"
        try:
            await bot.get_file("no-such-file")
        except BadRequest as err:
            assert str(err) == "Invalid file_id"
        else:
            raise AssertionError("getFile served an unknown file_id")
    async with httpx.AsyncClient() as client:
        relative = "/".join(file.file_path.rsplit("/", 2)[-2:])  # PTB keeps the full download URL
        assert (await client.get(f"{emu.base_file_url}{emu.token}/{relative}")).content == b"<TrainingCenterDatabase/>"
        assert (await client.get(f"{emu.base_file_url}WRONG/{relative}")).status_code == 401
        assert (await client.get(f"{emu.base_file_url}{emu.token}/documents/missing.tcx")).status_code == 404
