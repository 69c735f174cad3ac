"""parse_activity on real files: GPX by gpxpy's writer, FIT by fit-tool's encoder, TCX as Garmin writes it.

Each session is logged with the right run and walk minutes (within a minute) and on the runner's local day,
checked in two zones where the local date is not the UTC date; every bad file gets its own reason code.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from benchmarks.activity_files import RIDE, RUN, WALK, Stretch, gpx_bytes, run_walk, sample_run_gpx
from bot.activity import (
    ActivityLimits,
    ActivityRejected,
    ActivitySummary,
    FileFormat,
    GaitSource,
    RejectReason,
    Sport,
    check_day,
    file_format,
    parse_activity,
)
from tests.activity.conftest import CONTINUOUS, EVENING_UTC, RUN_WALK, Files

AUCKLAND = ZoneInfo("Pacific/Auckland")  # 18:00 UTC on 14 Sep is 06:00 on 15 Sep
LOS_ANGELES = ZoneInfo("America/Los_Angeles")  # 18:00 UTC on 14 Sep is 11:00 on 14 Sep; 02:00 UTC is the evening before
KINDS = ("gpx", "tcx", "fit")
ROOT = Path(__file__).resolve().parents[2]


def summary_of(data: bytes, filename: str, tz: ZoneInfo = AUCKLAND, **limits: float) -> ActivitySummary:
    result = parse_activity(data, filename, tz, ActivityLimits(**limits))  # type: ignore[arg-type]
    assert isinstance(result, ActivitySummary), result
    return result


def rejection_of(data: bytes, filename: str, tz: ZoneInfo = AUCKLAND, **limits: float) -> ActivityRejected:
    result = parse_activity(data, filename, tz, ActivityLimits(**limits))  # type: ignore[arg-type]
    assert isinstance(result, ActivityRejected), result
    return result


def within_a_minute(seconds: float, minutes: float) -> bool:
    return abs(seconds / 60 - minutes) <= 1


# ------------------------------------------------------------------------------------------- sessions


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("tz", "start", "day"),
    [
        (AUCKLAND, EVENING_UTC, date(2026, 9, 15)),
        (LOS_ANGELES, datetime(2026, 9, 15, 2, 0, tzinfo=UTC), date(2026, 9, 14)),
    ],
)
def test_a_run_walk_is_six_run_minutes_on_the_local_day(
    files: Files, kind: str, tz: ZoneInfo, start: datetime, day: date
) -> None:
    summary = summary_of(files.get(kind, RUN_WALK, start), f"Morning_Run.{kind}", tz)
    assert summary.local_date == day and summary.local_start.tzinfo == tz
    assert summary.local_date != start.date()  # the zone matters for these two
    assert summary.source_format == FileFormat(kind) and summary.sport == Sport.RUNNING and summary.sport_from_file
    assert within_a_minute(summary.run_s, 6) and summary.run_minutes == 6
    assert within_a_minute(summary.walk_s, 24) and summary.walk_minutes == 24
    assert summary.total_minutes == 30 and summary.stopped_s == 0 and summary.paused_s == 0
    assert summary.split_by == GaitSource.CADENCE
    assert summary.distance_km == pytest.approx((6 * 60 * RUN + 24 * 60 * WALK) / 1000, rel=0.03)
    assert summary.avg_heart_rate is not None and 118 < summary.avg_heart_rate < 148
    # strides in the file, steps per minute in the summary: 6 min at 166 and 24 at 112
    assert summary.avg_cadence_spm == pytest.approx((6 * 166 + 24 * 112) / 30, abs=2)


@pytest.mark.parametrize("kind", KINDS)
def test_a_continuous_run_is_all_running(files: Files, kind: str) -> None:
    summary = summary_of(files.get(kind, CONTINUOUS), f"run.{kind}")
    assert summary.run_minutes == 25 and summary.walk_s < 60
    assert summary.avg_cadence_spm == 168 and summary.avg_heart_rate == 150
    assert summary.distance_km == pytest.approx(25 * 60 * RUN / 1000, rel=0.03)


@pytest.mark.parametrize("kind", KINDS)
def test_without_cadence_the_pace_splits_running_from_walking(files: Files, kind: str) -> None:
    summary = summary_of(files.get(kind, tuple(run_walk(6, 60, 240, cadence=False))), f"run.{kind}")
    assert summary.split_by == GaitSource.PACE and summary.avg_cadence_spm is None
    assert within_a_minute(summary.run_s, 6) and within_a_minute(summary.walk_s, 24)


def test_a_gpx_speed_comes_from_noisy_positions_over_a_window(files: Files) -> None:
    """gpxpy's GPX has positions only (1.5 m of noise each fix); a 2-minute jog in a walk is still 2 minutes."""
    walk_jog_walk = (Stretch(300, WALK), Stretch(120, RUN), Stretch(300, WALK))
    summary = summary_of(files.get("gpx", walk_jog_walk), "run.gpx")
    assert summary.split_by == GaitSource.PACE
    assert within_a_minute(summary.run_s, 2) and within_a_minute(summary.walk_s, 10)
    assert summary.distance_km == pytest.approx((600 * WALK + 120 * RUN) / 1000, rel=0.05)


def test_standing_still_and_a_paused_timer_are_neither_running_nor_walking(files: Files) -> None:
    stops = (Stretch(300, RUN, 166), Stretch(120, 0.0, 0), Stretch(600, 0.0, paused=True), Stretch(300, RUN, 166))
    summary = summary_of(files.get("fit", stops), "run.fit")
    assert within_a_minute(summary.run_s, 10) and summary.walk_s < 60
    assert within_a_minute(summary.stopped_s, 2) and within_a_minute(summary.paused_s, 10)
    assert summary.total_minutes == 22


def test_a_walk_file_is_walking(files: Files) -> None:
    walk = (Stretch(1800, WALK, 110, 100),)
    summary = summary_of(files.get("fit", walk, sport="walking"), "walk.fit")
    assert summary.sport == Sport.WALKING and summary.walk_minutes == 30 and summary.run_s == 0


def test_a_file_naming_no_sport_is_inferred_from_its_speeds() -> None:
    untyped_run = summary_of(gpx_bytes(run_walk(2, 60, 120), EVENING_UTC, sport=None), "run.gpx")
    assert untyped_run.sport == Sport.RUNNING and not untyped_run.sport_from_file
    untyped_walk = summary_of(gpx_bytes([Stretch(600, WALK)], EVENING_UTC, sport=None), "walk.gpx")
    assert untyped_walk.sport == Sport.WALKING
    untyped_ride = rejection_of(gpx_bytes([Stretch(600, RIDE)], EVENING_UTC, sport=None), "ride.gpx")
    assert (untyped_ride.reason, untyped_ride.sport) == (RejectReason.NOT_ON_FOOT, Sport.CYCLING)


def test_the_demo_sample_is_the_generated_run_walk() -> None:
    committed = (ROOT / "docs" / "sample-run.gpx").read_bytes()
    assert committed == sample_run_gpx()  # regenerate: python -m benchmarks.activity_files docs/sample-run.gpx
    summary = summary_of(committed, "sample-run.gpx", ZoneInfo("Europe/Berlin"))
    assert (summary.run_minutes, summary.walk_minutes, summary.total_minutes) == (6, 34, 40)
    assert summary.local_start == datetime(2026, 9, 14, 6, 30, tzinfo=ZoneInfo("Europe/Berlin"))


# ---------------------------------------------------------------------------------------- rejections


@pytest.mark.parametrize(
    ("kind", "options"),
    [("gpx", {"sport": "cycling"}), ("tcx", {"sport": "Biking"}), ("fit", {"sport": "cycling"})],
)
def test_a_ride_is_offered_as_cross_training(files: Files, kind: str, options: dict[str, str]) -> None:
    ride = (Stretch(45 * 60, RIDE, None, 135),)
    rejected = rejection_of(files.get(kind, ride, **options), f"ride.{kind}")
    assert (rejected.reason, rejected.sport) == (RejectReason.NOT_ON_FOOT, Sport.CYCLING)
    assert rejected.summary is not None and rejected.summary.total_minutes == 45
    assert rejected.summary.local_date == date(2026, 9, 15)


def test_a_swim_and_another_sport_are_not_on_foot(files: Files) -> None:
    swim = rejection_of(files.get("fit", (Stretch(1200, 1.0),), sport="swimming"), "swim.fit")
    assert (swim.reason, swim.sport) == (RejectReason.NOT_ON_FOOT, Sport.SWIMMING)
    other = rejection_of(files.get("fit", (Stretch(600, 0.5),), sport="training"), "gym.fit")
    assert (other.reason, other.sport) == (RejectReason.NOT_ON_FOOT, Sport.OTHER)


def test_a_gpx_without_timestamps_has_no_day() -> None:
    rejected = rejection_of(gpx_bytes(run_walk(2), EVENING_UTC, timestamps=False), "route.gpx")
    assert rejected.reason == RejectReason.NO_TIMESTAMPS


@pytest.mark.parametrize("kind", KINDS)
def test_a_file_cut_short_is_corrupt(files: Files, kind: str) -> None:
    data = files.get(kind, RUN_WALK)
    rejected = rejection_of(data[: len(data) * 2 // 3], f"run.{kind}")
    assert rejected.reason == RejectReason.CORRUPT


def test_a_fit_with_a_changed_byte_fails_its_crc(files: Files) -> None:
    data = bytearray(files.get("fit", RUN_WALK))
    data[len(data) // 2] ^= 0x01
    rejected = rejection_of(bytes(data), "run.fit")
    assert (rejected.reason, rejected.detail) == (RejectReason.CORRUPT, "crc")
    assert rejection_of(files.get("fit", RUN_WALK)[:-1], "run.fit").detail == "truncated"


def test_empty_too_large_and_unknown_extension() -> None:
    assert rejection_of(b"", "run.gpx").reason == RejectReason.EMPTY
    assert rejection_of(bytes(21), "run.fit", max_bytes=20).reason == RejectReason.TOO_LARGE
    assert rejection_of(bytes(20 * 1024 * 1024 + 1), "run.fit").reason == RejectReason.TOO_LARGE
    for name in ("run.pdf", "run.csv", "run", "run.gpx.zip", "", ".fit.txt"):
        assert rejection_of(b"<gpx/>", name).reason == RejectReason.UNKNOWN_EXTENSION, name


def test_file_format_reads_the_extension_in_any_case() -> None:
    assert [file_format(n) for n in ("a.GPX", "b.Tcx", "c.fit", "d.fit.gz", "gpx")] == [
        FileFormat.GPX,
        FileFormat.TCX,
        FileFormat.FIT,
        None,
        None,
    ]


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(64), "photo.gpx"),
        (b"\x89PNG\r\n\x1a\n" + bytes(64), "photo.fit"),
        (b'{"type": "run"}', "run.tcx"),
        (b"<gpx><trk><trkseg/></trk></gpx>", "run.tcx"),  # a GPX named .tcx
        (b'<gpx version="1.1"><wpt lat="1" lon="2"><name>Cafe</name></wpt></gpx>', "places.gpx"),
        (b"<TrainingCenterDatabase><Activities/></TrainingCenterDatabase>", "empty.tcx"),
    ],
)
def test_not_an_activity(data: bytes, name: str) -> None:
    assert rejection_of(data, name).reason == RejectReason.NOT_ACTIVITY


def test_a_course_is_a_plan_not_a_session(files: Files) -> None:
    course = files.get("fit", (Stretch(600, RUN),), file_type="course")
    assert rejection_of(course, "course.fit").reason == RejectReason.NOT_ACTIVITY
    tcx = files.get("tcx", (Stretch(600, RUN),)).decode()
    as_course = tcx.replace("<Activities>", "<Courses>").replace("</Activities>", "</Courses>")
    as_course = as_course.replace("<Activity ", "<Course ").replace("</Activity>", "</Course>")
    assert rejection_of(as_course.encode(), "course.tcx").reason == RejectReason.NOT_ACTIVITY


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE gpx [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>
<gpx><trk><name>&d;</name></trk></gpx>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE TrainingCenterDatabase [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<TrainingCenterDatabase><Activities><Activity Sport="Running"><Id>&secret;</Id></Activity></Activities>
</TrainingCenterDatabase>"""


def test_xml_with_a_dtd_is_refused_before_any_entity_expands() -> None:
    assert rejection_of(BILLION_LAUGHS, "bomb.gpx").reason == RejectReason.NOT_ACTIVITY
    assert rejection_of(EXTERNAL_ENTITY, "steal.tcx").reason == RejectReason.NOT_ACTIVITY


@pytest.mark.parametrize("kind", KINDS)
def test_more_points_than_the_cap_is_too_complex(files: Files, kind: str) -> None:
    data = files.get(kind, RUN_WALK)
    assert rejection_of(data, f"run.{kind}", max_points=500).reason == RejectReason.TOO_COMPLEX


def test_a_flood_of_elements_is_refused_before_parsing() -> None:
    flood = b"<gpx>" + b"<x/>" * 40_000 + b"</gpx>"
    rejected = rejection_of(flood, "flood.gpx", max_points=1000)
    assert (rejected.reason, rejected.detail) == (RejectReason.TOO_COMPLEX, "too many elements")


def test_a_file_spanning_days_has_broken_timestamps() -> None:
    two_points = (
        b'<gpx><trk><trkseg><trkpt lat="1" lon="1"><time>2026-09-14T06:00:00Z</time></trkpt>'
        b'<trkpt lat="1" lon="1"><time>2026-09-20T06:00:00Z</time></trkpt></trkseg></trk></gpx>'
    )
    assert rejection_of(two_points, "odd.gpx").reason == RejectReason.CORRUPT


def test_no_file_content_reaches_the_log_or_the_rejection(caplog: pytest.LogCaptureFixture) -> None:
    secret = "Runner-Name-4711"
    broken = f'<gpx><trk><name>{secret}</name><trkseg><trkpt lat="1" lon="1"><time>2026-0'.encode()
    with caplog.at_level(logging.DEBUG):
        rejected = rejection_of(broken, "run.gpx")
    assert rejected.reason == RejectReason.CORRUPT
    assert secret not in caplog.text and secret not in repr(rejected)


# ------------------------------------------------------------------------------------------- the day


def test_check_day_allows_the_last_seven_days_only(files: Files) -> None:
    summary = summary_of(files.get("fit", RUN_WALK), "run.fit")  # 15 September in Auckland
    assert check_day(summary, date(2026, 9, 15)) is None
    assert check_day(summary, date(2026, 9, 22)) is None
    too_old = check_day(summary, date(2026, 9, 23))
    assert too_old is not None and too_old.reason == RejectReason.TOO_OLD and too_old.summary == summary
    in_future = check_day(summary, date(2026, 9, 14))
    assert in_future is not None and in_future.reason == RejectReason.IN_FUTURE
    assert check_day(replace(summary), date(2026, 9, 25), max_days_ago=10) is None


def test_a_committed_fit_sample_reads_the_same_whatever_the_writer_version() -> None:
    data = (ROOT / "tests" / "data" / "activity" / "run-walk-2x1-1.fit").read_bytes()
    summary = summary_of(data, "run-walk-2x1-1.fit", ZoneInfo("Asia/Tokyo"))  # 22:30 UTC is 07:30 next day
    assert summary.local_start == datetime(2026, 9, 15, 7, 30, tzinfo=ZoneInfo("Asia/Tokyo"))
    assert (summary.run_minutes, summary.walk_minutes, summary.total_minutes) == (2, 2, 4)
    assert summary.split_by == GaitSource.CADENCE and summary.avg_cadence_spm == 139


def test_the_sport_is_the_tracks_type_not_a_points_or_a_waypoints() -> None:
    point = '<trkpt lat="52.5" lon="13.4"><time>2026-09-14T06:{:02d}:00Z</time><type>cycling</type></trkpt>'
    gpx = (
        '<gpx><wpt lat="52.5" lon="13.4"><type>cycling</type></wpt><trk><type>running</type><trkseg>'
        + "".join(point.format(minute) for minute in range(10))
        + "</trkseg></trk></gpx>"
    )
    summary = summary_of(gpx.encode(), "run.gpx")
    assert summary.sport == Sport.RUNNING and summary.sport_from_file
