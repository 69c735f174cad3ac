"""What a day changes before anything is decided: a care-team adjustment, a gap, readiness."""

from __future__ import annotations

from engine.adjustments import ClinicianPlan
from engine.build import protocol_runs
from engine.model import Event
from engine.protocol import CLINICIAN_PLAN, GAP_DROP_BACK
from engine.run_day import change_level
from engine.today import Today


def apply_plan_event(today: Today, plan: ClinicianPlan | None) -> None:
    """A care-team adjustment holds from its day; an empty one clears it. A `max_level` below the
    current level lowers it at once (a level change: the day and clean counts restart)."""
    if plan is None:
        return
    state, facts = today.state, today.facts
    today.reasons.add(CLINICIAN_PLAN)
    if plan.empty:
        state.plan, state.plan_since = None, None
        facts.plan_notes.add("cleared")
        return
    state.plan, state.plan_since = plan, today.date
    facts.plan_notes.add("set")
    own_clean = today.protocol.clean_sessions_slow_site if today.site.trabecular else today.protocol.clean_sessions
    if plan.clean_sessions_per_level is not None and plan.clean_sessions_per_level < own_clean:
        facts.plan_loosened = (*facts.plan_loosened, "clean_sessions_per_level")
    if plan.max_runs_per_week is not None and plan.max_runs_per_week > protocol_runs(today.protocol, today.profile):
        facts.plan_loosened = (*facts.plan_loosened, "max_runs_per_week")
    if plan.max_level is not None and state.level is not None and state.level > plan.max_level:
        facts.level_from = state.level
        change_level(today.protocol, state, plan.max_level)
        facts.plan_notes.add("lowered")


def apply_gap(today: Today) -> None:
    """gap_drop_back: days strictly between the last run day and today (v1.2: none before the first run
    day). The stages do not add up (7-13 one down, 14-27 two down, >= 28 level 1), but each stage reached
    lowers the current level, so a drop for pain before the gap is kept (v1.2)."""
    state, protocol = today.state, today.protocol
    if state.level is None or state.last_run is None:
        return
    gap = (today.date - state.last_run).days - 1
    if gap >= protocol.gap_restart:
        stage = 3
    elif gap >= protocol.gap_two_down:
        stage = 2
    elif gap >= protocol.gap_one_down:
        stage = 1
    else:
        stage = 0
    if stage <= state.gap_stage:
        return
    today.facts.level_from = state.level if today.facts.level_from is None else today.facts.level_from
    if stage == 3:
        new_level = 1
        state.readiness_on = None  # the readiness questions again after 28+ days without running
    else:
        new_level = max(1, state.level - (stage - state.gap_stage))
    state.gap_stage = stage
    change_level(protocol, state, min(state.level, new_level))
    today.reasons.add(GAP_DROP_BACK)
    state.add_pending(GAP_DROP_BACK)
    today.facts.gap_days = gap


def update_readiness(today: Today) -> None:
    """Readiness lapses after 28 days without running; a confirmation counts from the day it is given
    if on or after the clearance date.
    Conservative reading: a confirmation given before a 28-day run-free gap was complete does not count
    as the "new one after a gap of 28+ days" (also for a runner who ran before level 1)."""
    state, protocol = today.state, today.protocol
    if state.readiness_on is not None:
        ref = state.readiness_on if state.last_run is None else max(state.readiness_on, state.last_run)
        lapsed = (today.date - ref).days - 1 >= protocol.readiness_lapse_days
        if state.last_run is not None and (today.date - state.last_run).days - 1 >= protocol.readiness_lapse_days:
            lapsed = lapsed or (state.readiness_on - state.last_run).days - 1 < protocol.readiness_lapse_days
        if lapsed:
            state.readiness_on = None
    cleared = today.profile.cleared_to_run_on
    if Event.READINESS_CONFIRMED in today.events and cleared is not None and today.date >= cleared:
        state.readiness_on = today.date
    if Event.REDS_REVIEW_CONFIRMED in today.events:
        state.reds_reviewed = True
