"""GPX and TCX, read with the standard library's XML parser behind defusedxml.

defusedxml refuses a DTD, so entity tricks (billion laughs, external entities) stop at the prolog; the
document is read incrementally and each element is dropped from the tree once read, so memory stays flat
however long the track. gpxpy (which the tests use to *write* GPX) is not the reader: it took 370-450 ms
for a 2-hour track on this project's machine, a third of it deep-copying every point's extensions, against
the 300 ms budget; it also registers each file's namespace prefixes in ElementTree's global table and logs
the whole document at DEBUG when it fails to parse, and a runner's file must not reach the log.
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


def read_gpx(data: bytes, limits: ActivityLimits) -> Track:
    """The track and route points of a GPX 1.0/1.1 file, with Garmin's heart-rate and cadence extension."""
    track = Track(FileFormat.GPX)
    for event, name, element, parent in _events(data, "gpx", ("trkpt", "rtept"), limits):
        if event != "end":
            continue
        if name in ("trkpt", "rtept"):
            _add(track, _gpx_sample(element), limits)
        elif name == "type" and parent is not None and _local(parent.tag) in ("trk", "rte"):
            track.declared_sport = track.declared_sport or sport_named(element.text)
    return track


def read_tcx(data: bytes, limits: ActivityLimits) -> Track:
    """The trackpoints of a TCX file's activities (a course's trackpoints are a plan, not a session)."""
    track = Track(FileFormat.TCX)
    activities_open = 0
    for event, name, element, _ in _events(data, "TrainingCenterDatabase", ("Trackpoint",), limits):
        if name == "Activity":
            if event == "start":
                activities_open += 1
                if track.declared_sport is None:
                    track.declared_sport = _tcx_sport(element.get("Sport"))
            else:
                activities_open -= 1
        elif name == "Trackpoint" and event == "end" and activities_open:
            _add(track, _tcx_sample(element), limits)
    return track


def _tcx_sport(name: str | None) -> Sport | None:
    # TCX knows only Running, Biking and Other; Garmin exports walks as Other, so Other is left to inference.
    return Sport.CYCLING if name == "Biking" else sport_named(name)


def _events(
    data: bytes, root: str, points: tuple[str, ...], limits: ActivityLimits
) -> Iterator[tuple[str, str, ET.Element, ET.Element | None]]:
    """(event, local tag name, element, parent) for each start and end, checking the root element's name.

    Once the reader has seen an element's end, the element leaves the tree, unless it belongs to a point
    still open (the point reads its children at its own end): memory stays flat however long the file.
    Malformed XML is CORRUPT once the root element has started (a file cut short), else NOT_ACTIVITY.
    A file with more tags than ELEMENTS_PER_POINT times the points cap is TOO_COMPLEX before any parsing.
    """
    if data.count(b"<") > limits.max_points * ELEMENTS_PER_POINT:
        raise Rejection(RejectReason.TOO_COMPLEX, "too many elements")
    stack: list[ET.Element] = []
    open_points = 0
    started = False
    try:
        for event, element in safe_et.iterparse(io.BytesIO(data), events=("start", "end"), forbid_dtd=True):
            name = _local(element.tag)
            if event == "start":
                if not started and name != root:
                    raise Rejection(RejectReason.NOT_ACTIVITY, f"root element is not {root}")
                started = True
                open_points += name in points
                yield event, name, element, stack[-1] if stack else None
                stack.append(element)
                continue
            stack.pop()
            parent = stack[-1] if stack else None
            yield event, name, element, parent
            open_points -= name in points
            # the parser reads ahead, so later siblings may be in the tree already; but every earlier one has
            # been dropped, so an element read to its end is its parent's first child
            if not open_points and parent is not None and len(parent) and parent[0] is element:
                del parent[0]
    except DefusedXmlException as err:
        raise Rejection(RejectReason.NOT_ACTIVITY, type(err).__name__) from None
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
