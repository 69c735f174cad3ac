"""The protocol's logic, as a fold over calendar days.

`step(profile, state, day)` decides `day` from everything before it (and `day`'s check-in and events,
never its session), then folds `day`'s session into the returned state. Dates the caller did not list
are filled in as days with no check-in, no session and no events, so a history with gaps and the same
history with the gaps spelled out give the same decisions.

Readings of protocol v1.1 the engine had to choose where the text is silent are marked
"Conservative reading:" next to the code that implements them.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from engine import messages
from engine.messages import Facts
from engine.model import (
    Action,
    CheckIn,
    CrossTraining,
    Day,
    Decision,
    Event,
    Profile,
    Session,
    SessionDone,
)
from engine.protocol import (
    ALTERNATE_DAYS,
    BUILD_PHASE,
    CHECKIN_MISSING,
    CROSS_TRAIN_SWAP,
    DROP_BACK_PAIN,
    GAP_DROP_BACK,
    HIGH_RISK_SITE,
    HOLD_MILD_PAIN,
    NEXT_DAY_SORENESS,
    NO_RUN_SYMPTOMS,
    PAUSE_LIMP,
    PAUSE_LINGERING_SYMPTOMS,
    PAUSE_NIGHT_PAIN,
    PAUSE_PERSISTENT_PAIN,
    PAUSE_REQUESTED,
    PAUSE_REST_PAIN,
    PAUSE_SWELLING,
    PAUSE_TENDERNESS,
    PAUSE_WALKING_PAIN,
    PROGRESS,
    PROTOCOL,
    PROTOCOL_VERSION,
    READINESS_CHECK,
    READINESS_CLEARANCE,
    REDS_REVIEW,
    REDS_SCREEN,
    REEVALUATE,
    REST_DAY,
    RESUME_CLINICIAN_CLEARED,
    RESUME_REQUESTED,
    RESUME_SECOND_PAUSE,
    RULES,
    SERIOUS_PAUSES,
    SESSION_CAP,
    SITES,
    SLOW_SITE,
    STRENGTH_DAY,
    STRENGTH_EXERCISES,
    STRENGTH_PLYOMETRICS,
    WEEKLY_CAP,
    WELLNESS_HOLD,
    Protocol,
    Site,
    level_rule,
)

_DAY = timedelta(days=1)
_RULE_ORDER = {rule_id: i for i, rule_id in enumerate(RULES)}
_RUNNING_DONE = frozenset({SessionDone.AS_PRESCRIBED, SessionDone.PARTIAL, SessionDone.MORE})
_RECORDS_KEPT = 31  # enough for session_cap's 30-day look-back


# --------------------------------------------------------------------------------------------------
# State
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DayRecord:
    """What the engine remembers about one past calendar day."""

    day: date
    action: Action
    ran: bool  # the runner reported running (protocol v1.1 "run day")
    possible_run: bool  # ran, or a prescribed run with no session reported
    run_minutes: float  # minutes surely run (lower bound): growth and session_cap look-backs
    week_minutes: float  # minutes counted against the build week (upper bound)
    full_rest: bool
    strength: bool


@dataclass(frozen=True, slots=True)
class PauseState:
    start: date
    reasons: tuple[str, ...]
    needs_clinician: bool
    second: bool
    pre_level: int | None
    symptom_free_checkins: int
    last_trigger: date
    cleared_on: date | None = None


@dataclass(frozen=True, slots=True)
class BuildState:
    start: date  # the day of the first build run; weeks count from it
    week: int
    target: int
    week_bad: bool = False
    clean_weeks_75: int = 0
    reached_full: bool = False


@dataclass(slots=True)
class EngineState:
    """Everything the engine carries from one day to the next. A value: `step` never mutates it.

    `to_dict()` / `from_dict()` give a JSON-safe form so the shell can cache the state after a
    completed day and decide the next day without replaying the whole history.
    """

    start: date | None = None  # onboarding: the first day the engine saw
    last_date: date | None = None
    level: int | None = None  # None before running starts; 10 is the build phase
    level_since: date | None = None  # first run prescribed at this level
    clean_count: int = 0  # consecutive clean sessions at this level
    awaiting_clean: bool = False  # yesterday's session was clean pending this morning's check-in
    running_since: date | None = None
    readiness_on: date | None = None
    reds_reviewed: bool = False
    last_run: date | None = None
    level_at_last_run: int | None = None
    last_run_minutes: float = 0.0
    gap_stage: int = 0
    no_run_until: date | None = None
    announce: tuple[str, ...] = ()  # named in the next decision (rules that fired on a session)
    pending: tuple[str, ...] = ()  # level-changing rules named again on the next run day
    prev_soreness: bool = False  # previous check-in had next-day pain >= 1
    prev_symptoms: bool = False  # previous check-in had rest or walking pain >= 1
    walk_free_since: date | None = None
    pause: PauseState | None = None
    last_pause_end: date | None = None
    pauses_total: int = 0
    build: BuildState | None = None
    records: tuple[DayRecord, ...] = field(default=())

    def to_dict(self) -> dict[str, object]:
        return _state_to_dict(self)

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> EngineState:
        return _state_from_dict(data)


# --------------------------------------------------------------------------------------------------
# Public entry points
# --------------------------------------------------------------------------------------------------


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


def replay(profile: Profile, days: Sequence[Day]) -> EngineState:
    """The state after every given day (sessions included): the cache the shell keeps. Faster than
    `simulate`: the past days' messages are never composed."""
    site = _site(profile)
    work = EngineState()
    for day in days:
        _advance(PROTOCOL, profile, site, work, day, quiet=True)
    return work


def decide_today(profile: Profile, history: Sequence[Day], today: Day) -> Decision:
    """Today's decision after `history`; equals `simulate(profile, [*history, today])[-1]`."""
    return step(profile, replay(profile, history), today)[0]


# --------------------------------------------------------------------------------------------------
# One day
# --------------------------------------------------------------------------------------------------


def _site(profile: Profile) -> Site:
    try:
        return SITES[profile.injury_site]
    except KeyError:
        raise ValueError(f"unknown injury_site {profile.injury_site!r}") from None


def _advance(pr: Protocol, profile: Profile, site: Site, w: EngineState, day: Day, quiet: bool) -> Decision:
    """Fill in the dates skipped since the state, then decide and fold `day`, mutating `w`."""
    if w.last_date is not None:
        if day.date <= w.last_date:
            raise ValueError(f"day {day.date} is not after the last day decided ({w.last_date})")
        missing = w.last_date + _DAY
        while missing < day.date:
            _one_day(pr, profile, site, w, Day(missing), quiet=True)
            missing += _DAY
    return _one_day(pr, profile, site, w, day, quiet)


def _one_day(pr: Protocol, profile: Profile, site: Site, w: EngineState, day: Day, quiet: bool) -> Decision:
    decision = _decide(pr, profile, site, w, day, quiet)
    _fold_session(pr, profile, w, decision, day.session)
    w.last_date = day.date
    return decision


class _Reasons:
    """An ordered set of rule identifiers; the decision lists them in protocol order."""

    __slots__ = ("items",)

    def __init__(self, initial: Sequence[str] = ()) -> None:
        self.items: dict[str, None] = dict.fromkeys(initial)

    def add(self, *rule_ids: str) -> None:
        for rule_id in rule_ids:
            self.items[rule_id] = None

    def __contains__(self, rule_id: str) -> bool:
        return rule_id in self.items

    def sorted(self) -> tuple[str, ...]:
        return tuple(sorted(self.items, key=_RULE_ORDER.__getitem__))


def _change_level(w: EngineState, new_level: int) -> None:
    """Any level change (also a drop clamped at level 1) restarts the days and clean sessions count."""
    w.level = new_level
    w.level_since = None
    w.clean_count = 0
    w.awaiting_clean = False
    if new_level < PROTOCOL.build_level:
        w.build = None


def _add_pending(w: EngineState, rule_id: str) -> None:
    if rule_id not in w.pending:
        w.pending = (*w.pending, rule_id)


def _mark_build_week_bad(w: EngineState) -> None:
    if w.build is not None and not w.build.week_bad:
        b = w.build
        w.build = BuildState(b.start, b.week, b.target, True, b.clean_weeks_75, b.reached_full)


def _red_flags(pr: Protocol, c: CheckIn | None, prev_soreness: bool, prev_symptoms: bool) -> list[str]:
    if c is None:
        return []
    flags: list[str] = []
    if c.pain_rest >= pr.pause_rest_pain:
        flags.append(PAUSE_REST_PAIN)
    if c.pain_walking >= pr.pause_walking_pain:
        flags.append(PAUSE_WALKING_PAIN)
    # Next-day pain >= 3, or next-day pain >= 1 on today's and the previous check-in (48 h, v1.1).
    if c.pain_next_day >= pr.pause_next_day_pain or (c.pain_next_day >= 1 and prev_soreness):
        flags.append(PAUSE_PERSISTENT_PAIN)
    if c.night_pain:
        flags.append(PAUSE_NIGHT_PAIN)
    if c.limping:
        flags.append(PAUSE_LIMP)
    if c.tenderness:
        flags.append(PAUSE_TENDERNESS)
    if c.swelling:
        flags.append(PAUSE_SWELLING)
    if _mild_symptoms(pr, c) and prev_symptoms:
        flags.append(PAUSE_LINGERING_SYMPTOMS)
    return flags


def _mild_symptoms(pr: Protocol, c: CheckIn) -> bool:
    """Rest pain 1 or walking pain 1-2: below the pause thresholds, still no running today."""
    return (
        pr.mild_rest_pain <= c.pain_rest < pr.pause_rest_pain
        or pr.mild_walking_pain <= c.pain_walking < pr.pause_walking_pain
    )


def _symptom_free(c: CheckIn | None) -> bool:
    """'No symptoms at all' (v1.1): every pain 0 and no tenderness, swelling, limp or night pain."""
    return (
        c is not None
        and c.pain_rest == 0
        and c.pain_walking == 0
        and c.pain_next_day == 0
        and not (c.tenderness or c.swelling or c.limping or c.night_pain)
    )


def _poor_wellness(pr: Protocol, c: CheckIn) -> bool:
    return c.sleep_hours < pr.min_sleep_hours or c.fatigue > pr.max_fatigue_ok


def _decide(pr: Protocol, p: Profile, site: Site, w: EngineState, day: Day, quiet: bool) -> Decision:
    today = day.date
    c = day.checkin
    events = frozenset(day.events)
    reasons = _Reasons(w.announce)
    w.announce = ()
    facts = Facts(site.name, site.high_risk, p.cleared_to_run_on, quiet=quiet)
    first_day = w.start is None
    if w.start is None:
        w.start = today

    # A session is clean only with a check-in the next morning reporting next-day pain 0 (v1.1).
    if w.awaiting_clean:
        w.clean_count = w.clean_count + 1 if c is not None and c.pain_next_day == 0 else 0
        w.awaiting_clean = False

    # Pain-free walking streak (foot sites: cycling only after 7 days of it). Conservative reading: a day
    # without a check-in breaks the streak (missing data is never read as "no pain").
    if c is None or c.pain_walking > 0:
        w.walk_free_since = None
    elif w.walk_free_since is None:
        w.walk_free_since = today

    _apply_gap(pr, w, today, reasons, facts)

    # Readiness lapses after 28 days without running (v1.1); a confirmation counts from the day it is
    # given if on or after the clearance date.
    # Conservative reading: a confirmation given before a 28-day run-free gap was complete does not
    # count as the "new one after a gap of 28+ days" (also for a runner who ran before level 1).
    if w.readiness_on is not None:
        ref = w.readiness_on if w.last_run is None else max(w.readiness_on, w.last_run)
        lapsed = (today - ref).days - 1 >= pr.readiness_lapse_days
        if w.last_run is not None and (today - w.last_run).days - 1 >= pr.readiness_lapse_days:
            lapsed = lapsed or (w.readiness_on - w.last_run).days - 1 < pr.readiness_lapse_days
        if lapsed:
            w.readiness_on = None
    cleared = p.cleared_to_run_on
    if Event.READINESS_CONFIRMED in events and cleared is not None and today >= cleared:
        w.readiness_on = today
    if Event.REDS_REVIEW_CONFIRMED in events:
        w.reds_reviewed = True

    # reevaluate: every 28 days from onboarding (the first day the engine saw), so runners who have not
    # started running yet also get their 4-weekly review.
    if not first_day and (today - w.start).days % pr.reevaluate_every_days == 0:
        reasons.add(REEVALUATE)
        facts.review_days = (today - w.start).days
        facts.review_runs = sum(1 for r in w.records[-pr.reevaluate_every_days:] if r.ran)
        facts.review_pauses = w.pauses_total
        if p.reds_positive >= 1:
            reasons.add(REDS_SCREEN)
    if first_day and p.reds_positive >= 1:
        reasons.add(REDS_SCREEN)

    flags = _red_flags(pr, c, w.prev_soreness, w.prev_symptoms)
    if c is not None:
        w.prev_soreness = c.pain_next_day >= 1
        w.prev_symptoms = c.pain_rest >= 1 or c.pain_walking >= 1

    # ---- pause ------------------------------------------------------------------------------------
    if w.pause is not None:
        resumed = _continue_pause(pr, w, today, c, events, flags, reasons, facts)
        if not resumed:
            return _pause_decision(pr, site, w, today, c, events, reasons, facts)
    else:
        if Event.PAUSE_REQUESTED in events:
            flags.append(PAUSE_REQUESTED)
        if flags:
            _start_pause(pr, site, w, today, c, flags)
            return _pause_decision(pr, site, w, today, c, events, reasons, facts)

    # ---- not paused: what blocks running today? ---------------------------------------------------
    blockers = _Reasons()
    if cleared is None or today < cleared:
        blockers.add(READINESS_CLEARANCE)
    if w.readiness_on is None:
        blockers.add(READINESS_CHECK)
    if site.high_risk and (READINESS_CLEARANCE in blockers or READINESS_CHECK in blockers):
        blockers.add(HIGH_RISK_SITE)
    if w.level is None and p.reds_positive >= 2 and not w.reds_reviewed:
        blockers.add(REDS_REVIEW)
    poor_wellness = False
    if c is None:
        blockers.add(CHECKIN_MISSING)
    else:
        poor_wellness = _poor_wellness(pr, c)
        if _mild_symptoms(pr, c):
            blockers.add(NO_RUN_SYMPTOMS)
            # Conservative reading: any symptom day also restarts the clean-session count.
            w.clean_count = 0
            _mark_build_week_bad(w)
        if c.pain_next_day >= 1:  # 1-2 here; >= 3 (or 48 h) paused above
            blockers.add(NEXT_DAY_SORENESS)
            _mark_build_week_bad(w)
            if w.level is not None:
                _change_level(w, max(1, w.level - 1))
                reasons.add(NEXT_DAY_SORENESS)
                _add_pending(w, NEXT_DAY_SORENESS)
            else:
                w.clean_count = 0
    if w.no_run_until is not None and today <= w.no_run_until:
        blockers.add(DROP_BACK_PAIN)

    build_session: int | None = None
    if w.level is not None and w.level >= pr.build_level:
        _roll_build_weeks(pr, p, w, today)
        build_session = _build_session(pr, p, w, today, poor_wellness, blockers, reasons, facts)
    elif _alternate_days_block(pr, w, today):
        blockers.add(ALTERNATE_DAYS)

    rest_due = _rest_day_due(pr, w, today)
    if rest_due:
        blockers.add(REST_DAY)

    if not blockers.items:
        assert c is not None  # checkin_missing blocks otherwise
        return _run_decision(pr, p, site, w, today, c, poor_wellness, build_session, reasons, facts)

    reasons.add(*blockers.items)
    return _non_run_decision(pr, site, w, today, c, rest_due, reasons, facts, paused=False)


# --------------------------------------------------------------------------------------------------
# Gaps
# --------------------------------------------------------------------------------------------------


def _apply_gap(pr: Protocol, w: EngineState, today: date, reasons: _Reasons, facts: Facts) -> None:
    """gap_drop_back: days strictly between the last run day and today. The drops do not add up: each
    stage is counted from the level of the last run, and the result is never above the current level."""
    if w.level is None:
        return
    # Conservative reading: a prescribed run never reported is not a run; if none was ever reported the
    # gap counts from the day running started.
    ref = w.last_run if w.last_run is not None else w.running_since
    if ref is None:
        return
    gap = (today - ref).days - 1
    if gap >= pr.gap_restart:
        stage = 3
    elif gap >= pr.gap_two_down:
        stage = 2
    elif gap >= pr.gap_one_down:
        stage = 1
    else:
        stage = 0
    if stage <= w.gap_stage:
        return
    w.gap_stage = stage
    if stage == 3:
        target = 1
        w.readiness_on = None  # the readiness questions again after 28+ days without running
    else:
        base = w.level_at_last_run if w.level_at_last_run is not None else w.level
        target = max(1, base - stage)
    _change_level(w, min(w.level, target))
    reasons.add(GAP_DROP_BACK)
    _add_pending(w, GAP_DROP_BACK)
    facts.gap_days = gap


# --------------------------------------------------------------------------------------------------
# Scheduling: alternate days, rest days, strength days
# --------------------------------------------------------------------------------------------------


def _last_days(w: EngineState, today: date, n: int) -> list[DayRecord]:
    """Records of the n calendar days before today (fewer at the start of the history)."""
    since = today - timedelta(days=n)
    return [r for r in w.records[-n:] if r.day >= since]


def _alternate_days_block(pr: Protocol, w: EngineState, today: date) -> bool:
    """Levels 1-9 (and the first run): never on consecutive days, at most 3 run days in any 7. A
    prescribed run with no session reported counts as a possible run (v1.1)."""
    last6 = _last_days(w, today, 6)
    if last6 and last6[-1].day == today - _DAY and last6[-1].possible_run:
        return True
    return sum(1 for r in last6 if r.possible_run) >= pr.max_run_days_in_7


def _rest_day_due(pr: Protocol, w: EngineState, today: date) -> bool:
    """At least one full rest day in every 7: rest today if none of the last 6 days was one.
    Days before the history started count as rest (the runner was not training)."""
    window = pr.rest_day_every - 1
    last = _last_days(w, today, window)
    return len(last) == window and not any(r.full_rest for r in last)


def _strength_due(pr: Protocol, w: EngineState, today: date) -> bool:
    last = _last_days(w, today, 6)
    return sum(1 for r in last if r.strength) < pr.strength_days_per_week


def _session_minutes(pr: Protocol, level: int | None) -> int:
    """Cross-training minutes: the current level's whole session (30 before running and in the build)."""
    if level is None:
        return pr.cross_train_minutes_before_running
    if level >= pr.build_level:
        return pr.cross_train_minutes_build
    return pr.level(level).total_minutes


def _cross_training(
    pr: Protocol, site: Site, w: EngineState, today: date, c: CheckIn | None
) -> tuple[CrossTraining, ...]:
    """cross_train_swap: in order pool running, cycling, elliptical; nothing when walking hurts."""
    if c is None or c.pain_walking > 0:
        return ()
    minutes = _session_minutes(pr, w.level)
    options = [CrossTraining("pool_running", minutes)]
    # Conservative reading of "after 7 days of pain-free walking": 7 full pain-free days before today.
    walked_free = w.walk_free_since is not None and (
        (today - w.walk_free_since).days >= pr.foot_cycling_pain_free_walk_days
    )
    if not site.foot or walked_free:
        options.append(CrossTraining("cycling", math.floor(minutes * pr.cycling_factor)))
    if w.level is not None and w.level >= pr.elliptical_min_level:
        options.append(CrossTraining("elliptical", minutes))
    return tuple(options)


def _strength_list(pr: Protocol, level: int | None) -> tuple[str, ...]:
    if level is not None and level >= pr.no_hops_before_level:
        return (*STRENGTH_EXERCISES, STRENGTH_PLYOMETRICS)
    return STRENGTH_EXERCISES


# --------------------------------------------------------------------------------------------------
# Build phase
# --------------------------------------------------------------------------------------------------


def _build_runs_per_week(pr: Protocol, p: Profile) -> int:
    return min(p.pre_injury_runs_per_week, pr.max_build_runs_per_week)


def _start_build(pr: Protocol, p: Profile, w: EngineState, today: date) -> None:
    """Week 0's target: floor(1.1 x run minutes of the 7 days before the first build run), capped at
    pre-injury weekly minutes. Engine guard: at least level 9's session (30 min), which the runner has
    just done cleanly within those 7 days; it only matters if sessions were reported shorter."""
    before = sum(r.run_minutes for r in _last_days(w, today, 7))
    top = pr.level(pr.top_run_walk_level).run_minutes
    target = max(math.floor(pr.weekly_growth * before), top)
    w.build = BuildState(today, 0, min(p.pre_injury_weekly_minutes, target))


def _roll_build_weeks(pr: Protocol, p: Profile, w: EngineState, today: date) -> None:
    b = w.build
    if b is None:
        return
    week = (today - b.start).days // 7
    pre = p.pre_injury_weekly_minutes
    while b.week < week:
        week_start = b.start + timedelta(days=7 * b.week)
        week_end = week_start + timedelta(days=7)
        done = sum(r.week_minutes for r in w.records if week_start <= r.day < week_end)
        runs = sum(1 for r in w.records if week_start <= r.day < week_end and r.ran)
        clean = not b.week_bad and runs > 0
        clean75 = b.clean_weeks_75 + 1 if clean and done >= pr.strides_share * pre else 0
        full = b.reached_full or (clean and done >= pre)
        # Held (not grown) after a week with pain, soreness, symptoms, a missed run or a pause.
        target = min(pre, math.floor(pr.weekly_growth * b.target)) if clean else b.target
        b = BuildState(b.start, b.week + 1, target, False, clean75, full)
    w.build = b


def _build_session(
    pr: Protocol,
    p: Profile,
    w: EngineState,
    today: date,
    poor_wellness: bool,
    blockers: _Reasons,
    reasons: _Reasons,
    facts: Facts,
) -> int | None:
    """The build-phase run for today, or None (and a blocker) when the week's plan has no run today."""
    b = w.build
    if b is None:  # the first build run is planned when progress reaches the build phase
        return None
    week_start = b.start + timedelta(days=7 * b.week)
    week = [r for r in w.records if r.day >= week_start]
    runs = sum(1 for r in week if r.possible_run)
    done = sum(r.week_minutes for r in week)
    n = _build_runs_per_week(pr, p)
    k = (today - week_start).days
    facts.week_target, facts.week_done, facts.week_runs, facts.runs_per_week = b.target, done, runs, n
    facts.strides_ok = b.clean_weeks_75 >= pr.strides_clean_weeks
    facts.tempo_ok = b.reached_full
    remaining = b.target - done
    if runs >= n or remaining < 1:
        blockers.add(WEEKLY_CAP)
        return None
    if runs >= -(-(k + 1) * n // 7):  # spread the runs over the week
        blockers.add(BUILD_PHASE)
        return None
    last2 = _last_days(w, today, 2)
    if len(last2) == 2 and all(r.possible_run for r in last2):  # never 3 days in a row
        blockers.add(BUILD_PHASE)
        return None
    session = _capped_session(pr, p, w, today, math.floor(remaining / (n - runs)), b.target, reasons)
    if poor_wellness or HOLD_MILD_PAIN in w.pending:
        # wellness_hold / hold_mild_pain in the build phase: no run longer than the previous one.
        if w.last_run_minutes >= 1:
            session = min(session, math.floor(w.last_run_minutes))
    if session < 1:
        blockers.add(WEEKLY_CAP)
        return None
    return session


def _capped_session(
    pr: Protocol, p: Profile, w: EngineState, today: date, even: int, target: int, reasons: _Reasons
) -> int:
    longest = max((r.run_minutes for r in _last_days(w, today, pr.session_lookback_days)), default=0.0)
    caps = [math.floor(pr.session_growth * longest)] if longest > 0 else []
    if p.pre_injury_runs_per_week >= 3:
        caps.append(math.floor(pr.longest_run_share * target))
    else:
        caps.append(target // p.pre_injury_runs_per_week)
    cap = min(caps)
    if cap < even:
        reasons.add(SESSION_CAP)
        return cap
    return even


# --------------------------------------------------------------------------------------------------
# Pause and resume
# --------------------------------------------------------------------------------------------------


def _start_pause(
    pr: Protocol, site: Site, w: EngineState, today: date, c: CheckIn | None, flags: list[str]
) -> None:
    second = (
        w.last_pause_end is not None
        and (today - w.last_pause_end).days <= pr.second_pause_window_days
    )
    serious = any(f in SERIOUS_PAUSES for f in flags)
    _mark_build_week_bad(w)
    w.pause = PauseState(
        start=today,
        reasons=tuple(flags),
        needs_clinician=serious or site.high_risk or second,
        second=second,
        pre_level=w.level,
        symptom_free_checkins=1 if _symptom_free(c) else 0,  # today's check-in counts (v1.1)
        last_trigger=today,
    )
    w.pauses_total += 1
    w.clean_count = 0
    w.awaiting_clean = False
    w.pending = ()  # the resume rule supersedes level changes from before the pause


def _continue_pause(
    pr: Protocol,
    w: EngineState,
    today: date,
    c: CheckIn | None,
    events: frozenset[Event],
    flags: list[str],
    reasons: _Reasons,
    facts: Facts,
) -> bool:
    """Update an ongoing pause with today's check-in and events; True if it ends today."""
    ps = w.pause
    assert ps is not None
    needs = ps.needs_clinician or any(f in SERIOUS_PAUSES for f in flags)
    count = ps.symptom_free_checkins + 1 if _symptom_free(c) else 0
    cleared_on = today if Event.CLINICIAN_CLEARED in events else ps.cleared_on
    last_trigger = today if flags else ps.last_trigger
    new_reasons = ps.reasons + tuple(f for f in flags if f not in ps.reasons)
    ps = PauseState(ps.start, new_reasons, needs, ps.second, ps.pre_level, count, last_trigger, cleared_on)
    w.pause = ps
    resume_by: str | None = None
    if not flags and _symptom_free(c):
        # Conservative reading: a clearance counts only if given after the last red flag of the pause (a
        # red flag on the same day wins, and a later one needs a new clearance).
        if cleared_on is not None and cleared_on > ps.last_trigger:
            resume_by = RESUME_CLINICIAN_CLEARED
        elif (
            not needs
            and count >= pr.resume_symptom_free_checkins
            and Event.RESUME_REQUESTED in events
        ):
            resume_by = RESUME_REQUESTED
    if resume_by is None:
        return False
    lasted = (today - ps.start).days
    if ps.pre_level is not None and w.level is not None:
        down = 2 if lasted >= pr.long_pause_days else 1
        # The lower of the gap-adjusted level and the pre-pause level minus one (or two).
        _change_level(w, min(w.level, max(1, ps.pre_level - down)))
        facts.resume_level = w.level
    w.pause = None
    w.last_pause_end = today
    reasons.add(resume_by)
    _add_pending(w, resume_by)
    facts.pause_days = lasted
    return True


def _pause_decision(
    pr: Protocol,
    site: Site,
    w: EngineState,
    today: date,
    c: CheckIn | None,
    events: frozenset[Event],
    reasons: _Reasons,
    facts: Facts,
) -> Decision:
    ps = w.pause
    assert ps is not None
    reasons.add(*ps.reasons)
    if site.high_risk:
        reasons.add(HIGH_RISK_SITE)
    if ps.second:
        reasons.add(RESUME_SECOND_PAUSE)
    if c is None:
        reasons.add(CHECKIN_MISSING)
    if Event.RESUME_REQUESTED in events:
        reasons.add(RESUME_REQUESTED)  # asked too early, or the pause needs a clinician
    facts.pause_reasons = ps.reasons
    facts.needs_clinician = ps.needs_clinician
    facts.symptom_free_left = max(0, pr.resume_symptom_free_checkins - ps.symptom_free_checkins)
    facts.second_pause = ps.second
    return _non_run_decision(pr, site, w, today, c, _rest_day_due(pr, w, today), reasons, facts, True)


# --------------------------------------------------------------------------------------------------
# Building the decision
# --------------------------------------------------------------------------------------------------


def _run_decision(
    pr: Protocol,
    p: Profile,
    site: Site,
    w: EngineState,
    today: date,
    c: CheckIn,
    poor_wellness: bool,
    build_session: int | None,
    reasons: _Reasons,
    facts: Facts,
) -> Decision:
    if w.level is None:
        _change_level(w, 1)
        w.running_since = today
    level = w.level
    assert level is not None
    if w.level_since is None:
        w.level_since = today  # days at a level count from the first run prescribed at it
    needed = pr.clean_sessions_slow_site if site.trabecular else pr.clean_sessions
    facts.clean_needed = needed
    if level < pr.build_level:
        long_enough = (
            level > pr.min_days_max_level or (today - w.level_since).days >= pr.min_days_at_level
        )
        if w.clean_count >= needed and long_enough:
            if poor_wellness:
                pass  # wellness_hold: no progress today, the run at the current level still happens
            else:
                level += 1
                _change_level(w, level)
                w.level_since = today
                reasons.add(PROGRESS)
                if level >= pr.build_level:
                    _start_build(pr, p, w, today)
                    build_session = _first_build_session(pr, p, w, today, reasons, facts)
    if poor_wellness:
        reasons.add(WELLNESS_HOLD)
    reasons.add(level_rule(level), *w.pending)
    w.pending = ()
    if site.trabecular and level < pr.build_level:
        reasons.add(SLOW_SITE)
    facts.run_level = level
    if level >= pr.build_level:
        assert build_session is not None
        reasons.add(BUILD_PHASE, WEEKLY_CAP)
        return _decision(
            today, Action.RUN_WALK, level, build_session, 0, 1, build_session * 60, 0, False,
            reasons, facts, (), (),
        )
    lv = pr.level(level)
    return _decision(
        today, Action.RUN_WALK, level, lv.run_minutes, lv.walk_minutes, lv.reps, lv.run_s, lv.walk_s,
        False, reasons, facts, (), (),
    )


def _first_build_session(
    pr: Protocol, p: Profile, w: EngineState, today: date, reasons: _Reasons, facts: Facts
) -> int:
    b = w.build
    assert b is not None
    n = _build_runs_per_week(pr, p)
    facts.week_target, facts.week_done, facts.week_runs, facts.runs_per_week = b.target, 0, 0, n
    return max(1, _capped_session(pr, p, w, today, b.target // n, b.target, reasons))


def _non_run_decision(
    pr: Protocol,
    site: Site,
    w: EngineState,
    today: date,
    c: CheckIn | None,
    rest_due: bool,
    reasons: _Reasons,
    facts: Facts,
    paused: bool,
) -> Decision:
    """A day has one action (v1.1): rest without a check-in, when walking hurts or when the last 6 days
    had no full rest day; otherwise strength until two strength days in the last 7, else cross-train.
    During a pause the action is `pause`, with pain-free cross-training offered only if walking is
    pain-free. Conservative reading: no strength work is prescribed during a pause."""
    rest = c is None or c.pain_walking > 0 or rest_due
    if rest_due:
        reasons.add(REST_DAY)
    options: tuple[CrossTraining, ...] = () if rest else _cross_training(pr, site, w, today, c)
    strength: tuple[str, ...] = ()
    if paused:
        action = Action.PAUSE
    elif rest:
        action = Action.REST
    elif _strength_due(pr, w, today):
        action = Action.STRENGTH
        strength = _strength_list(pr, w.level)
        reasons.add(STRENGTH_DAY)
    else:
        action = Action.CROSS_TRAIN
    if options:
        reasons.add(CROSS_TRAIN_SWAP)
    return _decision(today, action, w.level, 0, 0, 0, 0, 0, paused, reasons, facts, options, strength)


def _decision(
    today: date,
    action: Action,
    level: int | None,
    run_minutes: float,
    walk_minutes: float,
    reps: int,
    run_interval_s: int,
    walk_interval_s: int,
    paused: bool,
    reasons: _Reasons,
    facts: Facts,
    cross_training: tuple[CrossTraining, ...],
    strength: tuple[str, ...],
) -> Decision:
    ordered = reasons.sorted()
    message = "" if facts.quiet else messages.compose(
        action, level, run_minutes, walk_minutes, reps, run_interval_s, walk_interval_s,
        ordered, cross_training, strength, facts,
    )
    return Decision(
        date=today,
        action=action,
        level=level,
        run_minutes=run_minutes,
        walk_minutes=walk_minutes,
        reps=reps,
        run_interval_s=run_interval_s,
        walk_interval_s=walk_interval_s,
        paused=paused,
        reasons=ordered,
        message=message,
        protocol_version=PROTOCOL_VERSION,
        cross_training=cross_training,
        strength=strength,
    )


# --------------------------------------------------------------------------------------------------
# Folding a day's session in
# --------------------------------------------------------------------------------------------------


def _fold_session(
    pr: Protocol, p: Profile, w: EngineState, decision: Decision, s: Session | None
) -> None:
    today = decision.date
    prescribed_run = decision.action is Action.RUN_WALK
    prescribed = decision.run_minutes if prescribed_run else 0
    ran = False
    surely = 0.0  # minutes surely run (lower bound)
    counted = 0.0  # minutes counted against the build week (upper bound)
    if s is not None and s.done in _RUNNING_DONE:
        # A run day (v1.1): as_prescribed, partial or more with run minutes > 0. Without minutes, as
        # prescribed / partial count as a run on a prescribed run day, "more" always does.
        if s.run_minutes is not None:
            ran = s.run_minutes > 0
            surely = counted = s.run_minutes
        elif s.done is SessionDone.MORE:
            ran = True
            surely = counted = prescribed
        else:
            ran = prescribed_run
            surely = prescribed if s.done is SessionDone.AS_PRESCRIBED else 0.0
            counted = prescribed
    elif s is None and prescribed_run:
        counted = prescribed  # a possible run: counted against the week, never as a completed session
    possible = ran or (prescribed_run and s is None)
    full_rest = (s is not None and s.done is SessionDone.SKIPPED) or (
        s is None and decision.action in (Action.REST, Action.PAUSE)
    )
    record = DayRecord(
        today, decision.action, ran, possible, surely, counted, full_rest, decision.action is Action.STRENGTH
    )
    w.records = (*w.records[-(_RECORDS_KEPT - 1):], record)

    if ran:
        w.last_run = today
        w.level_at_last_run = decision.level if prescribed_run else w.level
        w.gap_stage = 0
        w.last_run_minutes = surely if surely > 0 else prescribed

    if prescribed_run and (s is None or s.done not in (SessionDone.AS_PRESCRIBED, SessionDone.MORE)):
        _mark_build_week_bad(w)  # a missed (or partial) run holds the build week

    pain_during = s.pain_during if s is not None and s.pain_during is not None else 0
    pain_after = s.pain_after if s is not None and s.pain_after is not None else 0
    worst = max(pain_during, pain_after)
    # Conservative reading: bone pain reported for any session (also cross-training) counts.
    if worst >= pr.drop_pain_min or (pain_during >= pr.hold_pain_min and pain_after >= pr.hold_pain_min):
        w.no_run_until = today + timedelta(days=pr.drop_back_rest_days)
        _mark_build_week_bad(w)
        if w.level is not None:
            _change_level(w, max(1, w.level - 1))
            _add_pending(w, DROP_BACK_PAIN)
        w.clean_count = 0
        w.announce = (*w.announce, DROP_BACK_PAIN)
        return
    if worst >= pr.hold_pain_min:
        _mark_build_week_bad(w)
        w.clean_count = 0
        w.awaiting_clean = False
        if w.level is not None:
            _add_pending(w, HOLD_MILD_PAIN)
        w.announce = (*w.announce, HOLD_MILD_PAIN)
        return
    clean = (
        prescribed_run
        and s is not None
        and s.done is SessionDone.AS_PRESCRIBED
        and ran
        and s.pain_during == 0
        and s.pain_after == 0
    )
    if clean:
        w.awaiting_clean = True  # confirmed by tomorrow's check-in (next-day pain 0)
    elif prescribed_run or ran:
        w.clean_count = 0  # anything else on a run day, and any unprescribed run, restarts the count


# --------------------------------------------------------------------------------------------------
# JSON-safe state
# --------------------------------------------------------------------------------------------------


def _d(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _pd(value: object) -> date | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"expected a date string, got {value!r}")
    return date.fromisoformat(value)


def _req_date(value: object) -> date:
    parsed = _pd(value)
    if parsed is None:
        raise ValueError("expected a date string, got None")
    return parsed


def _int(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"expected an integer, got {value!r}")
    return value


def _opt_int(value: object) -> int | None:
    return None if value is None else _int(value)


def _float(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"expected a number, got {value!r}")
    return value


def _bool(value: object) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"expected a boolean, got {value!r}")
    return value


def _strs(value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v in RULES for v in value):
        raise ValueError(f"expected a list of rule identifiers, got {value!r}")
    return tuple(value)


def _obj(value: object) -> dict[str, object]:
    if not isinstance(value, dict):
        raise ValueError(f"expected an object, got {value!r}")
    return value


def _state_to_dict(s: EngineState) -> dict[str, object]:
    pause: dict[str, object] | None = None
    if s.pause is not None:
        ps = s.pause
        pause = {
            "start": _d(ps.start), "reasons": list(ps.reasons), "needs_clinician": ps.needs_clinician,
            "second": ps.second, "pre_level": ps.pre_level,
            "symptom_free_checkins": ps.symptom_free_checkins, "last_trigger": _d(ps.last_trigger),
            "cleared_on": _d(ps.cleared_on),
        }
    build: dict[str, object] | None = None
    if s.build is not None:
        b = s.build
        build = {
            "start": _d(b.start), "week": b.week, "target": b.target, "week_bad": b.week_bad,
            "clean_weeks_75": b.clean_weeks_75, "reached_full": b.reached_full,
        }
    return {
        "version": PROTOCOL_VERSION,
        "start": _d(s.start), "last_date": _d(s.last_date), "level": s.level,
        "level_since": _d(s.level_since), "clean_count": s.clean_count,
        "awaiting_clean": s.awaiting_clean, "running_since": _d(s.running_since),
        "readiness_on": _d(s.readiness_on), "reds_reviewed": s.reds_reviewed,
        "last_run": _d(s.last_run), "level_at_last_run": s.level_at_last_run,
        "last_run_minutes": s.last_run_minutes, "gap_stage": s.gap_stage,
        "no_run_until": _d(s.no_run_until), "announce": list(s.announce), "pending": list(s.pending),
        "prev_soreness": s.prev_soreness, "prev_symptoms": s.prev_symptoms,
        "walk_free_since": _d(s.walk_free_since), "pause": pause, "last_pause_end": _d(s.last_pause_end),
        "pauses_total": s.pauses_total, "build": build,
        "records": [
            [r.day.isoformat(), r.action.value, r.ran, r.possible_run, r.run_minutes, r.week_minutes,
             r.full_rest, r.strength]
            for r in s.records
        ],
    }


def _state_from_dict(data: dict[str, object]) -> EngineState:
    if data.get("version") != PROTOCOL_VERSION:
        raise ValueError(f"state was saved by protocol {data.get('version')!r}, not {PROTOCOL_VERSION}")
    pause = None
    if data["pause"] is not None:
        pd_ = _obj(data["pause"])
        pause = PauseState(
            _req_date(pd_["start"]), _strs(pd_["reasons"]), _bool(pd_["needs_clinician"]),
            _bool(pd_["second"]), _opt_int(pd_["pre_level"]), _int(pd_["symptom_free_checkins"]),
            _req_date(pd_["last_trigger"]), _pd(pd_["cleared_on"]),
        )
    build = None
    if data["build"] is not None:
        bd = _obj(data["build"])
        build = BuildState(
            _req_date(bd["start"]), _int(bd["week"]), _int(bd["target"]), _bool(bd["week_bad"]),
            _int(bd["clean_weeks_75"]), _bool(bd["reached_full"]),
        )
    raw_records = data["records"]
    if not isinstance(raw_records, list):
        raise ValueError("records must be a list")
    records = []
    for raw in raw_records:
        if not isinstance(raw, list) or len(raw) != 8:
            raise ValueError(f"bad record {raw!r}")
        records.append(
            DayRecord(
                _req_date(raw[0]), Action(raw[1]), _bool(raw[2]), _bool(raw[3]), _float(raw[4]),
                _float(raw[5]), _bool(raw[6]), _bool(raw[7]),
            )
        )
    return EngineState(
        start=_pd(data["start"]), last_date=_pd(data["last_date"]), level=_opt_int(data["level"]),
        level_since=_pd(data["level_since"]), clean_count=_int(data["clean_count"]),
        awaiting_clean=_bool(data["awaiting_clean"]), running_since=_pd(data["running_since"]),
        readiness_on=_pd(data["readiness_on"]), reds_reviewed=_bool(data["reds_reviewed"]),
        last_run=_pd(data["last_run"]), level_at_last_run=_opt_int(data["level_at_last_run"]),
        last_run_minutes=_float(data["last_run_minutes"]), gap_stage=_int(data["gap_stage"]),
        no_run_until=_pd(data["no_run_until"]), announce=_strs(data["announce"]),
        pending=_strs(data["pending"]), prev_soreness=_bool(data["prev_soreness"]),
        prev_symptoms=_bool(data["prev_symptoms"]), walk_free_since=_pd(data["walk_free_since"]),
        pause=pause, last_pause_end=_pd(data["last_pause_end"]), pauses_total=_int(data["pauses_total"]),
        build=build, records=tuple(records),
    )
