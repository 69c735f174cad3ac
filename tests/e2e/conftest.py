"""End-to-end harness: the real Application, python-telegram-bot's real HTTP stack, the Bot API emulator on
loopback, a real SQLite file and a controlled clock. No sleeps: each step waits for the update to be handled."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from bot import app
from bot.clock import FakeClock
from bot.config import load_settings
from bot.storage import repository
from bot.storage.migrate import upgrade
from bot.timezones import COMMON_ZONES
from bot.usecases import plan
from emulator.models import BotMessage
from emulator.server import BotAPIEmulator

RUNNER = 1001
START = datetime(2026, 10, 1, 6, 0, tzinfo=UTC)


class Harness:
    paced = True  # the bot's own send pacing (prompts: 1 message a second per chat), as in production

    def __init__(self, emulator: BotAPIEmulator, database_url: str, clock: FakeClock) -> None:
        self.emulator = emulator
        self.database_url = database_url
        self.clock = clock
        self.runback: app.RunBack | None = None
        self._expected = 0
        self.language_codes: dict[int, str | None] = {}  # a person's Telegram language_code (default "en")

    # --------------------------------------------------------------- lifecycle

    async def start(self) -> None:
        settings = replace(
            load_settings({"RUNBACK_DATABASE_URL": self.database_url}),
            telegram_api_url=self.emulator.base_url,
        )
        limits: dict[str, Any] = {} if self.paced else {"overall_per_s": None, "per_chat_per_s": None}
        runback = app.build(settings, self.clock, token=self.emulator.token, scheduler=False, **limits)
        self._expected = 0
        await app.start(runback, poll_timeout=1)
        self.runback = runback

    async def stop(self) -> None:
        if self.runback is not None:
            await app.stop(self.runback)
            self.runback = None

    async def restart(self) -> None:
        await self.stop()
        await self.start()

    @property
    def coach_app(self) -> app.RunBack:
        assert self.runback is not None
        return self.runback

    # --------------------------------------------------------------- the user's side

    def _last_id(self, chat_id: int) -> int:
        return max((m.message_id for m in self.emulator.messages(chat_id, include_user=True)), default=0)

    async def _handled_all(self) -> None:
        await self.coach_app.wait_until_handled(self._expected)

    async def send(self, text: str, chat_id: int = RUNNER, **kwargs: object) -> list[BotMessage]:
        before = self._last_id(chat_id)
        kwargs.setdefault("language_code", self.language_codes.get(chat_id, "en"))
        self.emulator.user_sends(chat_id, text, **kwargs)  # type: ignore[arg-type]
        self._expected += 1
        await self._handled_all()
        return [m for m in self.emulator.messages(chat_id) if m.message_id > before]

    async def tap(self, callback_data: str, chat_id: int = RUNNER, message_id: int | None = None) -> list[BotMessage]:
        """Tap the button with this callback data on the newest bot message that has it."""
        if message_id is None:
            for message in reversed(self.emulator.messages(chat_id)):
                if callback_data in [data for _, data in message.buttons]:
                    message_id = message.message_id
                    break
            else:
                raise AssertionError(f"no message in chat {chat_id} has a button {callback_data!r}")
        before = self._last_id(chat_id)
        self.emulator.user_presses(
            chat_id, message_id, callback_data, language_code=self.language_codes.get(chat_id, "en")
        )
        self._expected += 1
        await self._handled_all()
        return [m for m in self.emulator.messages(chat_id) if m.message_id > before]

    async def forge(self, callback_data: str, chat_id: int = RUNNER, message_id: int | None = None) -> str | None:
        """Press a button that is not there (forged data); returns the callback answer text."""
        target = message_id if message_id is not None else self._last_id(chat_id)
        answers_before = len(self.emulator.callback_answers)
        self.emulator.user_presses(chat_id, target, callback_data, force=True)
        self._expected += 1
        await self._handled_all()
        answers = self.emulator.callback_answers[answers_before:]
        return answers[-1].text if answers else None

    async def user_does(self, queue_update: Callable[[], object]) -> None:
        """Queue any update (a sticker, a group message, a forged update...) and wait until it is handled."""
        queue_update()
        self._expected += 1
        await self._handled_all()

    async def morning_round(self) -> int:
        return await self.coach_app.morning_round()

    def texts(self, chat_id: int = RUNNER) -> list[str]:
        return [m.text or m.caption or "" for m in self.emulator.messages(chat_id)]

    def last_text(self, chat_id: int = RUNNER) -> str:
        message = self.emulator.last_message(chat_id)
        assert message is not None
        return message.text or message.caption or ""

    # --------------------------------------------------------------- common journeys

    async def onboard(
        self,
        chat_id: int = RUNNER,
        *,
        zone: str = "Europe/Berlin",
        site: str = "tibia_posteromedial",
        diagnosed: str = "2026-08-20",
        cleared_on: str | None = "today",
        ready: bool = True,
        reds_yes: int = 0,
        checkin_time: str = "07:00",
    ) -> None:
        await self.send("/start", chat_id)
        await self.tap("o:consent:1", chat_id)
        if zone in COMMON_ZONES:  # a button; anything else is typed
            await self.tap(f"o:timezone:{zone}", chat_id)
        else:
            await self.send(zone, chat_id)
        await self.tap(f"o:site:{site}", chat_id)
        await self.send(diagnosed, chat_id)
        if cleared_on is None:
            await self.tap("o:cleared:0", chat_id)
        else:
            await self.tap("o:cleared:1", chat_id)
            if cleared_on == "today":
                await self.tap("o:cleared_date:today", chat_id)
            else:
                await self.send(cleared_on, chat_id)
        await self.tap("o:weekly_minutes:150", chat_id)
        await self.tap("o:runs_per_week:4", chat_id)
        for step in ("ready_walk", "ready_daily", "ready_press", "ready_hops"):
            await self.tap(f"o:{step}:{1 if ready else 0}", chat_id)
        for i, step in enumerate(("reds_periods", "reds_weight", "reds_eating", "reds_previous")):
            await self.tap(f"o:{step}:{1 if i < reds_yes else 0}", chat_id)
        if reds_yes >= 2:
            await self.tap("o:reds_review:0", chat_id)
        await self.tap(f"o:checkin_time:{checkin_time}", chat_id)

    async def checkin(self, day: date, chat_id: int = RUNNER, **answers: object) -> list[BotMessage]:
        """Answer every check-in question (defaults: no symptoms, 8 h sleep, fatigue 2)."""
        values: dict[str, object] = {
            "pain_rest": 0,
            "pain_walking": 0,
            "pain_next_day": 0,
            "tenderness": 0,
            "swelling": 0,
            "limping": 0,
            "night_pain": 0,
            "sleep_hours": 8,
            "fatigue": 2,
        } | answers
        code = day.strftime("%Y%m%d")
        replies: list[BotMessage] = []
        for _ in values:  # the check-in message asks one question at a time: answer what it asks
            asked = [
                (message.message_id, data.split(":")[2])
                for message in self.emulator.messages(chat_id)
                for _, data in message.buttons
                if data is not None and data.startswith(f"c:{code}:")
            ]
            if not asked:
                break
            message_id, field = asked[-1]
            replies = await self.tap(f"c:{code}:{field}:{values[field]}", chat_id, message_id=message_id)
        return replies


def backend_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """SQLite by default; PostgreSQL for a test parametrized with `harness` = "postgresql" (indirect), or for
    every test when RUNBACK_TEST_BACKEND=postgresql."""
    backend = getattr(request, "param", None) or os.environ.get("RUNBACK_TEST_BACKEND", "sqlite")
    if backend == "postgresql":
        return str(request.getfixturevalue("pg_url"))
    return f"sqlite+aiosqlite:///{tmp_path / 'runback.db'}"


class UnpacedHarness(Harness):
    """The harness without the bot's own send pacing (1 message a second per chat would make long tests slow)."""

    paced = False


@asynccontextmanager
async def running_harness(database_url: str, harness_class: type[Harness] = Harness) -> AsyncIterator[Harness]:
    """A migrated database, the emulator and the started bot; every request the bot made must have been valid."""
    await asyncio.to_thread(upgrade, database_url)
    async with BotAPIEmulator() as emulator:
        h = harness_class(emulator, database_url, FakeClock(START))
        await h.start()
        try:
            yield h
        finally:
            await h.stop()
        assert emulator.validation_errors == [], emulator.validation_errors


@pytest.fixture
async def harness(tmp_path: Path, request: pytest.FixtureRequest) -> AsyncIterator[Harness]:
    async with running_harness(backend_database_url(request, tmp_path)) as h:
        yield h


async def live_compliant_day(sessions: Any, user_id: int, day: date, now: datetime) -> None:
    """One day of a runner who checks in symptom-free (a good night) and does the prescribed run as
    prescribed, pain-free, through the bot's own storage and planning (fast, no Telegram round trips)."""
    async with sessions() as session, session.begin():
        for field, value in (plan.NEUTRAL_FILL | {"fatigue": 2}).items():
            await repository.save_checkin_answer(session, user_id, day, field, value, now)
        await repository.mark_checkin_complete(session, user_id, day, now)
    async with sessions() as session, session.begin():
        change = await plan.decide_and_store(session, user_id, day, now)
        assert change is not None
        if change.decision.action == "run_walk":
            session_answers = {
                "done": "as_prescribed", "run_minutes": change.decision.run_minutes, "pain_during": 0,
                "pain_after": 0, "rpe": 3,
            }
            for field, value in session_answers.items():
                await repository.save_session_answer(session, user_id, day, field, value, now)


async def log_painful_session(harness: Harness, day: date) -> None:
    """/log for `day`: done as prescribed with bone pain 4 during (a drop back), effort 4."""
    code = day.strftime("%Y%m%d")
    await harness.send("/log")
    for data in (f"ld:{code}", f"l:{code}:done:as_prescribed", f"l:{code}:pain_during:4", f"l:{code}:pain_after:0"):
        await harness.tap(data)
    await harness.tap(f"l:{code}:rpe:4")
