"""The protocol's logic, as a fold over calendar days.

`step(profile, state, day)` decides `day` from everything before it (and `day`'s check-in, events and
care-team adjustment, never its session), then folds `day`'s session into the returned state. Dates the
caller did not list are filled in as days with no check-in, no session and no events; protocol v1.2 counts
such a date (no decision was given for it) as no rest day.

Readings the engine had to choose where the protocol is silent are marked "Conservative reading:" next
to the code that implements them.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence

from engine import build as build_phase
from engine.messages import Facts
from engine.model import Action, CrossTraining, Day, Decision, Event, Profile
from engine.pause import (
    mild_symptoms,
    needs_clinician,
    red_flags,
    resume_level,
    start_pause,
    update_pause,
)
from engine.protocol import (
    ALTERNATE_DAYS,
    BUILD_PHASE,
    CHECKIN_MISSING,
    CLINICIAN_PLAN,
    CROSS_TRAIN_SWAP,
    DROP_BACK_PAIN,
    HIGH_RISK_SITE,
    HOLD_MILD_PAIN,
    NEXT_DAY_SORENESS,
    NO_RUN_SYMPTOMS,
    PAUSE_REQUESTED,
    PROTOCOL,
    READINESS_CHECK,
    READINESS_CLEARANCE,
    REDS_REVIEW,
    REDS_SCREEN,
    REEVALUATE,
    REST_DAY,
    RESUME_REQUESTED,
    RESUME_SECOND_PAUSE,
    SITES,
    STRENGTH_DAY,
    WEEKLY_CAP,
    Protocol,
    Site,
)
from engine.run_day import change_level, fold_session, note_build_day, run_decision
from engine.schedule import DAY, alternate_days_block, cross_training, rest_due, strength_due, strength_list
from engine.start import apply_gap, apply_plan_event, update_readiness
from engine.state import EngineState
from engine.today import Reasons, Today, make_decision

# ---- public entry points ----------------------------------------------------------------------------


def step(profile: Profile, state: EngineState, day: Day) -> tuple[Decision, EngineState]:
    """Decide `day` from `state`, then fold `day`'s session in; dates skipped since the state are
    filled in as empty days. The state returned is valid once `day` is complete (its session known)."""
    work = copy.copy(state)
    decision = _advance(PROTOCOL, profile, _site(profile), work, day, quiet=False)
    return decision, work


def simulate(profile: Profile, days: Sequence[Day]) -> list[Decision]:
    """One decision per given day, in date order (dates must be strictly increasing)."""
    site = _site(profile)
    work = EngineState()
    return [_advance(PROTOCOL, profile, site, work, day, quiet=False) for day in days]


def replay(profile: Profile, days: Sequence[Day], start: EngineState | None = None) -> EngineState:
    """The state after every given day (sessions included), from `start` (a cached state; never changed)
    or from the beginning: the cache the shell keeps. Faster than `simulate` or `step`: the past days'
    messages are never composed."""
    site = _site(profile)
    work = copy.copy(start) if start is not None else EngineState()
    for day in days:
        _advance(PROTOCOL, profile, site, work, day, quiet=True)
    return work


def decide_today(profile: Profile, history: Sequence[Day], today: Day) -> Decision:
    """Today's decision after `history`; equals `simulate(profile, [*history, today])[-1]`."""
    return step(profile, replay(profile, history), today)[0]


# ---- one day -------------------------------------------------------------------------------------------


def _site(profile: Profile) -> Site:
    try:
        return SITES[profile.injury_site]
    except KeyError:
        raise ValueError(f"unknown injury_site {profile.injury_site!r}") from None


def _advance(protocol: Protocol, profile: Profile, site: Site, state: EngineState, day: Day, quiet: bool) -> Decision:
    """Fill in the dates skipped since the state, then decide and fold `day`, mutating `state`."""
    if state.last_date is not None:
        if day.date <= state.last_date:
            raise ValueError(f"day {day.date} is not after the last day decided ({state.last_date})")
        missing = state.last_date + DAY
        while missing < day.date:
            _one_day(protocol, profile, site, state, Day(missing), quiet=True, listed=False)
            missing += DAY
    return _one_day(protocol, profile, site, state, day, quiet, listed=True)


def _one_day(
    protocol: Protocol, profile: Profile, site: Site, state: EngineState, day: Day, quiet: bool, listed: bool
) -> Decision:
    facts = Facts(site.name, site.high_risk, profile.cleared_to_run_on, quiet=quiet, announced=state.announce)
    today = Today(
        protocol, profile, site, state, day.date, day.checkin, frozenset(day.events), Reasons(state.announce), facts
    )
    state.announce = ()
    decision = _decide(today, day)
    fold_session(protocol, state, decision, day.session, listed)
    state.last_date = day.date
    return decision


def _decide(today: Today, day: Day) -> Decision:
    state, checkin = today.state, today.checkin
    first_day = state.start is None
    if state.start is None:
        state.start = today.date
    today.facts.checkin = checkin
    # A session is clean only with a check-in the next morning reporting next-day pain 0.
    if state.awaiting_clean:
        state.clean_count = state.clean_count + 1 if checkin is not None and checkin.pain_next_day == 0 else 0
        state.awaiting_clean = False
    # Conservative reading: a day without a check-in breaks the pain-free walking streak (foot sites:
    # cycling only after 7 days of it); missing data is never read as "no pain".
    if checkin is None or checkin.pain_walking > 0:
        state.walk_free_since = None
    elif state.walk_free_since is None:
        state.walk_free_since = today.date
    apply_plan_event(today, day.clinician_plan)
    apply_gap(today)
    update_readiness(today)
    _reevaluate(today, first_day)
    flags = red_flags(today.protocol, checkin, state.prev_soreness, state.prev_symptoms)
    if checkin is not None:
        state.prev_soreness = checkin.pain_next_day >= 1
        state.prev_symptoms = checkin.pain_rest >= 1 or checkin.pain_walking >= 1
    if state.pause is not None:
        if not _resumes(today, flags):
            return _pause_decision(today)
    else:
        if Event.PAUSE_REQUESTED in today.events:
            flags.append(PAUSE_REQUESTED)
        if flags:
            build_phase.mark_week_bad(state)
            start_pause(today.protocol, today.site, state, today.date, checkin, flags)
            return _pause_decision(today)
    return _not_paused(today)


def _reevaluate(today: Today, first_day: bool) -> None:
    """reevaluate: every 28 days from onboarding, so runners not yet running get their review too."""
    state, protocol = today.state, today.protocol
    assert state.start is not None
    if not first_day and (today.date - state.start).days % protocol.reevaluate_every_days == 0:
        today.reasons.add(REEVALUATE)
        today.facts.review_days = (today.date - state.start).days
        today.facts.review_runs = sum(1 for r in state.records[-protocol.reevaluate_every_days:] if r.ran)
        today.facts.review_pauses = state.pauses_total
        if today.profile.reds_positive >= 1:
            today.reasons.add(REDS_SCREEN)
    if first_day and today.profile.reds_positive >= 1:
        today.reasons.add(REDS_SCREEN)


def _resumes(today: Today, flags: list[str]) -> bool:
    state = today.state
    pause = state.pause
    assert pause is not None
    rule = update_pause(today.protocol, state, today.date, today.checkin, today.events, flags)
    if rule is None:
        return False
    new_level = resume_level(today.protocol, state, today.date)
    today.facts.pause_days = (today.date - pause.start).days
    today.facts.pause_level = pause.pre_level
    if new_level is not None:
        change_level(today.protocol, state, new_level)
        today.facts.resume_level = new_level
    state.pause = None
    state.last_pause_end = today.date
    today.reasons.add(rule)
    state.add_pending(rule)
    return True


def _blockers(today: Today) -> tuple[Reasons, bool]:
    """Every rule that keeps today from holding a run, and whether wellness holds progress."""
    state, checkin, protocol, profile = today.state, today.checkin, today.protocol, today.profile
    blockers = Reasons()
    cleared = profile.cleared_to_run_on
    if cleared is None or today.date < cleared:
        blockers.add(READINESS_CLEARANCE)
    if state.readiness_on is None:
        blockers.add(READINESS_CHECK)
    if today.site.high_risk and (READINESS_CLEARANCE in blockers or READINESS_CHECK in blockers):
        blockers.add(HIGH_RISK_SITE)
    if state.level is None and profile.reds_positive >= 2 and not state.reds_reviewed:
        blockers.add(REDS_REVIEW)
    poor_wellness = False
    if checkin is None:
        blockers.add(CHECKIN_MISSING)
    else:
        poor_wellness = checkin.sleep_hours < protocol.min_sleep_hours or checkin.fatigue > protocol.max_fatigue_ok
        if mild_symptoms(protocol, checkin):
            blockers.add(NO_RUN_SYMPTOMS)
            state.clean_count = 0  # v1.2: a mild-symptom day restarts the clean-session count
            build_phase.mark_week_bad(state)
        if checkin.pain_next_day >= 1:  # 1-2 here; >= 3 (or 48 h) paused before
            _next_day_soreness(today, blockers)
    if state.no_run_until is not None and today.date <= state.no_run_until:
        blockers.add(DROP_BACK_PAIN)
    return blockers, poor_wellness


def _next_day_soreness(today: Today, blockers: Reasons) -> None:
    state = today.state
    blockers.add(NEXT_DAY_SORENESS)
    build_phase.mark_week_bad(state)
    if state.level is None:
        state.clean_count = 0
        return
    today.facts.level_from = state.level
    change_level(today.protocol, state, max(1, state.level - 1))
    today.reasons.add(NEXT_DAY_SORENESS)
    state.add_pending(NEXT_DAY_SORENESS)


def _not_paused(today: Today) -> Decision:
    state, protocol = today.state, today.protocol
    blockers, poor_wellness = _blockers(today)
    build_run: int | None = None
    if state.level is not None and state.level >= protocol.build_level:
        build_phase.roll_weeks(protocol, today.profile, state, today.date)
        build_run = _build_today(today, poor_wellness, blockers)
    elif alternate_days_block(protocol, state, today.date):
        blockers.add(ALTERNATE_DAYS)
    soft_rest, forced_rest = rest_due(protocol, state, today.date)
    if forced_rest:
        blockers.add(REST_DAY)
    if not blockers.items:
        assert today.checkin is not None  # checkin_missing blocks otherwise
        return run_decision(today, poor_wellness, build_run)
    today.facts.only_missing_checkin = set(blockers.items) <= {CHECKIN_MISSING, REST_DAY} and not forced_rest
    today.reasons.add(*blockers.items)
    return _non_run_decision(today, soft_rest or forced_rest, paused=False)


def _build_today(today: Today, poor_wellness: bool, blockers: Reasons) -> int | None:
    """The build-phase run for today, or None (and a blocker) when the week's plan has no run today."""
    state = today.state
    if state.build is None:  # the first build run is planned when progress reaches the build phase
        return None
    plan = build_phase.build_day(today.protocol, today.profile, state, today.date, first=False)
    note_build_day(today, plan)
    if plan.week_complete:
        blockers.add(WEEKLY_CAP)
        return None
    if plan.run_minutes is None:
        blockers.add(BUILD_PHASE)
        return None
    session = plan.run_minutes
    # wellness_hold / hold_mild_pain in the build phase: no run longer than the previous one.
    if (poor_wellness or HOLD_MILD_PAIN in state.pending) and state.last_run_minutes >= 1:
        session = min(session, int(state.last_run_minutes))
    if session < 1:
        blockers.add(WEEKLY_CAP)
        return None
    return session


# ---- days without running ------------------------------------------------------------------------------


def _pause_decision(today: Today) -> Decision:
    state = today.state
    pause = state.pause
    assert pause is not None
    needs, by_plan = needs_clinician(state)
    today.reasons.add(*pause.reasons)
    if today.site.high_risk:
        today.reasons.add(HIGH_RISK_SITE)
    if pause.second:
        today.reasons.add(RESUME_SECOND_PAUSE)
    if by_plan:
        today.reasons.add(CLINICIAN_PLAN)
        today.facts.plan_notes.add("resume")
    if today.checkin is None:
        today.reasons.add(CHECKIN_MISSING)
    if Event.RESUME_REQUESTED in today.events:
        today.reasons.add(RESUME_REQUESTED)  # asked too early, or the pause needs a clinician
    facts = today.facts
    facts.pause_reasons = pause.reasons
    facts.pause_start = pause.start
    facts.needs_clinician = needs
    facts.symptom_free_left = max(0, today.protocol.resume_symptom_free_checkins - pause.symptom_free_checkins)
    facts.second_pause = pause.second
    soft, forced = rest_due(today.protocol, state, today.date)
    return _non_run_decision(today, soft or forced, paused=True)


def _non_run_decision(today: Today, rest_day: bool, paused: bool) -> Decision:
    """A day has one action: rest without a check-in, when walking hurts, or when the rest day is due
    (v1.2: placement wins over the other non-run actions); otherwise strength until two strength days in
    the last 7, unless bone pain is in the picture (v1.2), else cross-training; a cross-training day with
    no mode allowed is rest. During a pause the action is `pause`, offering pain-free cross-training only
    if walking is pain-free (pool running only while the pause needs a clinician)."""
    state, checkin, protocol, reasons = today.state, today.checkin, today.protocol, today.reasons
    rest = checkin is None or checkin.pain_walking > 0 or rest_day
    if rest_day:
        reasons.add(REST_DAY)
    options: tuple[CrossTraining, ...] = ()
    if not rest:
        unloaded_only = paused and needs_clinician(state)[0]
        options, plan_removed = cross_training(protocol, today.site, state, today.date, checkin, unloaded_only)
        if plan_removed:
            reasons.add(CLINICIAN_PLAN)
            today.facts.plan_notes.add("cross_training")
    strength: tuple[str, ...] = ()
    if paused:
        action = Action.PAUSE
    elif rest:
        action = Action.REST
    elif not _bone_pain_in_picture(today) and strength_due(protocol, state, today.date):
        action = Action.STRENGTH
        strength, hops_held = strength_list(protocol, state.level, state.plan)
        reasons.add(STRENGTH_DAY)
        if hops_held:
            reasons.add(CLINICIAN_PLAN)
            today.facts.plan_notes.add("hops")
    elif options:
        action = Action.CROSS_TRAIN
    else:
        action = Action.REST  # a care-team adjustment allows no cross-training mode today
    if options:
        reasons.add(CROSS_TRAIN_SWAP)
    return make_decision(today, action, state.level, (0, 0, 0, 0, 0), paused, options, strength)


def _bone_pain_in_picture(today: Today) -> bool:
    """v1.2: no strength day on a check-in with any bone pain, nor on the 2 days of drop_back_pain."""
    checkin, state = today.checkin, today.state
    pain = checkin is not None and (checkin.pain_rest >= 1 or checkin.pain_walking >= 1 or checkin.pain_next_day >= 1)
    dropped = state.no_run_until is not None and today.date <= state.no_run_until
    return pain or dropped


__all__ = ["EngineState", "decide_today", "replay", "simulate", "step"]
