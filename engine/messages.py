"""Every sentence the runner reads, in one place (ready for translation).

Protocol v1.2 "What the messages say": lead with what changed today and why, in the runner's own
numbers; give the result, not the rule; say only what applies today; serious signs name themselves;
the stop rule on every run day. The engine passes the numbers; nothing here decides anything.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from engine.adjustments import ClinicianPlan
from engine.build import BuildDay
from engine.model import Action, CheckIn, CrossTraining
from engine.plan_text import plan_note_sentences
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
from engine.state import PainNote
from engine.texts import (
    CROSS_NAMES,
    EFFORT,
    FOLLOW_CLINICIAN,
    REDS_ADVICE,
    STOP_RULE_TEXT,
    STRENGTH_NAMES,
    count,
    join,
    num,
    pause_lines,
)


@dataclass(slots=True)
class Facts:
    """The numbers a message needs beyond the decision's own fields."""

    site_name: str
    high_risk: bool
    clearance_date: date | None
    quiet: bool = False  # an internal replay of past days: no message is composed
    today: date | None = None
    checkin: CheckIn | None = None
    announced: tuple[str, ...] = ()  # rules that fired on the last session (said today for the first time)
    pain_note: PainNote | None = None
    no_run_until: date | None = None
    run_level: int | None = None
    level_now: int | None = None
    level_from: int | None = None  # the level before today's change
    clean_needed: int = 2
    gap_days: int | None = None
    resume_level: int | None = None
    pause_days: int | None = None
    pause_level: int | None = None
    pause_start: date | None = None
    pause_reasons: tuple[str, ...] = ()
    needs_clinician: bool = False
    second_pause: bool = False
    symptom_free_left: int = 0
    build: BuildDay | None = None
    strides_ok: bool = False
    tempo_ok: bool = False
    days_without_rest: int = 0
    only_missing_checkin: bool = False
    plan: ClinicianPlan | None = None
    plan_notes: set[str] = field(default_factory=set)
    plan_loosened: tuple[str, ...] = ()
    review_days: int | None = None
    review_runs: int = 0
    review_pauses: int = 0


def _when(day: date, today: date | None) -> str:
    if today is not None and day == today - timedelta(days=1):
        return "yesterday's run"
    return f"your run on {day.isoformat()}"


def _pain_words(note: PainNote) -> str:
    parts = []
    if note.during:
        parts.append(f"bone pain {note.during}/10 during")
    if note.after:
        parts.append(f"{'' if parts else 'bone pain '}{note.after}/10 after")
    return " and ".join(parts)


# ---- what changed today ------------------------------------------------------------------------------


def _drop_back(f: Facts) -> str | None:
    note = f.pain_note
    if DROP_BACK_PAIN in f.announced and note is not None:
        days = "today or tomorrow" if f.no_run_until and f.today and f.no_run_until > f.today else "today"
        then = "" if f.level_now is None else f", then level {f.level_now}"
        return f"You reported {_pain_words(note)} {_when(note.day, f.today)}, so no running {days}{then}."
    if f.run_level is not None:
        return None  # named among the pending causes
    if note is not None:
        return f"No running today: it is the second day after the painful session of {note.day.isoformat()}."
    return "No running today: it is the second day after the painful session."


def _hold(f: Facts) -> str | None:
    note = f.pain_note
    if HOLD_MILD_PAIN in f.announced and note is not None:
        level = "" if f.level_now is None else f" level {f.level_now}"
        return f"You reported {_pain_words(note)} {_when(note.day, f.today)}, so you repeat{level} (no step up)."
    return None


def _soreness(f: Facts) -> str | None:
    c = f.checkin
    if c is not None and c.pain_next_day >= 1:
        then = "" if f.level_now is None else f" and level {f.level_now} next time"
        return (
            f"Your bone was sore this morning ({c.pain_next_day}/10) after running, so no running today{then}. "
            "If it is still sore tomorrow morning, running pauses."
        )
    return None


def _gap(f: Facts) -> str | None:
    if f.pause_days is not None:
        return None  # a resume today gives the restart level itself
    if f.gap_days is not None and f.level_now is not None:
        was = f" (you were at level {f.level_from})" if f.level_from and f.level_from != f.level_now else ""
        again = " and confirm the readiness questions again" if f.gap_days >= 28 else ""
        return f"You have not run for {f.gap_days} days, so you restart at level {f.level_now}{was}{again}."
    return None


def _resume(rule: str) -> Callable[[Facts], str | None]:
    def sentence(f: Facts) -> str | None:
        if f.pause_days is None:
            return None
        who = (
            "Your clinician cleared you to run again."
            if rule == RESUME_CLINICIAN_CLEARED
            else "You had 5 symptom-free check-ins in a row and asked to resume."
        )
        if f.pause_level is None or f.resume_level is None:
            return f"{who} Your pause of {count(f.pause_days, 'day')} has ended."
        return (
            f"{who} You paused at level {f.pause_level} for {count(f.pause_days, 'day')}, so you restart at "
            f"level {f.resume_level}."
        )

    return sentence


def _progress(f: Facts) -> str:
    step = "the build phase" if f.run_level is not None and f.run_level >= 10 else f"level {f.run_level}"
    return (
        f"You moved up to {step}: your last {f.clean_needed} sessions were pain-free, with no pain the next "
        "morning."
    )


def _wellness(f: Facts) -> str:
    c = f.checkin
    said = []
    if c is not None and c.sleep_hours < 6:
        said.append(f"you slept {num(c.sleep_hours)} hours")
    if c is not None and c.fatigue >= 7:
        said.append(f"your tiredness is {c.fatigue}/10")
    why = join(said) if said else "you slept badly or feel very tired"
    build = " and no run longer than your last" if f.run_level is not None and f.run_level >= 10 else ""
    return f"Because {why}, no step up today{build}; keep it easy."


def _symptoms(f: Facts) -> str:
    c = f.checkin
    said = []
    if c is not None and c.pain_rest:
        said.append(f"pain at rest {c.pain_rest}/10")
    if c is not None and c.pain_walking:
        said.append(f"pain when walking {c.pain_walking}/10")
    return (
        f"You reported {join(said) or 'mild pain'}, so no running today. If it is still there at your next "
        "check-in, running pauses."
    )


# ---- why there is no run today (said only on such days) ------------------------------------------------


def _checkin_missing(f: Facts) -> str:
    if f.only_missing_checkin:
        return "I have no check-in from you today, and I never assume no pain: check in to get a run."
    return "I have no check-in from you today, so rest (I never assume no pain)."


def _rest_day(f: Facts) -> str:
    return (
        f"Today is your full rest day: the last {count(f.days_without_rest, 'day')} had none, and every 7 days "
        "hold one so the bone recovers."
    )


def _build_phase(f: Facts) -> str:
    planned = f.build.runs_planned if f.build is not None else 0
    return f"This week's {count(planned, 'run')} are spread out, never 3 days in a row; today is not one of them."


def _weekly_cap(f: Facts) -> str | None:
    b = f.build
    if b is None:
        return None
    return f"This week's plan is done: {num(b.week_done)} of {b.week_target} min over {count(b.runs_done, 'run')}."


def _readiness_clearance(f: Facts) -> str:
    if f.clearance_date is None:
        return "Your clinician has not cleared you to run yet; please ask them."
    return f"Running starts from the date your clinician cleared you to run ({f.clearance_date})."


def _readiness_check(f: Facts) -> str:
    hops = "10 single-leg hops on the injured side pain-free"
    if f.high_risk:
        hops += " (at your site only if your clinician approves the hop test)"
    return (
        "Before running (and again after 4 weeks without running) confirm the readiness questions: 30 min of "
        f"brisk walking pain-free, daily activities pain-free, no tender spot over the bone, {hops}."
    )


_SENTENCES: dict[str, Callable[[Facts], str | None]] = {
    DROP_BACK_PAIN: _drop_back,
    HOLD_MILD_PAIN: _hold,
    NEXT_DAY_SORENESS: _soreness,
    GAP_DROP_BACK: _gap,
    RESUME_REQUESTED: _resume(RESUME_REQUESTED),
    RESUME_CLINICIAN_CLEARED: _resume(RESUME_CLINICIAN_CLEARED),
    PROGRESS: _progress,
    WELLNESS_HOLD: _wellness,
    NO_RUN_SYMPTOMS: _symptoms,
    CHECKIN_MISSING: _checkin_missing,
    REST_DAY: _rest_day,
    BUILD_PHASE: _build_phase,
    WEEKLY_CAP: _weekly_cap,
    READINESS_CLEARANCE: _readiness_clearance,
    READINESS_CHECK: _readiness_check,
    ALTERNATE_DAYS: lambda f: "Runs alternate with non-run days, at most 3 in any 7 days, so the bone recovers.",
    HIGH_RISK_SITE: lambda f: (
        f"A stress injury of the {f.site_name} is a high-risk site: running needs your clinician's clearance."
    ),
    REDS_REVIEW: lambda f: (
        "Two or more of your screening answers were yes: please confirm that a clinician has reviewed them "
        "before your first run."
    ),
    SLOW_SITE: lambda f: f"Your {f.site_name} heals more slowly, so each level needs 3 pain-free sessions.",
    SESSION_CAP: lambda f: (
        "No single run is longer than 110% of your longest run in the last 30 days, nor than its share of the "
        "week's target."
    ),
}
_CHANGES = (
    DROP_BACK_PAIN, HOLD_MILD_PAIN, NEXT_DAY_SORENESS, GAP_DROP_BACK, RESUME_REQUESTED, RESUME_CLINICIAN_CLEARED,
    PROGRESS, WELLNESS_HOLD, NO_RUN_SYMPTOMS,
)
"""Rules whose sentence leads the message: what changed today."""
_SAID_ON_RUN_DAYS = frozenset({ALTERNATE_DAYS, BUILD_PHASE, WEEKLY_CAP, CHECKIN_MISSING, REST_DAY})
"""Rules that explain a day without running; a run day's plan shows them itself."""


_PENDING_CAUSES = {
    DROP_BACK_PAIN: "the painful session",
    HOLD_MILD_PAIN: "the mild bone pain in your last session",
    NEXT_DAY_SORENESS: "the sore morning",
    GAP_DROP_BACK: "your break from running",
    RESUME_REQUESTED: "your pause",
    RESUME_CLINICIAN_CLEARED: "your pause",
}


def _pending_text(reasons: Sequence[str], f: Facts) -> list[str]:
    """A level set on an earlier day, named once more on the next run day: the result, no warning again."""
    causes: list[str] = []
    for rule in reasons:
        cause = _PENDING_CAUSES.get(rule)
        fired_today = (
            rule in f.announced
            or (rule == GAP_DROP_BACK and f.gap_days is not None)
            or (rule in (RESUME_REQUESTED, RESUME_CLINICIAN_CLEARED) and f.pause_days is not None)
        )
        if cause is not None and not fired_today and cause not in causes:
            causes.append(cause)
    if not causes:
        return []
    if HOLD_MILD_PAIN in reasons and len(causes) == 1 and causes[0] == _PENDING_CAUSES[HOLD_MILD_PAIN]:
        return [f"You repeat this level after {causes[0]}."]
    return [f"You are at this level after {join(causes)}."]


def _sentences(rules: Sequence[str], f: Facts) -> list[str]:
    return [s for r in rules if r in _SENTENCES and (s := _SENTENCES[r](f)) is not None]


def _run_text(level: int | None, run: tuple[float, float, int, int, int]) -> str:
    run_minutes, walk_minutes, reps, run_s, walk_s = run
    if walk_minutes == 0:
        head = "Build phase today." if level is not None and level >= 10 else f"Level {level} today."
        return f"{head} Run {num(run_minutes)} min continuously, without walking breaks."
    return (
        f"Level {level} today. Run {num(run_s / 60)} min, walk {num(walk_s / 60)} min, {reps} times "
        f"({num(run_minutes + walk_minutes)} min)."
    )


def _week_text(f: Facts) -> list[str]:
    b = f.build
    if b is None:
        return []
    lines = [
        f"This week: {b.week_target} min over {count(b.runs_planned, 'run')}; {num(b.week_done)} min done so far."
    ]
    if b.falls_short:
        lines.append(f"With {count(b.runs_planned, 'run')} the week stays under {b.week_target} min; that is fine.")
    if f.tempo_ok:
        lines.append("You have reached your pre-injury volume: one easy tempo run a week is fine.")
    elif f.strides_ok:
        lines.append("You may add a few relaxed strides at the end of a run.")
    return lines


def _cross_list(options: Sequence[CrossTraining]) -> str:
    return join([f"{CROSS_NAMES.get(o.kind, o.kind)} {o.minutes} min" for o in options])


def _strength_text(items: Sequence[str]) -> str:
    names = [STRENGTH_NAMES.get(i, i) for i in items]
    tail = "" if "hopping_and_plyometrics" in items else " No hopping or jumping on the injured side yet."
    return "Strength session: " + join(names) + "." + tail


def _review_text(level: int | None, f: Facts) -> str:
    step = "not running yet" if level is None else ("build phase" if level >= 10 else f"level {level}")
    return (
        f"4-week review (day {f.review_days}): {step}; {count(f.review_runs, 'run')} in the last 4 weeks; "
        f"{count(f.review_pauses, 'pause')} so far. Take this summary to your clinician and tell me whether the "
        "plan still fits you."
    )


def _day_lines(
    action: Action, level: int | None, run: tuple[float, float, int, int, int], reasons: Sequence[str],
    others: Sequence[str],
    cross: Sequence[CrossTraining], strength: Sequence[str], f: Facts, said_no_run: bool,
) -> list[str]:
    if action is Action.RUN_WALK:
        return [
            _run_text(level, run), *_pending_text(reasons, f), EFFORT, *_week_text(f),
            *_sentences([r for r in others if r not in _SAID_ON_RUN_DAYS], f), STOP_RULE_TEXT,
        ]
    if action is Action.PAUSE:
        lines = pause_lines(f.pause_reasons, f.checkin, f.pause_start, f.today, f.needs_clinician,
                            f.high_risk, f.site_name, f.second_pause, "resume" in f.plan_notes,
                            f.symptom_free_left, RESUME_REQUESTED in reasons)
        lines.append(
            "Meanwhile, only if it is pain-free, easy cross-training is fine, first choice first: "
            + _cross_list(cross) + "." if cross else "Meanwhile, rest: walk only as much as daily life needs."
        )
        return [*lines, *_sentences([r for r in others if r in (CHECKIN_MISSING, REST_DAY)], f), FOLLOW_CLINICIAN]
    lines = [*_sentences(others, f)]
    if not said_no_run:
        lines.insert(0, "No running today.")
    if action is Action.REST:
        lines.append("Rest today: walk only as much as daily life needs.")
    if strength:
        lines.append(_strength_text(strength))
    if cross:
        lead = (
            "You can also, or instead, cross-train at easy effort" if strength
            else "Cross-train at easy effort instead"
        )
        lines.append(lead + ", first choice first: " + _cross_list(cross) + ".")
    return lines


def compose(
    action: Action,
    level: int | None,
    run: tuple[float, float, int, int, int],
    reasons: Sequence[str],
    cross: Sequence[CrossTraining],
    strength: Sequence[str],
    facts: Facts,
) -> str:
    changes = [r for r in _CHANGES if r in reasons]
    others = [r for r in reasons if r not in _CHANGES]
    lines = [*_sentences(changes, facts), *plan_note_sentences(facts.plan, facts.plan_notes, facts.plan_loosened,
                                                              facts.level_now, facts.level_from)]
    said_no_run = any("no running today" in line.lower() for line in lines)
    lines += _day_lines(action, level, run, reasons, others, cross, strength, facts, said_no_run)
    if REEVALUATE in reasons:
        lines.append(_review_text(level, facts))
    if REDS_SCREEN in reasons:
        lines.append(REDS_ADVICE)
    return " ".join(lines)
