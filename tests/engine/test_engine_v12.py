"""Protocol v1.2: the readings it settles, the build phase every runner finishes, care-team adjustments
(`clinician_plan`) and what the messages say."""

from __future__ import annotations

import io
import itertools
import json
import math
from datetime import timedelta

import pytest
from engine_helpers import D0, OK, READY, Runner, ci, pain, profile, started

from engine import Action, ClinicianPlan, Day, Decision, Event, Session, SessionDone, replay, simulate, step
from engine.cli import simulate_main
from engine.texts import STOP_RULE_TEXT

RUN = Action.RUN_WALK
RESTING = (Action.REST, Action.PAUSE)


def _clean_runner(runs: int, weekly: int, days: int) -> Runner:
    r = Runner(profile(runs=runs, weekly=weekly))
    r.day(events=READY)
    for _ in range(days):
        r.day()
    return r


def _check_day_rules(decisions: list[Decision]) -> None:
    runs = [d.action is RUN for d in decisions]
    for i in range(len(runs) - 2):
        assert not all(runs[i:i + 3]), f"3 run days in a row from {decisions[i].date}"
    for i in range(len(decisions) - 6):
        assert any(d.action in RESTING for d in decisions[i:i + 7]), f"no rest day in 7 from {decisions[i].date}"


@pytest.mark.parametrize("runs", [1, 2, 3, 4, 5, 6, 7])
@pytest.mark.parametrize("weekly", [90, 240, 400])
def test_clean_runner_reaches_pre_injury_volume(runs: int, weekly: int) -> None:
    r = _clean_runner(runs, weekly, 300)
    ds = r.decisions
    _check_day_rules(ds)
    week_sums = [sum(d.run_minutes for d in ds[i:i + 7]) for i in range(len(ds) - 6)]
    assert max(week_sums) >= weekly, f"{runs} runs, {weekly} min: reached only {max(week_sums)}"
    build = [d for d in ds if d.level == 10]
    for w in range(0, len(build), 7):
        week = [d for d in build if 0 <= (d.date - build[0].date).days - w < 7 and d.action is RUN]
        if week:
            target = int(week[0].message.split("This week: ")[1].split(" min")[0])
            assert sum(d.run_minutes for d in week) <= target <= weekly, "the week's target, capped at pre-injury"
    longest_before: list[float] = []
    for i, d in enumerate(ds):
        if d.action is RUN and d.level == 10:
            target = int(d.message.split("This week: ")[1].split(" min")[0])
            planned = int(d.message.split(" min over ")[1].split(" run")[0])
            assert planned <= min(runs, 6) and planned <= 5, "never more runs than the day rules can place"
            share = math.floor(0.35 * target) if runs >= 3 else target // runs
            assert d.run_minutes <= share
            prior = [x.run_minutes for x in ds[max(0, i - 30):i] if x.action is RUN]
            assert d.run_minutes <= math.floor(1.1 * max(prior)), "session_cap"
            longest_before.append(d.run_minutes)


def test_first_build_runs_are_no_shorter_than_level_9_and_not_back_to_back() -> None:
    r = started(runs=6, weekly=240)
    first = r.to_run_at(10, limit=120)
    week = [first, *(r.day() for _ in range(6))]
    runs = [d for d in week if d.action is RUN]
    assert len(runs) == 3 and all(d.run_minutes >= 30 for d in runs)
    assert "over 3 runs" in first.message
    _check_day_rules(r.decisions)


def test_build_phase_consecutive_days_only_when_a_week_needs_4_runs() -> None:
    r = _clean_runner(5, 400, 160)
    build = [d for d in r.decisions if d.level == 10]
    for a, b in itertools.pairwise(build):
        if a.action is RUN and b.action is RUN:
            assert int(a.message.split(" min over ")[1].split(" run")[0]) >= 4


def test_no_strength_on_drop_back_days_pool_first() -> None:
    r = started()
    r.to_run_at(3)
    r.date -= timedelta(days=1)  # redo the level-3 day with bone pain 4 during
    r.decisions.pop()
    r.days.pop()
    r.state = replay(r.profile, r.days)
    hurt = r.day(session=pain(4, 0))
    assert hurt.action is RUN
    d1, d2 = r.day(), r.day()
    for d in (d1, d2):
        assert d.action in (Action.CROSS_TRAIN, Action.REST) and "strength_day" not in d.reasons
        assert "drop_back_pain" in d.reasons
    assert d1.action is Action.CROSS_TRAIN and d1.cross_training[0].kind == "pool_running"
    assert "bone pain 4/10 during yesterday's run, so no running today or tomorrow, then level 2" in d1.message
    walking = started()
    walking.to_run_at(2)
    walking.day(session=pain(3, 0))
    assert walking.day(ci(pain_walking=1)).action is Action.REST


def test_no_strength_with_bone_pain_in_the_checkin() -> None:
    r = started()
    d = r.day(ci(pain_rest=1))
    assert d.action is Action.CROSS_TRAIN and "strength_day" not in d.reasons


def test_pause_needing_a_clinician_offers_pool_running_only() -> None:
    serious = started()
    d = serious.day(ci(night_pain=True))
    assert d.paused and [o.kind for o in d.cross_training] == ["pool_running"]
    assert "night pain is a serious sign" in d.message
    mild = started()
    mild.to_run_at(3)
    d = mild.day(events=(Event.PAUSE_REQUESTED,))
    assert d.paused and len(d.cross_training) >= 2


def test_pain_drop_then_a_gap_adds_up() -> None:
    r = started()
    r.to_run_at(4)
    while r.day(session=pain(3, 0)).action is not RUN:
        pass  # bone pain 3 at level 4: level 3 next
    r.idle(8)
    back = r.day()
    assert back.level == 2 and "gap_drop_back" in back.reasons
    assert any("You have not run for 7 days, so you restart at level 2 (you were at level 3)" in d.message
               for d in r.decisions[-9:])


def test_no_gap_before_the_first_run_day() -> None:
    r = Runner(profile())
    r.day(events=READY, session=None)  # prescribed level 1, never run
    r.idle(10)
    d = r.day()
    assert d.level == 1 and "gap_drop_back" not in d.reasons


def test_every_run_message_has_the_stop_rule() -> None:
    r = _clean_runner(4, 200, 90)
    assert all(STOP_RULE_TEXT in d.message for d in r.decisions if d.action is RUN)
    assert all(STOP_RULE_TEXT not in d.message for d in r.decisions if d.action is not RUN)


def test_resume_message_gives_the_result() -> None:
    r = started()
    r.to_run_at(3)
    r.day(events=(Event.PAUSE_REQUESTED,))
    for _ in range(8):
        r.day()
    d = r.day(events=(Event.RESUME_REQUESTED,))
    assert not d.paused and "You paused at level 3 for 9 days, so you restart at level 1." in d.message


def test_pause_cause_in_the_runners_numbers() -> None:
    r = started()
    d = r.day(ci(pain_walking=7))
    assert "pain when walking 7/10 (the pause line is 3)" in d.message
    later = r.day(ci(pain_walking=4))
    assert "7/10" not in later.message and "paused since" in later.message


def test_soreness_warning_is_not_repeated_on_the_next_run_day() -> None:
    r = started()
    r.to_run_at(2)
    sore = r.day(ci(pain_next_day=1))
    assert "If it is still sore tomorrow morning" in sore.message
    nxt = r.next_run()
    assert "next_day_soreness" in nxt.reasons and "still sore" not in nxt.message
    assert "You are at this level after the sore morning." in nxt.message


def test_checkin_missing_says_check_in_only_when_a_run_was_possible() -> None:
    r = started()
    d = r.day(None)  # day 1: alternate days, no run possible anyway
    assert "check in to get a run" not in d.message and "no check-in" in d.message
    r.day()
    d3 = r.day(None)  # day 3: a run day without a check-in
    assert "check in to get a run" not in d3.message or d3.reasons == ("checkin_missing",)


def test_reds_screen_is_never_a_diagnosis() -> None:
    r = Runner(profile(reds=1))
    d = r.day(events=READY)
    assert "can be a sign of low energy availability" in d.message


# ---- care-team adjustments (clinician_plan) -------------------------------------------------------------


def _plan_runner(plan: ClinicianPlan, **kw: object) -> Runner:
    r = Runner(profile(**kw))  # type: ignore[arg-type]
    _with_plan(r, plan, READY)
    return r


def _with_plan(r: Runner, plan: ClinicianPlan, events: tuple[Event, ...] = ()) -> Decision:
    """One day on which the adjustment is set; the runner does what is prescribed, pain-free."""
    decision, _ = step(r.profile, r.state, Day(r.date, OK, None, events, plan))
    session = None
    if decision.action is RUN:
        session = Session(SessionDone.AS_PRESCRIBED, decision.run_minutes, 0, 0, 3)
    day = Day(r.date, OK, session, events, plan)
    _, r.state = step(r.profile, r.state, day)
    r.days.append(day)
    r.decisions.append(decision)
    r.date += timedelta(days=1)
    return decision


def test_max_level_holds_and_lowers_at_once_and_clears() -> None:
    r = _plan_runner(ClinicianPlan(max_level=3))
    for _ in range(80):
        r.day()
    assert max(d.level or 0 for d in r.decisions) == 3
    held = [d for d in r.decisions if "set level 3 as your limit" in d.message]
    assert held and all("clinician_plan" in d.reasons and d.level == 3 for d in held)
    lowered = _with_plan(r, ClinicianPlan(max_level=2))
    assert lowered.level == 2 and "you were at level 3" in lowered.message
    cleared = _with_plan(r, ClinicianPlan())
    assert "clinician_plan" in cleared.reasons and "cleared" in cleared.message
    r.to_run_at(4)


def test_min_days_and_clean_sessions_slow_progress_and_loosening_keeps_the_protocol() -> None:
    base = _clean_runner(4, 200, 40)
    slow = _plan_runner(ClinicianPlan(min_days_per_level=14, clean_sessions_per_level=4))
    for _ in range(40):
        slow.day()
    first_l2 = next(i for i, d in enumerate(slow.decisions) if d.level == 2)
    assert first_l2 >= 14 and max(d.level or 0 for d in slow.decisions) < max(d.level or 0 for d in base.decisions)
    loose = _plan_runner(ClinicianPlan(clean_sessions_per_level=2), site="calcaneus")
    assert "The protocol's own numbers stay" in loose.decisions[0].message
    for _ in range(30):
        loose.day()
    plain = Runner(profile(site="calcaneus"))
    plain.day(events=READY)
    for _ in range(30):
        plain.day()
    assert [d.level for d in loose.decisions[1:]] == [d.level for d in plain.decisions[1:]]


def test_cross_training_modes_none_means_rest_and_pool_only() -> None:
    none = _plan_runner(ClinicianPlan(cross_training=()))
    days = [none.day() for _ in range(10)]
    assert all(d.action is not Action.CROSS_TRAIN and not d.cross_training for d in days)
    cycling = _plan_runner(ClinicianPlan(cross_training=("cycling",)), site="tibia_posteromedial")
    days = [cycling.day() for _ in range(10)]
    assert all({o.kind for o in d.cross_training} <= {"cycling"} for d in days)


def test_resume_needs_clinician_and_no_hops() -> None:
    r = _plan_runner(ClinicianPlan(resume_needs_clinician=True))
    r.to_run_at(2)
    r.day(events=(Event.PAUSE_REQUESTED,))
    for _ in range(5):
        r.day()
    still = r.day(events=(Event.RESUME_REQUESTED,))
    assert still.paused and "clinician_plan" in still.reasons
    assert [o.kind for o in still.cross_training] == ["pool_running"]
    r.day(events=(Event.CLINICIAN_CLEARED,))
    assert not r.day().paused
    hops = _plan_runner(ClinicianPlan(no_hops_before_level=9))
    hops.to_run_at(7, limit=120)
    s7 = hops.until(lambda d: d.action is Action.STRENGTH)
    assert "hopping_and_plyometrics" not in s7.strength and "clinician_plan" in s7.reasons


def test_build_limits_runs_and_growth() -> None:
    flat = _plan_runner(ClinicianPlan(max_weekly_increase_pct=0, max_runs_per_week=2), runs=4, weekly=200)
    first = flat.to_run_at(10, limit=120)
    assert "clinician_plan" in first.reasons  # week 0's growth and runs are the clinician's too
    for _ in range(35):
        flat.day()
    targets = {
        int(d.message.split("This week: ")[1].split(" min")[0])
        for d in flat.decisions if d.level == 10 and d.action is RUN
    }
    assert len(targets) == 1
    build = [d for d in flat.decisions if d.level == 10]
    weeks = [build[i:i + 7] for i in range(0, 28, 7)]
    assert all(sum(d.action is RUN for d in w) <= 2 for w in weeks)
    assert any("clinician_plan" in d.reasons for d in build)
    assert any("the week stays under" in d.message for d in build)


def test_replaying_a_history_with_adjustments_equals_deciding_day_by_day() -> None:
    r = _plan_runner(ClinicianPlan(max_level=4, min_days_per_level=10))
    for _ in range(30):
        r.day()
    _with_plan(r, ClinicianPlan(max_level=2))
    for _ in range(10):
        r.day()
    assert simulate(r.profile, r.days) == r.decisions
    state = replay(r.profile, r.days)
    assert type(state).from_dict(json.loads(json.dumps(state.to_dict()))) == state


SCENARIO = {
    "profile": {
        "injury_site": "tibia_posteromedial", "diagnosed_on": "2026-08-20", "cleared_to_run_on": "2026-10-01",
        "pre_injury_weekly_minutes": 200, "pre_injury_runs_per_week": 4,
    },
    "days": [],
}
CHECKIN = {
    "pain_rest": 0, "pain_walking": 0, "pain_next_day": 0, "tenderness": False, "swelling": False,
    "limping": False, "night_pain": False, "sleep_hours": 7.5, "fatigue": 2,
}


def _simulate(days: list[dict[str, object]]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = simulate_main(["-"], io.StringIO(json.dumps({**SCENARIO, "days": days})), out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize(
    ("plan", "field"),
    [
        ({"max_level": 0}, "max_level"), ({"max_level": 11}, "max_level"),
        ({"min_days_per_level": 6}, "min_days_per_level"),
        ({"clean_sessions_per_level": 7}, "clean_sessions_per_level"),
        ({"max_runs_per_week": 7}, "max_runs_per_week"), ({"max_weekly_increase_pct": 11}, "max_weekly_increase_pct"),
        ({"cross_training": ["swimming"]}, "cross_training"), ({"resume_needs_clinician": 1}, "resume_needs_clinician"),
        ({"no_hops_before_level": 6}, "no_hops_before_level"), ({"max_levle": 3}, "max_levle"),
    ],
)
def test_simulate_rejects_a_bad_adjustment_naming_the_field(plan: dict[str, object], field: str) -> None:
    code, out, err = _simulate([{"date": "2026-10-01", "checkin": CHECKIN, "events": [{"clinician_plan": plan}]}])
    assert code == 2 and out == "" and err.startswith(f"days[0].events[0].clinician_plan.{field}: ")


def test_simulate_follows_an_adjustment_day_by_day() -> None:
    days: list[dict[str, object]] = []
    for i in range(60):
        day: dict[str, object] = {"date": (D0 + timedelta(days=i)).isoformat(), "checkin": CHECKIN}
        events: list[object] = ["readiness_confirmed"] if i == 0 else []
        if i == 0:
            events.append({"clinician_plan": {"max_level": 5}})
            events.append({"clinician_plan": {"max_level": 2}})  # the later one wins
        day["events"] = events
        day["session"] = {"done": "as_prescribed", "pain_during": 0, "pain_after": 0}
        days.append(day)
    code, out, _ = _simulate(days)
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and max(d["level"] for d in lines) == 2
    assert "clinician_plan" in lines[0]["reasons"]


@pytest.mark.parametrize("field", ["max_level", "min_days_per_level", "clean_sessions_per_level",
                                   "max_runs_per_week", "max_weekly_increase_pct", "no_hops_before_level"])
@pytest.mark.parametrize(("site", "runs"), [("tibia_posteromedial", 4), ("calcaneus", 6), ("fibula", 1)])
def test_the_offered_values_only_tighten(field: str, site: str, runs: int) -> None:
    """Every value a keyboard offers changes the plan of a clean runner or keeps it, never loosens it."""
    from engine.adjustments import tightening_choices
    from engine.protocol import PROTOCOL, SITES

    own = PROTOCOL.clean_sessions_slow_site if SITES[site].trabecular else PROTOCOL.clean_sessions
    for value in tightening_choices(field, own, min(runs, 6)):
        plan = ClinicianPlan.from_dict({field: value})
        r = _plan_runner(plan, site=site, runs=runs)
        assert r.decisions[0].message and "The protocol's own numbers stay" not in r.decisions[0].message
