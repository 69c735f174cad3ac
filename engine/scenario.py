"""Parse and validate a `runback simulate` scenario (shared/contracts/simulate.md) into engine inputs.

Every problem raises `ScenarioError` whose text is one line naming the field and the problem, e.g.
`days[3].checkin.pain_rest: must be an integer 0-10`.
"""

from __future__ import annotations

import json
import math
from datetime import date
from typing import Any

from engine.adjustments import AdjustmentError, ClinicianPlan
from engine.model import CheckIn, Day, Event, Profile, Session, SessionDone
from engine.protocol import SITES


class ScenarioError(ValueError):
    """A malformed scenario; str(error) is one line: `field: problem`."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


_MISSING: Any = object()

_PROFILE_REQUIRED = (
    "injury_site", "diagnosed_on", "cleared_to_run_on", "pre_injury_weekly_minutes",
    "pre_injury_runs_per_week",
)
_PROFILE_FIELDS = frozenset({*_PROFILE_REQUIRED, "reds_positive"})
_DAY_FIELDS = frozenset({"date", "checkin", "session", "events"})
_CHECKIN_FIELDS = (
    "pain_rest", "pain_walking", "pain_next_day", "tenderness", "swelling", "limping", "night_pain",
    "sleep_hours", "fatigue",
)
_SESSION_FIELDS = frozenset({"done", "run_minutes", "pain_during", "pain_after", "rpe"})
_DONE_VALUES = ", ".join(d.value for d in SessionDone)
_EVENT_VALUES = ", ".join(e.value for e in Event)


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not valid JSON")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result


def parse_scenario_text(text: str) -> tuple[Profile, list[Day]]:
    """Parse the JSON text of a scenario; raises ScenarioError."""
    try:
        data = json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as exc:
        raise ScenarioError("scenario", f"invalid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    except ValueError as exc:
        raise ScenarioError("scenario", f"invalid JSON: {exc}") from None
    return parse_scenario(data)


def parse_scenario(data: object) -> tuple[Profile, list[Day]]:
    """Validate a decoded scenario object; raises ScenarioError."""
    obj = _object(data, "scenario")
    _only(obj, frozenset({"profile", "days"}), "")
    profile = _profile(_object(_required(obj, "profile", ""), "profile"))
    raw_days = _required(obj, "days", "")
    if not isinstance(raw_days, list):
        raise ScenarioError("days", "must be a list")
    days: list[Day] = []
    for i, raw in enumerate(raw_days):
        day = _day(raw, f"days[{i}]")
        if days and day.date <= days[-1].date:
            raise ScenarioError(
                f"days[{i}].date",
                f"must be after days[{i - 1}].date ({days[-1].date.isoformat()}); dates must be strictly "
                "increasing",
            )
        days.append(day)
    return profile, days


# ---- helpers ----------------------------------------------------------------------------------------


def _path(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def _object(value: object, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ScenarioError(path, "must be a JSON object")
    return value


def _only(obj: dict[str, Any], allowed: frozenset[str], prefix: str) -> None:
    for key in obj:
        if key not in allowed:
            raise ScenarioError(_path(prefix, key), "unknown field")


def _required(obj: dict[str, Any], name: str, prefix: str) -> Any:
    if name not in obj:
        raise ScenarioError(_path(prefix, name), "required field missing")
    return obj[name]


def _int(value: Any, path: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ScenarioError(path, f"must be an integer {low}-{high}")
    return value


def _number(value: Any, path: str, low: float, high: float) -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or not low <= value <= high
    ):
        raise ScenarioError(path, f"must be a number {low:g}-{high:g}")
    return value


def _bool(value: Any, path: str) -> bool:
    if not isinstance(value, bool):
        raise ScenarioError(path, "must be true or false")
    return value


def _date(value: Any, path: str) -> date:
    if not isinstance(value, str) or len(value) != 10:
        raise ScenarioError(path, "must be a date YYYY-MM-DD")
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        raise ScenarioError(path, "must be a real date YYYY-MM-DD") from None
    if parsed.isoformat() != value:
        raise ScenarioError(path, "must be a date YYYY-MM-DD")
    return parsed


def _profile(obj: dict[str, Any]) -> Profile:
    _only(obj, _PROFILE_FIELDS, "profile")
    site = _required(obj, "injury_site", "profile")
    if not isinstance(site, str) or site not in SITES:
        raise ScenarioError("profile.injury_site", "must be one of " + ", ".join(SITES))
    diagnosed = _date(_required(obj, "diagnosed_on", "profile"), "profile.diagnosed_on")
    raw_cleared = _required(obj, "cleared_to_run_on", "profile")
    cleared = None if raw_cleared is None else _date(raw_cleared, "profile.cleared_to_run_on")
    weekly = _int(
        _required(obj, "pre_injury_weekly_minutes", "profile"), "profile.pre_injury_weekly_minutes", 1,
        10080,
    )
    runs = _int(
        _required(obj, "pre_injury_runs_per_week", "profile"), "profile.pre_injury_runs_per_week", 1, 7
    )
    reds = _int(obj.get("reds_positive", 0), "profile.reds_positive", 0, 4)
    return Profile(site, diagnosed, cleared, weekly, runs, reds)


def _day(raw: Any, path: str) -> Day:
    obj = _object(raw, path)
    _only(obj, _DAY_FIELDS, path)
    day = _date(_required(obj, "date", path), f"{path}.date")
    raw_checkin = obj.get("checkin")
    checkin = None if raw_checkin is None else _checkin(raw_checkin, f"{path}.checkin")
    raw_session = obj.get("session")
    session = None if raw_session is None else _session(raw_session, f"{path}.session")
    raw_events = obj.get("events", [])
    if not isinstance(raw_events, list):
        raise ScenarioError(f"{path}.events", "must be a list")
    events: list[Event] = []
    plan: ClinicianPlan | None = None
    for j, raw_event in enumerate(raw_events):
        if isinstance(raw_event, dict):
            plan = _clinician_plan(raw_event, f"{path}.events[{j}]")  # two on one day: the later wins
            continue
        if not isinstance(raw_event, str) or raw_event not in Event._value2member_map_:
            raise ScenarioError(
                f"{path}.events[{j}]", f"must be one of {_EVENT_VALUES} or a {{\"clinician_plan\": {{...}}}} object"
            )
        events.append(Event(raw_event))
    return Day(day, checkin, session, tuple(events), plan)


def _clinician_plan(raw: dict[str, Any], path: str) -> ClinicianPlan:
    _only(raw, frozenset({"clinician_plan"}), path)
    body = _object(_required(raw, "clinician_plan", path), f"{path}.clinician_plan")
    try:
        return ClinicianPlan.from_dict(body)
    except AdjustmentError as exc:
        raise ScenarioError(f"{path}.clinician_plan.{exc.field}", exc.problem) from None


def _checkin(raw: Any, path: str) -> CheckIn:
    obj = _object(raw, path)
    _only(obj, frozenset(_CHECKIN_FIELDS), path)
    for name in _CHECKIN_FIELDS:
        _required(obj, name, path)
    return CheckIn(
        pain_rest=_int(obj["pain_rest"], f"{path}.pain_rest", 0, 10),
        pain_walking=_int(obj["pain_walking"], f"{path}.pain_walking", 0, 10),
        pain_next_day=_int(obj["pain_next_day"], f"{path}.pain_next_day", 0, 10),
        tenderness=_bool(obj["tenderness"], f"{path}.tenderness"),
        swelling=_bool(obj["swelling"], f"{path}.swelling"),
        limping=_bool(obj["limping"], f"{path}.limping"),
        night_pain=_bool(obj["night_pain"], f"{path}.night_pain"),
        sleep_hours=_number(obj["sleep_hours"], f"{path}.sleep_hours", 0, 24),
        fatigue=_int(obj["fatigue"], f"{path}.fatigue", 0, 10),
    )


def _session(raw: Any, path: str) -> Session:
    obj = _object(raw, path)
    _only(obj, _SESSION_FIELDS, path)
    done = _required(obj, "done", path)
    if not isinstance(done, str) or done not in SessionDone._value2member_map_:
        raise ScenarioError(f"{path}.done", f"must be one of {_DONE_VALUES}")
    run_minutes = obj.get("run_minutes")
    pain_during = obj.get("pain_during")
    pain_after = obj.get("pain_after")
    rpe = obj.get("rpe")
    return Session(
        done=SessionDone(done),
        run_minutes=None if run_minutes is None else _number(run_minutes, f"{path}.run_minutes", 0, 1440),
        pain_during=None if pain_during is None else _int(pain_during, f"{path}.pain_during", 0, 10),
        pain_after=None if pain_after is None else _int(pain_after, f"{path}.pain_after", 0, 10),
        rpe=None if rpe is None else _number(rpe, f"{path}.rpe", 0, 10),
    )
