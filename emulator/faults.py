"""Faults a test injects: failed calls (429/5xx/403/400/timeouts), Telegram down, and rate limits."""

from __future__ import annotations

import collections
import dataclasses
import math
from collections.abc import Callable
from typing import Literal

from emulator.errors import JSON, APIError, too_many_requests

__all__ = ["Fault", "FaultKind", "Faults", "RateLimits", "Unreachable"]

FaultKind = Literal["429", "500", "502", "403", "timeout", "400"]
Unreachable = Literal["disconnect", "502"]


@dataclasses.dataclass
class Fault:
    """One :meth:`Faults.fail_next` order, used up ``remaining`` calls from now."""

    method: str  # lower-case method name, or "*"
    kind: FaultKind
    remaining: int
    retry_after: int
    chat_id: int | str | None
    delay: float | None
    apply: bool
    description: str | None

    def error(self) -> APIError:
        """The answer of a fault other than ``"timeout"``."""
        if self.kind == "429":
            return too_many_requests(self.retry_after)
        if self.kind == "500":
            return APIError(500, self.description or "Internal Server Error")
        if self.kind == "502":
            return APIError(502, self.description or "Bad Gateway")
        if self.kind == "403":
            return APIError(403, self.description or "Forbidden: bot was blocked by the user")
        return APIError(400, self.description or "Bad Request: injected fault")


class Faults:
    """The faults ordered by a test, taken by the calls they match, and whether Telegram is down."""

    def __init__(self, fault_delay: float) -> None:
        self.fault_delay = fault_delay
        self.unreachable: Unreachable | None = None
        self._orders: list[Fault] = []

    def fail_next(
        self,
        method: str,
        kind: FaultKind,
        *,
        times: int = 1,
        retry_after: int = 1,
        chat_id: int | str | None = None,
        delay: float | None = None,
        apply: bool = False,
        description: str | None = None,
    ) -> None:
        """Make the next ``times`` calls of ``method`` (``"*"`` = any) fail.

        ``kind``: ``"429"`` Too Many Requests with ``retry_after``; ``"500"`` Internal Server
        Error; ``"502"`` Bad Gateway; ``"403"`` bot was blocked by the user; ``"400"`` a Bad
        Request (``description`` overrides the text); ``"timeout"`` holds the request for ``delay``
        seconds (default ``fault_delay``) without blocking other requests, then answers
        ``504 Gateway Timeout`` — or, with ``apply=True``, performs the call (the message *is*
        delivered) and answers normally after the delay, the way a send that timed out on the
        client can still have reached the user.  ``chat_id`` restricts the fault to calls for
        that chat.  Faults apply after validation (an invalid request is still a 400).
        """
        self._orders.append(Fault(method.lower(), kind, times, retry_after, chat_id, delay, apply, description))

    def clear(self) -> None:
        self._orders.clear()

    def take(self, method: str, params: JSON) -> Fault | None:
        """The first fault ordered for this call, used up by one."""
        for fault in self._orders:
            if fault.method not in ("*", method.lower()):
                continue
            if fault.chat_id is not None and params.get("chat_id") != fault.chat_id:
                continue
            fault.remaining -= 1
            if fault.remaining <= 0:
                self._orders.remove(fault)
            return fault
        return None

    def hold_for(self, fault: Fault) -> float:
        """How long a ``"timeout"`` fault holds its request."""
        return fault.delay if fault.delay is not None else self.fault_delay


class RateLimits:
    """Telegram's flood limits as sliding one-second windows on the emulator's clock.

    ``overall`` sends a second in all, ``per_chat`` to one chat (``None``: no limit); a send over
    either is refused with ``429 Too Many Requests`` and the ``retry_after`` that frees the window.
    """

    def __init__(self, overall: float | None, per_chat: float | None, clock: Callable[[], float]) -> None:
        self.overall = overall
        self.per_chat = per_chat
        self._clock = clock
        self._sends: collections.deque[float] = collections.deque()
        self._chat_sends: dict[int, collections.deque[float]] = collections.defaultdict(collections.deque)

    def check(self, chat_id: int) -> None:
        """Raise 429 if one more send to ``chat_id`` now would go over a limit."""
        now = self._clock()
        for limit, window in ((self.overall, self._sends), (self.per_chat, self._chat_sends[chat_id])):
            if limit is None:
                continue
            while window and window[0] <= now - 1.0:
                window.popleft()
            if len(window) >= limit:
                raise too_many_requests(max(1, math.ceil(window[0] + 1.0 - now)))

    def count(self, chat_id: int) -> None:
        """A send to ``chat_id`` went through: it takes its place in both windows."""
        now = self._clock()
        self._sends.append(now)
        self._chat_sends[chat_id].append(now)
