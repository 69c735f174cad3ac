"""The 4-weekly report's first page from stored rows (issue 16): stage and level today, the care-team
adjustment in force, adherence, bone pain against run minutes, and the red flags and pauses of the period.
bot/report_page.py draws it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from bot.i18n import Texts
from bot.report_page import FirstPage, PainDay
from bot.storage import models, repository
from bot.storage.unit_of_work import DbSession
from bot.usecases import plan
from bot.usecases.adjustment import adjustment_in_force
from engine.model import Action, CheckIn, SessionDone
from engine.pause import mild_symptoms, red_flags
from engine.plan_text import plan_summary
from engine.protocol import LEVELS, PROTOCOL
from engine.texts import PAUSE_CAUSES, num, pause_cause

SESSION_DONE = frozenset({SessionDone.AS_PRESCRIBED, SessionDone.PARTIAL, SessionDone.MORE})
BUILD_WINDOW_DAYS = 7


async def first_page(
    session: DbSession, runner: models.User, since: date, today: date, title: str, *, texts: Texts
) -> FirstPage:
    """Every fact of the first page for the days `since`..`today` (from the runner's start, if later)."""
    profile = await repository.profile_of(session, runner.id)
    if profile is not None and profile.started_on > since:
        since = min(profile.started_on, today)
    # from the day before the period: the first day's red flags read the check-in before it (48-hour soreness)
    day_before = since - timedelta(days=1)
    checkin_rows, session_rows, _, reports = await repository.history_rows(session, runner.id, day_before)
    decisions = {d.local_date: d for d in await repository.decisions_since(session, runner.id, since)}
    sessions = {s.local_date: s for s in session_rows}
    reports_by_day: dict[date, list[repository.PainReportRow]] = {}
    for report in reports:
        reports_by_day.setdefault(report.local_date, []).append(report)
    checkin_by_day = {c.local_date: c for c in checkin_rows}
    checkins = {
        day: plan.engine_checkin(checkin_by_day.get(day), reports_by_day.get(day, []))
        for day in {*checkin_by_day, *reports_by_day}
    }
    days = [since + timedelta(days=i) for i in range((today - since).days + 1)]
    # today's run counts once logged: a report asked for in the morning does not call it missed
    run_days = [
        d for d in days if d in decisions and decisions[d].action == Action.RUN_WALK and (d < today or d in sessions)
    ]
    paused_days = {d for d, decision in decisions.items() if decision.paused}
    pauses = await repository.pauses_between(session, runner.id, since, today)
    return FirstPage(
        title=title,
        period=(since, today),
        stage_today=await _stage_today(session, runner.id, today, sessions, texts=texts),
        adjustment=await adjustment_text(session, runner, texts=texts),
        checkins_done=sum(1 for d in days if plan.is_complete(checkin_by_day.get(d))),
        checkins_expected=len(days),
        sessions_done=sum(1 for d in run_days if d in sessions and sessions[d].done in SESSION_DONE),
        sessions_prescribed=len(run_days),
        days=[
            _pain_day(day, sessions.get(day), reports_by_day.get(day, []), checkins, day in paused_days) for day in days
        ],
        events=_red_flags_and_pauses(days, checkins, pauses, texts=texts),
    )


async def _stage_today(
    session: DbSession, runner_id: int, today: date, sessions: dict[date, repository.SessionRow], *, texts: Texts
) -> str:
    decision = await repository.decision_on(session, runner_id, today) or await repository.latest_decision_before(
        session, runner_id, today
    )
    if decision is None:
        return str(texts.STAGE_NO_PLAN)
    if decision.paused:
        pause = await repository.open_pause(session, runner_id)
        return str(texts.STAGE_PAUSED.format(day=(pause.started_on if pause else decision.local_date).isoformat()))
    if decision.level is None:
        return str(texts.STAGE_NOT_RUNNING)
    if decision.level > len(LEVELS):  # the build phase, reported as level 10
        recent = [s for d, s in sessions.items() if today - d < timedelta(days=BUILD_WINDOW_DAYS) and s.run_minutes]
        stage = texts.STAGE_BUILD.format(runs=len(recent), minutes=sum(s.run_minutes or 0 for s in recent))
    else:
        level = LEVELS[decision.level - 1]
        if level.continuous:
            stage = texts.STAGE_LEVEL_CONTINUOUS.format(level=level.number, run=level.run_minutes)
        else:
            stage = texts.STAGE_LEVEL_INTERVALS.format(
                level=level.number,
                reps=level.reps,
                run=num(level.run_s / 60, texts.language),
                walk=num(level.walk_s / 60, texts.language),
            )
    if decision.local_date != today:
        return str(stage)
    return str(texts.STAGE_TODAY.format(stage=stage, action=texts.STAGE_ACTIONS.get(decision.action, decision.action)))


async def adjustment_text(session: DbSession, runner: models.User, *, texts: Texts) -> str | None:
    """The care-team adjustment in force in plain words, with who set it and when; None when there is none
    (never set, or cleared with an empty one). The one reading of it: bot/usecases/adjustment.py."""
    found = await adjustment_in_force(session, runner.id, texts=texts)
    if found is None:
        return None
    names = {"plan": plan_summary(found.plan, texts.language), "day": found.day.isoformat()}
    if found.self_recorded:
        return str(texts.ADJUSTMENT_SELF_RECORDED.format(**names))
    return str(texts.ADJUSTMENT_SET_BY.format(name=found.actor, role=found.role, **names))


def _pain_day(
    day: date,
    row: repository.SessionRow | None,
    reports: list[repository.PainReportRow],
    checkins: dict[date, CheckIn | None],
    paused: bool,
) -> PainDay:
    """A day's run and its bone pain: during and after the run (a /pain report about the run counts as after,
    as the engine reads it), and the next morning's check-in."""
    after = row.pain_after if row is not None else None
    for report in reports:
        if report.kind == "run":
            after = max(after or 0, report.value)
    next_morning = checkins.get(day + timedelta(days=1))
    return PainDay(
        day=day,
        run_minutes=float(row.run_minutes or 0) if row is not None else 0.0,
        pain_during=row.pain_during if row is not None else None,
        pain_after=after,
        pain_next_morning=next_morning.pain_next_day if next_morning is not None else None,
        paused=paused,
    )


def _causes(rules: Sequence[str], checkin: CheckIn | None, *, texts: Texts) -> str:
    return "; ".join(
        texts.FIRST_PAGE_CAUSE.format(words=pause_cause(r, checkin, texts.language), rule=r) for r in rules
    )


def _red_flags_and_pauses(
    days: Sequence[date], checkins: dict[date, CheckIn | None], pauses: Sequence[models.Pause], *, texts: Texts
) -> list[tuple[date, str]]:
    """Each pause with the rules that started it, and each other day whose check-in raised a red flag."""
    events: list[tuple[date, str]] = []
    for pause in pauses:
        causes = _causes([r for r in pause.reasons if r in PAUSE_CAUSES], checkins.get(pause.started_on), texts=texts)
        if pause.ended_on is None:
            events.append((pause.started_on, texts.FIRST_PAGE_PAUSE.format(causes=causes)))
        else:
            text = texts.FIRST_PAGE_PAUSE_ENDED.format(causes=causes, ended=pause.ended_on.isoformat())
            events.append((pause.started_on, text))
    started = {p.started_on for p in pauses}
    for day in days:
        checkin, before = checkins.get(day), checkins.get(day - timedelta(days=1))
        if checkin is None or day in started:
            continue
        flags = red_flags(
            PROTOCOL,
            checkin,
            prev_soreness=before is not None and before.pain_next_day >= 1,
            prev_symptoms=before is not None and mild_symptoms(PROTOCOL, before),
        )
        if flags:
            events.append((day, texts.FIRST_PAGE_RED_FLAG.format(causes=_causes(flags, checkin, texts=texts))))
    return sorted(events, key=lambda event: event[0])
