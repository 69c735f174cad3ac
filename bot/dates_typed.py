"""A date as a runner types it: "today", "yesterday", "3 weeks ago", "14.09.", "2026-09-14", ... (and in
German, Spanish and Russian: "gestern", "vor 3 Wochen", "hace 3 semanas", "3 недели назад")

Pure: the caller gives the runner's local today. A day.month without a year is this year's, or last year's
when this year's is still to come, so a typed date of a past session is never in the future. A date with its
year is returned as typed, future or not: whether it is allowed is the caller's rule.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

__all__ = ["parse_typed_date"]

# every language's words, read for every runner (bot/i18n.py: English, German, Spanish, Russian)
_WORDS = {
    "today": 0,
    "yesterday": 1,
    "day before yesterday": 2,
    "the day before yesterday": 2,
    "heute": 0,
    "gestern": 1,
    "vorgestern": 2,
    "hoy": 0,
    "ayer": 1,
    "anteayer": 2,
    "antes de ayer": 2,
    "сегодня": 0,
    "вчера": 1,
    "позавчера": 2,
}
_NUMBER_WORDS = {
    **{"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7},
    **{"einem": 1, "einer": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7},
    **{"un": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7},
    **{"один": 1, "одну": 1, "два": 2, "две": 2, "три": 3, "четыре": 4, "пять": 5, "шесть": 6, "семь": 7},
}
_COUNT = r"(\d{1,3}|" + "|".join(_NUMBER_WORDS) + ")"
_WEEK_WORDS = ("week", "woche", "semana", "недел")
_AGO_PATTERNS = (
    re.compile(_COUNT + r"\s+(day|days|week|weeks)\s+ago"),  # 3 weeks ago
    re.compile(r"vor\s+" + _COUNT + r"\s+(tag|tagen|woche|wochen)"),  # vor 3 Wochen
    re.compile(r"hace\s+" + _COUNT + r"\s+(día|días|dia|dias|semana|semanas)"),  # hace 3 semanas
    re.compile(_COUNT + r"\s+(день|дня|дней|неделю|недели|недель)\s+назад"),  # 3 недели назад
)
_ONE_AGO = {"неделю назад": 7, "день назад": 1}  # Russian leaves the one out
_DAY_MONTH = re.compile(r"(\d{1,2})\.(\d{1,2})\.?")
_FULL_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%Y/%m/%d")


def parse_typed_date(text: str, today: date) -> date | None:
    """The date `text` names, relative to the runner's local `today`; None if it names none."""
    cleaned = " ".join(text.strip().lower().split())
    if cleaned in _WORDS:
        return _days_before(today, _WORDS[cleaned])
    if cleaned in _ONE_AGO:
        return _days_before(today, _ONE_AGO[cleaned])
    for pattern in _AGO_PATTERNS:
        ago = pattern.fullmatch(cleaned)
        if ago:
            count = _NUMBER_WORDS.get(ago.group(1)) or int(ago.group(1))
            return _days_before(today, count * (7 if ago.group(2).startswith(_WEEK_WORDS) else 1))
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
