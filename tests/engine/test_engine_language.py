"""Every word the engine says goes through the `Language` it is rendered in (issue 18's ground): a
bracketing pseudo-language leaves no letter outside a looked-up template, and English renders exactly
the decision's own message."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from engine import ENGLISH, render, simulate
from engine.scenario import parse_scenario_text

SCENARIOS = sorted((Path(__file__).resolve().parents[1] / "scenarios").glob("*.json"))


@dataclass(frozen=True)
class Brackets:
    code: str = "xx"

    def gettext(self, message: str) -> str:
        return "⟦" + message + "⟧"

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return "⟦" + (singular if n == 1 else plural) + "⟧"

    def number(self, value: float) -> str:
        return f"{value:g}"


def _outside(text: str) -> str:
    depth, kept = 0, []
    for ch in text:
        if ch == "⟦":
            depth += 1
        elif ch == "⟧":
            depth -= 1
        elif depth == 0:
            kept.append(ch)
    assert depth == 0
    return "".join(kept)


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_word_is_looked_up(path: Path) -> None:
    profile, days = parse_scenario_text(path.read_text(encoding="utf-8"))
    for decision in simulate(profile, days):
        assert render(decision, ENGLISH) == decision.message
        bare = _outside(render(decision, Brackets()))
        assert not re.search(r"[A-Za-z]", bare), f"{decision.date}: untranslated {bare!r}"


def test_every_word_is_looked_up_with_adjustments_pain_and_the_build_phase() -> None:
    from engine_helpers import ci, pain
    from test_engine_v12 import _plan_runner, _with_plan

    from engine import ClinicianPlan, Event

    r = _plan_runner(ClinicianPlan(max_level=9, clean_sessions_per_level=2, cross_training=("pool",)), site="calcaneus")
    r.to_run_at(4, limit=120)
    r.day(session=pain(2, 0))
    r.day(ci(pain_next_day=1))
    r.day(session=pain(4, 1))
    r.day(ci(pain_walking=2))
    r.day(ci(night_pain=True))
    r.day(events=(Event.CLINICIAN_CLEARED,))
    _with_plan(r, ClinicianPlan(max_level=2, no_hops_before_level=9, max_runs_per_week=2))
    _with_plan(r, ClinicianPlan())
    r.to_run_at(10, limit=200)
    for _ in range(20):
        r.day()
    for decision in r.decisions:
        assert render(decision, ENGLISH) == decision.message
        bare = _outside(render(decision, Brackets()))
        assert not re.search(r"[A-Za-z]", bare), f"{decision.date}: untranslated {bare!r}"
