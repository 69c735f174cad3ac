"""A date as a runner types it: "today", "yesterday", "3 weeks ago", "14.09.", "2026-09-14", ...

Pure: the caller gives the runner's local today. A day.month without a year is this year's, or last year's
when this year's is still to come, so a typed date of a past session is never in the future. A date with its
year is returned as typed, future or not: whether it is allowed is the caller's rule.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

__all__ = ["parse_typed_date"]

_WORDS = {"today": 0, "yesterday": 1, "day before yesterday": 2, "the day before yesterday": 2}
_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}
_AGO = re.compile(r"(\d{1,3}|a|an|one|two|three|four|five|six|seven)\s+(day|days|week|weeks)\s+ago")
_DAY_MONTH = re.compile(r"(\d{1,2})\.(\d{1,2})\.?")
_FULL_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%Y/%m/%d")


def parse_typed_date(text: str, today: date) -> date | None:
    """The date `text` names, relative to the runner's local `today`; None if it names none."""
    cleaned = " ".join(text.strip().lower().split())
    if cleaned in _WORDS:
        return _days_before(today, _WORDS[cleaned])
    ago = _AGO.fullmatch(cleaned)
    if ago:
        count = _NUMBER_WORDS.get(ago.group(1)) or int(ago.group(1))
        return _days_before(today, count * (7 if ago.group(2).startswith("week") else 1))
    day_month = _DAY_MONTH.fullmatch(cleaned)
    if day_month:
        return _latest_past(int(day_month.group(1)), int(day_month.group(2)), today)
    for fmt in _FULL_FORMATS:
        try:
            return datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
    return None


def _days_before(today: date, days: int) -> date | None:
    try:
        return today - timedelta(days=days)
    except OverflowError:  # before year 1
        return None


def _latest_past(day: int, month: int, today: date) -> date | None:
    """day.month in today's year, else the year before when that is after today; None if no such date."""
    for year in (today.year, today.year - 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue  # 29.02. in a year that has none: try the year before
        if candidate <= today:
            return candidate
    return None
