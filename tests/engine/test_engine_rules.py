"""One test (or a pair) per rule identifier: a history that makes it fire, and one just on the other
side of its threshold. Every test here is a plain function without fixtures so that the coverage test
(test_engine_rule_coverage.py) can run them all and collect the reasons they produced."""

from __future__ import annotations

import itertools
from datetime import timedelta

from engine_helpers import (
    D0,
    OK,
    READY,
    Runner,
    ci,
    clean,
    done,
    pain,
    profile,
    started,
)

from engine import PROTOCOL, RULES, Action, Event, Session, SessionDone
from engine.protocol import LEVELS, PROTOCOL_VERSION

RUN = Action.RUN_WALK
SKIPPED = Session(SessionDone.SKIPPED)


def runs(runner: Runner) -> list[tuple[int, int | None]]:
    return [((d.date - D0).days, d.level) for d in runner.decisions if d.action is RUN]


# ---- levels -----------------------------------------------------------------------------------------


def test_level_table_matches_protocol() -> None:
    table = [(lv.number, lv.reps, lv.run_s, lv.walk_s, lv.run_minutes, lv.walk_minutes) for lv in LEVELS]
    assert table == [
        (1, 6, 60, 240, 6, 24),
        (2, 6, 90, 210, 9, 21),
        (3, 6, 120, 180, 12, 18),
        (4, 6, 180, 120, 18, 12),
        (5, 6, 240, 60, 24, 6),
        (6, 3, 540, 60, 27, 3),
        (7, 1, 1200, 0, 20, 0),
        (8, 1, 1500, 0, 25, 0),
        (9, 1, 1800, 0, 30, 0),
    ]
    for lv in LEVELS:
        assert lv.reps * lv.run_s == lv.run_minutes * 60 and lv.reps * lv.walk_s == lv.walk_minutes * 60
    assert PROTOCOL.version == PROTOCOL_VERSION == "1.2"


def test_smooth_return_climbs_levels_1_to_9_then_build_phase() -> None:
    r = started()
    r.to_run_at(10, limit=120)
    seen_levels = sorted({lvl for _, lvl in runs(r) if lvl is not None})
    assert seen_levels == list(range(1, 11))
    for d in r.decisions:
        if d.action is RUN and d.level is not None and d.level <= 9:
            lv = LEVELS[d.level - 1]
            assert f"level_{d.level}" in d.reasons
            assert (d.run_minutes, d.walk_minutes, d.reps) == (lv.run_minutes, lv.walk_minutes, lv.reps)
            assert (d.run_interval_s, d.walk_interval_s) == (lv.run_s, lv.walk_s)
        elif d.action is not RUN:
            assert (d.run_minutes, d.walk_minutes, d.reps, d.run_interval_s, d.walk_interval_s) == (0,) * 5
    first_build = next(d for d in r.decisions if d.level == 10)
    assert first_build.reps == 1 and first_build.walk_interval_s == 0
    assert first_build.run_interval_s == first_build.run_minutes * 60
    assert "build_phase" in first_build.reasons and "progress" in first_build.reasons


def test_level_message_spells_out_intervals() -> None:
    r = started()
    first = r.decisions[0]
    assert first.message.startswith("Level 1 today. Run 1 min, walk 4 min, 6 times (30 min). Easy effort")
    l2 = r.to_run_at(2)
    assert "Run 1.5 min, walk 3.5 min, 6 times (30 min)" in l2.message


# ---- progress ---------------------------------------------------------------------------------------


def _six_or_seven_days(day6_checkin: bool) -> Runner:
    """Level 1 prescribed on day 0 (skipped), clean runs on days 2 and 4, then day 6 or day 7."""
    r = Runner()
    r.day(events=READY, session=SKIPPED)  # day 0: level 1 prescribed, level_since = day 0
    r.day(None)  # day 1: no check-in, rest
    for _ in range(4):
        r.day()  # days 2-5: runs on 2 and 4
    assert runs(r) == [(0, 1), (2, 1), (4, 1)]
    if not day6_checkin:
        r.day(None)  # day 6: rest
    return r


def test_progress_needs_7_days_at_the_level_6_is_not_enough() -> None:
    r = _six_or_seven_days(day6_checkin=True)
    day6 = r.day()
    assert day6.action is RUN and day6.level == 1 and "progress" not in day6.reasons


def test_progress_after_7_days_at_the_level() -> None:
    r = _six_or_seven_days(day6_checkin=False)
    day7 = r.day()
    assert day7.action is RUN and day7.level == 2 and "progress" in day7.reasons


def _runs_with(sessions: list[object], site: str = "metatarsal_shaft") -> Runner:
    """Runs on days 0, 2, 4 with the given session plans, then the plan up to day 7's run."""
    r = Runner(profile(site))
    plans = iter(sessions)
    r.day(events=READY, session=next(plans))  # type: ignore[arg-type]
    r.day()
    r.day(session=next(plans))  # type: ignore[arg-type]
    r.day()
    r.day(session=next(plans))  # type: ignore[arg-type]
    r.day()
    r.day()
    return r


def test_progress_needs_two_clean_sessions_one_is_not_enough() -> None:
    partial = done(SessionDone.PARTIAL, 3)
    r = _runs_with([partial, partial, clean])
    day7 = r.day()
    assert day7.action is RUN and day7.level == 1 and "progress" not in day7.reasons
    r2 = _runs_with([partial, clean, clean])
    day7 = r2.day()
    assert day7.level == 2 and "progress" in day7.reasons


def test_slow_site_needs_three_clean_sessions() -> None:
    partial = done(SessionDone.PARTIAL, 3)
    r = _runs_with([partial, clean, clean], site="calcaneus")
    day7 = r.day()
    assert day7.level == 1 and "slow_site" in day7.reasons and "progress" not in day7.reasons
    r2 = _runs_with([clean, clean, clean], site="calcaneus")
    day7 = r2.day()
    assert day7.level == 2 and "progress" in day7.reasons and "slow_site" in day7.reasons
    assert "slow_site" not in _runs_with([clean] * 3).day().reasons


def test_clean_session_needs_the_next_morning_checkin() -> None:
    r = Runner()
    r.day(events=READY)  # day 0 run
    r.day()
    r.day()  # day 2 run
    r.day()
    r.day()  # day 4 run
    r.day(None)  # day 5: no check-in: day 4's session is not confirmed clean
    r.day()  # day 6
    day7 = r.day()
    assert day7.action is RUN and day7.level == 1 and "progress" not in day7.reasons


def test_unprescribed_run_restarts_the_clean_count() -> None:
    r = Runner()
    r.day(events=READY)  # day 0 run
    r.day(session=Session(SessionDone.MORE, 10, 0, 0, 3))  # day 1: ran on a non-run day
    assert r.day().action is not RUN  # day 2: ran yesterday -> alternate days
    r.day()
    r.day()
    r.day()
    r.day()
    day7 = r.until(lambda d: d.action is RUN)
    assert day7.level == 1


def test_no_seven_day_minimum_from_level_7() -> None:
    r = started()
    first7 = r.to_run_at(7)
    first8 = r.to_run_at(8)
    assert (first8.date - first7.date).days < 7 and "progress" in first8.reasons


# ---- hold and drop back -----------------------------------------------------------------------------


def test_hold_mild_pain_pain_2_holds_pain_0_does_not() -> None:
    # Level 1 runs on days 0, 2, 4; the day-4 session has bone pain 2 during -> day 7 repeats level 1.
    r = _runs_with([clean, clean, pain(2, 0)])
    fired = r.decisions[5]
    assert "hold_mild_pain" in fired.reasons and fired.action is not RUN
    day7 = r.day()
    assert day7.level == 1 and "hold_mild_pain" in day7.reasons and "progress" not in day7.reasons
    r0 = _runs_with([clean, clean, pain(0, 0)])
    assert r0.day().level == 2


def _at_level_2_then_session(plan: object) -> Runner:
    r = started()
    r.to_run_at(2)  # the first level-2 run is clean; the next one follows `plan`
    while True:
        d = r.day(session=plan)  # type: ignore[arg-type]
        if d.action is RUN:
            return r


def test_drop_back_pain_3_drops_2_holds() -> None:
    r = _at_level_2_then_session(pain(0, 3))
    s = r.decisions[-1].date
    d1, d2 = r.day(), r.day()
    assert "drop_back_pain" in d1.reasons and "drop_back_pain" in d2.reasons
    assert d1.action is not RUN and d2.action is not RUN and d1.level == 1
    nxt = r.next_run()
    assert nxt.level == 1 and "drop_back_pain" in nxt.reasons and nxt.date >= s + timedelta(days=3)

    r = _at_level_2_then_session(pain(0, 2))
    fired = r.day()
    assert "hold_mild_pain" in fired.reasons and "drop_back_pain" not in fired.reasons
    nxt = r.next_run()
    assert nxt.level == 2 and "hold_mild_pain" in nxt.reasons


def test_drop_back_when_pain_during_and_after_both_present() -> None:
    r = _at_level_2_then_session(pain(1, 1))
    assert "drop_back_pain" in r.day().reasons
    assert r.next_run().level == 1


def test_drop_back_blocks_exactly_two_calendar_days_in_build_phase() -> None:
    r = started(runs=6)
    r.to_run_at(10, limit=120)
    r.day(session=pain(3, 0))  # a build run with pain 3 (or a non-run day, whichever comes)
    while r.decisions[-1].action is not RUN:
        r.day(session=pain(3, 0))
    s = r.decisions[-1].date
    after = [r.day() for _ in range(3)]
    assert after[0].action is not RUN and after[1].action is not RUN
    assert all("drop_back_pain" in d.reasons for d in after[:2])
    assert after[0].level == 9 and s  # one level lower than the build phase: level 9


# ---- next-day soreness ------------------------------------------------------------------------------


def test_next_day_soreness_1_no_run_and_one_level_lower_0_runs() -> None:
    r = started()
    r.to_run_at(2)
    sore = r.day(ci(pain_next_day=1))
    assert sore.action is not RUN and sore.level == 1 and "next_day_soreness" in sore.reasons
    assert not sore.paused
    nxt = r.next_run()
    assert nxt.level == 1 and "next_day_soreness" in nxt.reasons
    r0 = started()
    r0.to_run_at(2)
    fine = r0.day(ci(pain_next_day=0))
    assert fine.level == 2 and "next_day_soreness" not in fine.reasons


def test_next_day_pain_2_is_soreness_3_is_a_pause() -> None:
    r = started()
    assert "next_day_soreness" in r.day(ci(pain_next_day=2)).reasons
    r3 = started()
    d = r3.day(ci(pain_next_day=3))
    assert d.action is Action.PAUSE and d.paused and "pause_persistent_pain" in d.reasons


def test_soreness_on_two_checkins_in_a_row_pauses_48h() -> None:
    r = started()
    r.day(ci(pain_next_day=1))
    d = r.day(ci(pain_next_day=1))
    assert d.action is Action.PAUSE and "pause_persistent_pain" in d.reasons
    r2 = started()
    r2.day(ci(pain_next_day=1))
    r2.day()
    assert r2.day(ci(pain_next_day=1)).action is not Action.PAUSE


# ---- wellness ---------------------------------------------------------------------------------------


def _day7_with(checkin: object) -> object:
    r = _runs_with([clean, clean, clean])
    return r.day(checkin)  # type: ignore[arg-type]


def test_wellness_hold_sleep_5_9_holds_6_progresses() -> None:
    held = _day7_with(ci(sleep_hours=5.9))
    assert held.action is RUN and held.level == 1 and "wellness_hold" in held.reasons  # type: ignore[attr-defined]
    moved = _day7_with(ci(sleep_hours=6.0))
    assert moved.level == 2 and "wellness_hold" not in moved.reasons  # type: ignore[attr-defined]


def test_wellness_hold_fatigue_7_holds_6_progresses() -> None:
    held = _day7_with(ci(fatigue=7))
    assert held.level == 1 and "wellness_hold" in held.reasons  # type: ignore[attr-defined]
    assert _day7_with(ci(fatigue=6)).level == 2  # type: ignore[attr-defined]


def test_wellness_hold_in_build_phase_no_longer_than_previous_run() -> None:
    r = started()
    r.to_run_at(10, limit=120)
    for _ in range(21):
        r.day()
    prev = [d for d in r.decisions if d.action is RUN][-1]
    while True:
        d = r.day(ci(sleep_hours=5))
        if d.action is RUN:
            break
    assert "wellness_hold" in d.reasons and d.run_minutes <= prev.run_minutes


# ---- missing check-ins ------------------------------------------------------------------------------


def test_checkin_missing_rests() -> None:
    r = started()
    r.day()
    d = r.day(None)
    assert d.action is Action.REST and "checkin_missing" in d.reasons and d.level == 1
    assert not d.cross_training and not d.strength


# ---- gaps -------------------------------------------------------------------------------------------


def _gap(days_without_running: int) -> tuple[Runner, object]:
    r = started()
    r.to_run_at(4)
    # v1.2: listed days without a check-in (decided rest days), so the return day is not the forced
    # rest that unlisted dates would make it (see test_unlisted_dates_are_no_rest_days).
    r.idle(days_without_running)
    return r, r.day()


def test_gap_6_days_no_drop_7_days_one_down() -> None:
    _, d6 = _gap(6)
    assert d6.level == 4 and "gap_drop_back" not in d6.reasons  # type: ignore[attr-defined]
    _, d7 = _gap(7)
    assert d7.level == 3 and "gap_drop_back" in d7.reasons  # type: ignore[attr-defined]


def test_gap_13_one_down_14_two_down() -> None:
    assert _gap(13)[1].level == 3  # type: ignore[attr-defined]
    assert _gap(14)[1].level == 2  # type: ignore[attr-defined]


def test_gap_27_two_down_28_level_1_and_readiness_again() -> None:
    _r27, d27 = _gap(27)
    assert d27.level == 2 and d27.action is RUN  # type: ignore[attr-defined]
    r28, d28 = _gap(28)
    assert d28.level == 1 and d28.action is not RUN  # type: ignore[attr-defined]
    assert "readiness_check" in d28.reasons and "gap_drop_back" in d28.reasons  # type: ignore[attr-defined]
    again = r28.day(events=READY)
    assert again.action is RUN and again.level == 1 and "gap_drop_back" in again.reasons


def test_gap_drops_do_not_add_up() -> None:
    r = started()
    r.to_run_at(4)
    r.skip(7)
    assert r.day(None).level == 3  # 7 days: one down
    r.skip(6)
    d = r.day()  # 14 days: two down from level 4, not three
    assert d.level == 2


# ---- red flags and pauses ---------------------------------------------------------------------------


def test_pause_rest_pain_2_pauses_1_does_not() -> None:
    d = started().day(ci(pain_rest=2))
    assert d.action is Action.PAUSE and d.paused and "pause_rest_pain" in d.reasons
    assert "contact your clinician" in d.message and "follow your clinician" in d.message
    d1 = started().day(ci(pain_rest=1))
    assert d1.action is not Action.PAUSE and "no_run_symptoms" in d1.reasons


def test_pause_walking_pain_3_pauses_2_does_not() -> None:
    d = started().day(ci(pain_walking=3))
    assert d.action is Action.PAUSE and "pause_walking_pain" in d.reasons and not d.cross_training
    d2 = started().day(ci(pain_walking=2))
    assert d2.action is Action.REST and "no_run_symptoms" in d2.reasons and not d2.cross_training


def test_each_boolean_red_flag_pauses() -> None:
    for name, rule in (
        ("night_pain", "pause_night_pain"),
        ("limping", "pause_limp"),
        ("tenderness", "pause_tenderness"),
        ("swelling", "pause_swelling"),
    ):
        d = started().day(ci(**{name: True}))
        assert d.action is Action.PAUSE and rule in d.reasons, name
        assert started().day(ci(**{name: False})).action is not Action.PAUSE


def test_pause_requested() -> None:
    d = started().day(events=(Event.PAUSE_REQUESTED,))
    assert d.action is Action.PAUSE and d.paused and d.reasons == ("pause_requested", "cross_train_swap")
    assert d.cross_training  # walking is pain-free: pain-free cross-training allowed
    assert "follow your clinician" in d.message


def test_mild_symptoms_on_two_checkins_in_a_row_pause() -> None:
    r = started()
    assert r.day(ci(pain_rest=1)).action is not Action.PAUSE
    d = r.day(ci(pain_walking=1))
    assert d.action is Action.PAUSE and "pause_lingering_symptoms" in d.reasons
    # days without a check-in are skipped, not counted as symptom-free
    r2 = started()
    r2.day(ci(pain_rest=1))
    r2.day(None)
    assert "pause_lingering_symptoms" in r2.day(ci(pain_rest=1)).reasons
    # a symptom-free check-in in between: no pause
    r3 = started()
    r3.day(ci(pain_rest=1))
    r3.day()
    d3 = r3.day(ci(pain_rest=1))
    assert d3.action is not Action.PAUSE and "no_run_symptoms" in d3.reasons


# ---- resume -----------------------------------------------------------------------------------------


def _paused(pre_level: int = 3, events: tuple[Event, ...] = (Event.PAUSE_REQUESTED,), **kw: object) -> Runner:
    r = started(**kw)  # type: ignore[arg-type]
    if pre_level > 1:
        r.to_run_at(pre_level)
    d = r.day(events=events)
    assert d.paused
    return r


def test_resume_requested_after_5_symptom_free_checkins_not_4() -> None:
    r = _paused()  # the pause day's symptom-free check-in is the first
    for _ in range(2):
        r.day()
    early = r.day(events=(Event.RESUME_REQUESTED,))  # 4th
    assert early.paused and "resume_requested" in early.reasons
    assert "Not yet" in early.message and "1 to go" in early.message
    d = r.day(events=(Event.RESUME_REQUESTED,))  # 5th
    assert not d.paused and "resume_requested" in d.reasons
    assert d.level == 2  # one below level 3: the pause lasted 4 days


def test_a_day_without_checkin_restarts_the_resume_count() -> None:
    r = _paused()
    r.day()
    r.day(None)
    for _ in range(3):
        r.day()
    assert r.day(events=(Event.RESUME_REQUESTED,)).paused  # only 4 since the missing day
    assert not r.day(events=(Event.RESUME_REQUESTED,)).paused


def test_resume_two_levels_lower_after_7_days_one_after_6() -> None:
    r = _paused(pre_level=4)
    for _ in range(5):
        r.day()
    d6 = r.day(events=(Event.RESUME_REQUESTED,))  # 6 days after the pause began
    assert not d6.paused and d6.level == 3
    r = _paused(pre_level=4)
    for _ in range(6):
        r.day()
    d7 = r.day(events=(Event.RESUME_REQUESTED,))
    assert not d7.paused and d7.level == 2


def test_serious_sign_needs_clinician() -> None:
    r2 = started()
    r2.to_run_at(3)
    d = r2.day(ci(night_pain=True))
    assert d.paused and "pause_night_pain" in d.reasons
    for _ in range(6):
        r2.day()
    still = r2.day(events=(Event.RESUME_REQUESTED,))
    assert still.paused and "clinician" in still.message
    back = r2.day(events=(Event.CLINICIAN_CLEARED,))
    assert not back.paused and "resume_clinician_cleared" in back.reasons and back.level == 1
    nxt = r2.next_run() if back.action is not RUN else back
    assert nxt.level == 1 and "resume_clinician_cleared" in nxt.reasons


def test_red_flag_on_the_clearance_day_wins() -> None:
    r = started()
    r.day(ci(swelling=True))
    d = r.day(ci(swelling=True), events=(Event.CLINICIAN_CLEARED,))
    assert d.paused
    assert r.day().paused  # the clearance was given on a red-flag day: a new one is needed
    assert not r.day(events=(Event.CLINICIAN_CLEARED,)).paused


def test_clearance_waits_for_a_symptom_free_checkin() -> None:
    r = started()
    r.day(ci(tenderness=True))
    assert r.day(ci(pain_rest=1), events=(Event.CLINICIAN_CLEARED,)).paused
    assert r.day(None).paused
    assert not r.day().paused


def test_high_risk_site_pause_needs_clinician() -> None:
    r = _paused(site="navicular")
    for _ in range(6):
        d = r.day(events=(Event.RESUME_REQUESTED,))
        assert d.paused and "high_risk_site" in d.reasons
    assert not r.day(events=(Event.CLINICIAN_CLEARED,)).paused


def _second_pause_after(days_after_resume: int) -> object:
    r = _paused()
    for _ in range(3):
        r.day()
    resumed = r.day(events=(Event.RESUME_REQUESTED,))
    assert not resumed.paused
    r.skip(days_after_resume - 1)
    return r.day(events=(Event.PAUSE_REQUESTED,))


def test_second_pause_within_28_days_needs_clinician_29_does_not() -> None:
    d28 = _second_pause_after(28)
    assert "resume_second_pause" in d28.reasons and "clinician needs to clear you" in d28.message  # type: ignore[attr-defined]
    d29 = _second_pause_after(29)
    assert d29.paused and "resume_second_pause" not in d29.reasons  # type: ignore[attr-defined]


def test_serious_sign_during_a_mild_pause_needs_clinician() -> None:
    r = _paused()
    r.day(ci(limping=True))
    for _ in range(5):
        r.day()
    assert r.day(events=(Event.RESUME_REQUESTED,)).paused


# ---- readiness and REDs -----------------------------------------------------------------------------


def test_readiness_clearance_before_date_and_null() -> None:
    r = Runner(profile(cleared=D0 + timedelta(days=1)))
    d = r.day(events=READY)
    assert d.action is not RUN and "readiness_clearance" in d.reasons and "readiness_check" in d.reasons
    d1 = r.day()  # the confirmation given before the clearance date does not count
    assert d1.action is not RUN and "readiness_check" in d1.reasons
    assert r.day(events=READY).action is RUN
    never = Runner(profile(cleared=None)).day(events=READY)
    assert never.action is not RUN and "readiness_clearance" in never.reasons and never.level is None


def test_readiness_check_until_confirmed() -> None:
    r = Runner()
    d = r.day()
    assert d.action is Action.STRENGTH and "readiness_check" in d.reasons
    assert "30 min of brisk walking" in d.message
    assert r.day(events=READY).action is RUN


def test_readiness_lapses_after_28_days_without_running() -> None:
    def until(day_index: int) -> object:
        r = Runner(profile(reds=2))
        r.day(events=READY)  # day 0, blocked by reds_review
        for _ in range(day_index - 1):
            r.day()
        return r.day(events=(Event.REDS_REVIEW_CONFIRMED,))

    d28 = until(28)  # 27 days strictly between: still valid
    assert d28.action is RUN  # type: ignore[attr-defined]
    d29 = until(29)
    assert d29.action is not RUN and "readiness_check" in d29.reasons  # type: ignore[attr-defined]


def test_reds_review_needed_with_2_positive_not_1() -> None:
    r = Runner(profile(reds=2))
    d = r.day(events=READY)
    assert d.action is not RUN and "reds_review" in d.reasons and "reds_screen" in d.reasons
    assert r.day(events=(Event.REDS_REVIEW_CONFIRMED,)).action is RUN
    one = Runner(profile(reds=1)).day(events=READY)
    assert one.action is RUN and "reds_screen" in one.reasons and "reds_review" not in one.reasons
    assert "reds_screen" not in Runner(profile(reds=0)).day(events=READY).reasons


def test_high_risk_site_named_while_waiting_for_clearance() -> None:
    d = Runner(profile("femoral_neck", cleared=None)).day()
    assert "high_risk_site" in d.reasons and "readiness_clearance" in d.reasons
    assert "hop test" in d.message
    low = Runner(profile("fibula", cleared=None)).day()
    assert "high_risk_site" not in low.reasons


# ---- scheduling -------------------------------------------------------------------------------------


def test_alternate_days_no_consecutive_runs() -> None:
    r = started()
    d = r.day()
    assert d.action is not RUN and "alternate_days" in d.reasons
    assert r.day().action is RUN


def test_alternate_days_at_most_3_runs_in_7() -> None:
    r = started()
    for _ in range(5):
        r.day()  # runs on days 0, 2, 4
    d6 = r.day()
    assert d6.action is not RUN and "alternate_days" in d6.reasons
    assert runs(r) == [(0, 1), (2, 1), (4, 1)]


def test_rest_day_at_least_one_in_7() -> None:
    r = started()
    decisions = [r.day() for _ in range(6)]
    # v1.2: day 5 is not a run day and days 0-4 had no full rest day, so it is the rest day.
    assert [d.action for d in decisions[:4]] == [Action.STRENGTH, RUN, Action.STRENGTH, RUN]
    assert decisions[4].action is Action.REST and "rest_day" in decisions[4].reasons
    assert decisions[5].action is not Action.REST


def test_rest_day_is_counted_on_what_was_prescribed() -> None:
    """v1.2: a skipped run is not a rest day, so a runner who skips every session still gets one."""
    r = started()
    decisions = [r.day(session=SKIPPED) for _ in range(20)]
    actions = [Action.RUN_WALK, *(d.action for d in decisions)]
    for i in range(len(actions) - 6):
        assert any(a in (Action.REST, Action.PAUSE) for a in actions[i:i + 7]), f"days {i}-{i + 6}"


def test_strength_two_days_a_week_and_no_hops_before_level_7() -> None:
    r = started()
    d1, _, d3, _, d5 = r.day(), r.day(), r.day(), r.day(), r.day()
    assert d1.action is Action.STRENGTH and d3.action is Action.STRENGTH and "strength_day" in d1.reasons
    assert d5.action is Action.REST and "hopping_and_plyometrics" not in d1.strength  # v1.2 rest placement
    assert "No hopping" in d1.message
    r.to_run_at(7)
    s7 = r.until(lambda d: d.action is Action.STRENGTH)
    assert "hopping_and_plyometrics" in s7.strength


def test_cross_train_swap_order_and_elliptical_from_level_3() -> None:
    r = Runner(profile("fibula"))
    r.day(events=READY)
    d = r.day()
    kinds = [c.kind for c in d.cross_training]
    assert kinds == ["pool_running", "cycling"] and "cross_train_swap" in d.reasons
    assert [c.minutes for c in d.cross_training] == [30, 45]
    r.to_run_at(3)
    d3 = r.day()
    assert [c.kind for c in d3.cross_training] == ["pool_running", "cycling", "elliptical"]


def test_cross_training_minutes_follow_the_level() -> None:
    r = Runner(profile("fibula"))
    r.day(events=READY)
    r.to_run_at(7)
    d = r.day()
    assert [(c.kind, c.minutes) for c in d.cross_training] == [
        ("pool_running", 20), ("cycling", 30), ("elliptical", 20)
    ]


def test_foot_site_cycling_only_after_7_days_of_pain_free_walking() -> None:
    r = Runner(profile("metatarsal_shaft", cleared=None))
    r.day(ci(pain_walking=1))  # day 0: walking hurts -> rest, the pain-free streak starts on day 1
    r.day()
    r.day()
    r.day(session=SKIPPED)  # day 3 counts as a full rest day
    r.day()
    r.day()
    r.day()
    d7 = r.day()  # 6 pain-free days before today
    assert d7.cross_training and "cycling" not in [c.kind for c in d7.cross_training]
    d8 = r.day()
    assert "cycling" in [c.kind for c in d8.cross_training]


def test_nothing_weight_bearing_when_walking_hurts() -> None:
    d = started().day(ci(pain_walking=1))
    assert d.action is Action.REST and d.cross_training == ()


# ---- build phase ------------------------------------------------------------------------------------


def _build_runs(r: Runner) -> list[tuple[int, float]]:
    return [((d.date - D0).days, d.run_minutes) for d in r.decisions if d.action is RUN and d.level == 10]


def test_build_phase_weekly_cap_and_spread() -> None:
    r = started(runs=4)
    first = r.to_run_at(10, limit=120)
    start = (first.date - D0).days
    prior = sum(
        d.run_minutes for d in r.decisions if d.action is RUN and 1 <= (first.date - d.date).days <= 7
    )
    target0 = int(1.1 * prior)
    assert f"This week: {target0} min" in first.message
    for _ in range(60):
        r.day()
    build = _build_runs(r)
    for week in range(8):
        in_week = [m for day, m in build if start + 7 * week <= day < start + 7 * (week + 1)]
        assert len(in_week) <= 4
    days = [day for day, _ in build]
    for a, b, c in zip(days, days[1:], days[2:], strict=False):
        assert not (b == a + 1 and c == b + 1), "never 3 days in a row"
    capped = [d for d in r.decisions if d.action is not RUN and "weekly_cap" in d.reasons]
    assert capped, "runs per week are capped"


def test_build_phase_target_grows_10_percent_and_reaches_pre_injury() -> None:
    r = started(weekly=120, runs=3)
    first = r.to_run_at(10, limit=120)
    for _ in range(70):
        r.day()
    targets = []
    for d in r.decisions:
        if d.level == 10 and d.action is RUN and "This week: " in d.message:
            targets.append(int(d.message.split("This week: ")[1].split(" min")[0]))
    distinct = sorted(set(targets))
    assert distinct[-1] == 120
    for a, b in itertools.pairwise(distinct):
        assert b <= int(a * 1.1) or b == 120
    assert first.level == 10


def test_session_cap_110_percent_of_longest_run() -> None:
    r = started(runs=2)  # n < 3: share cap is 1/2 of the target, so the 110% cap binds
    first = r.to_run_at(10, limit=120)
    assert "session_cap" in first.reasons and first.run_minutes == 33  # 110% of the 30-min level 9
    nxt = r.next_run()
    assert nxt.run_minutes == 36 and "session_cap" in nxt.reasons


def test_session_cap_not_named_when_even_split_is_below_the_caps() -> None:
    r = started(runs=4)
    first = r.to_run_at(10, limit=120)
    assert "session_cap" not in first.reasons


def test_weekly_target_held_after_a_week_with_pain() -> None:
    def week1_target(bad: bool) -> int:
        r = started(runs=4)
        r.to_run_at(10, limit=120)
        while r.day(session=pain(1, 0) if bad else clean).action is not RUN:
            pass  # the week's next run is the one with (or without) pain
        for _ in range(8):
            r.day()
        d = r.until(lambda d: d.action is RUN and d.level == 10)
        return int(d.message.split("This week: ")[1].split(" min")[0])

    r0 = started(runs=4)
    first = r0.to_run_at(10, limit=120)
    target0 = int(first.message.split("This week: ")[1].split(" min")[0])
    assert week1_target(bad=True) == target0
    assert week1_target(bad=False) == int(target0 * 1.1)


# ---- around the plan --------------------------------------------------------------------------------


def test_reevaluate_every_28_days_from_onboarding() -> None:
    r = started()
    ds = [r.day() for _ in range(56)]
    flagged = [(d.date - D0).days for d in ds if "reevaluate" in d.reasons]
    assert flagged == [28, 56]
    d28 = ds[27]
    assert "4-week review" in d28.message and "clinician" in d28.message


def test_reds_screen_on_reevaluation_with_a_positive_answer() -> None:
    r = started(reds=1)
    ds = [r.day() for _ in range(28)]
    assert "reds_screen" in ds[-1].reasons and "reevaluate" in ds[-1].reasons


# ---- invariants of every decision -------------------------------------------------------------------


def test_every_reason_is_a_rule_and_every_message_is_non_empty() -> None:
    r = started()
    r.to_run_at(10, limit=120)
    r.day(ci(night_pain=True))
    for d in r.decisions:
        assert d.message and set(d.reasons) <= set(RULES) and d.protocol_version == "1.2"


def test_ok_checkin_is_symptom_free() -> None:
    assert OK.pain_rest == OK.pain_walking == OK.pain_next_day == 0
