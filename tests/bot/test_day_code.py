"""The day carried in button data: written as strftime("%Y%m%d") would, read back to the same day."""

from __future__ import annotations

from datetime import date, timedelta

from bot.timezones import day_code as _day_code
from bot.timezones import parse_day_code as _parse_day_code


def test_every_day_of_twenty_years_round_trips() -> None:
    day = date(2020, 1, 1)
    while day < date(2040, 1, 1):
        code = _day_code(day)
        assert code == day.strftime("%Y%m%d")
        assert _parse_day_code(code) == day
        day += timedelta(days=1)
