"""The gait rules on hand-made samples: cadence first, then pace, then the sport; cadence units."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from bot.activity import DEFAULT_LIMITS, FileFormat, GaitSource, Sport
from bot.activity.gait import PAUSE_GAP_S, RUN_CADENCE_SPM, RUN_SPEED_MPS, summarize
from bot.activity.track import Sample, Track

UTC_ZONE = ZoneInfo("UTC")
T0 = 1_789_408_800.0  # 2026-09-14T18:00:00Z


def track(samples: list[Sample], *, sport: Sport | None = Sport.RUNNING, strides: bool = True) -> Track:
    return Track(FileFormat.FIT, sport, samples, cadence_in_strides=strides)


def steady(seconds: int, **fields: float) -> list[Sample]:
    return [Sample(time=T0 + i, **fields) for i in range(seconds + 1)]


def test_cadence_decides_before_pace() -> None:
    # a slow jog (9:30 min/km) at 150 steps per minute is running; a fast walk at 125 is walking
    slow_jog = summarize(track(steady(600, speed_mps=1.75, cadence=75)), UTC_ZONE, DEFAULT_LIMITS)
    assert slow_jog.run_minutes == 10 and slow_jog.split_by == GaitSource.CADENCE
    fast_walk = summarize(track(steady(600, speed_mps=2.0, cadence=62.5)), UTC_ZONE, DEFAULT_LIMITS)
    assert fast_walk.walk_minutes == 10 and fast_walk.avg_cadence_spm == 125


@pytest.mark.parametrize(("speed", "runs"), [(RUN_SPEED_MPS + 0.01, True), (RUN_SPEED_MPS - 0.01, False)])
def test_pace_at_the_threshold(speed: float, runs: bool) -> None:
    summary = summarize(track(steady(600, speed_mps=speed)), UTC_ZONE, DEFAULT_LIMITS)
    assert summary.split_by == GaitSource.PACE
    assert (summary.run_minutes, summary.walk_minutes) == ((10, 0) if runs else (0, 10))


def test_cadence_already_in_steps_is_not_doubled() -> None:
    summary = summarize(track(steady(600, cadence=166.0)), UTC_ZONE, DEFAULT_LIMITS)
    assert summary.avg_cadence_spm == 166 and summary.run_minutes == 10
    assert RUN_CADENCE_SPM == 140


def test_with_neither_cadence_nor_speed_the_sport_decides() -> None:
    heart_only = steady(1200, heart_rate=130.0)
    run = summarize(track(heart_only), UTC_ZONE, DEFAULT_LIMITS)
    assert (run.run_minutes, run.split_by) == (20, GaitSource.SPORT)
    walk = summarize(track(heart_only, sport=Sport.WALKING), UTC_ZONE, DEFAULT_LIMITS)
    assert walk.walk_minutes == 20 and walk.distance_km is None


def test_a_gap_longer_than_a_minute_is_a_pause() -> None:
    before = steady(300, speed_mps=2.5)
    after = [Sample(time=T0 + 300 + PAUSE_GAP_S + 1 + i, speed_mps=2.5) for i in range(301)]
    summary = summarize(track(before + after), UTC_ZONE, DEFAULT_LIMITS)
    assert summary.paused_s == PAUSE_GAP_S + 1 and summary.run_s == 600


def test_samples_out_of_order_are_sorted_and_untimed_ones_skipped() -> None:
    samples = steady(600, speed_mps=2.5)
    shuffled = [*samples[300:], Sample(time=None, speed_mps=9.0), *samples[:300]]
    summary = summarize(track(shuffled), UTC_ZONE, DEFAULT_LIMITS)
    assert summary.run_minutes == 10 and summary.points == 601
