"""How a care-team adjustment reads to the runner (and, later, to the care team)."""

from __future__ import annotations

from engine.adjustments import CROSS_TRAINING_MODES, ClinicianPlan
from engine.texts import CROSS_NAMES, count, join


def plan_summary(plan: ClinicianPlan) -> str:
    """Every field in force, in plain words."""
    parts: list[str] = []
    if plan.max_level is not None and plan.max_level < 10:
        parts.append(f"stay at level {plan.max_level} or below")
    if plan.min_days_per_level is not None:
        parts.append(f"at least {plan.min_days_per_level} days at each level")
    if plan.clean_sessions_per_level is not None:
        parts.append(f"{plan.clean_sessions_per_level} pain-free sessions before each step up")
    if plan.max_runs_per_week is not None:
        parts.append(f"at most {count(plan.max_runs_per_week, 'run')} a week in the build phase")
    if plan.max_weekly_increase_pct is not None:
        parts.append(f"weekly running grows by at most {plan.max_weekly_increase_pct}%")
    if plan.cross_training is not None:
        names = [CROSS_NAMES[CROSS_TRAINING_MODES[m]] for m in plan.cross_training]
        parts.append("cross-training: " + (join(names) + " only" if names else "none"))
    if plan.resume_needs_clinician:
        parts.append("every pause needs your clinician's clearance")
    if plan.no_hops_before_level is not None:
        parts.append(f"no hops before level {plan.no_hops_before_level}")
    return join(parts) if parts else "no limits beyond the protocol"


_LOOSENED = {
    "clean_sessions_per_level": "fewer pain-free sessions per level than your site needs",
    "max_runs_per_week": "more runs a week than the protocol plans for you",
}


def plan_note_sentences(
    plan: ClinicianPlan | None, notes: set[str], loosened: tuple[str, ...], level_now: int | None,
    level_from: int | None,
) -> list[str]:
    """One sentence per way the adjustment shaped today, the change itself first."""
    lines: list[str] = []
    if "cleared" in notes:
        lines.append("Your clinician's adjustments were cleared: the protocol's plan applies again.")
    if "set" in notes and plan is not None:
        lines.append(f"Your clinician adjusted your plan: {plan_summary(plan)}.")
        if loosened:
            kept = join([_LOOSENED[name] for name in loosened])
            lines.append(f"The protocol's own numbers stay where the adjustment asked for {kept}.")
    if "lowered" in notes and level_now is not None:
        lines.append(f"So you are at level {level_now} now (you were at level {level_from}).")
    if plan is None:
        return lines
    if "max_level" in notes:
        lines.append(f"Your clinician set level {plan.max_level} as your limit for now, so no step up.")
    if "held" in notes:
        lines.append("Your clinician asked for more days or pain-free sessions at each level, so no step up yet.")
    if "build" in notes:
        lines.append("Your clinician's limits on runs a week or weekly growth shape this week.")
    if "cross_training" in notes:
        lines.append("Only the cross-training your clinician allowed is offered.")
    if "hops" in notes:
        lines.append(f"No hops yet: your clinician asked for none before level {plan.no_hops_before_level}.")
    return lines
