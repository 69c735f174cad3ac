"""Dates typed the way people say them ("today", "yesterday", "3 weeks ago", "14.09.", ISO) in the flows that ask
for a date: onboarding's diagnosis and clearance dates, and the same questions in /settings."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from bot import texts
from bot.storage import models
from tests.e2e.conftest import Harness

TODAY = date(2026, 10, 1)  # the harness clock: 2026-10-01 08:00 in Berlin


async def _profile(h: Harness) -> models.Profile:
    async with h.coach_app.sessions() as session:
        return (await session.execute(select(models.Profile))).scalar_one()


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("today", TODAY),
        ("Yesterday", date(2026, 9, 30)),
        ("3 weeks ago", date(2026, 9, 10)),
        ("two weeks ago", date(2026, 9, 17)),
        ("10 days ago", date(2026, 9, 21)),
        ("14.09.", date(2026, 9, 14)),
        ("24.12.", date(2025, 12, 24)),  # no year: the last 24 December that has been
        ("2026-08-20", date(2026, 8, 20)),
        ("20.08.2026", date(2026, 8, 20)),
    ],
)
async def test_the_diagnosis_date_typed_in_any_form(harness: Harness, typed: str, day: date) -> None:
    await harness.onboard(diagnosed=typed)
    assert (await _profile(harness)).diagnosed_on == day


async def test_the_clearance_date_typed_relative(harness: Harness) -> None:
    await harness.onboard(cleared_on="yesterday")
    assert (await _profile(harness)).cleared_to_run_on == date(2026, 9, 30)


async def test_unreadable_and_future_dates_are_asked_again(harness: Harness) -> None:
    await harness.send("/start")
    await harness.tap("o:consent:1")
    await harness.tap("o:timezone:Europe/Berlin")
    await harness.tap("o:site:fibula")
    for typed in ("next tuesday", "in 3 days", "31.02.", "3 fortnights ago"):
        replies = await harness.send(typed)
        assert replies[0].text == texts.BAD_DATE, typed
    replies = await harness.send("2030-01-01")
    assert replies[0].text == texts.FUTURE_DATE
    replies = await harness.send("6 weeks ago")
    assert replies[0].text == texts.ASK_CLEARED


async def test_settings_take_a_relative_date(harness: Harness) -> None:
    await harness.onboard()
    await harness.send("/settings")
    await harness.tap("s:diagnosed")
    replies = await harness.send("5 weeks ago")
    assert texts.SETTINGS_SAVED in replies[-1].text
    assert (await _profile(harness)).diagnosed_on == date(2026, 8, 27)
    await harness.send("/settings")
    await harness.tap("s:cleared")
    await harness.tap("o:cleared:1")
    await harness.send("14.09.")
    assert (await _profile(harness)).cleared_to_run_on == date(2026, 9, 14)
