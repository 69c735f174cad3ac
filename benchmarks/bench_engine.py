"""Benchmark: deciding today for a runner with 365 days of history (not a pytest test).

    .venv/bin/python -m benchmarks.bench_engine

Prints one JSON object per figure. `ratio` is the figure over a baseline measured in the same process:
deciding a runner's very first day (`decide_today` with an empty history), i.e. the fixed cost of one
decision, so the ratios say how many "first-day decisions" each path costs and stay comparable across
machines. Target: under 2 ms per decision for the path the bot uses (cached state + one step).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import date, timedelta

from engine import (
    Action,
    CheckIn,
    Day,
    EngineState,
    Event,
    Profile,
    Session,
    SessionDone,
    decide_today,
    step,
)

TARGET_MS = 2.0
PROFILE = Profile("tibia_posteromedial", date(2025, 8, 1), date(2025, 9, 1), 200, 4, 1)
OK = CheckIn(0, 0, 0, False, False, False, False, 7.5, 2)
SORE = CheckIn(0, 0, 1, False, False, False, False, 7.0, 3)


def history(n_days: int = 365) -> list[Day]:
    """A year of a runner who follows the plan, with a sore morning every 5 weeks, a missing check-in
    every 11 days and a week never reported every 100 days."""
    state = EngineState()
    days: list[Day] = []
    start = PROFILE.cleared_to_run_on or date(2025, 9, 1)
    for i in range(n_days):
        if i % 100 in range(60, 67) and i > 0:
            continue
        today = start + timedelta(days=i)
        checkin = None if i % 11 == 10 else (SORE if i % 35 == 34 else OK)
        events = (Event.READINESS_CONFIRMED,) if i in (0, 67, 167, 267) else ()
        decision, _ = step(PROFILE, state, Day(today, checkin, None, events))
        session = (
            Session(SessionDone.AS_PRESCRIBED, decision.run_minutes, 0, 0, 3)
            if decision.action is Action.RUN_WALK
            else None
        )
        day = Day(today, checkin, session, events)
        _, state = step(PROFILE, state, day)
        days.append(day)
    return days


def per_call_ms(fn: Callable[[], object], min_seconds: float = 0.5) -> float:
    """Best of 5 rounds, each running `fn` repeatedly for about `min_seconds / 5`."""
    fn()
    best = float("inf")
    for _ in range(5):
        calls = 0
        start = time.perf_counter()
        while True:
            fn()
            calls += 1
            elapsed = time.perf_counter() - start
            if elapsed >= min_seconds / 5:
                break
        best = min(best, elapsed / calls)
    return best * 1000


def scenario_json(days: list[Day]) -> str:
    """`days` in the `runback simulate` contract's input format."""
    from dataclasses import asdict

    profile = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in asdict(PROFILE).items()}
    listed = [
        {
            "date": d.date.isoformat(),
            "checkin": asdict(d.checkin) if d.checkin else None,
            "session": {**asdict(d.session), "done": d.session.done.value} if d.session else None,
            "events": [e.value for e in d.events],
        }
        for d in days
    ]
    return json.dumps({"profile": profile, "days": listed})


def command_seconds(argv: list[str], stdin: str, repeats: int) -> float:
    """The best wall time of a whole command, interpreter start included."""
    import subprocess
    import sys

    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        subprocess.run([sys.executable, *argv], input=stdin, capture_output=True, text=True, check=True)
        best = min(best, time.perf_counter() - started)
    return best


def measure(min_seconds: float = 0.5) -> dict[str, float]:
    """Milliseconds per decision: the baseline, a full replay, and the cached-state step (raw and from JSON)."""
    days = history()
    past, today = days[:-1], days[-1]
    first_day = Day(today.date, OK, None, (Event.READINESS_CONFIRMED,))
    cached = EngineState()
    for day in past:
        _, cached = step(PROFILE, cached, day)
    cached_json = json.dumps(cached.to_dict())
    return {
        "baseline_first_day_decision": per_call_ms(lambda: decide_today(PROFILE, [], first_day), min_seconds),
        "full_replay_365_days": per_call_ms(lambda: decide_today(PROFILE, past, today), min_seconds),
        "cached_state_step": per_call_ms(lambda: step(PROFILE, cached, today), min_seconds),
        "cached_state_from_json_and_step": per_call_ms(
            lambda: step(PROFILE, EngineState.from_dict(json.loads(cached_json)), today), min_seconds
        ),
    }


async def run(size: str, workdir: object = None) -> list[dict[str, object]]:
    """The `engine` entry of `runback bench`: one JSON object, ratios against the first-day baseline."""
    figures = measure({"tiny": 0.02, "quick": 0.2, "full": 0.5}[size])
    baseline = figures["baseline_first_day_decision"]
    repeats = {"tiny": 1, "quick": 3, "full": 5}[size]
    scenario = scenario_json(history(120))
    simulate_s = command_seconds(["-m", "bot.cli", "simulate", "-"], scenario, repeats)
    bare_python_s = command_seconds(["-c", "pass"], "", repeats)
    return [
        {
            "name": "engine",
            "parameters": {"history_days": 365},
            "figures": {
                f"{name}_ms": round(ms, 4) for name, ms in figures.items() if name != "baseline_first_day_decision"
            },
            "baseline": {"first_day_decision_ms": round(baseline, 4)},
            "ratio": round(figures["cached_state_step"] / baseline, 2),  # what the bot does, against the baseline
            "targets": {"cached_state_step_ms": f"< {TARGET_MS}"},
        },
        {
            "name": "simulate_start",
            "parameters": {"scenario_days": 120, "repeats": repeats},
            "figures": {"runback_simulate_s": round(simulate_s, 3)},
            "baseline": {"bare_python_start_s": round(bare_python_s, 3)},
            "ratio": round(simulate_s / bare_python_s, 2),
            "targets": {"runback_simulate_s": "< 0.5"},
        },
    ]


def main() -> None:
    days = history()
    past, today = days[:-1], days[-1]
    figures = measure()
    baseline = figures["baseline_first_day_decision"]
    for name, ms in figures.items():
        print(
            json.dumps(
                {
                    "figure": name,
                    "history_days_listed": 0 if name.startswith("baseline") else len(past),
                    "history_calendar_days": 0 if name.startswith("baseline") else (today.date - days[0].date).days,
                    "ms_per_decision": round(ms, 4),
                    "ratio_to_baseline": round(ms / baseline, 2),
                    "target_ms": TARGET_MS,
                    "under_target": ms < TARGET_MS,
                }
            )
        )


if __name__ == "__main__":
    main()
