"""What a session log took from a watch file, in words: one line for the log's message, /history and the like."""

from __future__ import annotations

from typing import Any

from bot.i18n import Texts

KM_PER_MILE = 1.609344


def file_data(
    source: str,
    run: float,
    walk: float,
    distance_km: float | None,
    hr: int | None,
    spm: int | None,
    *,
    texts: Texts,
    miles: bool = False,
) -> str:
    """e.g. "GPX file, 30 min: 6 running and 24 walking, 4.1 km, average heart rate 132, cadence 128 steps/min"
    (`miles`: the reader reads distances in miles)."""
    extra = ""
    if distance_km is not None:
        extra += (
            texts.FILE_DISTANCE_MILES.format(mi=distance_km / KM_PER_MILE) if miles
            else texts.FILE_DISTANCE.format(km=distance_km)
        )
    if hr is not None:
        extra += texts.FILE_HEART_RATE.format(hr=hr)
    if spm is not None:
        extra += texts.FILE_CADENCE.format(spm=spm)
    total = run + walk
    return str(texts.FILE_DATA.format(source=source.upper(), total=total, run=run, walk=walk, extra=extra))


def logged_file_data(logged: Any, *, texts: Texts, miles: bool = False) -> str | None:
    """The file line of a stored session log (a `SessionLog` row), None for a typed one."""
    if not logged.source:
        return None
    return file_data(
        logged.source,
        logged.run_minutes or 0.0,
        logged.walk_minutes or 0.0,
        logged.distance_km,
        logged.avg_hr,
        logged.avg_cadence,
        texts=texts,
        miles=miles,
    )
