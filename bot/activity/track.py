"""The readers' common output: a file's samples in time order, before any judgement of running or walking."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.activity.model import FileFormat, RejectReason, Sport

__all__ = ["Rejection", "Sample", "Track", "sport_named"]


class Rejection(Exception):
    """Raised inside a reader to stop at the first reason the file cannot be logged."""

    def __init__(self, reason: RejectReason, detail: str = "") -> None:
        super().__init__(reason.value, detail)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True, slots=True)
class Sample:
    """One recorded moment. `time` is POSIX seconds (UTC); every other field is None when not recorded.

    `distance_m` is the watch's own running total; `speed_mps` the watch's own speed; `cadence` as the file
    stores it (see `Track.cadence_in_strides`); `lat`/`lon` in degrees.
    """

    time: float | None
    lat: float | None = None
    lon: float | None = None
    distance_m: float | None = None
    speed_mps: float | None = None
    cadence: float | None = None
    heart_rate: float | None = None


@dataclass
class Track:
    """A file's samples and the sport it declares (None: it names none, or a generic one)."""

    file_format: FileFormat
    declared_sport: Sport | None = None
    samples: list[Sample] = field(default_factory=list)
    # FIT, TCX's RunCadence and Garmin's GPX extension count one foot: strides per minute, half the steps.
    cadence_in_strides: bool = True


# How GPX <type>, TCX Sport and FIT sport name the sports; a name not here (or a generic one) is None, and the
# sport is then inferred from the speeds.
_SPORT_NAMES = {
    Sport.RUNNING: ("running", "run", "trail_running", "treadmill_running", "virtualrun", "virtual_run", "jogging"),
    Sport.WALKING: ("walking", "walk", "hiking", "hike", "speed_walking"),
    Sport.CYCLING: (
        "cycling",
        "biking",
        "bike",
        "ride",
        "road_biking",
        "mountain_biking",
        "e_biking",
        "ebikeride",
        "virtualride",
        "virtual_ride",
    ),
    Sport.SWIMMING: ("swimming", "swim", "open_water_swimming", "lap_swimming"),
}
_SPORT_BY_NAME = {name: sport for sport, names in _SPORT_NAMES.items() for name in names}


def sport_named(name: str | None) -> Sport | None:
    """The sport a file names, case and separators aside; None for no name or one we do not know."""
    if not name:
        return None
    key = name.strip().lower().replace(" ", "_").replace("-", "_")
    return _SPORT_BY_NAME.get(key)
