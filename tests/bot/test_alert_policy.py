"""The care team's alert policy (issue 16): missed check-ins and no alert storms."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from bot.usecases.alert_policy import (
    AlertKind,
    Delivery,
    Sent,
    SilenceState,
    checked_in,
    missed_checkins,
    plan_alert,
    silent_days,
)

START = date(2026, 10, 1)
NOW = datetime(2026, 10, 5, 8, 0)


def test_one_nudge_after_2_silent_days_one_alert_after_3_then_one_back_alert() -> None:
    state = SilenceState()
    said = []
    for today in (date(2026, 10, 3), date(2026, 10, 4), date(2026, 10, 5), date(2026, 10, 6)):
        actions = missed_checkins(date(2026, 10, 1), START, today, state)
        said.append((actions.nudge_runner, actions.alert_followers))
        state = actions.state
    # last check-in on the 1st: the 2nd and 3rd silent by the 4th (nudge), 3 silent days by the 5th (alert)
    assert said == [(False, False), (True, False), (False, True), (False, False)]
    back = checked_in(state)
    assert back.back_alert and back.state == SilenceState()
    assert not checked_in(SilenceState(nudged=True)).back_alert


def test_the_clinician_sets_the_alert_threshold_within_2_to_7_days() -> None:
    assert missed_checkins(date(2026, 10, 1), START, date(2026, 10, 4), SilenceState(), alert_after=2).alert_followers
    week = missed_checkins(date(2026, 10, 1), START, date(2026, 10, 8), SilenceState(), alert_after=7)
    assert not week.alert_followers
    assert missed_checkins(date(2026, 10, 1), START, date(2026, 10, 9), SilenceState(), alert_after=70).alert_followers
    assert silent_days(None, START, START) == 0 and silent_days(None, START, date(2026, 10, 3)) == 2


def test_a_pause_goes_at_once_with_what_was_held() -> None:
    plan = plan_alert(AlertKind.PAUSE, "pause", NOW, None, ["drop back"], NOW - timedelta(minutes=3))
    assert plan.delivery is Delivery.SEND and plan.lines == ("drop back", "pause")


def test_an_alert_within_10_minutes_of_a_sent_one_is_added_to_it() -> None:
    sent = Sent(NOW - timedelta(minutes=4), 77, "pause")
    plan = plan_alert(AlertKind.DROP_BACK, "drop back", NOW, sent, [], None)
    assert plan.delivery is Delivery.EDIT and plan.message_id == 77 and plan.lines == ("pause", "drop back")
    late = plan_alert(AlertKind.DROP_BACK, "drop back", NOW, Sent(NOW - timedelta(minutes=10), 77, "pause"), [], None)
    assert late.delivery is Delivery.HOLD and late.due == NOW + timedelta(minutes=10)


def test_other_alerts_wait_for_the_window_together() -> None:
    first = plan_alert(AlertKind.RESUME, "resume", NOW, None, [], None)
    assert first.delivery is Delivery.HOLD and first.due == NOW + timedelta(minutes=10)
    second = plan_alert(AlertKind.MISSED_CHECKINS, "silent", NOW + timedelta(minutes=6), None, ["resume"], NOW)
    assert second.lines == ("resume", "silent") and second.due == NOW + timedelta(minutes=10)
