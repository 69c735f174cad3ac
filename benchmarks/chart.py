"""`chart`: time to draw a runner's progress chart (target < 300 ms for a year), and the example in docs/care-team.md.

The history comes from the engine itself: a runner who follows every prescription, with a painful week that
pauses the plan, so the chart has levels, pain and a shaded pause. Baseline: drawing an empty chart.
`python -m benchmarks.chart --save docs/progress-example.png` writes the example picture.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bot.charts import DayPoint, progress_png
from engine import CheckIn, Day, Event, Profile, Session, SessionDone, step
from engine.decide import EngineState

PROFILE = Profile("tibia_posteromedial", date(2026, 1, 5), date(2026, 2, 16), 180, 4)
START = date(2026, 2, 16)
CLEAN = CheckIn(0, 0, 0, False, False, False, False, 8.0, 2)
SORE = CheckIn(0, 3, 0, False, False, False, False, 7.0, 3)


def simulated_year(days: int) -> list[DayPoint]:
    """Walk `days` days through the engine: every run done as prescribed, walking pain on days 40–41, a
    resume asked for on day 47."""
    state = EngineState()
    points: list[DayPoint] = []
    for offset in range(days):
        today = START + timedelta(days=offset)
        checkin = SORE if offset in (40, 41) else CLEAN
        events: tuple[Event, ...] = ()
        if offset == 0:
            events = (Event.READINESS_CONFIRMED,)
        elif offset == 47:
            events = (Event.RESUME_REQUESTED,)
        decision, _ = step(PROFILE, state, Day(today, checkin, None, events))
        session = None
        if decision.action == "run_walk":
            session = Session(SessionDone.AS_PRESCRIBED, decision.run_minutes, 0, 0, 3)
        _, state = step(PROFILE, state, Day(today, checkin, session, events))
        points.append(
            DayPoint(
                day=today,
                run_minutes=float(decision.run_minutes),
                level=decision.level,
                bone_pain=3 if checkin is SORE else None,
                paused=decision.paused,
            )
        )
    return points


def _time(points: list[DayPoint], repeats: int) -> float:
    progress_png(points)  # warm-up: fonts and caches
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        progress_png(points)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


async def run(size: str, workdir: Path | None = None) -> list[dict[str, Any]]:
    repeats = {"tiny": 1, "quick": 3, "full": 10}[size]
    baseline = _time([], repeats)
    results = []
    for days in (120, 365) if size != "tiny" else (30,):
        seconds = _time(simulated_year(days), repeats)
        results.append(
            {
                "name": "chart",
                "parameters": {"days": days, "repeats": repeats},
                "figures": {"ms_per_chart": round(seconds * 1000, 1)},
                "baseline": {"empty_chart_ms": round(baseline * 1000, 1)},
                "ratio": round(seconds / baseline, 2),
                "targets": {"ms_per_chart": "< 300 (365 days)"},
            }
        )
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="the progress-chart benchmark")
    parser.add_argument("--save", type=Path, help="write a 120-day example chart to this PNG file")
    args = parser.parse_args(argv)
    if args.save:
        args.save.parent.mkdir(parents=True, exist_ok=True)
        args.save.write_bytes(progress_png(simulated_year(120), title="Example runner: return to running"))
        print(f"wrote {args.save}")
        return 0
    import asyncio
    import json

    for result in asyncio.run(run("full")):
        print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
