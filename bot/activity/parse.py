"""`parse_activity`: a watch file's bytes to a session summary or a typed rejection, never an exception.

Pure: no clock, no files, no network, no logging of the content. It runs in this process within the
points cap; `parse_activity_bounded` (bot.activity.worker) adds the time and memory bounds by running it in
a worker process, which is what the bot should call.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import PurePath
from zoneinfo import ZoneInfo

from bot.activity.fit import read_fit
from bot.activity.gait import summarize
from bot.activity.model import (
    DEFAULT_LIMITS,
    ON_FOOT,
    ActivityLimits,
    ActivityRejected,
    ActivitySummary,
    FileFormat,
    RejectReason,
)
from bot.activity.track import Rejection, Track
from bot.activity.xmlfiles import read_gpx, read_tcx

__all__ = ["MAX_DAYS_AGO", "check_day", "file_format", "parse_activity"]

_READERS: dict[FileFormat, Callable[[bytes, ActivityLimits], Track]] = {
    FileFormat.GPX: read_gpx,
    FileFormat.TCX: read_tcx,
    FileFormat.FIT: read_fit,
}
# A session older than this is history, not today's training: the plan has moved on since.
MAX_DAYS_AGO = 7


def file_format(filename: str) -> FileFormat | None:
    """The format a file's name says (.gpx, .tcx, .fit, any case), else None."""
    suffix = PurePath(filename or "").suffix.lower().lstrip(".")
    try:
        return FileFormat(suffix)
    except ValueError:
        return None


def parse_activity(
    data: bytes, filename: str, tz: ZoneInfo, limits: ActivityLimits = DEFAULT_LIMITS
) -> ActivitySummary | ActivityRejected:
    """The session in a GPX, TCX or FIT file, its start in the runner's zone `tz`; or why it logs nothing.

    A cycling or swimming file (or another sport the file names) is rejected as NOT_ON_FOOT with its sport
    and summary, so it can be offered as cross-training.
    """
    if not data:
        return ActivityRejected(RejectReason.EMPTY)
    if len(data) > limits.max_bytes:
        return ActivityRejected(RejectReason.TOO_LARGE, detail=f"{len(data)} bytes")
    kind = file_format(filename)
    if kind is None:
        return ActivityRejected(RejectReason.UNKNOWN_EXTENSION)
    try:
        summary = summarize(_READERS[kind](bytes(data), limits), tz, limits)
    except Rejection as rejection:
        return ActivityRejected(rejection.reason, detail=rejection.detail)
    except MemoryError:
        return ActivityRejected(RejectReason.TOO_COMPLEX, detail="out of memory")
    except Exception as err:  # hostile input must never escape as a traceback; the type is enough to debug
        return ActivityRejected(RejectReason.CORRUPT, detail=f"unexpected {type(err).__name__}")
    if summary.sport not in ON_FOOT:
        return ActivityRejected(RejectReason.NOT_ON_FOOT, sport=summary.sport, summary=summary)
    return summary


def check_day(summary: ActivitySummary, today: date, max_days_ago: int = MAX_DAYS_AGO) -> ActivityRejected | None:
    """TOO_OLD or IN_FUTURE when the session's local day is not one the plan can still log, else None."""
    if summary.local_date > today:
        return ActivityRejected(RejectReason.IN_FUTURE, sport=summary.sport, summary=summary)
    if (today - summary.local_date).days > max_days_ago:
        return ActivityRejected(RejectReason.TOO_OLD, sport=summary.sport, summary=summary)
    return None
