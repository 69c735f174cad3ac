"""Smoke test of the `activity` benchmark: it runs on small files and reports in the agreed shape.

Nothing here looks at a timing (this machine may be busy): only at the shape and at what holds at any size.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

from benchmarks.__main__ import _benchmarks, run_all


async def test_the_activity_benchmark_reports_fit_and_gpx(tmp_path: Path) -> None:
    assert "activity" in _benchmarks()
    out = io.StringIO()
    await run_all(["activity"], "tiny", out, tmp_path)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [line["name"] for line in lines] == ["activity_fit", "activity_gpx"]
    for line in lines:
        assert {"name", "parameters", "figures", "baseline", "ratio", "targets", "size"} <= set(line)
        assert line["parameters"]["minutes"] == 5 and line["parameters"]["points"] == 300
        assert line["figures"]["ms_per_file"] > 0 and line["figures"]["peak_mb"] > 0
        assert line["ratio"] > 0 and line["targets"] == {"ms_per_file": "< 300 (2 hours at 1 s)"}
    assert set(lines[0]["baseline"]) == {"fitdecode_floor_ms", "fitdecode_floor_peak_mb"}
    assert set(lines[1]["baseline"]) == {"stdlib_xml_tree_ms", "stdlib_xml_tree_peak_mb"}
    assert lines[1]["figures"]["gpxpy_ms"] > 0
