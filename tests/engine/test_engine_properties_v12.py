"""Property-based tests of protocol v1.2 (hypothesis): the histories of test_engine_properties, with a
random care-team adjustment set on a random day. Checked by an observer written from the protocol:
the full rest day in every 7 days of the plan, no strength with bone pain in the picture, the adjusted
`max_level` never exceeded, only the allowed cross-training offered, and a pause under
`resume_needs_clinician` never ended without a clearance."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_engine_properties import histories, live, profiles

from engine import Action, ClinicianPlan, Day, Decision, Event, Profile, simulate
from engine.adjustments import CROSS_TRAINING_MODES

RESTING = (Action.REST, Action.PAUSE)

plans = st.builds(
    ClinicianPlan,
    max_level=st.one_of(st.none(), st.integers(1, 10)),
    min_days_per_level=st.one_of(st.none(), st.integers(7, 28)),
    clean_sessions_per_level=st.one_of(st.none(), st.integers(2, 6)),
    max_runs_per_week=st.one_of(st.none(), st.integers(1, 6)),
    max_weekly_increase_pct=st.one_of(st.none(), st.integers(0, 10)),
    cross_training=st.one_of(st.none(), st.lists(st.sampled_from(sorted(CROSS_TRAINING_MODES)), unique=True).map(
        lambda modes: tuple(m for m in CROSS_TRAINING_MODES if m in modes))),
    resume_needs_clinician=st.booleans(),
    no_hops_before_level=st.one_of(st.none(), st.integers(7, 10)),
)


def _bone_pain(day: Day) -> bool:
    c = day.checkin
    return c is not None and (c.pain_rest >= 1 or c.pain_walking >= 1 or c.pain_next_day >= 1)


def _painful(day: Day) -> bool:
    s = day.session
    if s is None:
        return False
    during, after = s.pain_during or 0, s.pain_after or 0
    return max(during, after) >= 3 or (during >= 1 and after >= 1)


def _observe(profile: Profile, days: list[Day], decisions: list[Decision], plan_day: int, plan: ClinicianPlan) -> None:
    by_date = {d.date: d for d in decisions}
    start = days[0].date
    for i, (day, decision) in enumerate(zip(days, decisions, strict=True)):
        before = [by_date.get(day.date - timedelta(days=k)) for k in range(1, 7)]
        if (day.date - start).days >= 6 and not any(d is not None and d.action in RESTING for d in before):
            assert decision.action in RESTING, f"{day.date}: 6 days without a full rest day"
        if decision.action is Action.STRENGTH:
            assert not _bone_pain(day), f"{day.date}: strength with bone pain in the check-in"
            recent = [d for d in days[:i] if 1 <= (day.date - d.date).days <= 2]
            assert not any(_painful(d) for d in recent), f"{day.date}: strength on a drop-back day"
        if i < plan_day:
            continue
        if decision.action is Action.RUN_WALK and plan.max_level is not None:
            assert decision.level is not None and decision.level <= plan.max_level, f"{day.date}: above max_level"
        allowed = plan.allowed_kinds()
        if allowed is not None:
            assert {o.kind for o in decision.cross_training} <= allowed, f"{day.date}: a mode not allowed"
    if plan.min_days_per_level is not None:
        level_first_run = None  # the first run prescribed at the current level
        previous_level: int | None = None
        for i, (day, decision) in enumerate(zip(days, decisions, strict=True)):
            if "progress" in decision.reasons and i > plan_day and level_first_run is not None:
                assert (day.date - level_first_run).days >= plan.min_days_per_level, (
                    f"{day.date}: progress before the clinician's {plan.min_days_per_level} days"
                )
            if decision.level != previous_level:
                level_first_run = None
            if decision.action is Action.RUN_WALK and level_first_run is None:
                level_first_run = day.date
            previous_level = decision.level
    if plan.resume_needs_clinician:
        for i in range(max(plan_day, 1), len(decisions)):
            if decisions[i - 1].paused and not decisions[i].paused:
                window = [d for d in days[:i + 1] if Event.CLINICIAN_CLEARED in d.events]
                assert window, f"{days[i].date}: a pause ended without a clinician's clearance"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(profiles(), histories(), plans, st.integers(0, 60), st.booleans())
def test_v12_properties_hold_with_random_adjustments(
    profile: Profile, day_plans: list[object], plan: ClinicianPlan, at: int, eager: bool
) -> None:
    days, _ = live(profile, day_plans, eager)  # type: ignore[arg-type]
    plan_day = min(at, len(days) - 1)
    days[plan_day] = replace(days[plan_day], clinician_plan=plan)
    decisions = simulate(profile, days)
    _observe(profile, days, decisions, plan_day, plan)
