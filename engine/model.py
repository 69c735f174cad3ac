"""The engine's inputs and outputs: plain, immutable dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from engine.adjustments import ClinicianPlan


class Action(StrEnum):
    RUN_WALK = "run_walk"
    REST = "rest"
    CROSS_TRAIN = "cross_train"
    STRENGTH = "strength"
    PAUSE = "pause"


class SessionDone(StrEnum):
    AS_PRESCRIBED = "as_prescribed"
    PARTIAL = "partial"
    SKIPPED = "skipped"
    MORE = "more"
    CROSS_TRAIN = "cross_train"


class Event(StrEnum):
    READINESS_CONFIRMED = "readiness_confirmed"
    REDS_REVIEW_CONFIRMED = "reds_review_confirmed"
    CLINICIAN_CLEARED = "clinician_cleared"
    PAUSE_REQUESTED = "pause_requested"
    RESUME_REQUESTED = "resume_requested"


@dataclass(frozen=True, slots=True)
class Profile:
    injury_site: str
    diagnosed_on: date
    cleared_to_run_on: date | None
    pre_injury_weekly_minutes: int
    pre_injury_runs_per_week: int
    reds_positive: int = 0


@dataclass(frozen=True, slots=True)
class CheckIn:
    pain_rest: int
    pain_walking: int
    pain_next_day: int
    tenderness: bool
    swelling: bool
    limping: bool
    night_pain: bool
    sleep_hours: float
    fatigue: int


@dataclass(frozen=True, slots=True)
class Session:
    done: SessionDone
    run_minutes: float | None = None
    pain_during: int | None = None
    pain_after: int | None = None
    rpe: float | None = None


@dataclass(frozen=True, slots=True)
class Day:
    """One calendar day of a runner's history: what they reported and what happened."""

    date: date
    checkin: CheckIn | None = None
    session: Session | None = None
    events: tuple[Event, ...] = ()
    clinician_plan: ClinicianPlan | None = None  # a care-team adjustment set that day (the day's last)


@dataclass(frozen=True, slots=True)
class CrossTraining:
    kind: str  # "pool_running", "cycling" or "elliptical"
    minutes: int


@dataclass(frozen=True, slots=True)
class Decision:
    """Today's prescription, with every rule that shaped it."""

    date: date
    action: Action
    level: int | None
    run_minutes: float
    walk_minutes: float
    reps: int
    run_interval_s: int
    walk_interval_s: int
    paused: bool
    reasons: tuple[str, ...]
    message: str
    protocol_version: str
    cross_training: tuple[CrossTraining, ...] = ()
    strength: tuple[str, ...] = field(default=())
    # What the message was composed from (engine.messages.Facts), so that the shell can render it in the
    # reader's language (engine.render); not part of the decision's value.
    facts: object = field(default=None, compare=False, repr=False)

    def to_contract(self) -> dict[str, object]:
        """The JSON object of `runback simulate`, in the contract's field order."""
        return {
            "date": self.date.isoformat(),
            "action": self.action.value,
            "level": self.level,
            "run_minutes": self.run_minutes,
            "walk_minutes": self.walk_minutes,
            "reps": self.reps,
            "run_interval_s": self.run_interval_s,
            "walk_interval_s": self.walk_interval_s,
            "paused": self.paused,
            "reasons": list(self.reasons),
            "message": self.message,
        }
