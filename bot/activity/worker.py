"""`ActivityWorker`: `parse_activity` off the event loop, in a worker process bounded in time and memory.

A thread could not be stopped when a hostile file makes a parser spin, and a parse holds the GIL, so the bot
would stall: a process can be killed. One long-lived worker (`python -m bot.activity.worker_main`, a fresh
interpreter: it inherits none of the bot's threads, sockets or state) serves the files one at a time over its
stdin and stdout; a file takes a few hundred milliseconds at most, and a runner sends one a day. A parse that
overruns `limits.timeout_s` is answered TOO_SLOW and its worker killed (the next file starts a new one). The
worker caps its address space (RLIMIT_AS) at its size after start-up plus `limits.max_memory_bytes`, so a
file that would eat the machine's memory ends in MemoryError, answered TOO_COMPLEX, not in the OOM killer.

Requests and answers are pickles with an 8-byte length before each; the parent unpickles only the classes
of an answer (bot.activity.model, datetime, zoneinfo), so even a worker subverted by a file could not make
the bot run code.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import pickle
import select
import subprocess
import sys
import threading
from types import TracebackType
from typing import Any, Self
from zoneinfo import ZoneInfo

from bot.activity.framing import read_message, write_message
from bot.activity.model import DEFAULT_LIMITS, ActivityLimits, ActivityRejected, ActivitySummary, RejectReason
from bot.activity.parse import file_format, parse_activity

__all__ = ["ActivityWorker"]

Result = ActivitySummary | ActivityRejected
_MAX_ANSWER_BYTES = 1024 * 1024  # a summary pickles to well under a kilobyte
_ANSWER_CLASSES = {
    ("bot.activity.model", name)
    for name in ("ActivitySummary", "ActivityRejected", "FileFormat", "Sport", "GaitSource", "RejectReason")
} | {("datetime", "datetime"), ("datetime", "timezone"), ("datetime", "timedelta"), ("zoneinfo", "ZoneInfo")}
_ANSWER_CLASSES |= {("zoneinfo._zoneinfo", "ZoneInfo"), ("builtins", "getattr")}


class ActivityWorker:
    """Parses watch files in a worker process: `await worker.parse(...)`; `close()` it (or use `async with`)."""

    def __init__(self, limits: ActivityLimits = DEFAULT_LIMITS) -> None:
        self.limits = limits
        self._lock = threading.Lock()  # one file at a time through the one pipe
        self._process: subprocess.Popen[bytes] | None = None

    async def parse(self, data: bytes, filename: str, tz: ZoneInfo) -> Result:
        """`parse_activity` of this file, run in the worker, answered within about `limits.timeout_s`."""
        if not data or len(data) > self.limits.max_bytes or file_format(filename) is None:
            return parse_activity(data, filename, tz, self.limits)  # decided from the size and name alone
        return await asyncio.to_thread(self._parse_blocking, bytes(data), filename, tz)

    def close(self) -> None:
        with self._lock:
            self._stop()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await asyncio.to_thread(self.close)

    @property
    def pid(self) -> int | None:
        """The worker process's id while it runs."""
        return self._process.pid if self._process is not None and self._process.poll() is None else None

    # --------------------------------------------------------------------------------- the parent side

    def _parse_blocking(self, data: bytes, filename: str, tz: ZoneInfo) -> Result:
        request = pickle.dumps((data, filename, tz, self.limits), protocol=pickle.HIGHEST_PROTOCOL)
        with self._lock:
            process = None
            for _ in range(2):  # a worker that died between two files is replaced once
                process = self._start()
                try:
                    write_message(process.stdin, request)
                    break
                except OSError:
                    self._stop()
                    process = None
            if process is None or process.stdout is None:
                return ActivityRejected(RejectReason.TOO_COMPLEX, detail="worker unavailable")
            ready, _, _ = select.select([process.stdout], [], [], self.limits.timeout_s)
            if not ready:
                self._stop()
                return ActivityRejected(RejectReason.TOO_SLOW, detail=f"over {self.limits.timeout_s} s")
            try:
                answer = _answer(read_message(process.stdout, _MAX_ANSWER_BYTES))
            except (EOFError, OSError, pickle.UnpicklingError, ValueError):  # it died mid-parse: memory, mostly
                self._stop()
                return ActivityRejected(RejectReason.TOO_COMPLEX, detail="worker died")
            if isinstance(answer, ActivityRejected) and answer.reason == RejectReason.TOO_COMPLEX:
                self._stop()  # a worker that ran out of memory may be left fragmented: the next file gets a new one
            return answer

    def _start(self) -> subprocess.Popen[bytes]:
        if self._process is not None and self._process.poll() is None:
            return self._process
        self._stop()
        self._process = subprocess.Popen(
            [sys.executable, "-m", "bot.activity.worker_main", str(self.limits.max_memory_bytes)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            close_fds=True,
        )
        return self._process

    def _stop(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        if process.poll() is None:
            process.kill()
        for stream in (process.stdin, process.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()
        process.wait(timeout=5)


class _AnswerUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in _ANSWER_CLASSES:
            raise pickle.UnpicklingError(f"{module}.{name} is not part of an answer")
        return super().find_class(module, name)


def _answer(payload: bytes) -> Result:
    answer = _AnswerUnpickler(io.BytesIO(payload)).load()
    if not isinstance(answer, ActivitySummary | ActivityRejected):
        raise ValueError("not an answer")
    return answer
