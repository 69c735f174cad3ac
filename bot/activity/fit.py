"""FIT, the binary format of Garmin, Coros, Suunto and Wahoo watches, decoded with fitdecode.

Not Garmin's FIT SDK: its licence excludes uses where a failure could lead to injury, which a return-to-run
coach is. The file's CRCs are checked here, a byte at a time with a 256-entry table, before fitdecode reads
it with its own CRC check off: fitdecode's check goes a nibble at a time and took a quarter of the parse time
of a 2-hour file. fitdecode also runs without a data processor (the default one turns every timestamp into a
datetime, which was another quarter); timestamps are converted here, for the records alone.
"""

from __future__ import annotations

import io
from typing import Any

import fitdecode

from bot.activity.model import ActivityLimits, FileFormat, RejectReason, Sport
from bot.activity.track import Rejection, Sample, Track, sport_named

__all__ = ["fit_crc", "read_fit"]

FIT_EPOCH = 631_065_600  # 1989-12-31T00:00:00Z in POSIX seconds
# FIT timestamps below this count seconds since the device powered on, not a date (FIT profile, date_time).
_SYSTEM_TIME_LIMIT = 0x10000000
_SEMICIRCLE_DEGREES = 180 / 2**31
# FIT's sports that say nothing of the activity: the sport is then inferred from the speeds.
_GENERIC = frozenset({"generic", "all"})


def _crc_table() -> tuple[int, ...]:
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
        table.append(crc)
    return tuple(table)


_CRC_TABLE = _crc_table()


def fit_crc(data: bytes | memoryview, crc: int = 0) -> int:
    """FIT's CRC-16 (the ARC variant: polynomial 0x8005 reflected, start 0)."""
    table = _CRC_TABLE
    for byte in data:
        crc = (crc >> 8) ^ table[(crc ^ byte) & 0xFF]
    return crc


def read_fit(data: bytes, limits: ActivityLimits) -> Track:
    """The records of a FIT activity file (or of a chain of them) and the sport of its first session."""
    _check_segments(data)
    track = Track(FileFormat.FIT, cadence_in_strides=True)
    file_type: Any = None
    sport: Any = None
    reader = fitdecode.FitReader(
        io.BytesIO(data),
        processor=None,
        check_crc=fitdecode.CrcCheck.DISABLED,
        error_handling=fitdecode.ErrorHandling.IGNORE,
    )
    try:
        for frame in reader:
            if frame.frame_type != fitdecode.FIT_FRAME_DATA:
                continue
            name = frame.name
            if name == "record":
                if len(track.samples) >= limits.max_points:
                    raise Rejection(RejectReason.TOO_COMPLEX, f"more than {limits.max_points} points")
                track.samples.append(_sample({field.name: field.value for field in frame.fields}))
            elif name == "file_id" and file_type is None:
                file_type = _value(frame, "type")
            elif name in ("session", "sport") and sport is None:
                sport = _value(frame, "sport")
    except fitdecode.FitEOFError:
        raise Rejection(RejectReason.CORRUPT, "truncated") from None
    except fitdecode.FitError as err:
        raise Rejection(RejectReason.CORRUPT, type(err).__name__) from None
    finally:
        reader.close()
    if file_type != "activity":
        raise Rejection(RejectReason.NOT_ACTIVITY, f"FIT file type {file_type!s:.20}")
    track.declared_sport = _sport(sport)
    return track


def _check_segments(data: bytes) -> None:
    """Every FIT file in the chain has its header, its whole length and a matching CRC."""
    view = memoryview(data)
    offset = 0
    while offset < len(data):
        header_size = data[offset]
        if header_size < 12 or data[offset + 8 : offset + 12] != b".FIT":
            reason = RejectReason.NOT_ACTIVITY if offset == 0 else RejectReason.CORRUPT
            raise Rejection(reason, "no FIT header")
        data_size = int.from_bytes(data[offset + 4 : offset + 8], "little")
        end = offset + header_size + data_size + 2
        if end > len(data):
            raise Rejection(RejectReason.CORRUPT, "truncated")
        # the CRC of a segment followed by its own (little-endian) CRC is 0
        if fit_crc(view[offset:end]) != 0:
            raise Rejection(RejectReason.CORRUPT, "crc")
        offset = end


def _value(frame: fitdecode.FitDataMessage, name: str) -> Any:
    return frame.get_value(name, fallback=None) if frame.has_field(name) else None


def _sport(value: Any) -> Sport | None:
    if value is None or (isinstance(value, str) and value in _GENERIC):
        return None
    if not isinstance(value, str):  # a number the profile does not name: some sport, not ours
        return Sport.OTHER
    return sport_named(value) or Sport.OTHER


_NUMBER_TYPES = (int, float)


def _number(value: Any, low: float, high: float) -> float | None:
    """A number within [low, high] (NaN and infinities fall outside), else None. Called 50 000 times a file."""
    if type(value) not in _NUMBER_TYPES:  # not isinstance: a bool is no measurement
        return None
    return float(value) if low <= value <= high else None


def _sample(fields: dict[str, Any]) -> Sample:
    stamp = fields.get("timestamp")
    moment = stamp + FIT_EPOCH if isinstance(stamp, int) and stamp >= _SYSTEM_TIME_LIMIT else None
    lat = _number(fields.get("position_lat"), -(2**31), 2**31)
    lon = _number(fields.get("position_long"), -(2**31), 2**31)
    speed = fields.get("enhanced_speed")
    if speed is None:
        speed = fields.get("speed")
    cadence = _number(fields.get("cadence"), 0, 255)
    fraction = _number(fields.get("fractional_cadence"), 0, 1)
    if cadence is not None and fraction is not None:
        cadence += fraction
    has_fix = lat is not None and lon is not None and abs(lat) <= 2**30  # beyond ±90 degrees is no fix
    return Sample(
        time=moment,
        lat=lat * _SEMICIRCLE_DEGREES if has_fix and lat is not None else None,
        lon=lon * _SEMICIRCLE_DEGREES if has_fix and lon is not None else None,
        distance_m=_number(fields.get("distance"), 0, 1e7),
        speed_mps=_number(speed, 0, 100),
        cadence=cadence,
        heart_rate=_number(fields.get("heart_rate"), 1, 254),
    )
