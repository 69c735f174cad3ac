"""Dates as a runner types them, relative to their local today."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.dates_typed import parse_typed_date

TODAY = date(2026, 9, 20)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today", date(2026, 9, 20)),
        ("  Today ", date(2026, 9, 20)),
        ("yesterday", date(2026, 9, 19)),
        ("day before yesterday", date(2026, 9, 18)),
        ("2 days ago", date(2026, 9, 18)),
        ("1 day ago", date(2026, 9, 19)),
        ("a week ago", date(2026, 9, 13)),
        ("3 weeks ago", date(2026, 8, 30)),
        ("three  WEEKS ago", date(2026, 8, 30)),
        ("14.09.", date(2026, 9, 14)),
        ("14.09", date(2026, 9, 14)),
        ("1.9.", date(2026, 9, 1)),
        ("20.09.", date(2026, 9, 20)),  # today
        ("21.09.", date(2025, 9, 21)),  # tomorrow's day.month is last year's: never in the future
        ("31.12.", date(2025, 12, 31)),
        ("2026-09-14", date(2026, 9, 14)),
        ("14.09.2026", date(2026, 9, 14)),
        ("14/09/2026", date(2026, 9, 14)),
        ("2026/09/14", date(2026, 9, 14)),
        ("2026-10-01", date(2026, 10, 1)),  # a full date is as typed; the caller judges the future
        # German, Spanish, Russian (issue 18): read for every runner
        ("Gestern", date(2026, 9, 19)),
        ("vorgestern", date(2026, 9, 18)),
        ("vor 3 Wochen", date(2026, 8, 30)),
        ("vor einer Woche", date(2026, 9, 13)),
        ("vor 2 Tagen", date(2026, 9, 18)),
        ("ayer", date(2026, 9, 19)),
        ("hace 3 semanas", date(2026, 8, 30)),
        ("hace una semana", date(2026, 9, 13)),
        ("hace 2 días", date(2026, 9, 18)),
        ("вчера", date(2026, 9, 19)),
        ("3 недели назад", date(2026, 8, 30)),
        ("неделю назад", date(2026, 9, 13)),
        ("две недели назад", date(2026, 9, 6)),
        ("5 дней назад", date(2026, 9, 15)),
    ],
)
def test_typed_dates(text: str, expected: date) -> None:
    assert parse_typed_date(text, TODAY) == expected


@pytest.mark.parametrize(
    "text",
    ["", "tomorrow", "31.02.", "29.02.", "32.01.", "14.13.", "2026-02-30", "3 months ago", "morgen", "vor Wochen"],
)
def test_not_a_date(text: str) -> None:
    assert parse_typed_date(text, TODAY) is None


def test_29_february_is_this_leap_year_or_none() -> None:
    assert parse_typed_date("29.02.", date(2028, 3, 1)) == date(2028, 2, 29)
    assert parse_typed_date("29.02.", date(2029, 3, 1)) == date(2028, 2, 29)


@given(st.dates(min_value=date(1900, 1, 1)), st.integers(1, 28), st.integers(1, 12))
def test_day_month_is_never_in_the_future_nor_over_a_year_back(today: date, day: int, month: int) -> None:
    parsed = parse_typed_date(f"{day:02d}.{month:02d}.", today)
    assert parsed is not None and today - timedelta(days=366) < parsed <= today


@given(st.text(max_size=40))
def test_anything_typed_gives_a_date_or_none(text: str) -> None:
    assert parse_typed_date(text, TODAY) is None or isinstance(parse_typed_date(text, TODAY), date)
