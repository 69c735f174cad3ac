"""The engine as a fold: replaying equals deciding day by day, the cached state survives JSON, gaps in
the history equal days spelled out empty."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from engine_helpers import D0, READY, Runner, ci, pain, profile, started

from engine import (
    Action,
    Day,
    EngineState,
    Event,
    decide_today,
    replay,
    simulate,
    step,
)


def _varied_history() -> Runner:
    r = started()
    r.to_run_at(4)
    r.day(ci(pain_next_day=1))
    r.day(None)
    r.skip(8)
    r.day(events=READY)
    r.day(ci(night_pain=True))
    for _ in range(3):
        r.day()
    r.day(events=(Event.CLINICIAN_CLEARED,))
    r.day(session=pain(2, 0))
    r.to_run_at(10, limit=150)
    for _ in range(20):
        r.day()
    return r


def test_replay_equals_deciding_day_by_day_with_a_json_cached_state() -> None:
    r = _varied_history()
    p = r.profile
    assert simulate(p, r.days) == r.decisions
    state = EngineState()
    for day, expected in zip(r.days, r.decisions, strict=True):
        cached = json.loads(json.dumps(state.to_dict()))
        decision, state = step(p, EngineState.from_dict(cached), day)
        assert decision == expected
    assert state == replay(p, r.days)


def test_decide_today_equals_last_of_simulate() -> None:
    r = _varied_history()
    for k in (1, 10, 40, len(r.days)):
        history, today = r.days[: k - 1], r.days[k - 1]
        assert decide_today(r.profile, history, today) == simulate(r.profile, r.days[:k])[-1]


def test_unlisted_dates_are_empty_days_but_no_rest_days() -> None:
    """Unlisted dates are decided as days with nothing reported, except that v1.2 counts a date with no
    decision as no rest day: six unlisted days make the next day the rest day, six listed days without a
    check-in (each decided `rest`) do not."""
    after_unlisted = started()
    after_unlisted.skip(6)
    assert after_unlisted.day().action is Action.REST
    after_listed = started()
    after_listed.idle(6)
    assert after_listed.day().action is Action.RUN_WALK


def test_state_is_not_mutated_by_step() -> None:
    r = started()
    before = r.state.to_dict()
    snapshot = r.state
    step(r.profile, snapshot, Day(r.date, None))
    assert snapshot.to_dict() == before


def test_dates_must_increase() -> None:
    r = started()
    with pytest.raises(ValueError):
        step(r.profile, r.state, Day(D0))
    with pytest.raises(ValueError):
        simulate(profile(), [Day(D0 + timedelta(days=1)), Day(D0)])


def test_empty_history() -> None:
    assert simulate(profile(), []) == []
    assert decide_today(profile(), [], Day(D0)).action.value == "rest"  # no check-in


def test_from_dict_rejects_another_protocol_version() -> None:
    data = EngineState().to_dict()
    data["version"] = "0.9"
    with pytest.raises(ValueError):
        EngineState.from_dict(data)


def test_unknown_site_is_an_error() -> None:
    with pytest.raises(ValueError):
        simulate(profile("elbow"), [Day(D0)])
