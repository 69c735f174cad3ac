"""`activity`: time and memory to read a watch file, a 2-hour FIT and a 2-hour GPX at one sample a second.

Target: under 300 ms each (issue 17). The files are written by fit-tool and gpxpy (benchmarks.activity_files),
a 2-hour easy run with heart rate and cadence. Each figure is the median of `repeats` parses of
`bot.activity.parse_activity`, in this process (the bot runs the same function in its worker process).
Memory is the peak that tracemalloc sees during one parse, measured in a separate run (tracemalloc slows
the parse down).

Baselines, measured in the same process so that the ratios travel between machines: for GPX, the standard
library's XML parser building the whole tree of the same bytes (`ElementTree.fromstring`); for FIT,
fitdecode decoding the same bytes with no CRC check and no data processor, the floor any FIT reader built on
it pays. The GPX line also reports gpxpy's parse of the same file, the library first planned as the reader.

    .venv/bin/python -m benchmarks.activity
"""

from __future__ import annotations

import io
import statistics
import sys
import time
import tracemalloc
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import fitdecode

from benchmarks.activity_files import continuous, fit_bytes, gpx_bytes
from bot.activity import ActivitySummary, parse_activity

TARGET_MS = 300.0
START = datetime(2026, 9, 14, 5, 30, tzinfo=UTC)
TZ = ZoneInfo("Europe/Berlin")


def _median_ms(action: Callable[[], object], repeats: int) -> float:
    action()  # warm-up: imports, caches
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1000


def _peak_mb(action: Callable[[], object]) -> float:
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def _fitdecode_floor(data: bytes) -> None:
    with fitdecode.FitReader(io.BytesIO(data), processor=None, check_crc=fitdecode.CrcCheck.DISABLED) as reader:
        for _ in reader:
            pass


def _gpxpy_parse(data: bytes) -> None:
    import gpxpy

    gpxpy.parse(data.decode())


def _measure(kind: str, data: bytes, repeats: int, baseline: Callable[[], object], name: str) -> dict[str, Any]:
    def parse() -> object:
        return parse_activity(data, f"run.{kind}", TZ)

    result = parse()
    if not isinstance(result, ActivitySummary):
        raise RuntimeError(f"the benchmark's {kind} file did not parse: {result}")
    ms = _median_ms(parse, repeats)
    baseline_ms = _median_ms(baseline, repeats)
    return {
        "name": f"activity_{kind}",
        "parameters": {
            "minutes": round(result.total_s / 60),
            "points": result.points,
            "file_kb": round(len(data) / 1024),
            "repeats": repeats,
        },
        "figures": {"ms_per_file": round(ms, 1), "peak_mb": round(_peak_mb(parse), 1)},
        "baseline": {f"{name}_ms": round(baseline_ms, 1), f"{name}_peak_mb": round(_peak_mb(baseline), 1)},
        "ratio": round(ms / baseline_ms, 2),
        "targets": {"ms_per_file": f"< {TARGET_MS:.0f} (2 hours at 1 s)"},
    }


async def run(size: str, workdir: Path | None = None) -> list[dict[str, Any]]:
    minutes = {"tiny": 5, "quick": 120, "full": 120}[size]
    repeats = {"tiny": 1, "quick": 3, "full": 10}[size]
    session = continuous(minutes * 60)
    fit = fit_bytes(session, START)
    gpx = gpx_bytes(session, START)
    fit_line = _measure("fit", fit, repeats, lambda: _fitdecode_floor(fit), "fitdecode_floor")
    gpx_line = _measure("gpx", gpx, repeats, lambda: ET.fromstring(gpx), "stdlib_xml_tree")
    gpx_line["figures"]["gpxpy_ms"] = round(_median_ms(lambda: _gpxpy_parse(gpx), repeats), 1)
    return [fit_line, gpx_line]


def main() -> int:
    import asyncio
    import json

    for result in asyncio.run(run("full")):
        print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
