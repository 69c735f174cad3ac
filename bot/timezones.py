"""Time zones and the morning schedule: UTC in storage, the runner's zone at the edges."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

_OFFSET = re.compile(r"^(?:utc|gmt)?\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?$", re.IGNORECASE)
_HHMM = re.compile(r"^(\d{1,2})[:.h]?(\d{2})?$")

COMMON_ZONES = (
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "Asia/Kolkata",
    "Australia/Sydney",
    "UTC",
)
# A cut-off after which a missed morning prompt is no longer worth sending (local time).
MORNING_ENDS = time(12, 0)


@lru_cache(maxsize=1)
def _zones_by_city() -> dict[str, str]:
    cities: dict[str, str] = {}
    for name in sorted(available_timezones()):
        if "/" in name and not name.startswith(("Etc/", "SystemV/", "US/")):
            city = name.rsplit("/", 1)[1].replace("_", " ").lower()
            cities.setdefault(city, name)
    return cities


def _format_offset(sign: str, hours: int, minutes: int) -> str:
    return f"UTC{sign}{hours:02d}:{minutes:02d}"


def parse_time_zone(text: str) -> str | None:
    """A canonical zone name for what a runner typed (`Europe/Berlin`, `berlin`, `UTC+5:30`), or None."""
    cleaned = text.strip()
    if not cleaned or len(cleaned) > 64:
        return None
    if cleaned.upper() in ("UTC", "GMT", "Z"):
        return "UTC"
    match = _OFFSET.match(cleaned)
    if match:
        sign, hours, minutes = match.group(1), int(match.group(2)), int(match.group(3) or 0)
        if hours > 14 or minutes >= 60 or (hours == 14 and minutes):
            return None
        if hours == 0 and minutes == 0:
            return "UTC"
        return _format_offset(sign, hours, minutes)
    candidate = cleaned.replace(" ", "_")
    for name in (candidate, candidate.title()):
        if "/" in name:
            try:
                ZoneInfo(name)
            except (ZoneInfoNotFoundError, ValueError):
                continue
            return name
    return _zones_by_city().get(cleaned.lower())


def zone(name: str) -> tzinfo:
    """The tzinfo for a stored zone name (an IANA name, or a fixed `UTC+05:30`)."""
    if name.startswith("UTC") and len(name) == 9:
        sign = 1 if name[3] == "+" else -1
        return timezone(sign * timedelta(hours=int(name[4:6]), minutes=int(name[7:9])))
    return ZoneInfo(name)


def parse_clock_time(text: str) -> int | None:
    """Minutes after midnight for `7:00`, `07:30`, `0730` or `7`; None if it is not a time of day."""
    match = _HHMM.match(text.strip())
    if not match:
        return None
    hours, minutes = int(match.group(1)), int(match.group(2) or 0)
    if hours > 23 or minutes > 59:
        return None
    return hours * 60 + minutes


def format_clock_time(minute_of_day: int) -> str:
    return f"{minute_of_day // 60:02d}:{minute_of_day % 60:02d}"


def local_date(moment: datetime, zone_name: str) -> date:
    return moment.astimezone(zone(zone_name)).date()


def local_datetime(moment: datetime, zone_name: str) -> datetime:
    return moment.astimezone(zone(zone_name))


def prompt_moment(on: date, minute_of_day: int, zone_name: str) -> datetime:
    """The UTC moment of the check-in time on a local date.

    fold=0 (PEP 495) settles both daylight-saving days: a time that exists twice (fall back) is taken
    the first time, so there is one prompt, never two; a time that does not exist (02:30 on a
    spring-forward day) is shifted forward by the gap (03:30), so the prompt is late, never early or lost.
    """
    naive = datetime.combine(on, time(minute_of_day // 60, minute_of_day % 60))
    return naive.replace(tzinfo=zone(zone_name), fold=0).astimezone(UTC)


def next_prompt(after: datetime, minute_of_day: int, zone_name: str) -> tuple[datetime, date]:
    """The first check-in moment strictly after `after`, and the local date it is for."""
    day = local_date(after, zone_name)
    for offset in range(3):
        candidate_day = day + timedelta(days=offset)
        moment = prompt_moment(candidate_day, minute_of_day, zone_name)
        if moment > after:
            return moment, candidate_day
    raise AssertionError("a daily time always occurs within three days")


def still_morning(now: datetime, for_day: date, zone_name: str) -> bool:
    """Whether a prompt for `for_day` is still worth sending: same local day, before noon."""
    local = local_datetime(now, zone_name)
    return local.date() == for_day and local.time() < MORNING_ENDS


def day_code(day: date) -> str:
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"  # = strftime("%Y%m%d"), at a third of its cost


def parse_day_code(code: str) -> date | None:
    """YYYYMMDD, as `day_code` writes it (every check-in tap carries one; strptime cost a tap 50 µs)."""
    if len(code) != 8 or not (code.isascii() and code.isdigit()):
        return None
    try:
        return date(int(code[:4]), int(code[4:6]), int(code[6:]))
    except ValueError:
        return None
