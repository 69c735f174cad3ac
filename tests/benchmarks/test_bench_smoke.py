"""Smoke test of the benchmarks: every benchmark runs at tiny sizes and reports in the agreed shape.

Benchmarks are not tests: nothing here looks at a timing (this machine may be busy), only at the shape of
the JSON lines and at the counts that must hold at any size (nothing lost, nothing sent twice).
"""

from __future__ import annotations

import io
import json
from pathlib import Path

from benchmarks.__main__ import run_all

NAMES = ("fanout", "fanout_ceiling", "updates", "memory", "history", "engine", "simulate_start", "chart")


async def test_every_benchmark_runs_and_reports_json_lines(tmp_path: Path) -> None:
    out = io.StringIO()
    progress: list[str] = []
    benchmarks = ["fanout", "updates", "memory", "history", "engine", "chart"]
    await run_all(benchmarks, "tiny", out, tmp_path, progress.append)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [line.split(" ", 1)[0] for line in progress] == [name for name in benchmarks for _ in ("start", "end")]
    assert progress[0] == "fanout (1 of 6, tiny size) started" and progress[-1].endswith("; JSON lines: 1")
    assert [line["name"] for line in lines] == list(NAMES)
    for line in lines:
        assert {"name", "parameters", "figures", "baseline", "ratio", "targets", "size"} <= set(line)
        assert line["size"] == "tiny"
        assert isinstance(line["figures"], dict) and isinstance(line["baseline"], dict)
        assert line["ratio"] is None or isinstance(line["ratio"], (int, float))
    by_name = {line["name"]: line for line in lines}
    for name in ("fanout", "fanout_ceiling"):
        figures = by_name[name]["figures"]
        assert figures["lost"] == 0 and figures["sent_twice"] == 0
        assert figures["delivered"] == by_name[name]["parameters"]["runners"]
    updates = by_name["updates"]["figures"]
    assert updates["throughput"]["errors"] == {} and updates["latency"]["errors"] == {}
    assert updates["throughput"]["updates"] == 5 * 9 and updates["latency"]["updates"] == 3 * 9
    assert set(by_name["memory"]["figures"]["by_runners"]) == {"20", "200"}
    assert set(by_name["history"]["figures"]) == {"5", "20"}
