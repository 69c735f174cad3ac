"""Hostile input: random bytes and mutated real files only ever give a typed result, never an exception."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import fitdecode.utils
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.activity_files import fit_bytes, gpx_bytes, run_walk, tcx_bytes
from bot.activity import ActivityLimits, ActivityRejected, ActivitySummary, parse_activity
from bot.activity.fit import fit_crc

START = datetime(2026, 9, 14, 18, 0, tzinfo=UTC)
SHORT = run_walk(2, 30, 45)  # 2.5 minutes: small files, so many examples run fast
REAL = {
    "gpx": gpx_bytes(SHORT, START),
    "tcx": tcx_bytes(SHORT, START),
    "fit": fit_bytes(SHORT, START),
}
TZ = ZoneInfo("Europe/Berlin")
LIMITS = ActivityLimits(max_points=5_000)
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def typed(data: bytes, filename: str) -> ActivitySummary | ActivityRejected:
    result = parse_activity(data, filename, TZ, LIMITS)
    assert isinstance(result, ActivitySummary | ActivityRejected)
    if isinstance(result, ActivitySummary):
        assert result.run_s >= 0 and result.walk_s >= 0 and result.total_s > 0
        assert result.run_s + result.walk_s + result.stopped_s + result.paused_s <= result.total_s + 1e-6
    return result


@FUZZ
@given(data=st.binary(max_size=2048), kind=st.sampled_from(sorted(REAL)))
def test_random_bytes(data: bytes, kind: str) -> None:
    typed(data, f"x.{kind}")


@FUZZ
@given(kind=st.sampled_from(sorted(REAL)), data=st.data())
def test_mutated_real_files(kind: str, data: st.DataObject) -> None:
    original = REAL[kind]
    at = data.draw(st.integers(0, len(original) - 1), label="at")
    mutation = data.draw(st.sampled_from(["truncate", "flip", "insert", "delete", "overwrite"]), label="how")
    if mutation == "truncate":
        mutated = original[:at]
    elif mutation == "flip":
        mutated = original[:at] + bytes([original[at] ^ data.draw(st.integers(1, 255))]) + original[at + 1 :]
    elif mutation == "insert":
        mutated = original[:at] + data.draw(st.binary(min_size=1, max_size=64)) + original[at:]
    elif mutation == "delete":
        mutated = original[:at] + original[at + data.draw(st.integers(1, 64)) :]
    else:
        chunk = data.draw(st.binary(min_size=1, max_size=16))
        mutated = original[:at] + chunk + original[at + len(chunk) :]
    typed(mutated, f"x.{kind}")


FIELD_TEXT = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=30)


@FUZZ
@given(time=FIELD_TEXT, lat=FIELD_TEXT, lon=FIELD_TEXT, hr=FIELD_TEXT, cad=FIELD_TEXT, sport=FIELD_TEXT)
def test_gpx_with_hostile_values(time: str, lat: str, lon: str, hr: str, cad: str, sport: str) -> None:
    def escape(text: str) -> str:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")

    point = (
        f'<trkpt lat="{escape(lat)}" lon="{escape(lon)}"><time>{escape(time)}</time>'
        f"<extensions><hr>{escape(hr)}</hr><cad>{escape(cad)}</cad></extensions></trkpt>"
    )
    good = '<trkpt lat="52.5" lon="13.4"><time>2026-09-14T06:00:00Z</time></trkpt>'
    document = f"<gpx><trk><type>{escape(sport)}</type><trkseg>{good}{point}{point}</trkseg></trk></gpx>"
    typed(document.encode("utf-8", "surrogatepass"), "x.gpx")


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=512))
def test_our_crc_is_fits_crc(data: bytes) -> None:
    assert fit_crc(data) == (fitdecode.utils.compute_crc(data) if data else 0)


@pytest.mark.parametrize("kind", sorted(REAL))
def test_every_truncation_of_a_small_file_is_typed(kind: str) -> None:
    original = REAL[kind]
    for end in range(0, len(original), max(1, len(original) // 300)):
        typed(original[:end], f"x.{kind}")


def with_valid_crc(fit: bytes) -> bytes:
    """The file with its data size and trailing CRC recomputed, so the mutation reaches fitdecode."""
    header_size = fit[0]
    body = fit[header_size:-2]
    header = bytearray(fit[:header_size])
    header[4:8] = len(body).to_bytes(4, "little")
    if header_size == 14:
        header[12:14] = fit_crc(bytes(header[:12])).to_bytes(2, "little")
    content = bytes(header) + body
    return content + fit_crc(content).to_bytes(2, "little")


@FUZZ
@given(data=st.data())
def test_mutated_fit_with_a_valid_crc(data: st.DataObject) -> None:
    original = REAL["fit"]
    header_size = original[0]
    body = bytearray(original[header_size:-2])
    for _ in range(data.draw(st.integers(1, 8), label="mutations")):
        at = data.draw(st.integers(0, len(body) - 1))
        body[at] = data.draw(st.integers(0, 255))
    if data.draw(st.booleans(), label="cut"):
        body = body[: data.draw(st.integers(0, len(body)))]
    mutated = with_valid_crc(original[:header_size] + bytes(body) + b"\x00\x00")
    typed(mutated, "x.fit")


def test_the_crc_fixup_keeps_a_real_file_valid() -> None:
    assert with_valid_crc(REAL["fit"]) == REAL["fit"]
    assert isinstance(parse_activity(with_valid_crc(REAL["fit"]), "x.fit", TZ), ActivitySummary)
