"""Alerts a physio can live with (issue 16), end to end: missed check-ins (a nudge, one alert, one "back"),
a burst about one runner within 10 minutes as one message, preferences, and alerts in plain words."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from bot.storage import models
from bot.timezones import local_date
from tests.e2e.conftest import RUNNER, Harness, log_painful_session
from tests.e2e.test_care_team import CLINICIAN, COACH, DAY1, follow, runner_id
from tests.e2e.test_coaching import seed_compliant_days

ZONE = "Europe/Berlin"  # the runner's (check-in at 07:00, 05:00 UTC in October)


def _texts(harness: Harness, chat_id: int, since: int = 0) -> list[str]:
    return [m.text or m.caption or "" for m in harness.emulator.messages(chat_id)[since:]]


async def _rounds(harness: Harness, until: datetime, step: timedelta = timedelta(minutes=30)) -> dict[date, list[str]]:
    """Run the morning round every `step` until `until`; the runner's messages by their local day."""
    by_day: dict[date, list[str]] = {}
    while harness.clock.now() < until:
        before = len(harness.emulator.messages(RUNNER))
        await harness.morning_round()
        day = local_date(harness.clock.now(), ZONE)
        by_day.setdefault(day, []).extend(_texts(harness, RUNNER, before))
        harness.clock.advance(step)
    return by_day


async def _runner_row(harness: Harness) -> models.User:
    async with harness.coach_app.sessions() as session:
        return (await session.execute(select(models.User).where(models.User.telegram_id == RUNNER))).scalar_one()


async def test_three_silent_days_give_one_nudge_one_follower_alert_and_one_back_alert(harness: Harness) -> None:
    await harness.onboard()
    await follow(harness, COACH, "coach", "Coach Kim")
    await harness.send("/checkin")
    await harness.checkin(DAY1.date())  # Thursday 1 October, then nothing until Tuesday
    seen = len(harness.emulator.messages(COACH))
    harness.clock.set(datetime(2026, 10, 2, 0, 0, tzinfo=UTC))
    by_day = await _rounds(harness, datetime(2026, 10, 6, 4, 0, tzinfo=UTC))
    for day in (date(2026, 10, 2), date(2026, 10, 3), date(2026, 10, 4), date(2026, 10, 5)):
        assert len(by_day[day]) == 2, (day, by_day[day])  # the prompt and one reminder: never a third message
    nudges = [(day, t) for day, texts in by_day.items() for t in texts if "haven't heard from you" in t]
    assert len(nudges) == 1 and nudges[0][0] == date(2026, 10, 4) and "for 2 days" in nudges[0][1]
    silent = [t for t in _texts(harness, COACH, seen) if "No check-in" in t]
    assert silent == ["📭 No check-in from Runner since Thu 01 Oct (3 days)."]
    # Tuesday: the runner checks in again; the coach hears it once (held 10 minutes, then the round sends it)
    harness.clock.set(datetime(2026, 10, 6, 6, 0, tzinfo=UTC))
    await harness.send("/checkin")
    await harness.checkin(date(2026, 10, 6))
    await _rounds(harness, datetime(2026, 10, 6, 12, 0, tzinfo=UTC), timedelta(minutes=5))
    back = [t for t in _texts(harness, COACH, seen) if "checked in again" in t]
    assert back == ["📬 Runner checked in again after 5 days."]
    assert len([t for t in _texts(harness, COACH, seen) if "No check-in" in t]) == 1
    runner = await _runner_row(harness)
    assert not runner.silence_nudged and not runner.silence_alerted  # a new silence is told again


async def test_a_clinician_sets_the_missed_check_in_alert_to_2_days_and_a_coach_cannot(harness: Harness) -> None:
    await harness.onboard()
    await follow(harness, COACH, "coach", "Coach Kim")
    await follow(harness, CLINICIAN, "clinician", "Dr Jones")
    await harness.send("/checkin")
    await harness.checkin(DAY1.date())
    rid = await runner_id(harness)
    await harness.send("/runners", CLINICIAN)
    replies = await harness.tap(f"rv:{rid}", CLINICIAN)
    assert ("Missed check-in alert after 3 days", f"sa:{rid}") in replies[-1].buttons
    replies = await harness.tap(f"sa:{rid}", CLINICIAN)
    assert [data for _, data in replies[0].buttons] == [f"sad:{rid}:{d}" for d in range(2, 8)]
    replies = await harness.tap(f"sad:{rid}:2", CLINICIAN)
    assert "alerted after 2 days" in (replies[0].text or "")
    await harness.send("/runners", COACH)
    replies = await harness.tap(f"rv:{rid}", COACH)
    assert all(not (data or "").startswith("sa:") for _, data in replies[-1].buttons)  # not offered to a coach
    notice = await harness.forge(f"sad:{rid}:7", COACH)
    assert notice is not None and "Only a clinician" in notice
    assert await harness.forge(f"sad:{rid}:9", CLINICIAN) is not None  # out of 2-7: refused
    async with harness.coach_app.sessions() as session:
        profile = (await session.execute(select(models.Profile))).scalar_one()
    assert profile.silence_alert_days == 2
    seen = len(harness.emulator.messages(COACH))
    harness.clock.set(datetime(2026, 10, 2, 0, 0, tzinfo=UTC))
    await _rounds(harness, datetime(2026, 10, 4, 12, 0, tzinfo=UTC))
    assert [t for t in _texts(harness, COACH, seen) if "No check-in" in t] == [
        "📭 No check-in from Runner since Thu 01 Oct (2 days)."
    ]


async def _painful_run_then_the_next_morning(harness: Harness) -> date:
    """A run day done with bone pain 4 during; returns the next day, on which the runner's check-in drops back."""
    await seed_compliant_days(harness, DAY1.date() - timedelta(days=20), 20)
    day = DAY1.date()
    for _ in range(3):
        harness.clock.set(datetime(day.year, day.month, day.day, 6, 0, tzinfo=UTC))
        await harness.send("/checkin")
        await harness.checkin(day)
        async with harness.coach_app.sessions() as session:
            record = (
                await session.execute(select(models.DecisionRecord).where(models.DecisionRecord.local_date == day))
            ).scalar_one()
        if record.action == "run_walk":
            break
        day += timedelta(days=1)
    await log_painful_session(harness, day)
    next_day = day + timedelta(days=1)
    harness.clock.set(datetime(next_day.year, next_day.month, next_day.day, 6, 0, tzinfo=UTC))
    return next_day


async def _walking_pain(harness: Harness, level: int) -> None:
    await harness.send("/pain")
    await harness.tap("p:walking")
    await harness.tap(f"p:walking:{level}")


async def test_a_drop_back_then_a_pause_within_minutes_is_one_pause_message_carrying_both(harness: Harness) -> None:
    await harness.onboard()
    await follow(harness, CLINICIAN, "clinician", "Dr Jones")
    next_day = await _painful_run_then_the_next_morning(harness)
    seen = len(harness.emulator.messages(CLINICIAN))
    await harness.send("/checkin")
    await harness.checkin(next_day)  # drops back: held (a burst would be one message)
    assert _texts(harness, CLINICIAN, seen) == []
    harness.clock.advance(timedelta(minutes=4))
    await _walking_pain(harness, 7)  # a pause goes at once, carrying what was held
    (alert,) = harness.emulator.messages(CLINICIAN)[seen:]
    text = alert.text or ""
    assert "drops back" in text and "bone pain 4/10 during" in text and "plan is paused" in text
    assert "pain when walking 7/10 (the pause line is 3) [pause_walking_pain]" in text
    rid = await runner_id(harness)
    assert ("Cleared to resume", f"ck:{rid}") in alert.buttons
    await _rounds(harness, harness.clock.now() + timedelta(minutes=30), timedelta(minutes=5))
    assert len(harness.emulator.messages(CLINICIAN)) == seen + 1  # nothing was left to send


async def test_a_pause_then_another_alert_within_minutes_edits_the_pause_message(harness: Harness) -> None:
    await harness.onboard()
    await follow(harness, CLINICIAN, "clinician", "Dr Jones")
    await harness.send("/checkin")
    await harness.checkin(DAY1.date())
    seen = len(harness.emulator.messages(CLINICIAN))
    # Monday 5 October, 06:55 in Berlin: silent since Thursday, the runner reports walking pain 7 before the prompt
    harness.clock.set(datetime(2026, 10, 5, 4, 55, tzinfo=UTC))
    await _walking_pain(harness, 7)
    (alert,) = harness.emulator.messages(CLINICIAN)[seen:]
    assert "pain when walking 7/10 (the pause line is 3)" in (alert.text or "")  # the runner's number, the line
    assert "Why: pause_walking_pain" not in (alert.text or "")
    await _rounds(harness, datetime(2026, 10, 5, 5, 30, tzinfo=UTC), timedelta(minutes=5))  # the 07:00 prompt
    # still one message (besides Sunday's weekly summary, due since yesterday): the pause, edited
    (alert,) = [m for m in harness.emulator.messages(CLINICIAN)[seen:] if m.photo is None]
    text = alert.text or ""
    assert text.startswith("⏸ Runner's plan is paused") and "No check-in from Runner since Thu 01 Oct" in text
    assert alert.edits and "No check-in" not in (alert.edits[-1].text or "")
    rid = await runner_id(harness)
    assert ("Cleared to resume", f"ck:{rid}") in alert.buttons  # the edit keeps the clinician's button


async def test_preferences_move_an_alert_into_the_weekly_summary_never_the_pause(harness: Harness) -> None:
    await harness.onboard()
    await follow(harness, COACH, "coach", "Coach Kim")  # not a runner: /settings is their alerts
    replies = await harness.send("/settings", COACH)
    assert ("Alerts", "al:alerts") in replies[0].buttons
    replies = await harness.tap("al:alerts", COACH)
    assert ("Drop back a level: at once", "alk:drop_back") in replies[0].buttons
    assert all("pause" not in label.lower() for label, _ in replies[0].buttons)  # a pause is not a choice
    replies = await harness.tap("alk:drop_back", COACH)
    assert ("Drop back a level: in the weekly summary", "alk:drop_back") in replies[0].buttons
    assert await harness.forge("alk:pause", COACH) is not None  # forged: nothing changes
    next_day = await _painful_run_then_the_next_morning(harness)
    seen = len(harness.emulator.messages(COACH))
    await harness.send("/checkin")
    await harness.checkin(next_day)  # a drop back: for the weekly summary
    await _rounds(harness, harness.clock.now() + timedelta(minutes=30), timedelta(minutes=5))
    assert _texts(harness, COACH, seen) == []
    await _walking_pain(harness, 7)  # the pause comes at once all the same
    (pause,) = _texts(harness, COACH, seen)
    assert "plan is paused" in pause and "drops back" not in pause
    # Sunday 4 October, 19:00 in London: the weekly summary, with the drop back in it
    await _rounds(harness, datetime(2026, 10, 4, 19, 0, tzinfo=UTC))
    summary = _texts(harness, COACH, seen + 1)
    assert any("Weekly summary for Runner" in t for t in summary)
    (alerts,) = [t for t in summary if "Alerts about Runner this week" in t]
    assert "drops back" in alerts and "bone pain 4/10 during" in alerts and "plan is paused" not in alerts
    async with harness.coach_app.sessions() as session:
        follow_row = (await session.execute(select(models.Follow))).scalar_one()
    assert follow_row.summary_alerts is None and follow_row.alert_prefs == {
        "resume": "now",
        "drop_back": "summary",
        "missed_checkins": "now",
        "adjustment": "now",
    }
