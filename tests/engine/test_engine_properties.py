"""Property-based tests: random histories of 1-150 days in which the runner mostly follows the coach and
sometimes does not (pain, partial, skipped, unreported, unprescribed runs, missing check-ins, red flags,
events, days never reported). Every safety property 1-8 of shared/contracts/simulate.md is checked by
an observer written from the contract, not from the engine's internals."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine import (
    HIGH_RISK_SITES,
    RULES,
    SITES,
    Action,
    CheckIn,
    Day,
    Decision,
    EngineState,
    Event,
    Profile,
    Session,
    SessionDone,
    simulate,
    step,
)

D0 = date(2026, 10, 1)
TRABECULAR = {"calcaneus", "pelvis", "femoral_neck", "femoral_head"}
RUN = Action.RUN_WALK

CHECKINS = {
    "ok": {},
    "mild_rest": {"pain_rest": 1},
    "mild_walk": {"pain_walking": 2},
    "sore1": {"pain_next_day": 1},
    "sore2": {"pain_next_day": 2},
    "sore3": {"pain_next_day": 3},
    "rest2": {"pain_rest": 2},
    "walk3": {"pain_walking": 3},
    "night": {"night_pain": True},
    "limp": {"limping": True},
    "tender": {"tenderness": True},
    "swelling": {"swelling": True},
    "poor_sleep": {"sleep_hours": 5.5},
    "tired": {"fatigue": 8},
}
BASE = {
    "pain_rest": 0, "pain_walking": 0, "pain_next_day": 0, "tenderness": False, "swelling": False,
    "limping": False, "night_pain": False, "sleep_hours": 7.0, "fatigue": 3,
}

@dataclass(frozen=True)
class Plan:
    skip: int
    checkin: str
    session: str
    event: str


RARE_CHECKINS = [k for k in CHECKINS if k != "ok"]
RARE_SESSIONS = ["pain1", "pain2", "pain3", "pain11", "partial", "skipped", "none", "more", "unprescribed",
                 "cross"]
RARE_EVENTS = ["ready", "reds", "clear", "pause", "resume", "ready+clear"]
SKIPS = [1, 2, 5, 7, 13, 14, 28, 30]


def plan_strategy(usual: int) -> st.SearchStrategy[Plan]:
    """Plans where the usual choice ("ok", "follow", no event, no skipped dates) is `usual` times as
    likely as each deviation."""
    return st.builds(
        Plan,
        st.sampled_from([0] * usual * 4 + SKIPS),
        st.sampled_from(["ok"] * usual + ["none", *RARE_CHECKINS]),
        st.sampled_from(["follow"] * usual + RARE_SESSIONS),
        st.sampled_from(["-"] * usual + RARE_EVENTS),
    )


def histories(noise_levels: tuple[int, ...] = (10, 40, 150, 400)) -> st.SearchStrategy[list[Plan]]:
    """1-150 days; the noise level is drawn per history so that calm runners reach the build phase
    and chaotic ones hit every pause and resume path."""
    lengths = st.sampled_from([1, 2, 3, 7, *range(20, 151)])
    return st.tuples(st.sampled_from(noise_levels), lengths).flatmap(
        lambda t: st.lists(plan_strategy(t[0]), min_size=t[1], max_size=t[1])
    )


@st.composite
def profiles(draw: st.DrawFn) -> Profile:
    offset = draw(st.sampled_from([0, 0, 0, -5, 1, 3, 10, None]))
    return Profile(
        injury_site=draw(st.sampled_from(sorted(SITES))),
        diagnosed_on=date(2026, 8, 1),
        cleared_to_run_on=None if offset is None else D0 + timedelta(days=offset),
        pre_injury_weekly_minutes=draw(st.sampled_from([20, 90, 150, 240, 400])),
        pre_injury_runs_per_week=draw(st.integers(1, 7)),
        reds_positive=draw(st.sampled_from([0, 0, 0, 0, 0, 1, 2, 3])),
    )




def _checkin(kind: str) -> CheckIn | None:
    if kind == "none":
        return None
    return CheckIn(**{**BASE, **CHECKINS[kind]})  # type: ignore[arg-type]


def _session(kind: str, decision: Decision) -> Session | None:
    prescribed = decision.action is RUN
    minutes = decision.run_minutes
    if kind == "none":
        return None
    if kind == "skipped":
        return Session(SessionDone.SKIPPED)
    if kind == "cross":
        return Session(SessionDone.CROSS_TRAIN, 0, 0, 0, 3)
    if kind == "unprescribed":
        return Session(SessionDone.MORE, 12, 0, 0, 4)
    if not prescribed:
        return None if kind == "follow" else Session(SessionDone.AS_PRESCRIBED, None, 0, 0, 2)
    pains = {"pain1": (1, 0), "pain2": (0, 2), "pain3": (3, 1), "pain11": (1, 1)}
    if kind in pains:
        during, after = pains[kind]
        return Session(SessionDone.AS_PRESCRIBED, minutes, during, after, 4)
    if kind == "partial":
        return Session(SessionDone.PARTIAL, minutes / 2, 0, 0, 3)
    if kind == "more":
        return Session(SessionDone.MORE, minutes + 5, 0, 0, 5)
    return Session(SessionDone.AS_PRESCRIBED, minutes, 0, 0, 3)


def live(profile: Profile, day_plans: list[Plan], eager: bool) -> tuple[list[Day], list[Decision]]:
    """The runner lives the plans day by day against the engine (the session is reported after the
    decision). An `eager` runner confirms readiness and asks to resume whenever the coach asks."""
    state = EngineState()
    days: list[Day] = []
    decisions: list[Decision] = []
    today = D0
    previous: Decision | None = None
    for i, plan in enumerate(day_plans):
        today += timedelta(days=plan.skip if i else 0)
        events: list[Event] = []
        if "ready" in plan.event or (eager and (i == 0 or (previous and "readiness_check" in previous.reasons))):
            events.append(Event.READINESS_CONFIRMED)
        if plan.event == "reds" or (eager and previous and "reds_review" in previous.reasons):
            events.append(Event.REDS_REVIEW_CONFIRMED)
        if "clear" in plan.event or (eager and previous is not None and previous.paused and i % 6 == 0):
            events.append(Event.CLINICIAN_CLEARED)
        if plan.event == "pause":
            events.append(Event.PAUSE_REQUESTED)
        if plan.event == "resume" or (eager and previous is not None and previous.paused):
            events.append(Event.RESUME_REQUESTED)
        checkin = _checkin(plan.checkin)
        decision, _ = step(profile, state, Day(today, checkin, None, tuple(events)))
        day = Day(today, checkin, _session(plan.session, decision), tuple(events))
        again, state = step(profile, state, day)
        assert again == decision, "the decision must not use the day's own session"
        days.append(day)
        decisions.append(decision)
        previous = decision
        today += timedelta(days=1)
    return days, decisions


# ---- the observer -----------------------------------------------------------------------------------


def ran(day: Day | None, decision: Decision | None) -> bool:
    """Protocol v1.1 run day, from what the runner reported."""
    if day is None or day.session is None:
        return False
    s = day.session
    if s.done not in (SessionDone.AS_PRESCRIBED, SessionDone.PARTIAL, SessionDone.MORE):
        return False
    if s.run_minutes is not None:
        return s.run_minutes > 0
    return s.done is SessionDone.MORE or (decision is not None and decision.action is RUN)


def red_flag(c: CheckIn | None) -> bool:
    return c is not None and (
        c.pain_rest >= 2 or c.pain_walking >= 3 or c.pain_next_day >= 3 or c.night_pain or c.limping
        or c.tenderness or c.swelling
    )


def serious(c: CheckIn | None) -> bool:
    return c is not None and (c.pain_rest >= 2 or c.night_pain or c.limping or c.tenderness or c.swelling)


def symptom_free(c: CheckIn | None) -> bool:
    return c is not None and c == CheckIn(**{**BASE, "sleep_hours": c.sleep_hours, "fatigue": c.fatigue})  # type: ignore[arg-type]


def check_safety(profile: Profile, days: list[Day], decisions: list[Decision]) -> None:
    """Properties 1-7 of the contract, observed from the input and the output only."""
    start, end = days[0].date, days[-1].date
    dates = [start + timedelta(days=k) for k in range((end - start).days + 1)]
    day_at = {d.date: d for d in days}
    dec_at = {d.date: d for d in decisions}
    one = timedelta(days=1)

    def ran_on(x: date) -> bool:
        return ran(day_at.get(x), dec_at.get(x))

    def possible_run(x: date) -> bool:
        """Ran, or a prescribed run with no session reported (v1.1)."""
        dec, day = dec_at.get(x), day_at.get(x)
        return ran_on(x) or (dec is not None and dec.action is RUN and day is not None and day.session is None)

    def event_in(event: Event, lo: date, hi: date) -> bool:
        return any(event in day_at[q].events for q in dates_between(lo, hi) if q in day_at)

    def dates_between(lo: date, hi: date) -> list[date]:
        return [lo + timedelta(days=k) for k in range(max(0, (hi - lo).days + 1))]

    high_risk = profile.injury_site in HIGH_RISK_SITES
    need = 3 if profile.injury_site in TRABECULAR else 2
    pause_start: date | None = None
    last_pause_first_day: date | None = None
    pre_pause_level: int | None = None
    after_pause = False
    last_serious: date | None = None
    readiness: list[date] = []
    reds_reviewed = False
    actual_runs: list[date] = []
    run_decisions: list[date] = []

    for x in dates:
        dec, day = dec_at.get(x), day_at.get(x)
        c = day.checkin if day else None
        events = day.events if day else ()
        if Event.READINESS_CONFIRMED in events and profile.cleared_to_run_on is not None:
            if x >= profile.cleared_to_run_on:
                readiness.append(x)
        reds_reviewed = reds_reviewed or Event.REDS_REVIEW_CONFIRMED in events
        if dec is not None:
            # Decision fields are consistent.
            assert dec.message and set(dec.reasons) <= set(RULES)
            assert (dec.action is Action.PAUSE) == dec.paused
            if dec.action is not RUN:
                assert (dec.run_minutes, dec.walk_minutes, dec.reps, dec.run_interval_s) == (0, 0, 0, 0)
            if dec.paused and pause_start is None:
                pause_start, pre_pause_level, last_pause_first_day = x, dec.level, x
            if not dec.paused and pause_start is not None:
                # Property 2: a pause ends only by the resume criteria.
                cleared = event_in(Event.CLINICIAN_CLEARED, pause_start + one, x)
                five = all(
                    (q in day_at and symptom_free(day_at[q].checkin)) for q in dates_between(x - 4 * one, x)
                )
                asked = Event.RESUME_REQUESTED in events
                assert cleared or (five and asked), f"{x}: pause ended without the resume criteria"
                assert symptom_free(c), f"{x}: resumed without a symptom-free check-in"
                pause_start = None
                after_pause = True
            # Property 2: a red flag pauses the same day.
            if red_flag(c):
                assert dec.action is Action.PAUSE and dec.paused, f"{x}: red flag without a pause"
            if dec.action is RUN:
                _check_run_day(
                    profile, x, dec, c, day_at, dec_at, actual_runs, run_decisions, readiness, reds_reviewed,
                    last_serious, high_risk, last_pause_first_day, need, ran_on, possible_run, event_in,
                )
                if after_pause:
                    # Property 7: restart no higher than before the pause (one lower per the protocol).
                    if pre_pause_level is not None:
                        assert dec.level is not None and dec.level <= max(1, pre_pause_level - 1), (
                            f"{x}: resumed too high"
                        )
                    after_pause = False
                run_decisions.append(x)
        if serious(c):
            last_serious = x
        if ran_on(x):
            actual_runs.append(x)


def _check_run_day(
    profile: Profile,
    x: date,
    dec: Decision,
    c: CheckIn | None,
    day_at: dict[date, Day],
    dec_at: dict[date, Decision],
    actual_runs: list[date],
    run_decisions: list[date],
    readiness: list[date],
    reds_reviewed: bool,
    last_serious: date | None,
    high_risk: bool,
    last_pause_first_day: date | None,
    need: int,
    ran_on: object,
    possible_run: object,
    event_in: object,
) -> None:
    one = timedelta(days=1)
    assert callable(ran_on) and callable(possible_run) and callable(event_in)
    assert dec.level is not None and 1 <= dec.level <= 10
    assert c is not None, f"{x}: running without a check-in (property 6)"
    assert c.pain_next_day == 0, f"{x}: running with next-morning bone pain (property 4)"
    # Property 1: clearance, readiness (again after 28+ days without running), REDs review.
    assert profile.cleared_to_run_on is not None and x >= profile.cleared_to_run_on, f"{x}: not cleared"
    assert readiness, f"{x}: no readiness confirmation on or after the clearance date"
    last = actual_runs[-1] if actual_runs else None
    r = readiness[-1]
    if last is not None and (x - last).days - 1 >= 28:
        assert r >= last + 29 * one, f"{x}: no new readiness after a 28+ day gap"
    anchors = sorted({r, *[d for d in actual_runs if d > r], x})
    assert all((b - a).days - 1 < 28 for a, b in itertools.pairwise(anchors)), f"{x}: readiness lapsed"
    if profile.reds_positive >= 2:
        assert reds_reviewed, f"{x}: REDs review missing"
    # Property 2: after a serious sign, or any pause at a high-risk site, a clinician's clearance.
    if last_serious is not None:
        assert event_in(Event.CLINICIAN_CLEARED, last_serious + one, x), f"{x}: serious sign, no clearance"
    if high_risk and last_pause_first_day is not None:
        assert event_in(Event.CLINICIAN_CLEARED, last_pause_first_day + one, x), (
            f"{x}: high-risk site resumed without clearance"
        )
    # Property 5: no consecutive running and at most 3 run days in 7 at levels 1-9.
    if dec.level <= 9:
        assert not possible_run(x - one), f"{x}: consecutive run days"
        window = [x - k * one for k in range(1, 7)]
        assert sum(1 for q in window if possible_run(q)) <= 2, f"{x}: more than 3 runs in 7 days"
    previous = run_decisions[-1] if run_decisions else None
    # Property 3: never progress through pain (sessions since the previous run decision).
    since = previous if previous is not None else x - 60 * one
    for q in [since + k * one for k in range((x - since).days)]:
        d, qd = day_at.get(q), dec_at.get(q)
        if d is None or d.session is None or qd is None or qd.level is None:
            continue
        during, after = d.session.pain_during or 0, d.session.pain_after or 0
        if max(during, after) >= 3 or (during >= 1 and after >= 1):
            assert (x - q).days >= 3, f"{x}: ran within 2 days of a painful session on {q}"
            assert dec.level <= max(1, qd.level - 1), f"{x}: no drop back after the painful session on {q}"
        elif max(during, after) >= 1:
            assert dec.level <= qd.level, f"{x}: progressed after a session with pain on {q}"
    # Property 4: at most one level up, only after the clean sessions and the days at the level.
    if previous is not None:
        prev = dec_at[previous]
        assert prev.level is not None and dec.level <= prev.level + 1, f"{x}: jumped levels"
        if dec.level == prev.level + 1:
            recent = run_decisions[-need:]
            assert len(recent) == need and all(dec_at[q].level == prev.level for q in recent), (
                f"{x}: progress without {need} sessions at the level"
            )
            for q in recent:
                s, nxt = day_at[q].session, day_at.get(q + one)
                assert s is not None and s.done is SessionDone.AS_PRESCRIBED, f"{x}: {q} not completed"
                assert s.pain_during == 0 and s.pain_after == 0, f"{x}: {q} had pain"
                assert nxt is not None and nxt.checkin is not None, f"{x}: no check-in after {q}"
                assert nxt.checkin.pain_next_day == 0, f"{x}: next-day pain after {q}"
            for q in [recent[0] + k * one for k in range(1, (x - recent[0]).days)]:
                if q not in run_decisions:
                    assert not ran_on(q), f"{x}: progress despite the unprescribed run on {q}"
            if prev.level <= 6:
                first = recent[0]
                for q in reversed(run_decisions[: -need]):
                    if dec_at[q].level != prev.level:
                        break
                    first = q
                assert (x - first).days >= 7, f"{x}: progressed after fewer than 7 days at the level"
    # Property 6: a gap of the protocol's length drops the runner back.
    if last is not None and last in dec_at and dec_at[last].action is RUN:
        gap, then = (x - last).days - 1, dec_at[last].level
        assert then is not None
        if gap >= 28:
            assert dec.level == 1, f"{x}: no restart at level 1 after {gap} days"
        elif gap >= 14:
            assert dec.level <= max(1, then - 2), f"{x}: no 2-level drop after {gap} days"
        elif gap >= 7:
            assert dec.level <= max(1, then - 1), f"{x}: no drop after {gap} days"


@settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(profiles(), histories(), st.sampled_from([True, True, True, False]))
def test_safety_properties_hold_on_random_histories(
    profile: Profile, day_plans: list[Plan], eager: bool
) -> None:
    days, lived = live(profile, day_plans, eager)
    replayed = simulate(profile, days)
    # Property 8: the same input gives the same output; replay equals deciding day by day.
    assert replayed == lived
    assert simulate(profile, days) == replayed
    check_safety(profile, days, replayed)


@settings(max_examples=60, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(profiles(), st.integers(60, 150))
def test_compliant_runners_progress_safely(profile: Profile, n_days: int) -> None:
    """Fully compliant runners reach the higher levels and the build phase, where the caps apply."""
    day_plans = [Plan(0, "ok", "follow", "-")] * n_days
    days, lived = live(profile, day_plans, eager=True)
    check_safety(profile, days, lived)
    if profile.cleared_to_run_on is not None and profile.cleared_to_run_on <= D0 and profile.reds_positive < 2:
        assert any(d.action is RUN for d in lived)
