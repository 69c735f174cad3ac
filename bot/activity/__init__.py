"""Watch files (GPX, TCX, FIT) read into a session summary, or a typed rejection with a reason code.

`parse_activity(data, filename, tz, limits)` is the pure function; `ActivityWorker().parse(data, filename, tz)`
runs it off the event loop in a worker process bounded in time and memory, which is what the bot calls.
`check_day(summary, today)` says whether the session's day can still be logged. No Telegram, no SQL.
"""

from bot.activity.model import (
    DEFAULT_LIMITS,
    ActivityLimits,
    ActivityRejected,
    ActivitySummary,
    FileFormat,
    GaitSource,
    RejectReason,
    Sport,
)
from bot.activity.parse import MAX_DAYS_AGO, check_day, file_format, parse_activity
from bot.activity.worker import ActivityWorker

__all__ = [
    "DEFAULT_LIMITS",
    "MAX_DAYS_AGO",
    "ActivityLimits",
    "ActivityRejected",
    "ActivitySummary",
    "ActivityWorker",
    "FileFormat",
    "GaitSource",
    "RejectReason",
    "Sport",
    "check_day",
    "file_format",
    "parse_activity",
]
