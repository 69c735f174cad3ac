"""Watch files for the activity tests, written by well-known writers (gpxpy, fit-tool, Garmin's TCX layout).

Generated deterministically at first use and kept for the session: fit-tool takes about a second per 1 000
records, so each file is written once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

import pytest

from benchmarks.activity_files import Stretch, continuous, fit_bytes, gpx_bytes, run_walk, tcx_bytes

Writer = Callable[..., bytes]
WRITERS: dict[str, Writer] = {"gpx": gpx_bytes, "tcx": tcx_bytes, "fit": fit_bytes}
# 18:00 UTC on 14 September is 06:00 on 15 September in Auckland and 11:00 on 14 September in Los Angeles.
EVENING_UTC = datetime(2026, 9, 14, 18, 0, tzinfo=UTC)
RUN_WALK = tuple(run_walk(6, 60, 240))  # 6 x (1 min run, 4 min walk): 6 run minutes, 24 walk minutes
CONTINUOUS = tuple(continuous(25 * 60))  # 25 minutes of easy running


class Files:
    """Cached writer calls: `files.get("fit", RUN_WALK)` and the like."""

    def __init__(self) -> None:
        self._cache: dict[tuple[object, ...], bytes] = {}

    def get(
        self, kind: str, stretches: Sequence[Stretch], start: datetime = EVENING_UTC, **options: object
    ) -> bytes:
        key = (kind, tuple(stretches), start, tuple(sorted(options.items())))
        if key not in self._cache:
            self._cache[key] = WRITERS[kind](stretches, start, **options)
        return self._cache[key]


@pytest.fixture(scope="session")
def files() -> Files:
    return Files()
