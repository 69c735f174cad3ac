"""The emulator's HTTP side: an aiohttp server on loopback that routes ``/bot<token>/<method>`` and
``/file/bot<token>/<path>``, records each request, checks it against the Bot API spec, injects the faults
a test ordered, and answers with the method's result the way Telegram does."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Mapping
from typing import Any, cast

from aiohttp import web

from emulator.errors import JSON, APIError, bad_request
from emulator.faults import Faults
from emulator.journal import Journal
from emulator.methods import Handler
from emulator.models import MAX_DOWNLOAD_BYTES, RecordedRequest
from emulator.spec import Spec, UploadedFile, decode_params, validate
from emulator.state import TelegramState

__all__ = ["HttpServer"]

logger = logging.getLogger("runback.emulator")

_NOT_FOUND: JSON = {"ok": False, "error_code": 404, "description": "Not Found"}
_UNAUTHORIZED: JSON = {"ok": False, "error_code": 401, "description": "Unauthorized"}


def _respond(body: JSON, status: int) -> web.Response:
    return web.json_response(body, status=status)


class HttpServer:
    """Serves the Bot API methods of ``methods`` to a bot that knows ``token``."""

    def __init__(
        self,
        token: str,
        *,
        spec: Spec,
        methods: Mapping[str, Handler],
        state: TelegramState,
        journal: Journal,
        faults: Faults,
        strict: bool,
        clock: Callable[[], float],
    ) -> None:
        self.token = token
        self.strict = strict
        self.host = "127.0.0.1"
        self.port = 0
        self.closing = asyncio.Event()
        self.inflight = 0  # requests other than getUpdates being answered now
        self.last_activity = time.monotonic()
        self._spec = spec
        self._methods = methods
        self._state = state
        self._journal = journal
        self._faults = faults
        self._clock = clock
        self._runner: web.AppRunner | None = None

    # ---------------------------------------------------------------------------------- lifecycle

    async def start(self, host: str, port: int) -> None:
        """Listen on ``host:port`` (port 0 picks a free port, then in :attr:`port`)."""
        if self._runner is not None:
            raise RuntimeError("emulator already started")
        self.closing = asyncio.Event()
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        # access_log=None: aiohttp's access log would print the URL, which contains the token
        runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=0.5)
        await runner.setup()
        site = web.TCPSite(runner, host, port)
        await site.start()
        server = cast("asyncio.base_events.Server", site._server)
        self.port = int(server.sockets[0].getsockname()[1])
        self.host = host
        self._runner = runner
        logger.debug("emulator listening on %s:%s", host, self.port)

    async def stop(self) -> None:
        """Stop listening; requests held by a fault are released (long polls are woken by the caller)."""
        self.closing.set()
        if self._runner is not None:
            await self._runner.cleanup()
        self._runner = None

    async def _hold(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.closing.wait(), seconds)

    # ------------------------------------------------------------------------------------ routing

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        path = request.path
        if path.startswith("/file/bot"):
            return self._download(path.removeprefix("/file/bot"))
        if not path.startswith("/bot"):
            return _respond(_NOT_FOUND, 404)
        token, _, method = path.removeprefix("/bot").partition("/")
        if token != self.token:
            return _respond(_UNAUTHORIZED, 401)
        logger.debug("request %s", method)
        record = RecordedRequest(method=method, params={}, status=0, time=self._clock())
        self._journal.requests.append(record)
        if self._faults.unreachable is not None:
            return self._unreachable_answer(request, record)
        try:
            canonical, params = self._checked(method, await self._read_params(request), record)
        except APIError as err:
            record.status, record.response = err.code, err.body()
            return _respond(err.body(), err.code)
        status, body = await self._answer(canonical, params)
        record.status, record.response = status, body
        if self._faults.unreachable is not None:  # went down while the request was held
            return self._unreachable_answer(request, record)
        return _respond(body, status)

    def _checked(self, method: str, raw: dict[str, Any], record: RecordedRequest) -> tuple[str, JSON]:
        """The method's name as the spec spells it and its decoded parameters, checked against the spec.

        An unknown method is 404; an invalid request 400 in strict mode (else a warning, and served).
        """
        canonical = self._spec.canonical_method_name(method)
        if canonical is None:
            problem = f"unknown method {method!r}"
            record.problems, record.params = [problem], dict(raw)
            (self._journal.validation_errors if self.strict else self._journal.validation_warnings).append(problem)
            raise APIError(404, "Not Found")
        record.method = canonical
        params = decode_params(canonical, raw, self._spec)
        record.params = params
        problems = validate(canonical, params, self._spec)
        if problems:
            record.problems = problems
            tagged = [f"{canonical}: {p}" for p in problems]
            if self.strict:
                self._journal.validation_errors.extend(tagged)
                raise bad_request("; ".join(problems))
            self._journal.validation_warnings.extend(tagged)
        return canonical, params

    async def _answer(self, method: str, params: JSON) -> tuple[int, JSON]:
        """Status and body of a valid request; a failure of the emulator itself is a 500 and an error."""
        tracked = method != "getUpdates"
        if tracked:
            self.inflight += 1
        try:
            return await self._execute(method, params)
        except Exception as exc:  # a bug in the emulator: answer like Telegram would, and say so
            logger.exception("emulator failed handling %s", method)
            self._journal.validation_errors.append(f"{method}: internal emulator error {type(exc).__name__}")
            return 500, {"ok": False, "error_code": 500, "description": "Internal Server Error"}
        finally:
            if tracked:
                self.inflight -= 1
                self.last_activity = time.monotonic()

    def _unreachable_answer(self, request: web.Request, record: RecordedRequest) -> web.StreamResponse:
        if self._faults.unreachable == "502":
            body: JSON = {"ok": False, "error_code": 502, "description": "Bad Gateway"}
            record.status, record.response = 502, body
            return _respond(body, 502)
        record.status = 0
        if request.transport is not None:
            request.transport.abort()
        raise asyncio.CancelledError()  # aiohttp drops a request whose handler is cancelled

    async def _read_params(self, request: web.Request) -> dict[str, Any]:
        raw: dict[str, Any] = {k: v for k, v in request.query.items()}
        if request.method != "POST" or not request.can_read_body:
            return raw
        ctype = request.content_type
        if ctype == "application/json":
            try:
                body = await request.json()
            except ValueError:
                raise bad_request("can't parse JSON encoded request parameters") from None
            if not isinstance(body, dict):
                raise bad_request("JSON object expected as request body")
            raw.update(body)
        elif ctype in ("application/x-www-form-urlencoded", "multipart/form-data"):
            form = await request.post()
            for key, value in form.items():
                if isinstance(value, web.FileField):
                    raw[key] = UploadedFile(key, value.filename, value.file.read(), value.content_type)
                else:
                    raw[key] = value if isinstance(value, str) else bytes(value).decode()
        return raw

    def _download(self, rest: str) -> web.Response:
        token, _, file_path = rest.partition("/")
        if token != self.token:
            return _respond(_UNAUTHORIZED, 401)
        for stored in self._state.files.values():
            # a file over the limit has no path to download from: getFile refuses it
            if stored.file_path == file_path and stored.content is not None and stored.size <= MAX_DOWNLOAD_BYTES:
                return web.Response(body=stored.content, content_type=stored.mime_type or "application/octet-stream")
        return _respond(_NOT_FOUND, 404)

    # --------------------------------------------------------------------------- faults, methods

    async def _execute(self, method: str, params: JSON) -> tuple[int, JSON]:
        fault = self._faults.take(method, params)
        if fault is None:
            return await self._call(method, params)
        logger.debug("injecting fault %s into %s", fault.kind, method)
        if fault.kind != "timeout":
            error = fault.error()
            return error.code, error.body()
        if fault.apply:  # performed, but the answer comes too late: the message did reach the user
            status, body = await self._call(method, params)
            await self._hold(self._faults.hold_for(fault))
            return status, body
        await self._hold(self._faults.hold_for(fault))
        return 504, {"ok": False, "error_code": 504, "description": "Gateway Timeout"}

    async def _call(self, method: str, params: JSON) -> tuple[int, JSON]:
        try:
            handler = self._methods.get(method)
            result = await handler(params) if handler is not None else self._unimplemented(method)
        except APIError as err:
            return err.code, err.body()
        return 200, {"ok": True, "result": result}

    def _unimplemented(self, method: str) -> Any:
        """A method the emulator does not serve: one that only answers True is accepted, others are errors."""
        if self._spec.methods[method].returns == ("Boolean",):
            return True
        problem = f"{method}: method not implemented by the emulator"
        self._journal.validation_errors.append(problem)
        raise bad_request(problem)
