"""Time zones and the schedule: zone parsing, half-hour offsets, both daylight-saving days."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.timezones import (
    local_date,
    next_prompt,
    parse_clock_time,
    parse_time_zone,
    prompt_moment,
    still_morning,
)

SEVEN = 7 * 60


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("Europe/Berlin", "Europe/Berlin"),
        ("europe/berlin", "Europe/Berlin"),
        ("Berlin", "Europe/Berlin"),
        ("new york", "America/New_York"),
        ("UTC+5:30", "UTC+05:30"),
        ("utc-3", "UTC-03:00"),
        ("+0545", "UTC+05:45"),
        ("UTC", "UTC"),
        ("UTC+0", "UTC"),
    ],
)
def test_a_typed_zone_is_understood(typed: str, zone: str) -> None:
    assert parse_time_zone(typed) == zone


@pytest.mark.parametrize("typed", ["", "Atlantis", "UTC+15", "UTC+5:75", "x" * 100, "Europe/Nowhere"])
def test_an_unknown_zone_is_refused(typed: str) -> None:
    assert parse_time_zone(typed) is None


@pytest.mark.parametrize(("typed", "minutes"), [("7:00", 420), ("07:30", 450), ("0645", 405), ("7", 420)])
def test_clock_times(typed: str, minutes: int) -> None:
    assert parse_clock_time(typed) == minutes


@pytest.mark.parametrize("typed", ["25:00", "7:60", "seven", ""])
def test_bad_clock_times(typed: str) -> None:
    assert parse_clock_time(typed) is None


def test_seven_local_in_three_zones_including_a_half_hour_offset() -> None:
    day = date(2026, 7, 1)
    assert prompt_moment(day, SEVEN, "Europe/Berlin") == datetime(2026, 7, 1, 5, 0, tzinfo=UTC)
    assert prompt_moment(day, SEVEN, "America/New_York") == datetime(2026, 7, 1, 11, 0, tzinfo=UTC)
    assert prompt_moment(day, SEVEN, "Asia/Kolkata") == datetime(2026, 7, 1, 1, 30, tzinfo=UTC)
    assert prompt_moment(day, SEVEN, "UTC+05:30") == datetime(2026, 7, 1, 1, 30, tzinfo=UTC)


def test_spring_forward_day_keeps_seven_local() -> None:
    # Europe/Berlin jumps from 02:00 CET to 03:00 CEST on 2026-03-29
    assert prompt_moment(date(2026, 3, 28), SEVEN, "Europe/Berlin") == datetime(2026, 3, 28, 6, 0, tzinfo=UTC)
    assert prompt_moment(date(2026, 3, 29), SEVEN, "Europe/Berlin") == datetime(2026, 3, 29, 5, 0, tzinfo=UTC)


def test_fall_back_day_keeps_seven_local() -> None:
    assert prompt_moment(date(2026, 10, 24), SEVEN, "Europe/Berlin") == datetime(2026, 10, 24, 5, 0, tzinfo=UTC)
    assert prompt_moment(date(2026, 10, 25), SEVEN, "Europe/Berlin") == datetime(2026, 10, 25, 6, 0, tzinfo=UTC)


def test_a_time_skipped_by_spring_forward_is_late_not_lost() -> None:
    moment = prompt_moment(date(2026, 3, 29), 2 * 60 + 30, "Europe/Berlin")
    assert moment.astimezone(datetime.now().astimezone().tzinfo) is not None
    assert moment == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)  # 03:30 CEST


def test_a_time_repeated_by_fall_back_is_prompted_once() -> None:
    first = prompt_moment(date(2026, 10, 25), 2 * 60 + 30, "Europe/Berlin")
    assert first == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # the first 02:30 (CEST)
    following, for_day = next_prompt(first, 2 * 60 + 30, "Europe/Berlin")
    assert for_day == date(2026, 10, 26)
    assert following - first == timedelta(days=1, hours=1)


def test_next_prompt_is_strictly_after() -> None:
    at_seven = datetime(2026, 7, 1, 5, 0, tzinfo=UTC)
    moment, day = next_prompt(at_seven, SEVEN, "Europe/Berlin")
    assert (moment, day) == (datetime(2026, 7, 2, 5, 0, tzinfo=UTC), date(2026, 7, 2))
    moment, day = next_prompt(at_seven - timedelta(seconds=1), SEVEN, "Europe/Berlin")
    assert (moment, day) == (at_seven, date(2026, 7, 1))


def test_local_date_and_morning_window() -> None:
    late_evening_utc = datetime(2026, 7, 1, 23, 0, tzinfo=UTC)
    assert local_date(late_evening_utc, "Asia/Kolkata") == date(2026, 7, 2)
    assert still_morning(datetime(2026, 7, 1, 9, 59, tzinfo=UTC), date(2026, 7, 1), "Europe/Berlin")
    assert not still_morning(datetime(2026, 7, 1, 10, 0, tzinfo=UTC), date(2026, 7, 1), "Europe/Berlin")
