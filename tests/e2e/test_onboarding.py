"""A new runner's onboarding, end to end through the emulator."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from bot.storage import models
from tests.e2e.conftest import RUNNER, Harness


async def _one(harness: Harness, model: type[models.Base]) -> list[models.Base]:
    async with harness.coach_app.sessions() as session:
        return list((await session.execute(select(model))).scalars().all())


async def test_a_new_runner_is_onboarded_and_scheduled(harness: Harness) -> None:
    replies = await harness.send("/start")
    assert "coaching aid" in replies[0].text  # the disclaimer comes first
    await harness.tap("o:consent:1")
    await harness.tap("o:timezone:Europe/Berlin")
    replies = await harness.tap("o:site:navicular")
    assert any("high-risk" in (m.text or "") for m in replies)
    replies = await harness.send("next tuesday")
    assert "couldn't read that as a date" in replies[0].text
    replies = await harness.send("2030-01-01")
    assert "future" in replies[0].text
    await harness.send("20.08.2026")
    await harness.tap("o:cleared:1")
    await harness.send("2026-09-30")
    replies = await harness.send("lots")  # free text where a number is asked
    assert "whole number" in replies[0].text
    await harness.send("150")
    await harness.tap("o:runs_per_week:4")
    for step in ("ready_walk", "ready_daily", "ready_press", "ready_hops"):
        await harness.tap(f"o:{step}:1")
    await harness.tap("o:reds_periods:na")
    await harness.tap("o:reds_weight:0")
    await harness.tap("o:reds_eating:0")
    replies = await harness.tap("o:reds_previous:1")
    assert "check-in" in replies[-1].text.lower()
    replies = await harness.send("quarter past seven")
    assert "time of day" in replies[0].text
    replies = await harness.send("07:15")
    assert "07:15" in replies[-1].text and "Europe/Berlin" in replies[-1].text

    users = await _one(harness, models.User)
    profiles = await _one(harness, models.Profile)
    events = await _one(harness, models.Event)
    (user,) = users
    (profile,) = profiles
    assert isinstance(user, models.User) and isinstance(profile, models.Profile)
    assert user.time_zone == "Europe/Berlin" and user.checkin_minute == 7 * 60 + 15
    assert user.flow is None and user.onboarded_at is not None
    # 07:15 in Berlin (CEST, UTC+2) on 2026-10-02: the clock started at 2026-10-01 06:00 UTC = 08:00 local
    assert user.next_prompt_at is not None
    assert user.next_prompt_at.replace(tzinfo=UTC) == datetime(2026, 10, 2, 5, 15, tzinfo=UTC)
    assert user.next_prompt_for == date(2026, 10, 2)
    assert (profile.injury_site, profile.diagnosed_on, profile.cleared_to_run_on) == (
        "navicular",
        date(2026, 8, 20),
        date(2026, 9, 30),
    )
    assert (profile.pre_injury_weekly_minutes, profile.pre_injury_runs_per_week, profile.reds_positive) == (150, 4, 1)
    assert [e.kind for e in events if isinstance(e, models.Event)] == ["readiness_confirmed"]
    assert [c for c, _ in harness.emulator.commands][:3] == ["today", "checkin", "log"]


async def test_onboarding_continues_after_a_restart(harness: Harness) -> None:
    await harness.send("/start")
    await harness.tap("o:consent:1")
    await harness.tap("o:timezone:UTC")
    await harness.restart()
    replies = await harness.send("/start")
    assert "continue where we left off" in replies[0].text
    assert any(data == "o:site:fibula" for _, data in replies[-1].buttons)
    await harness.tap("o:site:fibula")
    replies = await harness.send("/today")  # not set up yet: the question is asked again
    assert "finish setting you up" in replies[0].text
    assert "diagnosed" in replies[-1].text


async def test_stale_onboarding_button_changes_nothing(harness: Harness) -> None:
    await harness.send("/start")
    first = harness.emulator.last_message(RUNNER)
    assert first is not None
    await harness.tap("o:consent:1")
    await harness.tap("o:timezone:UTC")
    notice = await harness.forge("o:consent:0", message_id=first.message_id)
    assert notice is not None and "older message" in notice
    users = await _one(harness, models.User)
    assert isinstance(users[0], models.User) and users[0].flow_step == "site"
