"""Watch files end to end: a runner sends a GPX, TCX or FIT file as a document, the bot fetches it through the
emulator's getFile, logs the session for the file's local day, compares it with that day's prescription and asks
only the pains and the effort. Files written by gpxpy, fit-tool and in Garmin's TCX layout (benchmarks/
activity_files.py); every bad file gets its own message and stores nothing."""

from __future__ import annotations

import csv
import io
import json
import logging
import re
from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import Any

import pytest
from sqlalchemy import select

from benchmarks.activity_files import RIDE, Stretch, continuous, fit_bytes, gpx_bytes, run_walk, tcx_bytes
from bot import texts
from bot.activity import ActivityLimits, ActivityWorker
from bot.storage import models
from emulator.models import BotMessage
from tests.e2e.conftest import RUNNER, Harness

DAY1 = date(2026, 10, 1)  # the harness clock: 2026-10-01 06:00 UTC, 08:00 in Berlin
CODE = DAY1.strftime("%Y%m%d")
EARLY = datetime(2026, 10, 1, 4, 30, tzinfo=UTC)  # 06:30 in Berlin
WRITERS = {"gpx": gpx_bytes, "tcx": tcx_bytes, "fit": fit_bytes}


@cache
def watch_file(kind: str, stretches: tuple[Stretch, ...], start: datetime = EARLY, **options: Any) -> bytes:
    return WRITERS[kind](stretches, start, every_s=2, **options)


RUN_WALK = tuple(run_walk(6, 60, 240))  # the level-1 session: 6 x (1 min run, 4 min walk)


async def send_file(h: Harness, data: bytes, name: str) -> list[BotMessage]:
    before = max((m.message_id for m in h.emulator.messages(RUNNER, include_user=True)), default=0)
    await h.user_does(lambda: h.emulator.user_sends_document(RUNNER, data, name))
    return [m for m in h.emulator.messages(RUNNER) if m.message_id > before]


async def logs(h: Harness) -> list[models.SessionLog]:
    async with h.coach_app.sessions() as session:
        return list((await session.execute(select(models.SessionLog).order_by(models.SessionLog.local_date))).scalars())


async def answer_the_pains(h: Harness, day: date, during: int = 0, after: int = 0, effort: int = 3) -> None:
    code = day.strftime("%Y%m%d")
    await h.tap(f"l:{code}:pain_during:{during}")
    await h.tap(f"l:{code}:pain_after:{after}")
    await h.tap(f"l:{code}:rpe:{effort}")


@pytest.mark.parametrize("kind", ["gpx", "tcx", "fit"])
async def test_a_run_walk_file_logs_the_session_after_the_checkin(harness: Harness, kind: str) -> None:
    h = harness
    await h.onboard()
    await h.send("/checkin")
    await h.checkin(DAY1)  # level 1: 6 run minutes prescribed
    replies = await send_file(h, watch_file(kind, RUN_WALK), f"Morning_Run.{kind.upper()}")
    assert len(replies) == 1
    assert [call.status for call in h.emulator.calls("getFile")] == [200]  # fetched through the Bot API
    text = replies[0].text or ""
    assert texts.FILE_COMPARED["as_prescribed"].format(ran=6, prescribed=6) in text
    assert f"{kind.upper()} file, 30 min: 6 running and 24 walking" in text
    assert text.endswith(texts.SESSION_QUESTIONS["pain_during"])
    await answer_the_pains(h, DAY1, during=0, after=1, effort=3)
    assert texts.SESSION_LOGGED.format(day=texts.TODAY_WORD) in h.last_text()
    (row,) = await logs(h)
    assert (row.local_date, row.done, row.source, row.sport) == (DAY1, "as_prescribed", kind, "running")
    assert (row.run_minutes, row.walk_minutes, row.pain_during, row.pain_after, row.rpe) == (6, 24, 0, 1, 3)
    assert row.distance_km is not None and 2.5 < row.distance_km < 3.2
    assert row.avg_hr is not None and row.avg_cadence is not None


async def test_yesterdays_file_before_the_checkin_counts_and_is_not_asked_again(harness: Harness) -> None:
    h = harness
    await h.onboard()
    await h.send("/checkin")
    await h.checkin(DAY1)
    h.clock.set(datetime(2026, 10, 2, 5, 0, tzinfo=UTC))
    await h.morning_round()  # the check-in prompt of 2 October is out; the runner sends yesterday's run first
    evening = datetime(2026, 10, 1, 16, 0, tzinfo=UTC)
    replies = await send_file(h, watch_file("fit", (*continuous(14 * 60),), evening), "run.fit")
    assert texts.FILE_COMPARED["more"].format(ran=14, prescribed=6) in (replies[0].text or "")
    await answer_the_pains(h, DAY1)
    replies = await h.checkin(DAY1 + timedelta(days=1))
    assert not any(texts.YESTERDAY_SESSION_MISSING in (m.text or "") for m in replies)
    (row,) = await logs(h)
    assert (row.local_date, row.done, row.run_minutes, row.walk_minutes) == (DAY1, "more", 14, 0)


async def test_a_second_file_for_the_day_asks_replace_or_add(harness: Harness) -> None:
    h = harness
    await h.onboard()
    await h.send("/checkin")
    await h.checkin(DAY1)
    await send_file(h, watch_file("gpx", RUN_WALK), "first.gpx")
    await answer_the_pains(h, DAY1, during=2, after=1, effort=4)
    later = datetime(2026, 10, 1, 15, 0, tzinfo=UTC)
    second = watch_file("tcx", (*continuous(10 * 60),), later)
    replies = await send_file(h, second, "second.tcx")
    assert "logged already" in (replies[0].text or "")
    assert [data for _, data in replies[0].buttons] == [f"fs:{CODE}:replace", f"fs:{CODE}:add"]
    await h.tap(f"fs:{CODE}:add")
    assert await h.forge(f"fs:{CODE}:add") == texts.STALE_BUTTON  # a double tap adds once
    await answer_the_pains(h, DAY1, during=0, after=0, effort=2)
    (row,) = await logs(h)
    assert (row.run_minutes, row.walk_minutes, row.source, row.done) == (16, 24, "tcx", "more")
    assert (row.pain_during, row.pain_after, row.rpe) == (2, 1, 4)  # the first session's pain is not hidden

    await send_file(h, second, "again.tcx")
    await h.tap(f"fs:{CODE}:replace")
    await answer_the_pains(h, DAY1, during=0, after=0, effort=2)
    (row,) = await logs(h)
    assert (row.run_minutes, row.walk_minutes, row.done) == (10, 0, "more")
    assert (row.pain_during, row.pain_after, row.rpe) == (0, 0, 2)


async def test_a_ride_is_offered_as_cross_training(harness: Harness) -> None:
    h = harness
    await h.onboard()
    ride = watch_file("fit", (Stretch(40 * 60, RIDE),), sport="cycling")
    replies = await send_file(h, ride, "ride.fit")
    assert (replies[0].text or "").startswith("That file is a cycling session (40 min on today)")
    await h.tap(f"l:{CODE}:done:cross_train")
    (row,) = await logs(h)
    assert (row.done, row.run_minutes, row.source) == ("cross_train", 0, None)


def _truncated(kind: str) -> bytes:
    data = watch_file(kind, RUN_WALK, name="Secret-Route-4711") if kind == "gpx" else watch_file(kind, RUN_WALK)
    return data[: len(data) * 2 // 3]


BAD_FILES: list[tuple[str, Any, str]] = [
    ("empty", lambda: b"", "run.gpx"),
    ("unknown_extension", lambda: b"%PDF-1.7", "run.pdf"),
    ("too_large", lambda: bytes(20 * 1024 * 1024 + 1), "huge.fit"),
    ("corrupt", lambda: _truncated("fit"), "cut.fit"),
    ("corrupt", lambda: _truncated("gpx"), "cut.gpx"),
    ("not_activity", lambda: b"\x89PNG\r\n\x1a\n" + bytes(64), "photo.fit"),
    ("no_timestamps", lambda: gpx_bytes(run_walk(2), EARLY, timestamps=False), "route.gpx"),
    ("too_old", lambda: watch_file("gpx", RUN_WALK, EARLY - timedelta(days=10)), "old.gpx"),
    ("in_future", lambda: watch_file("gpx", RUN_WALK, EARLY + timedelta(days=2)), "future.gpx"),
]


@pytest.mark.parametrize(("code", "make", "name"), BAD_FILES, ids=[f"{c}-{n}" for c, _, n in BAD_FILES])
async def test_a_bad_file_gets_its_own_message_and_stores_nothing(
    harness: Harness, caplog: pytest.LogCaptureFixture, code: str, make: Any, name: str
) -> None:
    h = harness
    await h.onboard()
    with caplog.at_level(logging.DEBUG):
        replies = await send_file(h, make(), name)
    day = {"too_old": "Mon 21 Sep", "in_future": "Sat 03 Oct"}.get(code, "")
    assert [m.text for m in replies] == [texts.FILE_REJECTED[code].format(day=day)]
    assert await logs(h) == []
    if code in ("empty", "unknown_extension", "too_large"):  # the name and size decide: no download
        assert h.emulator.calls("getFile") == []
    assert "Traceback" not in caplog.text and "Secret-Route-4711" not in caplog.text
    async with h.coach_app.sessions() as session:
        user = (await session.execute(select(models.User))).scalar_one()
    assert user.flow is None  # no question left open


@pytest.mark.parametrize(("code", "limits"), [("too_slow", {"timeout_s": 0.0}), ("too_complex", {"max_points": 50})])
async def test_a_file_over_the_parse_bounds_is_refused(harness: Harness, code: str, limits: dict[str, float]) -> None:
    h = harness
    await h.onboard()
    router = h.coach_app.router
    bounded = ActivityWorker(ActivityLimits(**limits))  # type: ignore[arg-type]
    router.activity, default = bounded, router.activity
    try:
        replies = await send_file(h, watch_file("gpx", RUN_WALK), "run.gpx")
    finally:
        router.activity = default
        bounded.close()
    assert [m.text for m in replies] == [texts.FILE_REJECTED[code].format(day="")]
    assert await logs(h) == []


async def test_a_file_before_the_days_checkin_and_during_another_question(harness: Harness) -> None:
    h = harness
    await h.onboard()
    await h.send("/settings")
    await h.tap("s:timezone")  # a typed question is open
    replies = await send_file(h, watch_file("gpx", RUN_WALK), "run.gpx")
    assert [m.text for m in replies] == [texts.FILE_FINISH_FIRST]
    assert await logs(h) == []
    await h.send("/cancel")
    replies = await send_file(h, watch_file("gpx", RUN_WALK), "run.gpx")
    assert texts.FILE_NO_PLAN_YET.format(day=texts.TODAY_WORD, ran=6) in (replies[0].text or "")
    await answer_the_pains(h, DAY1)
    await h.send("/checkin")  # the check-in still comes, and gives the day's plan
    await h.checkin(DAY1)
    (row,) = await logs(h)
    assert (row.done, row.run_minutes, row.source) == ("more", 6, "gpx")


async def test_a_file_before_set_up_logs_nothing(harness: Harness) -> None:
    h = harness
    await h.send("/start")
    replies = await send_file(h, watch_file("gpx", RUN_WALK), "run.gpx")
    assert replies[0].text == texts.FINISH_ONBOARDING  # and the open set-up question again
    assert await logs(h) == []


async def test_file_data_shows_in_history_and_export(harness: Harness) -> None:
    h = harness
    await h.onboard()
    await h.send("/checkin")
    await h.checkin(DAY1)
    await send_file(h, watch_file("gpx", RUN_WALK), "run.gpx")
    await answer_the_pains(h, DAY1)
    history = await h.send("/history")
    assert texts.HISTORY_FILES_HEADER in (history[-1].text or "")
    assert "01 Oct: GPX file, 30 min: 6 running and 24 walking" in (history[-1].text or "")
    (row,) = await logs(h)
    progress = await h.send("/progress")
    assert texts.SUMMARY_FILES.format(count=1, km=row.distance_km) in (progress[-1].caption or "")
    await h.send("/export")
    files = {f.filename: f.content or b"" for f in h.emulator.files() if f.kind == "document"}
    (logged,) = json.loads(files[texts.EXPORT_ALL_FILENAME])["session_logs"]
    assert (logged["source"], logged["walk_minutes"], logged["sport"]) == ("gpx", 24.0, "running")
    (daily,) = list(csv.DictReader(io.StringIO(files[texts.EXPORT_DAILY_FILENAME].decode())))
    assert (daily["session_source"], daily["session_walk_minutes"], daily["session_run_minutes"]) == (
        "gpx",
        "24.0",
        "6.0",
    )


async def test_distances_in_miles_for_us_english_and_as_chosen_in_settings(harness: Harness) -> None:
    """Issue 18: km by default, miles where Telegram reports en-US, unless changed in /settings."""
    h = harness
    h.language_codes[RUNNER] = "en-US"
    await h.onboard()
    await h.send("/checkin")
    await h.checkin(DAY1)
    text = (await send_file(h, watch_file("gpx", RUN_WALK), "run.gpx"))[0].text or ""
    (row,) = await logs(h)
    assert row.distance_km is not None
    assert f", {row.distance_km / 1.609344:.1f} mi" in text and not re.search(r"\d km\b", text)
    await answer_the_pains(h, DAY1)
    menu = await h.send("/settings")
    assert (texts.UNITS_BUTTON, "un:units") in menu[0].buttons
    choices = await h.tap("un:units")
    assert [label for label, _ in choices[-1].buttons] == [texts.UNIT_NAMES["km"], texts.UNIT_NAMES["mi"]]
    assert (await h.tap("uns:km"))[-1].text == texts.UNITS_SAVED["km"]
    history = "\n".join(m.text or "" for m in await h.send("/history"))
    assert f", {row.distance_km:.1f} km" in history and not re.search(r"\d mi\b", history)
    assert await h.forge("uns:ft") is not None  # not a unit we offer: refused, nothing changed
