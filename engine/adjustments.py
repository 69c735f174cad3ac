"""Care-team adjustments (protocol v1.2, `clinician_plan`): limits a clinician sets on top of the protocol.

An adjustment can only make the plan more careful. Each field is optional; a value outside its range is an
input error (`AdjustmentError`), while a value inside the range that would loosen the protocol for this
runner (e.g. 2 clean sessions at a slow site that needs 3) is kept in the record but has no effect: the
protocol's number stays, and `loosening()` names such fields so the message can say so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Final

CROSS_TRAINING_MODES: Final = {"pool": "pool_running", "cycling": "cycling", "elliptical": "elliptical"}
"""The adjustment's names for the modes -> the engine's cross-training kinds."""

INT_RANGES: Final = {
    "max_level": (1, 10),
    "min_days_per_level": (7, 28),
    "clean_sessions_per_level": (2, 6),
    "max_runs_per_week": (1, 6),
    "max_weekly_increase_pct": (0, 10),
    "no_hops_before_level": (7, 10),
}


class AdjustmentError(ValueError):
    """An unknown field or an out-of-range value; `field` names it, str() is `field: problem`."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


@dataclass(frozen=True, slots=True)
class ClinicianPlan:
    """One adjustment set; an empty one (every field None/False) clears any earlier adjustment."""

    max_level: int | None = None
    min_days_per_level: int | None = None
    clean_sessions_per_level: int | None = None
    max_runs_per_week: int | None = None
    max_weekly_increase_pct: int | None = None
    cross_training: tuple[str, ...] | None = None  # adjustment names: pool, cycling, elliptical
    resume_needs_clinician: bool = False
    no_hops_before_level: int | None = None

    @property
    def empty(self) -> bool:
        return self == ClinicianPlan()

    def allowed_kinds(self) -> frozenset[str] | None:
        """The engine's cross-training kinds allowed, or None when every mode is."""
        if self.cross_training is None:
            return None
        return frozenset(CROSS_TRAINING_MODES[m] for m in self.cross_training)

    def to_dict(self) -> dict[str, object]:
        """The contract's object (fields left at their default are omitted)."""
        out: dict[str, object] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is None or value is False:
                continue
            out[f.name] = list(value) if isinstance(value, tuple) else value
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> ClinicianPlan:
        """Validate the contract's object; raises AdjustmentError naming the field."""
        values: dict[str, object] = {}
        for name, raw in data.items():
            if name in INT_RANGES:
                low, high = INT_RANGES[name]
                if isinstance(raw, bool) or not isinstance(raw, int) or not low <= raw <= high:
                    raise AdjustmentError(name, f"must be an integer {low}-{high}")
                values[name] = raw
            elif name == "cross_training":
                values[name] = _modes(raw)
            elif name == "resume_needs_clinician":
                if not isinstance(raw, bool):
                    raise AdjustmentError(name, "must be true or false")
                values[name] = raw
            else:
                raise AdjustmentError(name, "unknown field")
        return cls(**values)  # type: ignore[arg-type]


def _modes(raw: object) -> tuple[str, ...]:
    if not isinstance(raw, list):
        raise AdjustmentError("cross_training", "must be a list of pool, cycling, elliptical")
    modes: list[str] = []
    for item in raw:
        if not isinstance(item, str) or item not in CROSS_TRAINING_MODES:
            raise AdjustmentError("cross_training", "must be a list of pool, cycling, elliptical")
        if item in modes:
            raise AdjustmentError("cross_training", f"lists {item} twice")
        modes.append(item)
    # The protocol's order (pool first), whatever order the clinician typed.
    return tuple(m for m in CROSS_TRAINING_MODES if m in modes)


def tightening_choices(field: str, site_clean_sessions: int, protocol_runs: int) -> tuple[int, ...]:
    """The values a care-team keyboard offers for an integer field: only ones that make this runner's
    plan more careful than the protocol (a loosening value is never offered)."""
    if field == "max_level":
        return tuple(range(1, 10))
    if field == "min_days_per_level":
        return (10, 14, 21, 28)  # the protocol's 7 applies to levels 1-6; 10+ tightens all of 1-9
    if field == "clean_sessions_per_level":
        return tuple(range(site_clean_sessions + 1, INT_RANGES[field][1] + 1))
    if field == "max_runs_per_week":
        return tuple(range(1, protocol_runs))
    if field == "max_weekly_increase_pct":
        return (0, 3, 5, 7)
    if field == "no_hops_before_level":
        return (8, 9, 10)
    raise AdjustmentError(field, "not an integer field")
