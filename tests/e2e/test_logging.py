"""No token and no message text in the logs, at DEBUG level too, errors included."""

from __future__ import annotations

import io
import logging
import traceback

import pytest

from bot.config import RedactingFormatter, configure_logging
from tests.e2e.conftest import Harness


class _Everything(logging.Handler):
    """Keeps every record, formatted without any redaction, so the test sees what would be written."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if record.exc_info:
            text += "".join(traceback.format_exception(*record.exc_info))
        self.lines.append(f"{record.name}: {text}")


@pytest.fixture
def all_logs() -> _Everything:
    configure_logging("DEBUG", secrets=[])
    handler = _Everything()
    logging.getLogger().addHandler(handler)
    yield handler
    logging.getLogger().removeHandler(handler)
    configure_logging("WARNING")


async def test_token_and_message_text_never_reach_the_logs(harness: Harness, all_logs: _Everything) -> None:
    secret_text = "my left shin hurts like crazy"
    await harness.send("/start")
    await harness.send(secret_text)
    harness.emulator.fail_next("sendMessage", "500")
    harness.emulator.fail_next("sendMessage", "429", retry_after=1)
    await harness.send("/help")
    harness.emulator.fail_next("sendMessage", "403")
    await harness.send("/help")
    token = harness.emulator.token
    assert all_logs.lines, "the test must see log records"
    leaks = [line for line in all_logs.lines if token in line or token.split(":")[1] in line or secret_text in line]
    assert leaks == []


def test_the_formatter_redacts_a_token_that_slips_through() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(RedactingFormatter("%(message)s", ["123:SECRET"]))
    logger = logging.getLogger("runback.test-redaction")
    logger.addHandler(handler)
    try:
        try:
            raise RuntimeError("POST https://api.telegram.org/bot123:SECRET/sendMessage failed")
        except RuntimeError:
            logger.exception("call failed for bot123:SECRET")
    finally:
        logger.removeHandler(handler)
    assert "123:SECRET" not in stream.getvalue()
    assert "[REDACTED]" in stream.getvalue()
