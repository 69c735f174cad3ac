"""The timeline of a clean runner in docs/engine-timeline.md is measured here, not typed by hand.

Regenerate the file after an engine change with:
    .venv/bin/python tests/engine/test_engine_timeline.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from engine_helpers import READY, Runner, profile

from engine import Action

DOC = Path(__file__).resolve().parents[2] / "docs" / "engine-timeline.md"
RUNS = (2, 4, 6)
WEEKLY = 240
DAYS = 260


def _timeline(runs: int) -> dict[str, int]:
    r = Runner(profile(site="tibia_posteromedial", runs=runs, weekly=WEEKLY))
    r.day(events=READY)
    for _ in range(DAYS):
        r.day()
    marks: dict[str, int] = {}
    for i, d in enumerate(r.decisions):
        if d.action is not Action.RUN_WALK:
            continue
        key = f"level {d.level}" if d.level is not None and d.level < 10 else "first build run"
        marks.setdefault(key, i)
        if d.level == 7:
            marks.setdefault("20 min continuous", i)
        if d.level == 9:
            marks.setdefault("30 min continuous", i)
    for i in range(6, len(r.decisions)):
        if sum(d.run_minutes for d in r.decisions[i - 6:i + 1]) >= WEEKLY:
            marks["pre-injury weekly minutes (7-day sum)"] = i
            break
    return marks


def render() -> str:
    timelines = {runs: _timeline(runs) for runs in RUNS}
    rows = list(timelines[RUNS[0]])
    lines = [
        "# A clean runner's timeline (measured)",
        "",
        "Day (from day 0, the first run) on which a runner at a low-risk site (posteromedial tibia) who checks in",
        "symptom-free every morning and does exactly what is prescribed, pain-free, reaches each step; pre-injury",
        f"volume {WEEKLY} min/week over 2, 4 or 6 runs a week. Protocol v1.2. Written by",
        "`tests/engine/test_engine_timeline.py`, which fails if this table is not what the engine does.",
        "",
        "| step | " + " | ".join(f"{runs} runs/week" for runs in RUNS) + " |",
        "|---|" + "---|" * len(RUNS),
    ]
    for row in rows:
        lines.append(f"| {row} | " + " | ".join(str(timelines[runs].get(row, "-")) for runs in RUNS) + " |")
    return "\n".join(lines) + "\n"


def test_the_documented_timeline_is_what_the_engine_does() -> None:
    assert DOC.read_text(encoding="utf-8") == render(), "regenerate: python tests/engine/test_engine_timeline.py"


if __name__ == "__main__":
    DOC.write_text(render(), encoding="utf-8")
