"""The aiohttp transport tells "never sent" from "outcome unknown": deliver() retries only the first."""

from __future__ import annotations

import asyncio
import socket

from telegram import Bot
from telegram.error import NetworkError, TimedOut

from bot.replies import Reply
from bot.telegram_io import SEND_ATTEMPTS, deliver
from bot.transport import AiohttpRequest, SurelyNotSent

TOKEN = "123456:TRANSPORT-TEST"


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # nothing listens there once the probe is closed


async def _bot(port: int, read_timeout: float = 5.0) -> tuple[Bot, AiohttpRequest]:
    request = AiohttpRequest(read_timeout=read_timeout)
    await request.initialize()
    return Bot(TOKEN, base_url=f"http://127.0.0.1:{port}/bot", request=request), request


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
