"""The aiohttp transport tells "never sent" from "outcome unknown": deliver() retries only the first; it sends
no cookies; getUpdates hands python-telegram-bot a tap without the tapped message's keyboard."""

from __future__ import annotations

import asyncio
import socket

from telegram import Bot
from telegram.error import NetworkError, TimedOut

from bot.replies import Reply
from bot.telegram.sending import SEND_ATTEMPTS, call, deliver, markup
from bot.telegram.transport import AiohttpRequest, SurelyNotSent, UpdatesRequest
from bot.telegram.updates import drop_tapped_keyboard
from emulator import BotAPIEmulator

TOKEN = "123456:TRANSPORT-TEST"


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # nothing listens there once the probe is closed


async def _bot(port: int, read_timeout: float = 5.0, host: str = "127.0.0.1") -> tuple[Bot, AiohttpRequest]:
    request = AiohttpRequest(read_timeout=read_timeout)
    await request.initialize()
    return Bot(TOKEN, base_url=f"http://{host}:{port}/bot", request=request), request


async def _no_sleep(seconds: float) -> None:
    return None


async def test_a_refused_connection_is_surely_not_sent_and_retried() -> None:
    bot, request = await _bot(_closed_port())
    try:
        errors: list[Exception] = []
        try:
            await bot._post("sendMessage", {"chat_id": 1, "text": "hi"})
        except NetworkError as error:
            errors.append(error)
        assert errors and isinstance(errors[0], SurelyNotSent)
        attempts = 0
        original = request.do_request

        async def counting(*args: object, **kwargs: object) -> tuple[int, bytes]:
            nonlocal attempts
            attempts += 1
            return await original(*args, **kwargs)  # type: ignore[arg-type]

        request.do_request = counting  # type: ignore[method-assign]
        assert await deliver(bot, Reply(1, "hi"), lambda chat: asyncio.sleep(0), _no_sleep) is False
        assert attempts == SEND_ATTEMPTS  # never reached Telegram: safe to try again
    finally:
        await request.shutdown()


async def test_a_read_timeout_is_an_unknown_outcome_and_not_repeated() -> None:
    requests = 0

    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal requests
        requests += 1
        await reader.read(65536)  # takes the request, never answers
        await asyncio.sleep(2)
        writer.close()

    server = await asyncio.start_server(silent, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    bot, request = await _bot(port, read_timeout=0.2)
    try:
        try:
            await bot._post("sendMessage", {"chat_id": 1, "text": "hi"})
            raise AssertionError("no timeout")
        except TimedOut as error:
            assert not isinstance(error.__cause__, SurelyNotSent)
        assert await deliver(bot, Reply(1, "hi"), lambda chat: asyncio.sleep(0), _no_sleep) is False
        assert requests == 2  # one connection each: the send that may have been delivered is not repeated
    finally:
        await request.shutdown()
        server.close()


async def test_get_updates_drops_the_tapped_messages_keyboard_and_keeps_the_rest() -> None:
    async with BotAPIEmulator(token=TOKEN) as emulator:
        emulator.user_sends(7, "/start", user_id=7)
        requests = AiohttpRequest(), UpdatesRequest()
        for request in requests:
            await request.initialize()
        bot = Bot(TOKEN, base_url=emulator.base_url, request=requests[0], get_updates_request=requests[1])
        try:
            keyboard = markup(((("0", "c:20261002:pain_rest:0"), ("1", "c:20261002:pain_rest:1")),))
            sent = await call(bot, "sendMessage", {"chat_id": 7, "text": "Pain at rest?", "reply_markup": keyboard})
            emulator.user_presses(7, sent["message_id"], "c:20261002:pain_rest:1", user_id=7)
            emulator.user_sends(7, "what's today?", user_id=7)
            updates = await bot.get_updates(timeout=0)
        finally:
            for request in requests:
                await request.shutdown()
    assert emulator.validation_errors == []
    message, tap, text = updates
    assert message.message is not None and message.message.text == "/start"
    query = tap.callback_query
    assert query is not None and query.data == "c:20261002:pain_rest:1"
    assert query.message is not None and query.message.message_id == sent["message_id"]
    assert query.message.chat.id == 7 and query.message.chat.type == "private"
    assert query.message.reply_markup is None  # dropped: the tap's data says which button it was
    assert text.message is not None and text.message.text == "what's today?"


def test_drop_tapped_keyboard_touches_only_a_taps_message() -> None:
    markup_json = {"inline_keyboard": [[{"text": "0", "callback_data": "x"}]]}
    tap = {
        "update_id": 1,
        "callback_query": {"id": "9", "data": "x", "message": {"message_id": 3, "reply_markup": markup_json}},
    }
    assert drop_tapped_keyboard(tap) == {
        "update_id": 1,
        "callback_query": {"id": "9", "data": "x", "message": {"message_id": 3}},
    }
    sent = {"update_id": 2, "message": {"message_id": 4, "reply_markup": markup_json}}  # e.g. a forwarded message
    assert drop_tapped_keyboard(sent) == {"update_id": 2, "message": {"message_id": 4, "reply_markup": markup_json}}
    inline = {"update_id": 3, "callback_query": {"id": "8", "data": "x", "inline_message_id": "abc"}}
    assert drop_tapped_keyboard(inline) == inline
    assert drop_tapped_keyboard("not an update") == "not an update"


async def test_no_cookie_is_kept_or_sent() -> None:
    seen: list[str | None] = []

    async def server(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode().split("\r\n")
            length = next(int(x.split(":")[1]) for x in lines if x.lower().startswith("content-length"))
            await reader.readexactly(length)
            seen.append(next((x for x in lines if x.lower().startswith("cookie")), None))
            body = b'{"ok":true,"result":true}'
            writer.write(
                b"HTTP/1.1 200 OK\r\nSet-Cookie: session=abc; Path=/\r\nContent-Type: application/json\r\n"
                + f"Content-Length: {len(body)}\r\n\r\n".encode()
                + body
            )
            await writer.drain()

    listening = await asyncio.start_server(server, "127.0.0.1", 0)
    # a host name: a cookie jar keeps no cookies of an IP address anyway
    bot, request = await _bot(listening.sockets[0].getsockname()[1], host="localhost")
    try:
        for _ in range(2):
            assert await bot._post("answerCallbackQuery", {"callback_query_id": "1"}) is True
    finally:
        await request.shutdown()
        listening.close()
    assert seen == [None, None]
