"""The errors the emulator answers with, shaped like Telegram's: ``{"ok": false, "error_code", "description"}``."""

from __future__ import annotations

from typing import Any

__all__ = ["JSON", "APIError", "bad_request", "blocked", "too_many_requests"]

JSON = dict[str, Any]


class APIError(Exception):
    """A Telegram-style error answer; raised anywhere in a method, answered by the HTTP layer."""

    def __init__(self, code: int, description: str, parameters: JSON | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def body(self) -> JSON:
        body: JSON = {"ok": False, "error_code": self.code, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(problem: str) -> APIError:
    return APIError(400, f"Bad Request: {problem}")


def blocked() -> APIError:
    return APIError(403, "Forbidden: bot was blocked by the user")


def too_many_requests(retry_after: int) -> APIError:
    return APIError(429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after})
