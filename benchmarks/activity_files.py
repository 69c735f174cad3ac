"""Synthetic watch files (GPX, TCX, FIT) for the activity tests, the `activity` benchmark and the demo's sample.

Each file is written by a well-known writer, not by our reader's mirror image: GPX by gpxpy's own writer, FIT by
fit-tool's encoder (a dev dependency: never imported by the bot), TCX from the template Garmin's exports follow.
A session is a list of stretches (e.g. 6 x 1 min run / 4 min walk), sampled every second along a straight line
through a park, with a little deterministic GPS noise so the reader's smoothing is exercised as on a real watch.
Cadence is written the way the format stores it: strides (one foot) per minute in FIT, TCX and Garmin's GPX
extension, which the reader doubles into steps per minute.

`python -m benchmarks.activity_files docs/sample-run.gpx` writes the demo's sample (6 x 1 min run / 4 min walk).
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import gpxpy.gpx

EARTH_RADIUS_M = 6_371_000.0
# Tiergarten, Berlin: any park works, a real one makes the sample look real on a map.
START_LAT, START_LON = 52.5145, 13.3501
GPX_TPX_NS = "http://www.garmin.com/xmlschemas/TrackPointExtension/v1"


@dataclass(frozen=True)
class Stretch:
    """A part of a session at one pace: `seconds` long at `speed_mps`, with steps per minute and heart rate.

    A `paused` stretch records nothing (the watch's timer is stopped) while the clock and the runner move on.
    """

    seconds: int
    speed_mps: float
    cadence_spm: int | None = None
    heart_rate: int | None = None
    paused: bool = False


RUN = 2.6  # m/s, 6:25 min/km: an easy return-to-run jog
WALK = 1.4  # m/s, 11:54 min/km: a brisk walk
RIDE = 6.5  # m/s, 23 km/h


def run_walk(repeats: int = 6, run_s: int = 60, walk_s: int = 240, *, cadence: bool = True) -> list[Stretch]:
    """`repeats` x (run `run_s`, walk `walk_s`): the return-to-run protocol's shape."""
    run = Stretch(run_s, RUN, 166 if cadence else None, 148)
    walk = Stretch(walk_s, WALK, 112 if cadence else None, 118)
    return [stretch for _ in range(repeats) for stretch in (run, walk)]


def continuous(seconds: int, speed_mps: float = RUN, *, cadence: bool = True) -> list[Stretch]:
    return [Stretch(seconds, speed_mps, 168 if cadence else None, 150)]


@dataclass(frozen=True)
class Point:
    time: datetime
    lat: float
    lon: float
    distance_m: float
    speed_mps: float
    cadence_spm: int | None
    heart_rate: int | None


def points(
    stretches: Sequence[Stretch], start: datetime, *, every_s: int = 1, noise_m: float = 1.5, seed: int = 7
) -> Iterator[Point]:
    """A sample every `every_s` seconds from `start` (aware), moving east; positions carry up to `noise_m` of
    deterministic noise, the distance does not (as a watch's footpod-corrected distance)."""
    noise = random.Random(seed)
    metres_per_degree_lon = math.radians(1) * EARTH_RADIUS_M * math.cos(math.radians(START_LAT))
    metres_per_degree_lat = math.radians(1) * EARTH_RADIUS_M
    elapsed = 0
    distance = 0.0
    for stretch in stretches:
        if stretch.paused:
            elapsed += stretch.seconds
            distance += stretch.speed_mps * stretch.seconds
            continue
        for _ in range(0, stretch.seconds, every_s):
            jitter_lat = noise.uniform(-noise_m, noise_m) / metres_per_degree_lat
            jitter_lon = noise.uniform(-noise_m, noise_m) / metres_per_degree_lon
            yield Point(
                time=start + timedelta(seconds=elapsed),
                lat=START_LAT + jitter_lat,
                lon=START_LON + distance / metres_per_degree_lon + jitter_lon,
                distance_m=distance,
                speed_mps=stretch.speed_mps,
                cadence_spm=stretch.cadence_spm,
                heart_rate=stretch.heart_rate,
            )
            elapsed += every_s
            distance += stretch.speed_mps * every_s


def gpx_bytes(
    stretches: Sequence[Stretch],
    start: datetime,
    *,
    sport: str | None = "running",
    timestamps: bool = True,
    every_s: int = 1,
    name: str = "Run-walk",
) -> bytes:
    """A GPX 1.1 track written by gpxpy, with Garmin's TrackPointExtension for heart rate and cadence."""
    gpx = gpxpy.gpx.GPX()
    gpx.creator = "RunBack test writer (gpxpy)"
    gpx.nsmap["gpxtpx"] = GPX_TPX_NS
    track = gpxpy.gpx.GPXTrack(name=name)
    track.type = sport  # type: ignore[assignment]  # gpxpy annotates the field as None only
    segment = gpxpy.gpx.GPXTrackSegment()
    track.segments.append(segment)
    gpx.tracks.append(track)
    for point in points(stretches, start, every_s=every_s):
        trackpoint = gpxpy.gpx.GPXTrackPoint(
            round(point.lat, 7), round(point.lon, 7), elevation=34.0, time=point.time if timestamps else None
        )
        if point.heart_rate is not None or point.cadence_spm is not None:
            extension = ET.Element(f"{{{GPX_TPX_NS}}}TrackPointExtension")
            if point.heart_rate is not None:
                ET.SubElement(extension, f"{{{GPX_TPX_NS}}}hr").text = str(point.heart_rate)
            if point.cadence_spm is not None:
                ET.SubElement(extension, f"{{{GPX_TPX_NS}}}cad").text = str(point.cadence_spm // 2)
            trackpoint.extensions.append(extension)
        segment.points.append(trackpoint)
    xml: str = gpx.to_xml(version="1.1")
    return xml.encode()


_TCX_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"
  xmlns:ns3="http://www.garmin.com/xmlschemas/ActivityExtension/v2">
  <Activities>
    <Activity Sport="{sport}">
      <Id>{start}</Id>
      <Lap StartTime="{start}">
        <TotalTimeSeconds>{total_s}</TotalTimeSeconds>
        <DistanceMeters>{distance_m:.1f}</DistanceMeters>
        <Intensity>Active</Intensity>
        <TriggerMethod>Manual</TriggerMethod>
        <Track>
"""
_TCX_POINT = """          <Trackpoint>
            <Time>{time}</Time>
            <Position><LatitudeDegrees>{lat:.7f}</LatitudeDegrees><LongitudeDegrees>{lon:.7f}</LongitudeDegrees></Position>
            <DistanceMeters>{distance_m:.1f}</DistanceMeters>{hr}
            <Extensions><ns3:TPX><ns3:Speed>{speed:.3f}</ns3:Speed>{cadence}</ns3:TPX></Extensions>
          </Trackpoint>
"""
_TCX_TAIL = """        </Track>
      </Lap>
      <Creator xsi:type="Device_t" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
        <Name>RunBack test writer</Name>
      </Creator>
    </Activity>
  </Activities>
</TrainingCenterDatabase>
"""


def _tcx_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def tcx_bytes(stretches: Sequence[Stretch], start: datetime, *, sport: str = "Running", every_s: int = 1) -> bytes:
    """A TCX activity as Garmin Connect exports it (one lap, RunCadence in strides per minute)."""
    samples = list(points(stretches, start, every_s=every_s))
    parts = [
        _TCX_HEAD.format(
            sport=sport,
            start=_tcx_time(start),
            total_s=sum(s.seconds for s in stretches),
            distance_m=samples[-1].distance_m if samples else 0.0,
        )
    ]
    for point in samples:
        hr = f"\n            <HeartRateBpm><Value>{point.heart_rate}</Value></HeartRateBpm>" if point.heart_rate else ""
        cadence = f"<ns3:RunCadence>{point.cadence_spm // 2}</ns3:RunCadence>" if point.cadence_spm else ""
        parts.append(
            _TCX_POINT.format(
                time=_tcx_time(point.time),
                lat=point.lat,
                lon=point.lon,
                distance_m=point.distance_m,
                hr=hr,
                speed=point.speed_mps,
                cadence=cadence,
            )
        )
    parts.append(_TCX_TAIL)
    return "".join(parts).encode()


def fit_bytes(
    stretches: Sequence[Stretch],
    start: datetime,
    *,
    sport: str = "running",
    every_s: int = 1,
    file_type: str = "activity",
) -> bytes:
    """A FIT activity file encoded by fit-tool: file id, timer events, records, a lap, a session, the activity.

    `sport` and `file_type` are names of FIT's profile ("cycling", "swimming"; "course", "workout").
    """
    from fit_tool.fit_file_builder import FitFileBuilder
    from fit_tool.profile.messages.activity_message import ActivityMessage
    from fit_tool.profile.messages.event_message import EventMessage
    from fit_tool.profile.messages.file_id_message import FileIdMessage
    from fit_tool.profile.messages.lap_message import LapMessage
    from fit_tool.profile.messages.record_message import RecordMessage
    from fit_tool.profile.messages.session_message import SessionMessage
    from fit_tool.profile.profile_type import Event, EventType, FileType, Manufacturer, Sport

    def millis(moment: datetime) -> int:
        return round(moment.timestamp() * 1000)

    fit_sport = Sport[sport.upper()]
    samples = list(points(stretches, start, every_s=every_s))
    end = samples[-1].time if samples else start
    total_s = (end - start).total_seconds()
    builder = FitFileBuilder(auto_define=True, min_string_size=50)

    file_id = FileIdMessage()
    file_id.type = FileType[file_type.upper()]
    file_id.manufacturer = Manufacturer.DEVELOPMENT.value
    file_id.product = 0
    file_id.time_created = millis(start)
    file_id.serial_number = 0x52554E42
    builder.add(file_id)

    def timer(event_type: EventType, moment: datetime) -> EventMessage:
        event = EventMessage()
        event.event = Event.TIMER
        event.event_type = event_type
        event.timestamp = millis(moment)
        return event

    builder.add(timer(EventType.START, start))
    records = []
    for point in samples:
        record = RecordMessage()
        record.timestamp = millis(point.time)
        record.position_lat = point.lat
        record.position_long = point.lon
        record.distance = point.distance_m
        record.enhanced_speed = point.speed_mps
        if point.heart_rate is not None:
            record.heart_rate = point.heart_rate
        if point.cadence_spm is not None:
            record.cadence = point.cadence_spm // 2  # FIT stores strides (one foot) per minute
        records.append(record)
    builder.add_all(records)
    builder.add(timer(EventType.STOP_ALL, end))

    lap = LapMessage()
    lap.timestamp = millis(end)
    lap.start_time = millis(start)
    lap.total_elapsed_time = total_s
    lap.total_timer_time = total_s
    builder.add(lap)

    session = SessionMessage()
    session.timestamp = millis(end)
    session.start_time = millis(start)
    session.total_elapsed_time = total_s
    session.total_timer_time = total_s
    session.total_distance = samples[-1].distance_m if samples else 0.0
    session.sport = fit_sport
    session.first_lap_index = 0
    session.num_laps = 1
    builder.add(session)

    activity = ActivityMessage()
    activity.timestamp = millis(end)
    activity.total_timer_time = total_s
    activity.num_sessions = 1
    builder.add(activity)
    return bytes(builder.build().to_bytes())


def sample_run_gpx() -> bytes:
    """The demo's sample: a morning run-walk, 5 min warm-up walk, 6 x (1 min run, 4 min walk), 5 min cool-down."""
    warm_up = Stretch(300, WALK, 108, 105)
    session = [warm_up, *run_walk(6, 60, 240), Stretch(300, WALK, 108, 112)]
    # a point every 5 s (as a watch's "smart recording") keeps the committed file small; 06:30 in Berlin in
    # September is 04:30 UTC
    return gpx_bytes(session, datetime(2026, 9, 14, 4, 30, tzinfo=UTC), every_s=5, name="Morning run-walk")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="write the demo's sample run-walk GPX")
    parser.add_argument("path", type=Path, help="where to write it, e.g. docs/sample-run.gpx")
    args = parser.parse_args(argv)
    args.path.write_bytes(sample_run_gpx())
    print(f"wrote {args.path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
