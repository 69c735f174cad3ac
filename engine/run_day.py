"""A day that holds a run (progress, the level's session, the build run), and folding a session in."""

from __future__ import annotations

from datetime import timedelta

from engine import build as build_phase
from engine.model import Action, Decision, Session, SessionDone
from engine.protocol import (
    BUILD_PHASE,
    CLINICIAN_PLAN,
    DROP_BACK_PAIN,
    HOLD_MILD_PAIN,
    PROGRESS,
    SESSION_CAP,
    SLOW_SITE,
    WEEKLY_CAP,
    WELLNESS_HOLD,
    Protocol,
    level_rule,
)
from engine.state import DayRecord, EngineState, PainNote
from engine.today import Today, make_decision

_RUNNING_DONE = frozenset({SessionDone.AS_PRESCRIBED, SessionDone.PARTIAL, SessionDone.MORE})
_RECORDS_KEPT = 31  # enough for session_cap's 30-day look-back


def change_level(protocol: Protocol, state: EngineState, new_level: int) -> None:
    """Any level change (also a drop clamped at level 1) restarts the days and clean sessions count."""
    state.level = new_level
    state.level_since = None
    state.clean_count = 0
    state.awaiting_clean = False
    if new_level < protocol.build_level:
        state.build = None


def _progress_limits(today: Today, level: int) -> tuple[bool, bool]:
    """(the protocol alone would move up today, the plan in force lets it)."""
    state, protocol, plan = today.state, today.protocol, today.state.plan
    assert state.level_since is not None
    own_clean = protocol.clean_sessions_slow_site if today.site.trabecular else protocol.clean_sessions
    own_days = protocol.min_days_at_level if level <= protocol.min_days_max_level else 0
    days_at = (today.date - state.level_since).days
    by_protocol = state.clean_count >= own_clean and days_at >= own_days
    if plan is None:
        return by_protocol, by_protocol
    clean = max(own_clean, plan.clean_sessions_per_level or 0)
    days = max(own_days, plan.min_days_per_level or 0)
    top = plan.max_level if plan.max_level is not None else protocol.build_level
    today.facts.clean_needed = clean
    allowed = by_protocol and state.clean_count >= clean and days_at >= days and level + 1 <= top
    if by_protocol and not allowed:
        today.facts.plan_notes.add("max_level" if level + 1 > top else "held")
    return by_protocol, allowed


def run_decision(today: Today, poor_wellness: bool, build_run: int | None) -> Decision:
    state, protocol, reasons, facts = today.state, today.protocol, today.reasons, today.facts
    if state.level is None:
        change_level(protocol, state, 1)
        state.running_since = today.date
    level = state.level
    assert level is not None
    if state.level_since is None:
        state.level_since = today.date  # days at a level count from the first run prescribed at it
    facts.clean_needed = protocol.clean_sessions_slow_site if today.site.trabecular else protocol.clean_sessions
    if level < protocol.build_level:
        by_protocol, allowed = _progress_limits(today, level)
        if by_protocol and not allowed and not poor_wellness:
            reasons.add(CLINICIAN_PLAN)
        if allowed and not poor_wellness:  # wellness_hold: no progress today, the run still happens
            facts.level_from = level
            level += 1
            change_level(protocol, state, level)
            state.level_since = today.date
            reasons.add(PROGRESS)
            if level >= protocol.build_level:
                build_run = _first_build_run(today)
    if poor_wellness:
        reasons.add(WELLNESS_HOLD)
    reasons.add(level_rule(level), *state.pending)  # stop_rule is said in every run message, not a reason
    state.pending = ()
    if today.site.trabecular and level < protocol.build_level:
        reasons.add(SLOW_SITE)
    facts.run_level = level
    if level >= protocol.build_level:
        assert build_run is not None
        reasons.add(BUILD_PHASE, WEEKLY_CAP)
        return make_decision(today, Action.RUN_WALK, level, (build_run, 0, 1, build_run * 60, 0), False)
    lv = protocol.level(level)
    return make_decision(
        today, Action.RUN_WALK, level, (lv.run_minutes, lv.walk_minutes, lv.reps, lv.run_s, lv.walk_s), False
    )


def _first_build_run(today: Today) -> int:
    state = today.state
    build_phase.start_build(today.protocol, today.profile, state, today.date)
    plan = build_phase.build_day(today.protocol, today.profile, state, today.date, first=True)
    note_build_day(today, plan)
    return max(1, plan.run_minutes or 0)


def note_build_day(today: Today, plan: build_phase.BuildDay) -> None:
    """What a build day's plan tells the message and the reasons (a capped run, a care-team limit)."""
    today.facts.build = plan
    if plan.plan_shaped:
        today.reasons.add(CLINICIAN_PLAN)
        today.facts.plan_notes.add("build")
    if plan.capped_by_session:  # only ever set on a day with a run
        today.reasons.add(SESSION_CAP)


def fold_session(
    protocol: Protocol, state: EngineState, decision: Decision, session: Session | None, listed: bool
) -> None:
    """Fold what the runner did on the decided day into the state."""
    today = decision.date
    prescribed_run = decision.action is Action.RUN_WALK
    prescribed = decision.run_minutes if prescribed_run else 0
    ran = False
    surely = 0.0  # minutes surely run (lower bound)
    counted = 0.0  # minutes counted against the build week (upper bound)
    if session is not None and session.done in _RUNNING_DONE:
        # A run day: as_prescribed, partial or more with run minutes > 0. Without minutes, as
        # prescribed / partial count as a run on a prescribed run day, "more" always does.
        if session.run_minutes is not None:
            ran = session.run_minutes > 0
            surely = counted = session.run_minutes
        elif session.done is SessionDone.MORE:
            ran = True
            surely = counted = prescribed
        else:
            ran = prescribed_run
            surely = prescribed if session.done is SessionDone.AS_PRESCRIBED else 0.0
            counted = prescribed
    elif session is None and prescribed_run:
        counted = prescribed  # a possible run: counted against the week, never as a completed session
    possible = ran or (prescribed_run and session is None)
    # v1.2: a full rest day is a prescribed rest or pause, whatever the runner did; a date the caller did
    # not list had no decision and is no rest day.
    full_rest = listed and decision.action in (Action.REST, Action.PAUSE)
    strength = decision.action is Action.STRENGTH
    record = DayRecord(today, decision.action, ran, possible, surely, counted, full_rest, strength)
    state.records = (*state.records[-(_RECORDS_KEPT - 1):], record)
    if ran:
        state.last_run = today
        state.gap_stage = 0
        state.last_run_minutes = surely if surely > 0 else prescribed
    if prescribed_run and (session is None or session.done not in (SessionDone.AS_PRESCRIBED, SessionDone.MORE)):
        build_phase.mark_week_bad(state)  # a missed (or partial) run holds the build week
    _fold_pain(protocol, state, decision, session, prescribed_run, ran)


def _fold_pain(
    protocol: Protocol, state: EngineState, decision: Decision, session: Session | None, prescribed_run: bool, ran: bool
) -> None:
    today = decision.date
    during = session.pain_during if session is not None and session.pain_during is not None else 0
    after = session.pain_after if session is not None and session.pain_after is not None else 0
    worst = max(during, after)
    # Conservative reading: bone pain reported for any session (also cross-training) counts.
    if worst >= protocol.drop_pain_min or (during >= protocol.hold_pain_min and after >= protocol.hold_pain_min):
        state.no_run_until = today + timedelta(days=protocol.drop_back_rest_days)
        build_phase.mark_week_bad(state)
        if state.level is not None:
            change_level(protocol, state, max(1, state.level - 1))
            state.add_pending(DROP_BACK_PAIN)
        state.clean_count = 0
        state.announce = (*state.announce, DROP_BACK_PAIN)
        state.pain_note = PainNote(today, during, after)
        return
    if worst >= protocol.hold_pain_min:
        build_phase.mark_week_bad(state)
        state.clean_count = 0
        state.awaiting_clean = False
        if state.level is not None:
            state.add_pending(HOLD_MILD_PAIN)
        state.announce = (*state.announce, HOLD_MILD_PAIN)
        state.pain_note = PainNote(today, during, after)
        return
    clean = (
        prescribed_run and session is not None and session.done is SessionDone.AS_PRESCRIBED and ran
        and session.pain_during == 0 and session.pain_after == 0
    )
    if clean:
        state.awaiting_clean = True  # confirmed by tomorrow's check-in (next-day pain 0)
    elif prescribed_run or ran:
        state.clean_count = 0  # anything else on a run day, and any unprescribed run, restarts the count
