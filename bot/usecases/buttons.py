"""What a person can tap: one small declared type per kind of inline button.

A use case puts these in a keyboard and receives them back, decoded, when the button is tapped; how they are
written into Telegram's 64 bytes of `callback_data` is the adapter's business (bot/telegram/callbacks.py).
A decoded button is well formed (its day a real date, its ids whole numbers, its choices among the declared
ones); whether it still applies (the question still open, the follow still active) is the use case's to say.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

YesNo = bool  # written "yes" / "no"


# ------------------------------------------------------------------ onboarding, settings, account


@dataclass(frozen=True, slots=True)
class StepAnswer:
    """An answer to the open onboarding/settings question (`value` may hold ":", e.g. a time "06:30")."""

    step: str
    value: str


@dataclass(frozen=True, slots=True)
class SettingsPick:
    key: str


@dataclass(frozen=True, slots=True)
class DeleteAnswer:
    confirmed: YesNo


# ------------------------------------------------------------------ the morning check-in


@dataclass(frozen=True, slots=True)
class CheckinAnswer:
    day: date
    field: str
    value: str


@dataclass(frozen=True, slots=True)
class CheckinBack:
    """Ask an earlier question of that day's check-in again."""

    day: date
    field: str


@dataclass(frozen=True, slots=True)
class CheckinNoSigns:
    """The seven symptom answers of that day's check-in at once, all 0 / no ("No pain, no signs")."""

    day: date


@dataclass(frozen=True, slots=True)
class CheckinNoSignsBack:
    """‹ Back after "No pain, no signs": undo it, back to the first question."""

    day: date


@dataclass(frozen=True, slots=True)
class CheckinNow:
    what: Literal["checkin"] = "checkin"


@dataclass(frozen=True, slots=True)
class Snooze:
    day: date


# ------------------------------------------------------------------ the session log


@dataclass(frozen=True, slots=True)
class LogDay:
    day: date


@dataclass(frozen=True, slots=True)
class LogAnswer:
    day: date
    field: str
    value: str


@dataclass(frozen=True, slots=True)
class FileSameDay:
    """A second watch file for a day already logged: replace the log with it, or add it as a second session."""

    day: date
    choice: Literal["replace", "add"]


# ------------------------------------------------------------------ pain and clearance


@dataclass(frozen=True, slots=True)
class PainKind:
    kind: str


@dataclass(frozen=True, slots=True)
class PainLevel:
    kind: str
    level: int


@dataclass(frozen=True, slots=True)
class SelfClearance:
    answer: Literal["ask", "yes", "no"]


# ------------------------------------------------------------------ the care team


@dataclass(frozen=True, slots=True)
class ShareRole:
    role: str


@dataclass(frozen=True, slots=True)
class InvitationAnswer:
    accept: YesNo


@dataclass(frozen=True, slots=True)
class ConfirmFollower:
    follow_id: int
    confirmed: YesNo


@dataclass(frozen=True, slots=True)
class RemoveFollower:
    follow_id: int


@dataclass(frozen=True, slots=True)
class ViewRunner:
    runner_id: int


@dataclass(frozen=True, slots=True)
class LeaveRunner:
    runner_id: int


@dataclass(frozen=True, slots=True)
class RunnerProgress:
    runner_id: int


@dataclass(frozen=True, slots=True)
class AskClearance:
    runner_id: int


@dataclass(frozen=True, slots=True)
class RecordClearance:
    runner_id: int
    cleared: YesNo


@dataclass(frozen=True, slots=True)
class ConfirmRedsReview:
    runner_id: int


@dataclass(frozen=True, slots=True)
class ConfirmReadiness:
    runner_id: int


# ------------------------------------------------------------------ plan adjustments (issue 16)

PlanField = Literal[
    "max_level",
    "min_days_per_level",
    "clean_sessions_per_level",
    "max_runs_per_week",
    "max_weekly_increase_pct",
    "cross_training",
    "resume_needs_clinician",
    "no_hops_before_level",
]
PlanNumber = Literal[
    "max_level",
    "min_days_per_level",
    "clean_sessions_per_level",
    "max_runs_per_week",
    "max_weekly_increase_pct",
    "no_hops_before_level",
]
CrossMode = Literal["pool", "cycling", "elliptical"]


@dataclass(frozen=True, slots=True)
class AdjustPlan:
    """Open the adjustment editor for this runner (a clinician's, or the runner's own: self-recorded)."""

    runner_id: int


@dataclass(frozen=True, slots=True)
class AdjustPick:
    """A field of the draft: its choices (a toggle field is switched at once)."""

    runner_id: int
    field: PlanField


@dataclass(frozen=True, slots=True)
class AdjustSet:
    runner_id: int
    field: PlanNumber
    value: int


@dataclass(frozen=True, slots=True)
class AdjustNoLimit:
    runner_id: int
    field: PlanField


@dataclass(frozen=True, slots=True)
class AdjustMode:
    """Allow or forbid one cross-training mode."""

    runner_id: int
    mode: CrossMode


@dataclass(frozen=True, slots=True)
class AdjustStep:
    runner_id: int
    step: Literal["edit", "review", "confirm", "clear", "cancel"]


# ---- care team: alerts (issue 16)

AlertKindName = Literal["resume", "drop_back", "missed_checkins", "adjustment"]  # the ones a follower may choose


@dataclass(frozen=True, slots=True)
class AlertPrefs:
    """A follower's /settings: open their alert preferences."""

    what: Literal["alerts"] = "alerts"


@dataclass(frozen=True, slots=True)
class ToggleAlert:
    """Switch one kind of alert between "at once" and "in the weekly summary"."""

    kind: AlertKindName


# ---- languages (issue 18)

LanguageCode = Literal["en", "de", "es", "ru"]  # bot/i18n.py LANGUAGES


@dataclass(frozen=True, slots=True)
class LanguageMenu:
    """/settings → Language: one button per language, each in its own name."""

    what: Literal["language"] = "language"


@dataclass(frozen=True, slots=True)
class SetLanguage:
    """The language this person reads, from their next message on."""

    code: LanguageCode


@dataclass(frozen=True, slots=True)
class UnitsMenu:
    """/settings → Distances: kilometres or miles (watch files)."""

    what: Literal["units"] = "units"


@dataclass(frozen=True, slots=True)
class SetUnits:
    unit: Literal["km", "mi"]


@dataclass(frozen=True, slots=True)
class AskSilenceDays:
    """A clinician: after how many silent days the runner's care team is alerted."""

    runner_id: int


@dataclass(frozen=True, slots=True)
class SetSilenceDays:
    runner_id: int
    days: int


ButtonData = (
    StepAnswer
    | SettingsPick
    | DeleteAnswer
    | CheckinAnswer
    | CheckinBack
    | CheckinNoSigns
    | CheckinNoSignsBack
    | CheckinNow
    | Snooze
    | LogDay
    | LogAnswer
    | FileSameDay
    | PainKind
    | PainLevel
    | SelfClearance
    | ShareRole
    | InvitationAnswer
    | ConfirmFollower
    | RemoveFollower
    | ViewRunner
    | LeaveRunner
    | RunnerProgress
    | AskClearance
    | RecordClearance
    | ConfirmRedsReview
    | ConfirmReadiness
    | AdjustPlan
    | AdjustPick
    | AdjustSet
    | AdjustNoLimit
    | AdjustMode
    | AdjustStep
    | AlertPrefs
    | ToggleAlert
    | AskSilenceDays
    | SetSilenceDays
    | LanguageMenu
    | SetLanguage
    | UnitsMenu
    | SetUnits
)
