"""GPX and TCX, read with the standard library's XML parser behind defusedxml.

defusedxml refuses a DTD, so entity tricks (billion laughs, external entities) stop at the prolog (expat
2.4+ limits entity amplification too, and ElementTree never fetches external entities); the document is
read incrementally and each element is dropped from the tree once read, so memory stays flat
however long the track. gpxpy (which the tests use to *write* GPX) is not the reader: it took 370-450 ms
for a 2-hour track on this project's machine, a third of it deep-copying every point's extensions, against
the 300 ms budget (the `activity_gpx` line of `runback bench` reports both); it also registers each
file's namespace prefixes in ElementTree's global table and logs the whole document at DEBUG when it
fails to parse, and a runner's file must not reach the log.
"""

from __future__ import annotations

import io
import math
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import UTC, datetime

import defusedxml.ElementTree as safe_et
from defusedxml import DefusedXmlException

from bot.activity.model import ActivityLimits, FileFormat, RejectReason, Sport
from bot.activity.track import Rejection, Sample, Track, sport_named

__all__ = ["ELEMENTS_PER_POINT", "read_gpx", "read_tcx"]

# Tags ("<") per point that a file may have: a Garmin TCX trackpoint has 13 elements, 26 tags with their ends.
# Counting is a C-speed scan; parsing a flood of empty elements would take seconds per million.
ELEMENTS_PER_POINT = 32
_PROLOG_CHUNK = 4096


def read_gpx(data: bytes, limits: ActivityLimits) -> Track:
    """The track and route points of a GPX 1.0/1.1 file, with Garmin's heart-rate and cadence extension."""
    track = Track(FileFormat.GPX)
    in_track = in_waypoint = 0
    for event, name, element in _elements(data, "gpx", ("trkpt", "rtept"), ("trk", "rte", "wpt", "type"), limits):
        step = 1 if event == "start" else -1
        if name in ("trkpt", "rtept"):
            _add(track, _gpx_sample(element), limits)
        elif name in ("trk", "rte"):
            in_track += step
        elif name == "wpt":
            in_waypoint += step
        elif event == "end" and in_track and not in_waypoint and track.declared_sport is None:  # <trk><type>
            track.declared_sport = sport_named(element.text)
    return track


def read_tcx(data: bytes, limits: ActivityLimits) -> Track:
    """The trackpoints of a TCX file's activities (a course's trackpoints are a plan, not a session)."""
    track = Track(FileFormat.TCX)
    in_activity = 0
    for event, name, element in _elements(data, "TrainingCenterDatabase", ("Trackpoint",), ("Activity",), limits):
        if name == "Activity":
            in_activity += 1 if event == "start" else -1
            if event == "start" and track.declared_sport is None:
                track.declared_sport = _tcx_sport(element.get("Sport"))
        elif in_activity:
            _add(track, _tcx_sample(element), limits)
    return track


def _tcx_sport(name: str | None) -> Sport | None:
    # TCX knows only Running, Biking and Other; Garmin exports walks as Other, so Other is left to inference.
    return Sport.CYCLING if name == "Biking" else sport_named(name)


class _RootReached(Exception):
    """The prolog is over: the root element starts."""


class _PrologTarget:
    def start(self, tag: str, attrib: dict[str, str]) -> None:
        raise _RootReached(tag.rsplit("}", 1)[-1])

    def close(self) -> None:
        return None


def _check_prolog(data: bytes) -> str:
    """The root element's local name, read by defusedxml up to there, where a DTD would be: none may be there.

    Only the prolog, because defusedxml's parser runs Python code for every element (it took half of a GPX
    parse); once the root has started no DTD can follow, and the standard library's C parser reads the rest.
    """
    parser = safe_et.DefusedXMLParser(target=_PrologTarget(), forbid_dtd=True)
    try:
        for offset in range(0, len(data), _PROLOG_CHUNK):
            parser.feed(data[offset : offset + _PROLOG_CHUNK])
        parser.close()
    except _RootReached as root:
        return str(root.args[0])
    except DefusedXmlException as err:
        raise Rejection(RejectReason.NOT_ACTIVITY, type(err).__name__) from None
    except ET.ParseError:
        raise Rejection(RejectReason.NOT_ACTIVITY, "malformed XML before the root element") from None
    raise Rejection(RejectReason.NOT_ACTIVITY, "no root element")


def _elements(
    data: bytes, root: str, points: tuple[str, ...], wanted: tuple[str, ...], limits: ActivityLimits
) -> Iterator[tuple[str, str, ET.Element]]:
    """("end", name, point) for each point, read whole; ("start"|"end", name, element) for the `wanted` names
    outside points.

    Names are local (no namespace). Each element outside a point is emptied at its end and each point once
    read, so memory stays flat however long the track. Malformed XML is CORRUPT once the root element has
    started (a file cut short), else NOT_ACTIVITY. A file with more tags than ELEMENTS_PER_POINT times the
    points cap is TOO_COMPLEX before any parsing. The loop does as little as it can per element: a 2-hour
    GPX has 100 000 events.
    """
    if data.count(b"<") > limits.max_points * ELEMENTS_PER_POINT:
        raise Rejection(RejectReason.TOO_COMPLEX, "too many elements")
    if _check_prolog(data) != root:
        raise Rejection(RejectReason.NOT_ACTIVITY, f"root element is not {root}")
    names: dict[str, str] = {}
    open_points = 0
    started = False
    try:
        for event, element in ET.iterparse(io.BytesIO(data), events=("start", "end")):
            tag = element.tag
            name = names.get(tag)
            if name is None:
                name = names[tag] = tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
            started = True
            if event == "start":
                if name in points:
                    open_points += 1
                elif name in wanted and not open_points:
                    yield event, name, element
            elif name in points:
                yield event, name, element
                open_points -= 1
                element.clear()
            elif not open_points:  # inside a point, an element waits for the point's end
                if name in wanted:
                    yield event, name, element
                element.clear()
    except ET.ParseError:
        raise Rejection(RejectReason.CORRUPT if started else RejectReason.NOT_ACTIVITY, "malformed XML") from None


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _add(track: Track, sample: Sample, limits: ActivityLimits) -> None:
    if len(track.samples) >= limits.max_points:
        raise Rejection(RejectReason.TOO_COMPLEX, f"more than {limits.max_points} points")
    track.samples.append(sample)


def _gpx_sample(point: ET.Element) -> Sample:
    lat = _number(point.get("lat"), -90, 90)
    lon = _number(point.get("lon"), -180, 180)
    fields: dict[str, float | None] = {}
    moment: float | None = None
    for child in point.iter():
        name = _local(child.tag).lower()
        if name == "time":
            moment = _moment(child.text)
        elif name in ("hr", "heartrate"):
            fields["heart_rate"] = _number(child.text, 0, 300)
        elif name in ("cad", "cadence"):
            fields["cadence"] = _number(child.text, 0, 400)
        elif name == "speed":
            fields["speed_mps"] = _number(child.text, 0, 100)
    if lat is None or lon is None:
        lat = lon = None
    return Sample(time=moment, lat=lat, lon=lon, **fields)


def _tcx_sample(point: ET.Element) -> Sample:
    fields: dict[str, float | None] = {}
    moment: float | None = None
    for child in point.iter():
        name = _local(child.tag)
        if name == "Time":
            moment = _moment(child.text)
        elif name == "LatitudeDegrees":
            fields["lat"] = _number(child.text, -90, 90)
        elif name == "LongitudeDegrees":
            fields["lon"] = _number(child.text, -180, 180)
        elif name == "DistanceMeters":
            fields["distance_m"] = _number(child.text, 0, 1e7)
        elif name == "Value":  # only inside HeartRateBpm in a trackpoint
            fields["heart_rate"] = _number(child.text, 0, 300)
        elif name == "RunCadence":
            fields["cadence"] = _number(child.text, 0, 400)
        elif name == "Speed":
            fields["speed_mps"] = _number(child.text, 0, 100)
    if fields.get("lat") is None or fields.get("lon") is None:
        fields["lat"] = fields["lon"] = None
    return Sample(time=moment, **fields)


def _number(text: str | None, low: float, high: float) -> float | None:
    """A finite number within [low, high], else None (a watch writes nonsense now and then; so does an attacker)."""
    if text is None or len(text) > 40:
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) and low <= value <= high else None


def _moment(text: str | None) -> float | None:
    """POSIX seconds of an ISO 8601 time; GPX and TCX times without an offset are UTC."""
    if text is None or len(text) > 40:
        return None
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace("z", "+00:00"))
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment.timestamp()
    except (ValueError, OverflowError):
        return None
