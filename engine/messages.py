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
from engine.language import ENGLISH, N_, Language
from engine.model import Action, CheckIn, CrossTraining, Decision
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


def _when(day: date, f: Facts, t: Language) -> str:
    if f.today is not None and day == f.today - timedelta(days=1):
        return t.gettext("yesterday's run")
    return t.gettext("your run on {day}").format(day=day.isoformat())


def _pain_words(note: PainNote, t: Language) -> str:
    if note.during and note.after:
        return t.gettext("bone pain {during}/10 during and {after}/10 after").format(
            during=note.during, after=note.after
        )
    if note.during:
        return t.gettext("bone pain {during}/10 during").format(during=note.during)
    return t.gettext("bone pain {after}/10 after").format(after=note.after)


# ---- what changed today ------------------------------------------------------------------------------


def _drop_back(f: Facts, t: Language) -> str | None:
    note = f.pain_note
    if DROP_BACK_PAIN in f.announced and note is not None:
        two_days = f.no_run_until is not None and f.today is not None and f.no_run_until > f.today
        days = t.gettext("today or tomorrow") if two_days else t.gettext("today")
        then = "" if f.level_now is None else t.gettext(", then level {level}").format(level=f.level_now)
        return t.gettext("You reported {pain} {when}, so no running {days}{then}.").format(
            pain=_pain_words(note, t), when=_when(note.day, f, t), days=days, then=then
        )
    if f.run_level is not None:
        return None  # named among the pending causes
    if note is not None:
        return t.gettext("No running today: it is the second day after the painful session of {day}.").format(
            day=note.day.isoformat()
        )
    return t.gettext("No running today: it is the second day after the painful session.")


def _hold(f: Facts, t: Language) -> str | None:
    note = f.pain_note
    if HOLD_MILD_PAIN in f.announced and note is not None:
        if f.level_now is None:
            template = t.gettext("You reported {pain} {when}, so you repeat the level (no step up).")
        else:
            template = t.gettext("You reported {pain} {when}, so you repeat level {level} (no step up).")
        return template.format(pain=_pain_words(note, t), when=_when(note.day, f, t), level=f.level_now)
    return None


def _soreness(f: Facts, t: Language) -> str | None:
    c = f.checkin
    if c is None or c.pain_next_day < 1:
        return None
    if f.level_now is None:
        template = t.gettext(
            "Your bone was sore this morning ({pain}/10) after running, so no running today. If it is still sore "
            "tomorrow morning, running pauses."
        )
    else:
        template = t.gettext(
            "Your bone was sore this morning ({pain}/10) after running, so no running today and level {level} "
            "next time. If it is still sore tomorrow morning, running pauses."
        )
    return template.format(pain=c.pain_next_day, level=f.level_now)


def _gap(f: Facts, t: Language) -> str | None:
    if f.pause_days is not None or f.gap_days is None or f.level_now is None:
        return None  # a resume today gives the restart level itself
    if f.gap_days >= 28:
        template = t.gettext(
            "You have not run for {days} days, so you restart at level {level} and confirm the readiness "
            "questions again."
        )
    elif f.level_from and f.level_from != f.level_now:
        template = t.gettext(
            "You have not run for {days} days, so you restart at level {level} (you were at level {was})."
        )
    else:
        template = t.gettext("You have not run for {days} days, so you restart at level {level}.")
    return template.format(days=f.gap_days, level=f.level_now, was=f.level_from)


def _resume(rule: str) -> Callable[[Facts, Language], str | None]:
    def sentence(f: Facts, t: Language) -> str | None:
        if f.pause_days is None:
            return None
        who = (
            t.gettext("Your clinician cleared you to run again.")
            if rule == RESUME_CLINICIAN_CLEARED
            else t.gettext("You had 5 symptom-free check-ins in a row and asked to resume.")
        )
        days = count(f.pause_days, "{n} day", "{n} days", t)
        if f.pause_level is None or f.resume_level is None:
            return who + " " + t.gettext("Your pause of {days} has ended.").format(days=days)
        return who + " " + t.gettext("You paused at level {was} for {days}, so you restart at level {level}.").format(
            was=f.pause_level, days=days, level=f.resume_level
        )

    return sentence


def _progress(f: Facts, t: Language) -> str:
    if f.run_level is not None and f.run_level >= 10:
        template = t.gettext(
            "You moved up to the build phase: your last {n} sessions were pain-free, with no pain the next morning."
        )
    else:
        template = t.gettext(
            "You moved up to level {level}: your last {n} sessions were pain-free, with no pain the next morning."
        )
    return template.format(level=f.run_level, n=f.clean_needed)


def _wellness(f: Facts, t: Language) -> str:
    c = f.checkin
    said = []
    if c is not None and c.sleep_hours < 6:
        said.append(t.gettext("you slept {hours} hours").format(hours=t.number(c.sleep_hours)))
    if c is not None and c.fatigue >= 7:
        said.append(t.gettext("your tiredness is {fatigue}/10").format(fatigue=c.fatigue))
    why = join(said, t) if said else t.gettext("you slept badly or feel very tired")
    if f.run_level is not None and f.run_level >= 10:
        template = t.gettext("Because {why}, no step up today and no run longer than your last; keep it easy.")
        return template.format(why=why)
    return t.gettext("Because {why}, no step up today; keep it easy.").format(why=why)


def _symptoms(f: Facts, t: Language) -> str:
    c = f.checkin
    said = []
    if c is not None and c.pain_rest:
        said.append(t.gettext("pain at rest {pain}/10").format(pain=c.pain_rest))
    if c is not None and c.pain_walking:
        said.append(t.gettext("pain when walking {pain}/10").format(pain=c.pain_walking))
    return t.gettext(
        "You reported {what}, so no running today. If it is still there at your next check-in, running pauses."
    ).format(what=join(said, t) or t.gettext("mild pain"))


# ---- why there is no run today (said only on such days) ------------------------------------------------


def _checkin_missing(f: Facts, t: Language) -> str:
    if f.only_missing_checkin:
        return t.gettext("I have no check-in from you today, and I never assume no pain: check in to get a run.")
    return t.gettext("I have no check-in from you today, so rest (I never assume no pain).")


def _rest_day(f: Facts, t: Language) -> str:
    return t.gettext(
        "Today is your full rest day: the last {days} had none, and every 7 days hold one so the bone recovers."
    ).format(days=count(f.days_without_rest, "{n} day", "{n} days", t))


def _build_phase(f: Facts, t: Language) -> str:
    planned = f.build.runs_planned if f.build is not None else 0
    return t.gettext("This week's {runs} are spread out, never 3 days in a row; today is not one of them.").format(
        runs=count(planned, "{n} run", "{n} runs", t)
    )


def _weekly_cap(f: Facts, t: Language) -> str | None:
    b = f.build
    if b is None:
        return None
    return t.gettext("This week's plan is done: {done} of {target} min over {runs}.").format(
        done=t.number(b.week_done), target=b.week_target, runs=count(b.runs_done, "{n} run", "{n} runs", t)
    )


def _readiness_clearance(f: Facts, t: Language) -> str:
    if f.clearance_date is None:
        return t.gettext("Your clinician has not cleared you to run yet; please ask them.")
    return t.gettext("Running starts from the date your clinician cleared you to run ({day}).").format(
        day=f.clearance_date
    )


def _readiness_check(f: Facts, t: Language) -> str:
    if f.high_risk:
        hops = t.gettext(
            "10 single-leg hops on the injured side pain-free (at your site only if your clinician approves the "
            "hop test)"
        )
    else:
        hops = t.gettext("10 single-leg hops on the injured side pain-free")
    return t.gettext(
        "Before running (and again after 4 weeks without running) confirm the readiness questions: 30 min of "
        "brisk walking pain-free, daily activities pain-free, no tender spot over the bone, {hops}."
    ).format(hops=hops)


def _fixed(template: str, **names: str) -> Callable[[Facts, Language], str]:
    def sentence(f: Facts, t: Language) -> str:
        return t.gettext(template).format(**{k: t.gettext(getattr(f, v)) for k, v in names.items()})

    return sentence


_SENTENCES: dict[str, Callable[[Facts, Language], str | None]] = {
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
    ALTERNATE_DAYS: _fixed("Runs alternate with non-run days, at most 3 in any 7 days, so the bone recovers."),
    HIGH_RISK_SITE: _fixed(
        "A stress injury of the {site} is a high-risk site: running needs your clinician's clearance.",
        site="site_name",
    ),
    REDS_REVIEW: _fixed(
        "Two or more of your screening answers were yes: please confirm that a clinician has reviewed them "
        "before your first run."
    ),
    SLOW_SITE: _fixed("Your {site} heals more slowly, so each level needs 3 pain-free sessions.", site="site_name"),
    SESSION_CAP: _fixed(
        "No single run is longer than your longest run of the last 30 days plus 10%, nor than its share of the "
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
    DROP_BACK_PAIN: N_("the painful session"),
    HOLD_MILD_PAIN: N_("the mild bone pain in your last session"),
    NEXT_DAY_SORENESS: N_("the sore morning"),
    GAP_DROP_BACK: N_("your break from running"),
    RESUME_REQUESTED: N_("your pause"),
    RESUME_CLINICIAN_CLEARED: N_("your pause"),
}


def _pending_text(reasons: Sequence[str], f: Facts, t: Language) -> list[str]:
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
    if causes == [_PENDING_CAUSES[HOLD_MILD_PAIN]]:
        return [t.gettext("You repeat this level after the mild bone pain in your last session.")]
    return [t.gettext("You are at this level after {causes}.").format(causes=join([t.gettext(c) for c in causes], t))]


def _sentences(rules: Sequence[str], f: Facts, t: Language) -> list[str]:
    return [s for r in rules if r in _SENTENCES and (s := _SENTENCES[r](f, t)) is not None]


def _run_text(level: int | None, run: tuple[float, float, int, int, int], t: Language) -> str:
    run_minutes, walk_minutes, reps, run_s, walk_s = run
    if walk_minutes == 0:
        if level is not None and level >= 10:
            template = t.gettext("Build phase today. Run {run} min continuously, without walking breaks.")
        else:
            template = t.gettext("Level {level} today. Run {run} min continuously, without walking breaks.")
        return template.format(level=level, run=t.number(run_minutes))
    return t.gettext("Level {level} today. Run {run} min, walk {walk} min, {reps} times ({total} min).").format(
        level=level, run=t.number(run_s / 60), walk=t.number(walk_s / 60), reps=reps,
        total=t.number(run_minutes + walk_minutes),
    )


def _week_text(f: Facts, t: Language) -> list[str]:
    b = f.build
    if b is None:
        return []
    runs = count(b.runs_planned, "{n} run", "{n} runs", t)
    lines = [t.gettext("This week: {target} min over {runs}; {done} min done so far.").format(
        target=b.week_target, runs=runs, done=t.number(b.week_done)
    )]
    if b.falls_short:
        lines.append(t.gettext("With {runs} the week stays under {target} min; that is fine.").format(
            runs=runs, target=b.week_target
        ))
    if f.tempo_ok:
        lines.append(t.gettext("You have reached your pre-injury volume: one easy tempo run a week is fine."))
    elif f.strides_ok:
        lines.append(t.gettext("You may add a few relaxed strides at the end of a run."))
    return lines


def _cross_list(options: Sequence[CrossTraining], t: Language) -> str:
    return join([
        t.gettext("{kind} {minutes} min").format(kind=t.gettext(CROSS_NAMES.get(o.kind, o.kind)), minutes=o.minutes)
        for o in options
    ], t)


def _strength_text(items: Sequence[str], t: Language) -> str:
    names = join([t.gettext(STRENGTH_NAMES.get(i, i)) for i in items], t)
    if "hopping_and_plyometrics" in items:
        return t.gettext("Strength session: {exercises}.").format(exercises=names)
    return t.gettext("Strength session: {exercises}. No hopping or jumping on the injured side yet.").format(
        exercises=names
    )


def _review_text(level: int | None, f: Facts, t: Language) -> str:
    if level is None:
        step = t.gettext("not running yet")
    elif level >= 10:
        step = t.gettext("build phase")
    else:
        step = t.gettext("level {level}").format(level=level)
    return t.gettext(
        "4-week review (day {day}): {step}; {runs} in the last 4 weeks; {pauses} so far. Take this summary to "
        "your clinician and tell me whether the plan still fits you."
    ).format(
        day=f.review_days, step=step, runs=count(f.review_runs, "{n} run", "{n} runs", t),
        pauses=count(f.review_pauses, "{n} pause", "{n} pauses", t),
    )


def _pause_day(others: Sequence[str], reasons: Sequence[str], cross: Sequence[CrossTraining], f: Facts,
               t: Language) -> list[str]:
    lines = pause_lines(f.pause_reasons, f.checkin, f.pause_start, f.today, f.needs_clinician, f.high_risk,
                        f.site_name, f.second_pause, "resume" in f.plan_notes, f.symptom_free_left,
                        RESUME_REQUESTED in reasons, t)
    if cross:
        lines.append(t.gettext(
            "Meanwhile, only if it is pain-free, easy cross-training is fine, first choice first: {options}."
        ).format(options=_cross_list(cross, t)))
    else:
        lines.append(t.gettext("Meanwhile, rest: walk only as much as daily life needs."))
    return [*lines, *_sentences([r for r in others if r in (CHECKIN_MISSING, REST_DAY)], f, t),
            t.gettext(FOLLOW_CLINICIAN)]


def _day_lines(
    action: Action, level: int | None, run: tuple[float, float, int, int, int], reasons: Sequence[str],
    others: Sequence[str], cross: Sequence[CrossTraining], strength: Sequence[str], f: Facts, said_no_run: bool,
    t: Language,
) -> list[str]:
    if action is Action.RUN_WALK:
        return [
            _run_text(level, run, t), *_pending_text(reasons, f, t), t.gettext(EFFORT), *_week_text(f, t),
            *_sentences([r for r in others if r not in _SAID_ON_RUN_DAYS], f, t), t.gettext(STOP_RULE_TEXT),
        ]
    if action is Action.PAUSE:
        return _pause_day(others, reasons, cross, f, t)
    lines = _sentences(others, f, t)
    if not said_no_run:
        lines.insert(0, t.gettext("No running today."))
    if action is Action.REST:
        lines.append(t.gettext("Rest today: walk only as much as daily life needs."))
    if strength:
        lines.append(_strength_text(strength, t))
    if cross:
        if strength:
            template = t.gettext("You can also, or instead, cross-train at easy effort, first choice first: {options}.")
        else:
            template = t.gettext("Cross-train at easy effort instead, first choice first: {options}.")
        lines.append(template.format(options=_cross_list(cross, t)))
    return lines


def compose(
    action: Action,
    level: int | None,
    run: tuple[float, float, int, int, int],
    reasons: Sequence[str],
    cross: Sequence[CrossTraining],
    strength: Sequence[str],
    facts: Facts,
    lang: Language = ENGLISH,
) -> str:
    changes = [r for r in _CHANGES if r in reasons]
    others = [r for r in reasons if r not in _CHANGES]
    lines = [*_sentences(changes, facts, lang), *plan_note_sentences(
        facts.plan, facts.plan_notes, facts.plan_loosened, facts.level_now, facts.level_from, lang
    )]
    # these sentences already say "no running today" on a day without a run
    said_no_run = any(r in changes for r in (DROP_BACK_PAIN, NEXT_DAY_SORENESS, NO_RUN_SYMPTOMS))
    lines += _day_lines(action, level, run, reasons, others, cross, strength, facts, said_no_run, lang)
    if REEVALUATE in reasons:
        lines.append(_review_text(level, facts, lang))
    if REDS_SCREEN in reasons:
        lines.append(lang.gettext(REDS_ADVICE))
    return " ".join(lines)


def render(decision: Decision, lang: Language) -> str:
    """The decision's message in `lang` (the decision keeps the English one in `message`)."""
    facts = decision.facts
    if not isinstance(facts, Facts):
        return decision.message
    run = (decision.run_minutes, decision.walk_minutes, decision.reps, decision.run_interval_s,
           decision.walk_interval_s)
    return compose(decision.action, decision.level, run, decision.reasons, decision.cross_training,
                   decision.strength, facts, lang)
