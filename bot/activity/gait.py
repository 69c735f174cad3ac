"""From samples to a session: elapsed time split into running, walking, standing and paused, plus the averages.

Each interval between two samples takes the gait of its later sample, decided in this order:

1. Steps per minute, where the watch recorded them (wrist or foot pod). Running has a flight phase and
   recreational runners step at 150-185 spm even on a slow jog, while walking rarely passes 130 spm (a brisk
   walk is 115-130). RUN_CADENCE_SPM = 140 sits in that gap, and cadence does not depend on how fast a runner
   coming back from a fracture is: a 9 min/km jog is still ~150 spm.
2. Else the pace. RUN_SPEED_MPS is 8:30 min/km (1.96 m/s, 7.1 km/h): close to the speed where people choose
   to switch from walking to running (about 2.0 m/s); a brisk walk is 1.4-1.8 m/s, a return-to-run jog
   2.0-2.8 m/s. Below STOPPED_SPEED_MPS (1 km/h) the runner stands still and the GPS only drifts.
3. Else (an indoor file with heart rate only) the file's sport: the whole moving time is running for a run.

Speed is the watch's own where the file has it; else the straight-line distance between the positions
SPEED_WINDOW_S apart around the sample: a GPS position jitters by metres from one second to the next, so
speed from consecutive points would wobble by more than the walk/run difference, while over 10 s the
jitter is a tenth of a metre per second and a bend of a running track shortens the chord by ~2 %.

A gap of more than PAUSE_GAP_S between samples is a paused timer (watches record every 1 s, or up to ~10 s
with "smart recording", while the timer runs), so it counts in the total but neither as running nor walking.
"""

from __future__ import annotations

import math
import statistics
from bisect import bisect_left, bisect_right
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.activity.model import (
    ActivityLimits,
    ActivitySummary,
    GaitSource,
    RejectReason,
    Sport,
)
from bot.activity.track import Rejection, Sample, Track

__all__ = [
    "PAUSE_GAP_S",
    "RUN_CADENCE_SPM",
    "RUN_SPEED_MPS",
    "STOPPED_SPEED_MPS",
    "summarize",
]

RUN_CADENCE_SPM = 140.0
RUN_SPEED_MPS = 1000 / (8.5 * 60)
STOPPED_SPEED_MPS = 1000 / 3600
PAUSE_GAP_S = 60.0
SPEED_WINDOW_S = 10.0
# No stride rate reaches 140 per minute (that is 280 steps): a file whose cadence does is in steps already.
STRIDES_CEILING = 140.0
# Faster than 16 km/h for most of the moving time, with no sport named: a bicycle, not a runner coming back.
CYCLING_MEDIAN_SPEED_MPS = 4.5
# Distance from positions is summed over chords at least this far apart in time, so that jitter between
# consecutive fixes does not add up into extra metres.
DISTANCE_CHORD_S = 10.0
EARTH_RADIUS_M = 6_371_000.0


def summarize(track: Track, tz: ZoneInfo, limits: ActivityLimits) -> ActivitySummary:
    """The session in `track`, its start in `tz`; raises Rejection when it has no usable times."""
    if not track.samples:
        raise Rejection(RejectReason.NOT_ACTIVITY, "no track points")
    timed = sorted((s for s in track.samples if s.time is not None), key=_time)
    if len(timed) < 2:
        raise Rejection(RejectReason.NO_TIMESTAMPS, f"{len(timed)} timed of {len(track.samples)} points")
    times = [_time(s) for s in timed]
    total = times[-1] - times[0]
    if total > limits.max_duration_s:
        raise Rejection(RejectReason.CORRUPT, "implausible duration")
    if total <= 0:
        raise Rejection(RejectReason.NO_TIMESTAMPS, "all points at one time")

    cadence = _steps_per_minute(timed, track.cadence_in_strides)
    speed = _speeds(timed, times)
    declared = track.declared_sport
    assumed_gait_runs = declared != Sport.WALKING

    run = walk = stopped = paused = 0.0
    decided_by = dict.fromkeys(GaitSource, 0.0)
    for i in range(1, len(timed)):
        dt = times[i] - times[i - 1]
        if dt > PAUSE_GAP_S:
            paused += dt
            continue
        gait, source = _gait(cadence[i], speed[i], assumed_gait_runs)
        decided_by[source] += dt
        if gait == "run":
            run += dt
        elif gait == "walk":
            walk += dt
        else:
            stopped += dt

    moving_speeds = [v for v in speed if v is not None and v >= STOPPED_SPEED_MPS]
    sport = declared if declared is not None else _inferred_sport(moving_speeds, run)
    start = datetime.fromtimestamp(times[0], UTC).astimezone(tz)
    return ActivitySummary(
        source_format=track.file_format,
        sport=sport,
        sport_from_file=declared is not None,
        local_start=start,
        total_s=total,
        run_s=run,
        walk_s=walk,
        stopped_s=stopped,
        paused_s=paused,
        distance_km=_distance_km(timed, times),
        avg_heart_rate=_mean_positive([s.heart_rate for s in timed]),
        avg_cadence_spm=_mean_positive(cadence),
        split_by=max(decided_by, key=lambda source: decided_by[source]),
        points=len(timed),
    )


def _time(sample: Sample) -> float:
    assert sample.time is not None
    return sample.time


def _gait(cadence: float | None, speed: float | None, assumed_runs: bool) -> tuple[str, GaitSource]:
    if cadence is not None and cadence > 0:
        return ("run" if cadence >= RUN_CADENCE_SPM else "walk"), GaitSource.CADENCE
    if speed is not None:
        if speed < STOPPED_SPEED_MPS:
            return "stop", GaitSource.PACE
        return ("run" if speed >= RUN_SPEED_MPS else "walk"), GaitSource.PACE
    return ("run" if assumed_runs else "walk"), GaitSource.SPORT


def _steps_per_minute(samples: list[Sample], in_strides: bool) -> list[float | None]:
    raw = [c if c is not None and math.isfinite(c) and c >= 0 else None for c in (s.cadence for s in samples)]
    present = sorted(c for c in raw if c)
    if in_strides and present and present[int(len(present) * 0.95)] >= STRIDES_CEILING:
        in_strides = False
    factor = 2.0 if in_strides else 1.0
    return [c * factor if c is not None else None for c in raw]


def _speeds(samples: list[Sample], times: list[float]) -> list[float | None]:
    """Each sample's speed: the watch's own, else from positions or distances around it (see the module doc)."""
    half = SPEED_WINDOW_S / 2
    out: list[float | None] = []
    for i, sample in enumerate(samples):
        if sample.speed_mps is not None and math.isfinite(sample.speed_mps) and sample.speed_mps >= 0:
            out.append(sample.speed_mps)
            continue
        lo = bisect_left(times, times[i] - half)
        hi = bisect_right(times, times[i] + half) - 1
        out.append(_window_speed(samples, times, lo, hi))
    return out


def _window_speed(samples: list[Sample], times: list[float], lo: int, hi: int) -> float | None:
    span = times[hi] - times[lo]
    if span <= 0:
        return None
    first, last = samples[lo], samples[hi]
    if first.lat is not None and first.lon is not None and last.lat is not None and last.lon is not None:
        return _metres(first.lat, first.lon, last.lat, last.lon) / span
    if first.distance_m is not None and last.distance_m is not None:
        return max(0.0, last.distance_m - first.distance_m) / span
    return None


def _distance_km(samples: list[Sample], times: list[float]) -> float | None:
    distances = [s.distance_m for s in samples if s.distance_m is not None and math.isfinite(s.distance_m)]
    if distances:
        return round(max(0.0, max(distances) - min(distances)) / 1000, 2)
    fixes = [(t, s.lat, s.lon) for t, s in zip(times, samples, strict=True) if s.lat is not None and s.lon is not None]
    if len(fixes) < 2:
        return None
    metres = 0.0
    last_t, last_lat, last_lon = fixes[0]
    for t, lat, lon in fixes[1:-1]:
        if t - last_t >= DISTANCE_CHORD_S:
            metres += _metres(last_lat, last_lon, lat, lon)
            last_t, last_lat, last_lon = t, lat, lon
    metres += _metres(last_lat, last_lon, fixes[-1][1], fixes[-1][2])
    return round(metres / 1000, 2)


def _metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def _mean_positive(values: list[float | None]) -> int | None:
    positive = [v for v in values if v is not None and math.isfinite(v) and v > 0]
    return round(statistics.fmean(positive)) if positive else None


def _inferred_sport(moving_speeds: list[float], run_s: float) -> Sport:
    if moving_speeds and statistics.median(moving_speeds) >= CYCLING_MEDIAN_SPEED_MPS:
        return Sport.CYCLING
    return Sport.RUNNING if run_s > 0 else Sport.WALKING
