"""Telegram failing, through the emulator: 429, 5xx, timeouts, 403, an unreachable Telegram."""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
import pytest
from telegram.error import NetworkError, TimedOut

from bot import app, texts
from bot.clock import FakeClock
from bot.config import load_settings
from bot.replies import Reply
from bot.storage.migrate import upgrade
from bot.telegram.sending import BACKOFF_SECONDS, SEND_ATTEMPTS, deliver
from bot.telegram.transport import SurelyNotSent
from emulator.server import BotAPIEmulator
from tests.e2e.conftest import RUNNER, START, Harness
from tests.reliability.conftest import sql

OTHERS = (1002, 1003, 1004)


def _sends(harness: Harness, chat_id: int = RUNNER) -> list[tuple[int, float]]:
    return [(r.status, r.time) for r in harness.emulator.calls("sendMessage") if r.params.get("chat_id") == chat_id]


def _short_read_timeout(harness: Harness, seconds: float = 0.3) -> None:
    """Let the bot give up waiting for an answer after `seconds` (PTB's default is 5 s)."""
    harness.coach_app.application.bot.request._read_timeout = seconds  # type: ignore[attr-defined]


async def test_a_429_is_waited_out_and_the_message_sent_once(harness: Harness) -> None:
    harness.emulator.fail_next("sendMessage", "429", retry_after=1, times=2)
    replies = await harness.send("/help")
    assert [m.text for m in replies] == [texts.HELP]
    calls = _sends(harness)
    assert [status for status, _ in calls] == [429, 429, 200]
    gaps = [b - a for (_, a), (_, b) in itertools.pairwise(calls)]
    assert all(1.0 <= gap < 1.6 for gap in gaps), gaps  # retry_after honoured, and waited once per 429
    assert harness.emulator.duplicate_texts(RUNNER) == []


async def test_429_beyond_the_rate_limiters_retries_is_waited_once_more_by_deliver(harness: Harness) -> None:
    # the bot's rate limiter retries a 429 itself `max_retries` times, then raises RetryAfter to deliver(),
    # which waits once more and sends again
    retries = harness.coach_app.application.bot.rate_limiter._max_retries  # type: ignore[union-attr]
    harness.emulator.fail_next("sendMessage", "429", retry_after=1, times=retries + 1)
    replies = await harness.send("/help")
    assert [m.text for m in replies] == [texts.HELP]
    calls = _sends(harness)
    assert [status for status, _ in calls] == [429] * (retries + 1) + [200]
    gaps = [b - a for (_, a), (_, b) in itertools.pairwise(calls)]
    assert all(1.0 <= gap < 1.6 for gap in gaps), gaps  # never two waits for one 429
    assert harness.emulator.sent_count(RUNNER) == 1


async def test_5xx_is_retried_with_backoff(harness: Harness) -> None:
    harness.emulator.fail_next("sendMessage", "500", times=1)
    harness.emulator.fail_next("sendMessage", "502", times=1)
    replies = await harness.send("/help")
    assert [m.text for m in replies] == [texts.HELP]
    calls = _sends(harness)
    assert [status for status, _ in calls] == [500, 502, 200]
    gaps = [b - a for (_, a), (_, b) in itertools.pairwise(calls)]
    assert BACKOFF_SECONDS[0] <= gaps[0] < BACKOFF_SECONDS[0] + 0.4
    assert BACKOFF_SECONDS[1] <= gaps[1] < BACKOFF_SECONDS[1] + 0.4


class _FailingBot:
    """Stands in for telegram.Bot: every send fails the same way."""

    def __init__(self, error: Exception) -> None:
        self.error = error
        self.calls = 0

    async def _post(self, method: str, data: object) -> None:
        self.calls += 1
        raise self.error


def _timed_out(cause: Exception) -> TimedOut:
    try:
        raise TimedOut() from cause
    except TimedOut as error:
        return error


def _dropped() -> NetworkError:
    """What the transport raises when the connection drops after the request was sent."""
    try:
        raise NetworkError("aiohttp.ServerDisconnectedError") from aiohttp.ServerDisconnectedError()
    except NetworkError as error:
        return error


@pytest.mark.parametrize(
    ("error", "edit", "calls"),
    [
        (NetworkError("Internal Server Error"), False, SEND_ATTEMPTS),  # an answered 5xx: bounded retries
        (_timed_out(SurelyNotSent("no connection")), False, SEND_ATTEMPTS),  # never reached Telegram: retried
        (SurelyNotSent("connection refused"), False, SEND_ATTEMPTS),
        (_timed_out(TimeoutError()), False, 1),  # may have been delivered: at most once
        (_dropped(), False, 1),  # dropped mid-request: at most once
        (_timed_out(TimeoutError()), True, SEND_ATTEMPTS),  # an edit is idempotent: retried
    ],
)
async def test_retries_are_bounded_and_unknown_outcomes_not_repeated(error: Exception, edit: bool, calls: int) -> None:
    bot = _FailingBot(error)
    waits: list[float] = []
    blocked: list[int] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    async def on_blocked(chat_id: int) -> None:
        blocked.append(chat_id)

    reply = Reply(RUNNER, "hello", edit_message_id=5 if edit else None)
    assert await deliver(bot, reply, on_blocked, sleep) is False  # type: ignore[arg-type]
    assert bot.calls == calls
    assert waits == list(BACKOFF_SECONDS[: calls - 1])
    assert blocked == []


async def test_a_send_that_timed_out_after_delivery_is_not_sent_twice(harness: Harness) -> None:
    _short_read_timeout(harness)
    harness.emulator.fail_next("sendMessage", "timeout", apply=True, delay=1.0)
    await harness.send("/help")
    await asyncio.sleep(1.0)  # the held request ends
    assert harness.texts() == [texts.HELP]  # delivered once, not repeated
    assert len(_sends(harness)) == 1
    harness.emulator.fail_next("sendMessage", "timeout", apply=False, delay=1.0)
    await harness.send("/help")  # timed out and not delivered: lost, by design (at most once)
    await asyncio.sleep(1.0)
    assert harness.texts() == [texts.HELP]
    replies = await harness.send("/help")  # and the bot goes on
    assert [m.text for m in replies] == [texts.HELP]


async def test_a_timed_out_edit_is_retried(harness: Harness) -> None:
    await harness.onboard()
    await harness.tap("n:checkin")
    _short_read_timeout(harness)
    harness.emulator.fail_next("editMessageText", "timeout", apply=False, delay=1.0)
    replies = await harness.tap("c:20261001:pain_rest:2")
    edits = harness.emulator.calls("editMessageText")
    assert [r.status for r in edits][-2:] == [0, 200] or [r.status for r in edits][-2:] == [504, 200]
    question = harness.emulator.message(RUNNER, edits[-1].params["message_id"])
    assert "✓ Pain at rest: 2" in (question.text or "") and "(2 of 9)" in (question.text or "")
    assert replies == []  # the next question is that message, edited: nothing sent twice
    await asyncio.sleep(0.8)


async def test_blocked_runner_goes_inactive_and_any_message_reactivates(harness: Harness) -> None:
    await harness.onboard()
    # Telegram also sends a my_chat_member update: it is handled (counted) and changes nothing by itself
    await harness.user_does(lambda: harness.emulator.block(RUNNER, notify=True))
    harness.clock.set(datetime(2026, 10, 2, 5, 0, tzinfo=UTC))
    assert await harness.morning_round() == 0
    assert await sql(harness, "SELECT active, reminder_at FROM users") == [(0, None)]
    harness.clock.set(datetime(2026, 10, 3, 5, 0, tzinfo=UTC))
    calls = len(harness.emulator.calls("sendMessage"))
    assert await harness.morning_round() == 0
    assert len(harness.emulator.calls("sendMessage")) == calls  # not even tried
    harness.emulator.unblock(RUNNER, notify=False)
    await harness.send("what's today?")
    assert await sql(harness, "SELECT active FROM users") == [(1,)]
    harness.clock.set(datetime(2026, 10, 4, 5, 0, tzinfo=UTC))
    assert await harness.morning_round() == 1


async def test_one_failing_chat_never_stops_the_morning_round(harness: Harness) -> None:
    for chat in (RUNNER, *OTHERS):
        await harness.onboard(chat)
    _short_read_timeout(harness)
    harness.emulator.fail_next("sendMessage", "500", times=10, chat_id=OTHERS[0])  # down for that chat
    harness.emulator.fail_next("sendMessage", "403", chat_id=OTHERS[1])
    harness.emulator.fail_next("sendMessage", "timeout", chat_id=OTHERS[2], delay=1.0)
    harness.clock.set(datetime(2026, 10, 2, 5, 0, tzinfo=UTC))
    before = len(_sends(harness, OTHERS[0]))
    assert await harness.morning_round() == 1
    assert harness.texts(RUNNER)[-1].startswith("Good morning")
    for chat in OTHERS:
        assert not harness.texts(chat)[-1].startswith("Good morning")
    assert len(_sends(harness, OTHERS[0])) - before == SEND_ATTEMPTS  # bounded: 4 tries, then given up
    assert await sql(harness, "SELECT telegram_id FROM users WHERE active = 0") == [(OTHERS[1],)]
    await asyncio.sleep(0.8)


async def test_unreachable_at_start_then_connects_and_survives_an_outage(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'runback.db'}"
    await asyncio.to_thread(upgrade, url)
    async with BotAPIEmulator() as emulator:
        settings = replace(load_settings({"RUNBACK_DATABASE_URL": url}), telegram_api_url=emulator.base_url)
        runback = app.build(settings, FakeClock(START), token=emulator.token, scheduler=False)
        emulator.set_unreachable(True)
        starting = asyncio.create_task(app.start(runback, poll_timeout=1, retry_every_s=0.05))
        try:
            await asyncio.sleep(0.6)
            assert not starting.done()  # still waiting, not crashed
            tries = len(emulator.calls("getMe"))
            assert tries >= 3
            emulator.set_unreachable(False)
            await asyncio.wait_for(starting, 5)
            emulator.user_sends(RUNNER, "/help")
            await runback.wait_until_handled(1)
            assert [m.text for m in emulator.messages(RUNNER)] == [texts.HELP]
            emulator.set_unreachable(True)  # an outage while running: polling fails, the bot keeps going
            await asyncio.sleep(0.5)
            emulator.set_unreachable(False)
            emulator.user_sends(RUNNER, "/help")
            await runback.wait_until_handled(2, timeout=10)
            assert [m.text for m in emulator.messages(RUNNER)] == [texts.HELP, texts.HELP]
        finally:
            starting.cancel()
            await app.stop(runback)
        assert emulator.validation_errors == []
