"""What the engine carries from one day to the next, and its JSON-safe form (the shell's cache)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from engine.adjustments import ClinicianPlan
from engine.model import Action
from engine.protocol import PROTOCOL_VERSION, RULES


@dataclass(frozen=True, slots=True)
class DayRecord:
    """What the engine remembers about one past calendar day."""

    day: date
    action: Action
    ran: bool  # the runner reported running ("run day")
    possible_run: bool  # ran, or a prescribed run with no session reported
    run_minutes: float  # minutes surely run (lower bound): growth and session_cap look-backs
    week_minutes: float  # minutes counted against the build week (upper bound)
    full_rest: bool  # v1.2: the decision was rest or pause (on a day the caller listed)
    strength: bool


@dataclass(frozen=True, slots=True)
class PauseState:
    start: date
    reasons: tuple[str, ...]
    needs_clinician: bool  # by its own causes; a care-team adjustment may add the need (see pause.py)
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
    runs_planned: int = 0  # v1.2: the fewest runs that hold the target within the caps and day rules


@dataclass(frozen=True, slots=True)
class PainNote:
    """The session pain behind a drop back or hold, for the next message ("bone pain 4/10 during ...")."""

    day: date
    during: int
    after: int


@dataclass(slots=True)
class EngineState:
    """Everything the engine carries from one day to the next. `step` never mutates the caller's copy.

    `to_dict()` / `from_dict()` give a JSON-safe form so the shell can cache the state after a
    completed day and decide the next day without replaying the whole history.
    """

    start: date | None = None  # the runner's first day (the first day the engine saw)
    last_date: date | None = None
    level: int | None = None  # None before running starts; 10 is the build phase
    level_since: date | None = None  # first run prescribed at this level
    clean_count: int = 0  # consecutive clean sessions at this level
    awaiting_clean: bool = False  # yesterday's session was clean pending this morning's check-in
    running_since: date | None = None
    readiness_on: date | None = None
    reds_reviewed: bool = False
    last_run: date | None = None
    last_run_minutes: float = 0.0
    gap_stage: int = 0
    no_run_until: date | None = None
    announce: tuple[str, ...] = ()  # named in the next decision (rules that fired on a session)
    pending: tuple[str, ...] = ()  # level-changing rules named again on the next run day
    pain_note: PainNote | None = None
    prev_soreness: bool = False  # previous check-in had next-day pain >= 1
    prev_symptoms: bool = False  # previous check-in had rest or walking pain >= 1
    walk_free_since: date | None = None
    pause: PauseState | None = None
    last_pause_end: date | None = None
    pauses_total: int = 0
    build: BuildState | None = None
    plan: ClinicianPlan | None = None  # the care-team adjustment in force
    plan_since: date | None = None
    records: tuple[DayRecord, ...] = field(default=())

    def add_pending(self, rule_id: str) -> None:
        """A level-changing rule, named again on the next run day (once, however often it fired)."""
        if rule_id not in self.pending:
            self.pending = (*self.pending, rule_id)

    def to_dict(self) -> dict[str, object]:
        return _state_to_dict(self)

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> EngineState:
        return _state_from_dict(data)


# ---- JSON-safe form -------------------------------------------------------------------------------

_DATE_FIELDS = (
    "start", "last_date", "level_since", "running_since", "readiness_on", "last_run", "no_run_until",
    "walk_free_since", "last_pause_end", "plan_since",
)
_INT_FIELDS = ("clean_count", "gap_stage", "pauses_total")
_OPT_INT_FIELDS = ("level",)
_BOOL_FIELDS = ("awaiting_clean", "reds_reviewed", "prev_soreness", "prev_symptoms")
_RULE_FIELDS = ("announce", "pending")


def _d(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _date(value: object) -> date | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"expected a date string, got {value!r}")
    return date.fromisoformat(value)


def _req_date(value: object) -> date:
    parsed = _date(value)
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


def _rules(value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v in RULES for v in value):
        raise ValueError(f"expected a list of rule identifiers, got {value!r}")
    return tuple(value)


def _obj(value: object) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(f"expected an object, got {value!r}")
    return value


def _state_to_dict(state: EngineState) -> dict[str, object]:
    out: dict[str, object] = {"version": PROTOCOL_VERSION}
    for name in _DATE_FIELDS:
        out[name] = _d(getattr(state, name))
    for name in (*_INT_FIELDS, *_OPT_INT_FIELDS, *_BOOL_FIELDS):
        out[name] = getattr(state, name)
    for name in _RULE_FIELDS:
        out[name] = list(getattr(state, name))
    out["last_run_minutes"] = state.last_run_minutes
    note = state.pain_note
    out["pain_note"] = None if note is None else [note.day.isoformat(), note.during, note.after]
    pause = state.pause
    out["pause"] = None if pause is None else {
        "start": _d(pause.start), "reasons": list(pause.reasons), "needs_clinician": pause.needs_clinician,
        "second": pause.second, "pre_level": pause.pre_level,
        "symptom_free_checkins": pause.symptom_free_checkins, "last_trigger": _d(pause.last_trigger),
        "cleared_on": _d(pause.cleared_on),
    }
    build = state.build
    out["build"] = None if build is None else {
        "start": _d(build.start), "week": build.week, "target": build.target, "week_bad": build.week_bad,
        "clean_weeks_75": build.clean_weeks_75, "reached_full": build.reached_full,
        "runs_planned": build.runs_planned,
    }
    out["plan"] = None if state.plan is None else state.plan.to_dict()
    out["records"] = [
        [r.day.isoformat(), r.action.value, r.ran, r.possible_run, r.run_minutes, r.week_minutes,
         r.full_rest, r.strength]
        for r in state.records
    ]
    return out


def _state_from_dict(data: dict[str, object]) -> EngineState:
    if data.get("version") != PROTOCOL_VERSION:
        raise ValueError(f"state was saved by protocol {data.get('version')!r}, not {PROTOCOL_VERSION}")
    state = EngineState()
    for name in _DATE_FIELDS:
        setattr(state, name, _date(data[name]))
    for name in _INT_FIELDS:
        setattr(state, name, _int(data[name]))
    for name in _OPT_INT_FIELDS:
        setattr(state, name, _opt_int(data[name]))
    for name in _BOOL_FIELDS:
        setattr(state, name, _bool(data[name]))
    for name in _RULE_FIELDS:
        setattr(state, name, _rules(data[name]))
    state.last_run_minutes = _float(data["last_run_minutes"])
    if data["pain_note"] is not None:
        raw = data["pain_note"]
        if not isinstance(raw, list) or len(raw) != 3:
            raise ValueError(f"bad pain_note {raw!r}")
        state.pain_note = PainNote(_req_date(raw[0]), _int(raw[1]), _int(raw[2]))
    if data["pause"] is not None:
        p = _obj(data["pause"])
        state.pause = PauseState(
            _req_date(p["start"]), _rules(p["reasons"]), _bool(p["needs_clinician"]), _bool(p["second"]),
            _opt_int(p["pre_level"]), _int(p["symptom_free_checkins"]), _req_date(p["last_trigger"]),
            _date(p["cleared_on"]),
        )
    if data["build"] is not None:
        b = _obj(data["build"])
        state.build = BuildState(
            _req_date(b["start"]), _int(b["week"]), _int(b["target"]), _bool(b["week_bad"]),
            _int(b["clean_weeks_75"]), _bool(b["reached_full"]), _int(b["runs_planned"]),
        )
    if data["plan"] is not None:
        state.plan = ClinicianPlan.from_dict(_obj(data["plan"]))
    state.records = tuple(_record(raw) for raw in _list(data["records"]))
    return state


def _list(value: object) -> list[Any]:
    if not isinstance(value, list):
        raise ValueError("records must be a list")
    return value


def _record(raw: object) -> DayRecord:
    if not isinstance(raw, list) or len(raw) != 8:
        raise ValueError(f"bad record {raw!r}")
    return DayRecord(
        _req_date(raw[0]), Action(raw[1]), _bool(raw[2]), _bool(raw[3]), _float(raw[4]), _float(raw[5]),
        _bool(raw[6]), _bool(raw[7]),
    )
