"""Which days can hold a run, a rest, strength work or cross-training (protocol v1.2)."""

from __future__ import annotations

import math
from datetime import date, timedelta

from engine.adjustments import ClinicianPlan
from engine.model import CheckIn, CrossTraining
from engine.protocol import STRENGTH_EXERCISES, STRENGTH_PLYOMETRICS, Protocol, Site
from engine.state import DayRecord, EngineState

DAY = timedelta(days=1)


def last_days(state: EngineState, today: date, n: int) -> list[DayRecord]:
    """Records of the n calendar days before today (fewer at the start of the plan)."""
    since = today - timedelta(days=n)
    return [r for r in state.records[-n:] if r.day >= since]


def alternate_days_block(protocol: Protocol, state: EngineState, today: date) -> bool:
    """Levels 1-9 (and the first run): never on consecutive days, at most 3 run days in any 7. A
    prescribed run with no session reported counts as a possible run."""
    last6 = last_days(state, today, 6)
    if last6 and last6[-1].day == today - DAY and last6[-1].possible_run:
        return True
    return sum(1 for r in last6 if r.possible_run) >= protocol.max_run_days_in_7


def days_without_rest(protocol: Protocol, state: EngineState, today: date) -> int:
    """Consecutive days of the plan just before today without a full rest day (at most the forced
    number). v1.2: only the plan's own days count, so day 0 has none and is never forced to rest."""
    count = 0
    expected = today - DAY
    for record in reversed(state.records):
        if record.day != expected or record.full_rest or count >= protocol.rest_forced_after:
            break
        count += 1
        expected -= DAY
    return count


def rest_due(protocol: Protocol, state: EngineState, today: date) -> tuple[bool, bool]:
    """(rest if today is not a run day, rest even if it would be one): v1.2's placement of the full rest
    day that every 7 days of the plan hold."""
    without = days_without_rest(protocol, state, today)
    return without >= protocol.rest_if_no_rest_for, without >= protocol.rest_forced_after


def strength_due(protocol: Protocol, state: EngineState, today: date) -> bool:
    last = last_days(state, today, 6)
    return sum(1 for r in last if r.strength) < protocol.strength_days_per_week


def session_minutes(protocol: Protocol, level: int | None) -> int:
    """Cross-training minutes: the current level's whole session (30 before running and in the build)."""
    if level is None:
        return protocol.cross_train_minutes_before_running
    if level >= protocol.build_level:
        return protocol.cross_train_minutes_build
    return protocol.level(level).total_minutes


def cross_training(
    protocol: Protocol,
    site: Site,
    state: EngineState,
    today: date,
    checkin: CheckIn | None,
    unloaded_only: bool,
) -> tuple[tuple[CrossTraining, ...], bool]:
    """cross_train_swap in order pool running, cycling, elliptical; nothing when walking hurts. While a
    pause needs a clinician only pool running (v1.2). Returns the options and whether a care-team
    adjustment removed one."""
    if checkin is None or checkin.pain_walking > 0:
        return (), False
    minutes = session_minutes(protocol, state.level)
    options = [CrossTraining("pool_running", minutes)]
    # Conservative reading of "after 7 days of pain-free walking": 7 full pain-free days before today.
    walked_free = state.walk_free_since is not None and (
        (today - state.walk_free_since).days >= protocol.foot_cycling_pain_free_walk_days
    )
    if not unloaded_only:
        if not site.foot or walked_free:
            options.append(CrossTraining("cycling", math.floor(minutes * protocol.cycling_factor)))
        if state.level is not None and state.level >= protocol.elliptical_min_level:
            options.append(CrossTraining("elliptical", minutes))
    allowed = state.plan.allowed_kinds() if state.plan is not None else None
    if allowed is None:
        return tuple(options), False
    kept = tuple(o for o in options if o.kind in allowed)
    return kept, len(kept) < len(options)


def hops_from_level(protocol: Protocol, plan: ClinicianPlan | None) -> int:
    """The level from which hops and plyometrics join strength work (an adjustment may only raise it)."""
    if plan is None or plan.no_hops_before_level is None:
        return protocol.no_hops_before_level
    return max(protocol.no_hops_before_level, plan.no_hops_before_level)


def strength_list(protocol: Protocol, level: int | None, plan: ClinicianPlan | None) -> tuple[tuple[str, ...], bool]:
    """The strength session and whether a care-team adjustment kept hops out today."""
    hops_level = hops_from_level(protocol, plan)
    if level is not None and level >= hops_level:
        return (*STRENGTH_EXERCISES, STRENGTH_PLYOMETRICS), False
    shaped = level is not None and level >= protocol.no_hops_before_level
    return STRENGTH_EXERCISES, shaped
