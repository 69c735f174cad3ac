"""A python-telegram-bot transport on aiohttp.

PTB's default transport (httpx on httpcore, anyio and h11) handles HTTP in pure Python; aiohttp parses it in C,
and every tap on a check-in button makes two or three calls (what that saved: docs/performance.md). Same
contract as `telegram.request.HTTPXRequest`: form-encoded parameters, multipart when files are attached,
`TimedOut` for timeouts and `NetworkError` for the rest, with `SurelyNotSent` (a `NetworkError`) when the
request never reached Telegram, so a send can be retried safely.
"""

from __future__ import annotations

from typing import Any

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import JSONDict, ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

from bot.telegram.updates import Backlog, drop_tapped_keyboard


class SurelyNotSent(NetworkError):
    """The connection to Telegram could not be made (or no pooled connection was free): nothing was sent."""


class AiohttpRequest(BaseRequest):
    def __init__(
        self,
        connection_pool_size: int = 16,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
    ) -> None:
        self._pool_size = connection_pool_size
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._media_write_timeout = media_write_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._pool_size, ttl_dns_cache=300)
            # PTB's own User-Agent, so Telegram (or a proxy's logs) sees the same client either way
            # no cookie jar: the Bot API sets no cookies, and the jar is much of a request's CPU (docs/performance.md)
            self._session = aiohttp.ClientSession(
                connector=connector,
                headers={"User-Agent": self.USER_AGENT},
                auto_decompress=True,
                cookie_jar=aiohttp.DummyCookieJar(),
            )

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        has_files = request_data is not None and request_data.contains_files
        read = self._read_timeout if isinstance(read_timeout, DefaultValue) else read_timeout
        connect = self._connect_timeout if isinstance(connect_timeout, DefaultValue) else connect_timeout
        pool = self._pool_timeout if isinstance(pool_timeout, DefaultValue) else pool_timeout
        write_default = self._media_write_timeout if has_files else self._write_timeout
        write = write_default if isinstance(write_timeout, DefaultValue) else write_timeout
        # aiohttp has no separate write timeout: the whole request may take connect + write + read
        total = None if None in (read, write, connect, pool) else sum(t or 0.0 for t in (read, write, connect, pool))
        timeout = aiohttp.ClientTimeout(total=total, connect=pool, sock_connect=connect, sock_read=read)
        data: Any = None
        body: Any = None
        if request_data is not None and has_files:
            data = self._multipart(request_data)
        elif request_data is not None:
            # one JSON body (Telegram takes it), not a form whose values PTB has JSON-encoded one by one
            body = self.json_body(request_data)
        try:
            async with self._session.request(method, url, data=data, json=body, timeout=timeout) as response:
                return response.status, await response.read()
        except aiohttp.ConnectionTimeoutError as error:  # no connection made, or none free in the pool
            raise TimedOut(f"aiohttp.{type(error).__name__}: the request was not sent") from SurelyNotSent(str(error))
        except TimeoutError as error:
            raise TimedOut from error
        except aiohttp.ClientConnectorError as error:
            raise SurelyNotSent(f"aiohttp.{type(error).__name__}: {error}") from error
        except aiohttp.ClientError as error:
            raise NetworkError(f"aiohttp.{type(error).__name__}: {error}") from error

    def json_body(self, request_data: RequestData) -> dict[str, Any]:
        return request_data.parameters

    @staticmethod
    def _multipart(request_data: RequestData) -> aiohttp.FormData:
        form = aiohttp.FormData()
        for name, value in request_data.json_parameters.items():
            form.add_field(name, value)
        for name, (filename, content, content_type) in request_data.multipart_data.items():
            form.add_field(name, content, filename=filename, content_type=content_type)
        return form


class UpdatesRequest(AiohttpRequest):
    """The transport for getUpdates. The updates lose the keyboards of tapped messages before python-telegram-bot
    parses them (`drop_tapped_keyboard`). With a `Backlog`, the offset confirms only the updates handled, the
    updates in hand that Telegram sends again are left out, and a poll waits while many updates are in hand."""

    def __init__(self, *args: Any, backlog: Backlog | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._backlog = backlog

    async def do_request(self, url: str, method: str, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        if self._backlog is not None:
            await self._backlog.before_poll()  # before the request: no network timeout runs while it waits
        return await super().do_request(url, method, *args, **kwargs)

    def json_body(self, request_data: RequestData) -> dict[str, Any]:
        body = request_data.parameters
        if self._backlog is not None:
            requested = body.get("offset")  # python-telegram-bot's: the id after the last update it took
            body["offset"] = self._backlog.offset(requested if isinstance(requested, int) else 0)
        return body

    def parse_json_payload(self, payload: bytes) -> JSONDict:  # type: ignore[override]
        data = BaseRequest.parse_json_payload(payload)
        result = data.get("result")
        if isinstance(result, list):
            if self._backlog is not None:
                data["result"] = result = self._backlog.fresh(result)
            for update in result:
                drop_tapped_keyboard(update)
        return data
