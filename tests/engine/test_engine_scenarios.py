"""Hand-reviewed scenarios: tests/scenarios/NAME.json replayed through `runback simulate` must give
tests/scenarios/NAME.expected.jsonl exactly, messages included.

Messages are compared exactly on purpose: they are what the runner reads, each expected file was read
line by line against the protocol, and a wording change should be a reviewed diff, not a silent one.
After a deliberate change, regenerate with
    RUNBACK_REGENERATE_SCENARIOS=1 .venv/bin/pytest tests/engine/test_engine_scenarios.py
and review the diff of the .expected.jsonl files before committing."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest

from engine.cli import simulate_main

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
NAMES = sorted(p.name.removesuffix(".json") for p in SCENARIOS.glob("*.json"))


def _run(path: Path) -> str:
    out, err = io.StringIO(), io.StringIO()
    assert simulate_main([str(path)], io.StringIO(), out, err) == 0, err.getvalue()
    assert err.getvalue() == ""
    return out.getvalue()


def test_there_are_at_least_14_scenarios() -> None:
    assert len(NAMES) >= 14
    readme = (SCENARIOS / "README.md").read_text()
    for name in NAMES:
        assert f"`{name}`" in readme, f"{name} is not described in tests/scenarios/README.md"


@pytest.mark.parametrize("name", NAMES)
def test_scenario_output_matches_the_reviewed_expectation(name: str) -> None:
    actual = _run(SCENARIOS / f"{name}.json")
    expected_path = SCENARIOS / f"{name}.expected.jsonl"
    if os.environ.get("RUNBACK_REGENERATE_SCENARIOS") == "1":
        expected_path.write_text(actual)
    expected = expected_path.read_text()
    actual_lines, expected_lines = actual.splitlines(), expected.splitlines()
    assert len(actual_lines) == len(expected_lines)
    for a, e in zip(actual_lines, expected_lines, strict=True):
        assert json.loads(a) == json.loads(e)
    assert actual == expected
