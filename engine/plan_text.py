"""How a care-team adjustment reads to the runner (and to the care team)."""

from __future__ import annotations

from engine.adjustments import CROSS_TRAINING_MODES, ClinicianPlan
from engine.language import ENGLISH, N_, Language
from engine.texts import CROSS_NAMES, count, join


def plan_summary(plan: ClinicianPlan, lang: Language = ENGLISH) -> str:
    """Every field in force, in plain words."""
    t = lang.gettext
    parts: list[str] = []
    if plan.max_level is not None and plan.max_level < 10:
        parts.append(t("stay at level {level} or below").format(level=plan.max_level))
    if plan.min_days_per_level is not None:
        parts.append(t("at least {days} days at each level").format(days=plan.min_days_per_level))
    if plan.clean_sessions_per_level is not None:
        parts.append(t("{n} pain-free sessions before each step up").format(n=plan.clean_sessions_per_level))
    if plan.max_runs_per_week is not None:
        runs = count(plan.max_runs_per_week, "{n} run", "{n} runs", lang)
        parts.append(t("at most {runs} a week in the build phase").format(runs=runs))
    if plan.max_weekly_increase_pct is not None:
        parts.append(t("weekly running grows by at most {pct}%").format(pct=plan.max_weekly_increase_pct))
    if plan.cross_training is not None:
        names = [t(CROSS_NAMES[CROSS_TRAINING_MODES[m]]) for m in plan.cross_training]
        modes = t("{modes} only").format(modes=join(names, lang)) if names else t("none")
        parts.append(t("cross-training: {modes}").format(modes=modes))
    if plan.resume_needs_clinician:
        parts.append(t("every pause needs your clinician's clearance"))
    if plan.no_hops_before_level is not None:
        parts.append(t("no hops before level {level}").format(level=plan.no_hops_before_level))
    return join(parts, lang) if parts else t("no limits beyond the protocol")


_LOOSENED = {
    "clean_sessions_per_level": N_("fewer pain-free sessions per level than your site needs"),
    "max_runs_per_week": N_("more runs a week than the protocol plans for you"),
}


def plan_note_sentences(
    plan: ClinicianPlan | None, notes: set[str], loosened: tuple[str, ...], level_now: int | None,
    level_from: int | None, lang: Language = ENGLISH,
) -> list[str]:
    """One sentence per way the adjustment shaped today, the change itself first."""
    t = lang.gettext
    lines: list[str] = []
    if "cleared" in notes:
        lines.append(t("Your clinician's adjustments were cleared: the protocol's plan applies again."))
    if "set" in notes and plan is not None:
        lines.append(t("Your clinician adjusted your plan: {summary}.").format(summary=plan_summary(plan, lang)))
        if loosened:
            kept = join([t(_LOOSENED[name]) for name in loosened], lang)
            lines.append(t("The protocol's own numbers stay where the adjustment asked for {kept}.").format(kept=kept))
    if "lowered" in notes and level_now is not None:
        lowered = t("So you are at level {now} now (you were at level {was}).")
        lines.append(lowered.format(now=level_now, was=level_from))
    if plan is None:
        return lines
    if "max_level" in notes:
        lines.append(t("Your clinician set level {level} as your limit for now, so no step up.").format(
            level=plan.max_level
        ))
    if "held" in notes:
        lines.append(t("Your clinician asked for more days or pain-free sessions at each level, so no step up yet."))
    if "build" in notes:
        lines.append(t("Your clinician's limits on runs a week or weekly growth shape this week."))
    if "cross_training" in notes:
        lines.append(t("Only the cross-training your clinician allowed is offered."))
    if "hops" in notes:
        lines.append(t("No hops yet: your clinician asked for none before level {level}.").format(
            level=plan.no_hops_before_level
        ))
    return lines
