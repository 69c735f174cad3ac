"""The build phase after level 9 (reported as level 10), as protocol v1.2 reads it.

Each week plans the fewest runs that hold its target within the per-run caps, never more than the
pre-injury number (max 6, or a care-team limit) and never more than the day rules can place in the rest
of the week (never 3 run days in a row, a full rest day in every 7), so a runner who ran 5 or 6 times a
week before the injury reaches their pre-injury weekly minutes with fewer, longer runs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache

from engine.model import Profile
from engine.protocol import Protocol
from engine.schedule import DAY, days_without_rest, last_days
from engine.state import BuildState, EngineState


@dataclass(frozen=True, slots=True)
class BuildDay:
    """Today's build-phase plan: the run (None when today has none) and the week's figures."""

    run_minutes: int | None
    week_target: int
    week_done: float
    runs_planned: int  # the runs the week actually holds now (done + still placeable)
    runs_done: int
    capped_by_session: bool  # a per-run cap made today's run shorter than an even share
    plan_shaped: bool  # a care-team adjustment limited the runs or the growth
    falls_short: bool  # the planned runs cannot hold the target within the caps
    week_complete: bool  # the week's target or its runs are done


def weekly_growth(protocol: Protocol, state: EngineState) -> float:
    plan = state.plan
    if plan is None or plan.max_weekly_increase_pct is None:
        return protocol.weekly_growth
    return min(protocol.weekly_growth, 1 + plan.max_weekly_increase_pct / 100)


def protocol_runs(protocol: Protocol, profile: Profile) -> int:
    return min(profile.pre_injury_runs_per_week, protocol.max_build_runs_per_week)


def per_run_cap(
    protocol: Protocol, profile: Profile, state: EngineState, today: date, target: int
) -> tuple[int, bool]:
    """The longest run allowed today, and whether session_cap (110% of the 30-day longest) is what binds."""
    longest = max((r.run_minutes for r in last_days(state, today, protocol.session_lookback_days)), default=0.0)
    if profile.pre_injury_runs_per_week >= 3:
        share = math.floor(protocol.longest_run_share * target)
    else:
        share = target // profile.pre_injury_runs_per_week
    if longest <= 0:
        return share, False
    growth = math.floor(protocol.session_growth * longest)
    return min(growth, share), growth < share


@lru_cache(maxsize=4096)
def placeable(days_left: int, ran_yesterday: bool, ran_before: bool, without_rest: int, soft: int, hard: int) -> int:
    """The most runs the day rules let the next `days_left` days hold: never 3 run days in a row; a
    non-run day becomes the full rest day once `soft` days went without one, and none may pass `hard`."""
    if days_left == 0:
        return 0
    rests = without_rest >= soft
    best = placeable(days_left - 1, False, ran_yesterday, 0 if rests else without_rest + 1, soft, hard)
    if not (ran_yesterday and ran_before) and without_rest < hard:
        best = max(best, 1 + placeable(days_left - 1, True, ran_yesterday, without_rest + 1, soft, hard))
    return best


def _recent_runs(state: EngineState, today: date) -> tuple[bool, bool]:
    last2 = {r.day: r.possible_run for r in last_days(state, today, 2)}
    return last2.get(today - DAY, False), last2.get(today - 2 * DAY, False)


def _placeable_from(protocol: Protocol, state: EngineState, today: date, days_left: int) -> tuple[int, int, bool]:
    """(most runs from today on, most from tomorrow on, whether today can hold a run)."""
    ran1, ran2 = _recent_runs(state, today)
    without = days_without_rest(protocol, state, today)
    soft, hard = protocol.rest_if_no_rest_for, protocol.rest_forced_after
    can_today = not (ran1 and ran2) and without < hard
    skip = placeable(days_left - 1, False, ran1, 0 if without >= soft else without + 1, soft, hard)
    take = 1 + placeable(days_left - 1, True, ran1, without + 1, soft, hard) if can_today else 0
    return max(skip, take), skip, can_today


def plan_runs(protocol: Protocol, profile: Profile, state: EngineState, today: date, target: int) -> tuple[int, bool]:
    """The week's run count from `today` (its first day), and whether a care-team limit lowered it."""
    cap, _ = per_run_cap(protocol, profile, state, today, target)
    needed = math.ceil(target / max(cap, 1))
    fits, _, _ = _placeable_from(protocol, state, today, 7)
    runs = max(1, min(needed, protocol_runs(protocol, profile), fits))
    plan = state.plan
    if plan is not None and plan.max_runs_per_week is not None and plan.max_runs_per_week < runs:
        return plan.max_runs_per_week, True
    return runs, False


def start_build(protocol: Protocol, profile: Profile, state: EngineState, today: date) -> None:
    """Week 0's target: floor(growth x run minutes of the 7 days before the first build run), capped at
    pre-injury weekly minutes. Engine guard: at least level 9's session (30 min), which the runner has
    just done cleanly within those 7 days; it only matters if sessions were reported shorter."""
    before = sum(r.run_minutes for r in last_days(state, today, 7))
    top = protocol.level(protocol.top_run_walk_level).run_minutes
    target = min(profile.pre_injury_weekly_minutes, max(math.floor(weekly_growth(protocol, state) * before), top))
    runs, _ = plan_runs(protocol, profile, state, today, target)
    state.build = BuildState(today, 0, target, runs_planned=runs)


def mark_week_bad(state: EngineState) -> None:
    if state.build is not None and not state.build.week_bad:
        state.build = replace(state.build, week_bad=True)


def roll_weeks(protocol: Protocol, profile: Profile, state: EngineState, today: date) -> None:
    """Close every build week that ended before today: grow (or hold) the target, plan the runs."""
    build = state.build
    if build is None:
        return
    week = (today - build.start).days // 7
    pre = profile.pre_injury_weekly_minutes
    while build.week < week:
        week_start = build.start + timedelta(days=7 * build.week)
        week_end = week_start + timedelta(days=7)
        in_week = [r for r in state.records if week_start <= r.day < week_end]
        done = sum(r.week_minutes for r in in_week)
        clean = not build.week_bad and any(r.ran for r in in_week)
        clean75 = build.clean_weeks_75 + 1 if clean and done >= protocol.strides_share * pre else 0
        full = build.reached_full or (clean and done >= pre)
        # Held (not grown) after a week with pain, soreness, symptoms, a missed run or a pause.
        growth = weekly_growth(protocol, state)
        target = min(pre, math.floor(growth * build.target)) if clean else build.target
        build = BuildState(build.start, build.week + 1, target, False, clean75, full, build.runs_planned)
        if build.week == week:
            runs, _ = plan_runs(protocol, profile, state, week_end, target)
            build = replace(build, runs_planned=runs)
    state.build = build


def build_day(protocol: Protocol, profile: Profile, state: EngineState, today: date, first: bool) -> BuildDay:
    """Today's build run (or none), spread evenly over the week while the runs still fit."""
    build = state.build
    assert build is not None
    week_start = build.start + timedelta(days=7 * build.week)
    week = [r for r in state.records if r.day >= week_start]
    runs_done = sum(1 for r in week if r.possible_run)
    done = sum(r.week_minutes for r in week)
    k = (today - week_start).days
    most, without_today, can_today = _placeable_from(protocol, state, today, 7 - k)
    plan = state.plan
    limited = (
        plan is not None and plan.max_runs_per_week is not None
        and build.runs_planned == plan.max_runs_per_week < protocol_runs(protocol, profile)
    )
    growth_limited = (
        weekly_growth(protocol, state) < protocol.weekly_growth
        and build.target < profile.pre_injury_weekly_minutes
    )
    remaining_runs = build.runs_planned - runs_done
    remaining = build.target - done
    planned = runs_done + max(0, min(remaining_runs, most))
    cap, _ = per_run_cap(protocol, profile, state, today, build.target)
    falls_short = planned * cap < build.target
    base = BuildDay(None, build.target, done, planned, runs_done, False, limited or growth_limited, falls_short, False)
    if remaining_runs <= 0 or remaining < 1:
        return replace(base, week_complete=True)
    spread_due = runs_done < math.ceil((k + 1) * build.runs_planned / 7)
    if not can_today or not (first or spread_due or without_today < remaining_runs):
        return base
    even = math.floor(remaining / max(1, min(remaining_runs, most)))
    return replace(base, run_minutes=min(even, cap), capped_by_session=cap < even)
