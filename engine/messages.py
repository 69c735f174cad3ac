"""Every sentence the runner reads, in one place (ready for translation).

Each message says what to do today and why; a pause says that running is paused, why, to contact the
clinician, what the runner may do meanwhile and what resuming needs, and reminds them to follow their
clinician. The engine passes the numbers; nothing here decides anything.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from engine.model import Action, CrossTraining
from engine.protocol import (
    ALTERNATE_DAYS,
    BUILD_PHASE,
    CHECKIN_MISSING,
    DROP_BACK_PAIN,
    GAP_DROP_BACK,
    HIGH_RISK_SITE,
    HOLD_MILD_PAIN,
    NEXT_DAY_SORENESS,
    NO_RUN_SYMPTOMS,
    PAUSE_LIMP,
    PAUSE_LINGERING_SYMPTOMS,
    PAUSE_NIGHT_PAIN,
    PAUSE_PERSISTENT_PAIN,
    PAUSE_REQUESTED,
    PAUSE_REST_PAIN,
    PAUSE_SWELLING,
    PAUSE_TENDERNESS,
    PAUSE_WALKING_PAIN,
    PROGRESS,
    READINESS_CHECK,
    READINESS_CLEARANCE,
    REDS_REVIEW,
    REDS_SCREEN,
    REEVALUATE,
    REST_DAY,
    RESUME_CLINICIAN_CLEARED,
    RESUME_REQUESTED,
    SESSION_CAP,
    SLOW_SITE,
    WEEKLY_CAP,
    WELLNESS_HOLD,
)


@dataclass(slots=True)
class Facts:
    """The numbers a message needs beyond the decision's own fields."""

    site_name: str
    high_risk: bool
    clearance_date: date | None
    quiet: bool = False  # an internal replay of past days: no message is composed
    run_level: int | None = None
    clean_needed: int = 2
    gap_days: int | None = None
    resume_level: int | None = None
    pause_days: int | None = None
    pause_reasons: tuple[str, ...] = ()
    needs_clinician: bool = False
    second_pause: bool = False
    symptom_free_left: int = 0
    week_target: int | None = None
    week_done: float = 0.0
    week_runs: int = 0
    runs_per_week: int = 0
    strides_ok: bool = False
    tempo_ok: bool = False
    review_days: int | None = None
    review_runs: int = 0
    review_pauses: int = 0


PAUSE_CAUSES: dict[str, str] = {
    PAUSE_REST_PAIN: "bone pain at rest (2 or more out of 10)",
    PAUSE_WALKING_PAIN: "pain when walking (3 or more out of 10)",
    PAUSE_PERSISTENT_PAIN: "bone pain lasting beyond 24 hours after running",
    PAUSE_NIGHT_PAIN: "pain at night",
    PAUSE_LIMP: "limping",
    PAUSE_TENDERNESS: "a tender spot when you press on the bone",
    PAUSE_SWELLING: "swelling",
    PAUSE_LINGERING_SYMPTOMS: "mild pain on two check-ins in a row",
    PAUSE_REQUESTED: "you asked to pause",
}

EFFORT = (
    "Easy effort: 4 out of 10 or less, you can talk in full sentences. Flat, even ground; no hills, no "
    "speed work."
)
STOP_RULE = (
    "Stop running and walk home if bone pain reaches 3 out of 10. Tell me tomorrow morning how the bone "
    "feels."
)
FOLLOW_CLINICIAN = "Always follow your clinician's advice; I am a coaching aid, not a diagnosis."

STRENGTH_NAMES: dict[str, str] = {
    "calf_raises": "calf raises",
    "isometric_holds": "isometric holds",
    "hip_and_glute": "hip and glute work",
    "core": "core",
    "balance": "balance",
    "hopping_and_plyometrics": "gentle hops and plyometrics (stop if the bone hurts)",
}

CROSS_NAMES: dict[str, str] = {
    "pool_running": "deep-water (pool) running",
    "cycling": "cycling",
    "elliptical": "elliptical",
}


def _num(value: float) -> str:
    """Minutes as people write them: 1, 1.5, 24."""
    return f"{value:g}"


def _join(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _why(rule_id: str, f: Facts) -> str | None:
    """One plain sentence per rule that shaped today's plan (None: said elsewhere in the message)."""
    if rule_id == PROGRESS:
        return (
            f"You moved up a level: your last {f.clean_needed} sessions were pain-free, with no pain the "
            "next morning."
        )
    if rule_id == HOLD_MILD_PAIN:
        return "You had mild bone pain (1-2 out of 10) in your last session, so you repeat the level."
    if rule_id == DROP_BACK_PAIN:
        return (
            "Your last session hurt (bone pain 3 or more, or pain during and after), so no running for 2 "
            "days after it, then one level lower."
        )
    if rule_id == NEXT_DAY_SORENESS:
        return (
            "The bone was sore the morning after running, so no running that day and one level lower. "
            "If it is still sore on the next morning, running pauses."
        )
    if rule_id == GAP_DROP_BACK:
        days = "" if f.gap_days is None else f" ({f.gap_days} days)"
        return (
            f"After a break from running{days} you restart lower: 7-13 days one level down, 14-27 two "
            "down, 28 or more level 1 and the readiness questions again."
        )
    if rule_id == RESUME_REQUESTED:
        return (
            "You had 5 symptom-free check-ins in a row and asked to resume: running restarts one level "
            "below where you paused (two below after a pause of 7 days or more)."
        )
    if rule_id == RESUME_CLINICIAN_CLEARED:
        return (
            "Your clinician cleared you to run again: running restarts one level below where you paused "
            "(two below after a pause of 7 days or more)."
        )
    if rule_id == WELLNESS_HOLD:
        return (
            "You slept under 6 hours or feel very tired (7 or more out of 10), so no step up today; keep "
            "it easy."
        )
    if rule_id == SLOW_SITE:
        return f"Your {f.site_name} heals more slowly, so each level needs 3 pain-free sessions."
    if rule_id == SESSION_CAP:
        return (
            "No single run is longer than 110% of your longest run in the last 30 days, nor than its share "
            "of the week's target (35%; with fewer than 3 runs a week, the target over the runs)."
        )
    if rule_id == READINESS_CLEARANCE:
        if f.clearance_date is None:
            return "Your clinician has not cleared you to run yet; please ask them."
        return f"Running starts from the date your clinician cleared you to run ({f.clearance_date})."
    if rule_id == READINESS_CHECK:
        hops = (
            "10 single-leg hops on the injured side pain-free (at your site only if your clinician "
            "approves the hop test)"
            if f.high_risk
            else "10 single-leg hops on the injured side pain-free"
        )
        return (
            "Before running (and again after 4 weeks without running) confirm the readiness questions: "
            "30 min of brisk walking pain-free, daily activities pain-free, no tender spot over the bone, "
            f"{hops}."
        )
    if rule_id == HIGH_RISK_SITE:
        return (
            f"A stress injury of the {f.site_name} is a high-risk site: running needs your clinician's "
            "clearance."
        )
    if rule_id == REDS_REVIEW:
        return (
            "Two or more of your screening answers were yes: please confirm that a clinician has reviewed "
            "them before your first run."
        )
    if rule_id == CHECKIN_MISSING:
        return "I have no check-in from you today, and I never assume no pain: check in to get a run."
    if rule_id == NO_RUN_SYMPTOMS:
        return (
            "You reported mild pain (at rest 1, or walking 1-2), so no running today. If it is still there "
            "at your next check-in, running pauses."
        )
    if rule_id == ALTERNATE_DAYS:
        return "Runs alternate with non-run days, at most 3 in any 7 days, so the bone recovers."
    if rule_id == BUILD_PHASE:
        return "In the build phase runs are spread over the week, never 3 days in a row."
    if rule_id == WEEKLY_CAP:
        if f.week_target is None:
            return None
        return (
            f"This week's running is capped at {f.week_target} min over up to {f.runs_per_week} runs "
            "(at most 10% more each week)."
        )
    if rule_id == REST_DAY:
        return "You need at least one full rest day in every 7 days."
    return None


_SAID_ON_RUN_DAYS = frozenset({ALTERNATE_DAYS, BUILD_PHASE, WEEKLY_CAP})
"""Rules whose sentence explains a day without running; on a run day the plan itself shows them."""


def _run_text(
    level: int | None, run_minutes: float, walk_minutes: float, reps: int, run_s: int, walk_s: int
) -> str:
    if walk_minutes == 0:
        head = "Build phase today." if level is not None and level >= 10 else f"Level {level} today."
        return f"{head} Run {_num(run_minutes)} min continuously, without walking breaks."
    return (
        f"Level {level} today. Run {_num(run_s / 60)} min, walk {_num(walk_s / 60)} min, {reps} times "
        f"({_num(run_minutes + walk_minutes)} min)."
    )


def _cross_list(options: Sequence[CrossTraining]) -> str:
    return _join([f"{CROSS_NAMES.get(o.kind, o.kind)} {o.minutes} min" for o in options])


def _strength_text(items: Sequence[str]) -> str:
    names = [STRENGTH_NAMES.get(i, i) for i in items]
    tail = "" if "hopping_and_plyometrics" in items else " No hopping or jumping on the injured side yet."
    return "Strength session: " + _join(names) + "." + tail


def _review_text(level: int | None, f: Facts) -> str:
    step = "not running yet" if level is None else ("build phase" if level >= 10 else f"level {level}")
    return (
        f"4-week review (day {f.review_days}): {step}; {_count(f.review_runs, 'run')} in the last 4 weeks; "
        f"{_count(f.review_pauses, 'pause')} so far. Take this summary to your clinician and tell me whether the "
        "plan still fits you."
    )


REDS_ADVICE = (
    "Your screening answers (periods, weight loss, eating, past bone injuries) suggest low energy "
    "availability, which weakens bone: please see your clinician or a sports dietitian."
)


def _pause_text(f: Facts, reasons: Sequence[str]) -> list[str]:
    causes = [PAUSE_CAUSES[r] for r in f.pause_reasons if r in PAUSE_CAUSES]
    lines = [f"Running is paused because of {_join(causes)}."]
    lines.append(
        "Please contact your clinician about this."
        if f.pause_reasons != (PAUSE_REQUESTED,)
        else "If something worries you, please contact your clinician."
    )
    if f.needs_clinician:
        why: list[str] = []
        if any(r in reasons for r in (PAUSE_REST_PAIN, PAUSE_NIGHT_PAIN, PAUSE_TENDERNESS,
                                      PAUSE_SWELLING, PAUSE_LIMP)):
            why.append("a serious sign")
        if f.high_risk:
            why.append(f"a high-risk site ({f.site_name})")
        if f.second_pause:
            why.append("a second pause within 28 days")
        lines.append(
            f"To resume you need your clinician's clearance ({_join(why)}); tell me when they clear you, "
            "and running restarts on a day with a symptom-free check-in."
        )
    else:
        lines.append(
            "To resume: 5 symptom-free daily check-ins in a row (no pain at all, no tenderness, swelling, "
            f"limp or night pain), then ask to resume; {f.symptom_free_left} to go. A day without a "
            "check-in restarts the count. Your clinician can also clear you."
        )
    if RESUME_REQUESTED in reasons:
        lines.insert(0, "Not yet: running stays paused.")
    return lines


def compose(
    action: Action,
    level: int | None,
    run_minutes: float,
    walk_minutes: float,
    reps: int,
    run_interval_s: int,
    walk_interval_s: int,
    reasons: Sequence[str],
    cross_training: Sequence[CrossTraining],
    strength: Sequence[str],
    facts: Facts,
) -> str:
    lines: list[str] = []
    whys = [w for r in reasons if (w := _why(r, facts)) is not None]
    if action is Action.RUN_WALK:
        lines.append(_run_text(level, run_minutes, walk_minutes, reps, run_interval_s, walk_interval_s))
        lines.append(EFFORT)
        if level is not None and level >= 10:
            lines.append(
                f"This week: {facts.week_target} min over up to {facts.runs_per_week} runs; "
                f"{_num(facts.week_done)} min done so far."
            )
            if facts.tempo_ok:
                lines.append("You have reached your pre-injury volume: one easy tempo run a week is fine.")
            elif facts.strides_ok:
                lines.append("You may add a few relaxed strides at the end of a run.")
        lines.extend(
            w for r in reasons if r not in _SAID_ON_RUN_DAYS and (w := _why(r, facts)) is not None
        )
        lines.append(STOP_RULE)
    elif action is Action.PAUSE:
        lines.extend(_pause_text(facts, reasons))
        if cross_training:
            lines.append(
                "Meanwhile, only if it is pain-free, easy cross-training is fine, first choice first: "
                + _cross_list(cross_training) + "."
            )
        else:
            lines.append("Meanwhile, rest: walk only as much as daily life needs.")
        lines.extend(w for w in whys if w.startswith(("I have no check-in", "You need at least")))
        lines.append(FOLLOW_CLINICIAN)
    else:
        lines.append("No running today.")
        lines.extend(whys)
        if action is Action.REST:
            lines.append("Rest today: walk only as much as daily life needs.")
        if strength:
            lines.append(_strength_text(strength))
        if cross_training:
            lines.append(
                ("You can also, or instead, cross-train at easy effort" if strength
                 else "Cross-train at easy effort instead")
                + ", first choice first: " + _cross_list(cross_training) + "."
            )
    if REEVALUATE in reasons:
        lines.append(_review_text(level, facts))
    if REDS_SCREEN in reasons:
        lines.append(REDS_ADVICE)
    return " ".join(lines)
