"""When a runner's next morning prompt and a follower's weekly summary are due (kept in their row: any
worker, after any restart, finds it)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from bot.storage import models
from bot.timezones import next_prompt, zone

SUMMARY_WEEKDAY, SUMMARY_TIME = 6, time(19, 0)  # Sunday evening, the follower's own time


def schedule_prompt(user: models.User, now: datetime) -> None:
    moment, for_day = next_prompt(now, user.checkin_minute, user.time_zone)
    if user.last_prompted_for is not None and for_day <= user.last_prompted_for:
        # already prompted for that morning (e.g. a change of time zone): go on to the next one
        moment, for_day = next_prompt(max(moment, now) + timedelta(minutes=1), user.checkin_minute, user.time_zone)
    user.next_prompt_at, user.next_prompt_for = moment, for_day


def schedule_summary(follower: models.User, now: datetime) -> None:
    """The next Sunday 19:00 in the follower's own zone, strictly after `now`."""
    tz = zone(follower.time_zone)
    local = now.astimezone(tz)
    days_ahead = (SUMMARY_WEEKDAY - local.weekday()) % 7
    candidate = datetime.combine(local.date() + timedelta(days=days_ahead), SUMMARY_TIME, tzinfo=tz)
    if candidate <= local:
        candidate += timedelta(days=7)
    follower.next_summary_at = candidate.astimezone(now.tzinfo)
