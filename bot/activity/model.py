"""What reading a watch file gives: a summary of the session, or a rejection with a reason code; and the limits.

Plain data, no I/O: the use case turns a summary into a logged session and a rejection's code into a message.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime

__all__ = [
    "DEFAULT_LIMITS",
    "ActivityLimits",
    "ActivityRejected",
    "ActivitySummary",
    "FileFormat",
    "GaitSource",
    "RejectReason",
    "Sport",
]


class FileFormat(enum.StrEnum):
    GPX = "gpx"
    TCX = "tcx"
    FIT = "fit"


class Sport(enum.StrEnum):
    RUNNING = "running"
    WALKING = "walking"
    CYCLING = "cycling"
    SWIMMING = "swimming"
    OTHER = "other"


ON_FOOT = frozenset({Sport.RUNNING, Sport.WALKING})


class GaitSource(enum.StrEnum):
    """What told running from walking: the steps per minute, the pace, or (neither recorded) the file's sport."""

    CADENCE = "cadence"
    PACE = "pace"
    SPORT = "sport"


class RejectReason(enum.StrEnum):
    """Why a file logs nothing; the lead's texts key one message on each."""

    EMPTY = "empty"  # zero bytes
    TOO_LARGE = "too_large"  # over Telegram's 20 MB getFile limit
    UNKNOWN_EXTENSION = "unknown_extension"  # not .gpx, .tcx or .fit
    NOT_ACTIVITY = "not_activity"  # the right extension, but not an activity (a route, a workout, a photo renamed)
    CORRUPT = "corrupt"  # a truncated file, a FIT whose CRC does not match, XML cut off mid-way
    NO_TIMESTAMPS = "no_timestamps"  # a track without times (a planned route): no day, no minutes
    NOT_ON_FOOT = "not_on_foot"  # cycling or swimming: `sport` says which, to offer it as cross-training
    TOO_SLOW = "too_slow"  # the parse did not finish within the time bound
    TOO_COMPLEX = "too_complex"  # more points than the cap, or the parse hit the memory bound
    TOO_OLD = "too_old"  # the session's day is more than the allowed days ago (see `check_day`)
    IN_FUTURE = "in_future"  # the session's day is after today in the runner's zone


@dataclass(frozen=True)
class ActivityLimits:
    """The bounds a file is read within.

    `max_bytes`: Telegram lets a bot download at most 20 MB (getFile), so nothing larger can arrive.
    `max_points`: 100 000 samples is 27 hours at one per second, far beyond any session; it caps the memory of
    a hostile file that packs tiny points into 20 MB (about 200 MB at the cap, measured in the benchmark).
    `timeout_s` and `max_memory_bytes` bound the worker process (`parse_activity_bounded`): a 2-hour file
    parses in well under a second, so 10 s only stops pathological input.
    `max_duration_s`: a file spanning more than two days has broken timestamps.
    """

    max_bytes: int = 20 * 1024 * 1024
    max_points: int = 100_000
    timeout_s: float = 10.0
    max_memory_bytes: int = 1024 * 1024 * 1024
    max_duration_s: float = 48 * 3600


DEFAULT_LIMITS = ActivityLimits()


@dataclass(frozen=True)
class ActivitySummary:
    """One session read from a watch file; times in seconds, `local_start` in the runner's zone.

    `total_s` is the elapsed time from the first sample to the last. It splits into `run_s`, `walk_s`,
    `stopped_s` (standing still with the timer on) and `paused_s` (gaps in the recording: the timer was
    paused). `distance_km`, `avg_heart_rate` and `avg_cadence_spm` (steps per minute, both feet) are None
    when the file does not record them. `sport_from_file` is False when the file named no sport and
    `sport` was inferred from the speeds.
    """

    source_format: FileFormat
    sport: Sport
    sport_from_file: bool
    local_start: datetime
    total_s: float
    run_s: float
    walk_s: float
    stopped_s: float
    paused_s: float
    distance_km: float | None
    avg_heart_rate: int | None
    avg_cadence_spm: int | None
    split_by: GaitSource
    points: int

    @property
    def local_date(self) -> date:
        """The day the session belongs to: the day it started, in the runner's zone."""
        return self.local_start.date()

    @property
    def total_minutes(self) -> int:
        return round(self.total_s / 60)

    @property
    def run_minutes(self) -> int:
        return round(self.run_s / 60)

    @property
    def walk_minutes(self) -> int:
        return round(self.walk_s / 60)


@dataclass(frozen=True)
class ActivityRejected:
    """A file that logs nothing.

    `sport` and `summary` are set when the file was read but is not a session to log here: NOT_ON_FOOT (to
    offer it as cross-training, with its day and minutes), TOO_OLD, IN_FUTURE. `detail` is for the log and
    never holds file content.
    """

    reason: RejectReason
    sport: Sport | None = None
    summary: ActivitySummary | None = None
    detail: str = ""
