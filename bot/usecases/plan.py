"""From stored rows to the engine and back: build a runner's history, decide a day, keep the result."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from bot.i18n import Texts
from bot.storage import models, repository
from bot.storage.unit_of_work import DbSession
from bot.usecases.context import short_day
from bot.usecases.file_data import logged_file_data
from engine.adjustments import ClinicianPlan
from engine.decide import EngineState, replay, step
from engine.language import Language
from engine.messages import render
from engine.model import Action, CheckIn, Day, Decision, Event, Profile, Session, SessionDone
from engine.protocol import PROTOCOL_VERSION

NEUTRAL_FILL: dict[str, Any] = {
    "pain_rest": 0,
    "pain_walking": 0,
    "pain_next_day": 0,
    "tenderness": False,
    "swelling": False,
    "limping": False,
    "night_pain": False,
    "sleep_hours": 8.0,
    "fatigue": 0,
}
# Which check-in answer a pain report raises (worst value wins).
REPORT_FIELDS = {
    "rest": "pain_rest",
    "walking": "pain_walking",
    "night": "night_pain",
    "tender": "tenderness",
    "swelling": "swelling",
    "limp": "limping",
}


def engine_profile(row: models.Profile) -> Profile:
    return Profile(
        injury_site=row.injury_site,
        diagnosed_on=row.diagnosed_on,
        cleared_to_run_on=row.cleared_to_run_on,
        pre_injury_weekly_minutes=row.pre_injury_weekly_minutes,
        pre_injury_runs_per_week=row.pre_injury_runs_per_week,
        reds_positive=row.reds_positive,
    )


def checkin_answers(row: models.CheckIn | repository.CheckinRow | None) -> dict[str, Any]:
    if row is None:
        return {}
    return {f: value for f in repository.CHECKIN_FIELDS if (value := getattr(row, f)) is not None}


def is_complete(row: models.CheckIn | repository.CheckinRow | None) -> bool:
    return len(checkin_answers(row)) == len(repository.CHECKIN_FIELDS)


def _is_symptom(value: Any) -> bool:
    return value is True or (isinstance(value, int) and not isinstance(value, bool) and value > 0)


def engine_checkin(
    row: models.CheckIn | repository.CheckinRow | None, reports: list[repository.PainReportRow]
) -> CheckIn | None:
    """The check-in the engine sees for a day.

    A complete check-in is used as it is, raised by any pain report of that day. An incomplete one (or
    none) is *not* read as "no pain": the engine gets no check-in, so no run. The exception is a day with a
    reported symptom (a partial answer or a /pain report above 0): then the engine must see it at once to
    pause, so the missing answers are filled with neutral values. That is safe because a symptom alone
    already rules running out that day (no_run_symptoms or a pause), whatever the neutral values say.
    """
    answers = checkin_answers(row)
    for report in reports:
        field = REPORT_FIELDS.get(report.kind)
        if field is None:
            continue
        if field in ("pain_rest", "pain_walking"):
            answers[field] = max(int(answers.get(field, 0)), report.value)
        elif report.value > 0:
            answers[field] = True
    complete = len(answers) == len(repository.CHECKIN_FIELDS)
    if not complete:
        if not any(_is_symptom(v) for k, v in answers.items() if k not in ("sleep_hours", "fatigue")):
            return None
        answers = NEUTRAL_FILL | answers
    return CheckIn(**answers)


def engine_session(row: repository.SessionRow | None, reports: list[repository.PainReportRow]) -> Session | None:
    if row is None:
        return None
    pain_after = row.pain_after
    for report in reports:
        if report.kind == "run":
            pain_after = max(pain_after or 0, report.value)
    return Session(
        done=SessionDone(row.done),
        run_minutes=row.run_minutes,
        pain_during=row.pain_during,
        pain_after=pain_after,
        rpe=row.rpe,
    )


@dataclass(frozen=True)
class RunnerHistory:
    profile: Profile
    days: list[Day]


async def load_history(
    session: DbSession, user_id: int, until: date, since: date | None = None
) -> RunnerHistory | None:
    """The engine's input for every day from the runner's start (or `since`, if later) up to and
    including `until`."""
    profile_row = await repository.profile_of(session, user_id)
    if profile_row is None:
        return None
    since = max(profile_row.started_on, since or profile_row.started_on)
    checkins, sessions, events, reports = await repository.history_rows(session, user_id, since)
    by_day_checkin = {c.local_date: c for c in checkins}
    by_day_session = {s.local_date: s for s in sessions}
    by_day_events: dict[date, list[Event]] = {}
    by_day_plan: dict[date, ClinicianPlan] = {}
    for e in events:
        if e.kind == repository.PLAN_EVENT:
            by_day_plan[e.local_date] = ClinicianPlan.from_dict(e.payload or {})  # one a day: a replace updates it
        else:
            by_day_events.setdefault(e.local_date, []).append(Event(e.kind))
    by_day_reports: dict[date, list[repository.PainReportRow]] = {}
    for r in reports:
        by_day_reports.setdefault(r.local_date, []).append(r)
    # Every date of the plan is listed (a day without a check-in is a decided rest day): protocol v1.2
    # counts a date with no decision as no rest day, which would force a rest on the runner's return.
    dates = [since + timedelta(days=i) for i in range((until - since).days + 1)]
    days = []
    for d in dates:
        day_reports = by_day_reports.get(d, [])
        days.append(
            Day(
                date=d,
                checkin=engine_checkin(by_day_checkin.get(d), day_reports),
                session=engine_session(by_day_session.get(d), day_reports),
                events=tuple(sorted(by_day_events.get(d, []))),
                clinician_plan=by_day_plan.get(d),
            )
        )
    return RunnerHistory(engine_profile(profile_row), days)


@dataclass(frozen=True)
class DecisionChange:
    decision: Decision
    pause_started: bool
    pause_ended: bool
    checkin: CheckIn | None = None  # what the engine saw that day (for alerts: "the answers that caused it")
    new_reasons: tuple[str, ...] = ()  # reasons not already given for that day (so an alert is sent once)


# The engine state is cached up to the day before yesterday: yesterday's check-in (answered after
# midnight) and session (logged the next day) may still change, older days only by a retroactive edit,
# which the fingerprint catches.
CACHE_LAG = timedelta(days=2)


def _fingerprint(profile: Profile, started_on: date, rows: tuple[Any, ...]) -> str:
    text = repr((PROTOCOL_VERSION, profile, started_on, rows))
    return hashlib.sha256(text.encode()).hexdigest()


async def decide_day(
    session: DbSession, user_id: int, today: date, now: datetime
) -> tuple[Decision, CheckIn | None] | None:
    """The engine's decision for `today` and the check-in it saw: the same as replaying the whole history
    (`simulate(profile, days)[-1]`), but from the cached state of an earlier day when it is still valid,
    so that only the days since are loaded and replayed. The cache is moved up to `today - CACHE_LAG`."""
    profile_row = await repository.profile_of(session, user_id)
    if profile_row is None:
        return None
    profile = engine_profile(profile_row)
    started_on = profile_row.started_on
    through = today - CACHE_LAG
    state, since = EngineState(), started_on
    cached = await repository.engine_cache(session, user_id)
    cached_end = cached.through if cached is not None and started_on <= cached.through <= through else None
    # the fingerprints of the cached day (is the cache still valid?) and of the day the cache moves up to,
    # in one round trip
    ends = list(dict.fromkeys(d for d in (cached_end, through) if d is not None and d >= started_on))
    found = await repository.history_fingerprints(session, user_id, started_on, ends) if ends else []
    prints = dict(zip(ends, found, strict=True))
    if cached is not None and cached_end is not None and cached.fingerprint == _fingerprint(
        profile, started_on, prints[cached_end]
    ):
        state, since = EngineState.from_dict(cached.state), cached_end + timedelta(days=1)
    history = await load_history(session, user_id, today, since=since)
    assert history is not None
    *past, last = history.days
    assert last.date == today
    # the days before today are folded quietly (no message is composed for them): a year's replay after an
    # upgrade or a retroactive edit costs a few milliseconds
    state_through = replay(profile, [d for d in past if d.date <= through], start=state)
    state = replay(profile, [d for d in past if d.date > through], start=state_through)
    decision, state = step(profile, state, last)
    if through >= started_on and (cached is None or since <= through):
        fingerprint = _fingerprint(profile, started_on, prints[through])
        await repository.save_engine_cache(session, user_id, through, fingerprint, state_through.to_dict(), now)
    return decision, history.days[-1].checkin


async def decide_and_store(session: DbSession, user_id: int, today: date, now: datetime) -> DecisionChange | None:
    """Decide `today` from the whole stored history, keep the decision, and track pauses."""
    decided = await decide_day(session, user_id, today, now)
    if decided is None:
        return None
    decision, seen = decided
    same_day = await repository.decision_on(session, user_id, today)
    already_given = set(same_day.reasons) if same_day is not None else set()
    previous = same_day or await repository.latest_decision_before(session, user_id, today)
    was_paused = bool(previous and previous.paused)
    await repository.save_decision(
        session,
        user_id,
        today,
        {
            "action": decision.action.value,
            "level": decision.level,
            "paused": decision.paused,
            "reasons": list(decision.reasons),
            "payload": decision_payload(decision),
            "protocol_version": decision.protocol_version,
            "decided_at": now,
        },
    )
    started = decision.paused and not was_paused
    ended = was_paused and not decision.paused
    if started:
        await repository.start_pause(session, user_id, today, list(decision.reasons), now)
    elif ended:
        pause = await repository.open_pause(session, user_id)
        if pause is not None:
            pause.ended_on = today
    new_reasons = tuple(r for r in decision.reasons if r not in already_given)
    return DecisionChange(decision, started, ended, seen, new_reasons)


def decision_payload(decision: Decision) -> dict[str, Any]:
    payload = decision.to_contract()
    payload["cross_training"] = [{"kind": c.kind, "minutes": c.minutes} for c in decision.cross_training]
    payload["strength"] = list(decision.strength)
    return payload


def describe(decision: Decision, language: Language) -> str:
    """The plan in plain words, in the reader's language: the engine's message (it spells out intervals,
    options and the reason)."""
    return render(decision, language)


async def history_table(
    session: DbSession, user_id: int, today: date, days: int = 14, *, texts: Texts, miles: bool = False
) -> str:
    """The last `days` days as a compact monospace table: check-in pains, the plan, the session."""
    since = today - timedelta(days=days - 1)
    profile = await repository.profile_of(session, user_id)
    if profile is not None and profile.started_on > since:
        since = profile.started_on  # nothing to show before the runner started
    checkins, sessions, _, _ = await repository.history_rows(session, user_id, since)
    decisions = await repository.decisions_since(session, user_id, since)
    by_c = {c.local_date: c for c in checkins}
    by_s = {s.local_date: s for s in sessions}
    by_d = {d.local_date: d for d in decisions}
    lines = list(texts.HISTORY_TABLE_HEADER)
    for offset in range((today - since).days, -1, -1):
        day = today - timedelta(days=offset)
        c, s, d = by_c.get(day), by_s.get(day), by_d.get(day)
        rest = f"{c.pain_rest}" if c and c.pain_rest is not None else "-"
        walk = f"{c.pain_walking}" if c and c.pain_walking is not None else "-"
        am = f"{c.pain_next_day}" if c and c.pain_next_day is not None else "-"
        action = "-"
        if d is not None:
            action = texts.HISTORY_PAUSED if d.paused else d.action.replace("_", " ")
            if d.level and d.action == Action.RUN_WALK:
                action = f"L{d.level} {action}"
        ran = f"{s.run_minutes:g}" if s and s.run_minutes is not None else "-"
        pain = "-"
        if s and (s.pain_during is not None or s.pain_after is not None):
            pain = f"{s.pain_during or 0}/{s.pain_after or 0}"
        shown = short_day(day, texts=texts)
        lines.append(f"{shown:<6.6} {rest:>4} {walk:>4} {am:>2}  {action:<10.10}  {ran:>3} {pain:>4}")
    from_files = [
        texts.HISTORY_FILE_LINE.format(day=short_day(s.local_date, texts=texts), data=data)
        for s in sorted(sessions, key=lambda s: s.local_date)
        if s.local_date >= since and (data := logged_file_data(s, texts=texts, miles=miles)) is not None
    ]
    if from_files:  # below the table: what the runner's watch recorded on those days
        lines.extend(("", texts.HISTORY_FILES_HEADER, *from_files))
    return "\n".join(lines)
