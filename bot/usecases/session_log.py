"""/log: what the runner did in a day's session (as prescribed, partly, more, skipped), its minutes, pain during
and after, and effort; asked one question at a time, for today or yesterday, in one message that each tap edits
into the next question (the answers so far above it), like the check-in."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from bot.activity import MAX_DAYS_AGO
from bot.i18n import Texts
from bot.replies import Button, Keyboard, Outcome, Reply, rows, scale_keyboard
from bot.storage import models, repository
from bot.timezones import day_code, parse_day_code
from bot.usecases import buttons as b
from bot.usecases.context import RunnerContext, end_flow, format_day, say, uses_miles, whole_number
from bot.usecases.decisions import give_plan
from bot.usecases.file_data import logged_file_data

RUN_MINUTE_CHOICES = (0, 3, 6, 9, 12, 15, 18, 20, 25, 30, 40, 50, 60)
MAX_RUN_MINUTES = 1440
NEXT_QUESTION = {"pain_during": "pain_after", "pain_after": "rpe", "rpe": None}
WORST_KEPT = ("pain_during", "pain_after", "rpe")


async def start(ctx: RunnerContext) -> Outcome:
    """/log: which day?"""
    texts = ctx.texts
    today, yesterday = ctx.today, ctx.today - timedelta(days=1)
    buttons: list[Button] = [(texts.TODAY_LABEL, b.LogDay(today)), (texts.YESTERDAY_LABEL, b.LogDay(yesterday))]
    return say(ctx, texts.ASK_LOG_DAY, (tuple(buttons),))


# a log begun from a watch file may be of any of the days a file is taken for
FILE_DAYS_AGO = MAX_DAYS_AGO


def _loggable(ctx: RunnerContext, day: date) -> bool:
    from_file = ctx.user.flow == "log" and (ctx.user.flow_data or {}).get("file") == "1"
    return ctx.today - timedelta(days=FILE_DAYS_AGO if from_file else 1) <= day <= ctx.today


async def pick_day(ctx: RunnerContext, day: date, message_id: int | None = None) -> Outcome:
    texts = ctx.texts
    if not _loggable(ctx, day):
        return Outcome(notice=texts.STALE_BUTTON)
    return ask_session(ctx, day, "done", message_id=message_id)


def summary(logged: models.SessionLog, *, texts: Texts, miles: bool = False) -> str:
    """The log's answers so far, one line each (first what a watch file gave)."""
    lines = []
    from_file = logged_file_data(logged, texts=texts, miles=miles)
    if from_file is not None:
        lines.append(texts.CHECKIN_ANSWER_SHOWN.format(label=texts.SESSION_FILE_LABEL, value=from_file))
    for field in repository.SESSION_FIELDS:
        value = getattr(logged, field)
        if value is not None:
            shown = texts.SESSION_DONE_LABELS.get(str(value), str(value)) if field == "done" else f"{value:g}"
            lines.append(texts.CHECKIN_ANSWER_SHOWN.format(label=texts.SESSION_LABELS[field], value=shown))
    return "\n".join(lines)


def _log_text(ctx: RunnerContext, day: date, logged: models.SessionLog | None, question: str | None) -> str:
    texts = ctx.texts
    parts = (
        [
            texts.SESSION_LOG_HEADER.format(day=format_day(day, ctx.today, texts=texts)),
            summary(logged, texts=texts, miles=uses_miles(ctx.user)),
        ]
        if logged
        else []
    )
    if question is not None:
        parts.append(question)
    return "\n\n".join(parts)


def ask_session(
    ctx: RunnerContext,
    day: date,
    field: str,
    then_plan_for: date | None = None,
    logged: models.SessionLog | None = None,
    message_id: int | None = None,
    lead: str | None = None,
) -> Outcome:
    """Ask `field` of that day's log: `logged` (the answers so far) above it; `message_id`: the log's message,
    edited into this question (None: a new message, e.g. after typed minutes); `lead`: a first paragraph."""
    texts = ctx.texts
    data = dict(ctx.user.flow_data or {}) if ctx.user.flow == "log" else {}
    data["date"] = day_code(day)
    if then_plan_for is not None:
        data["then_plan_for"] = day_code(then_plan_for)
    ctx.user.flow, ctx.user.flow_step, ctx.user.flow_data = "log", field, data
    keyboard: Keyboard
    if field == "done":
        keyboard = rows([(label, b.LogAnswer(day, field, key)) for key, label in texts.SESSION_DONE_LABELS.items()], 2)
    elif field == "run_minutes":
        keyboard = rows([(str(m), b.LogAnswer(day, field, str(m))) for m in RUN_MINUTE_CHOICES], 7)
    else:
        keyboard = scale_keyboard(lambda value: b.LogAnswer(day, field, str(value)))
    asked = texts.SESSION_QUESTIONS[field].format(day=format_day(day, ctx.today, texts=texts))
    text = _log_text(ctx, day, logged, asked)
    if lead is not None:
        text = f"{lead}\n\n{text}"
    reply = Reply(ctx.user.chat_id, text, keyboard, edit_message_id=message_id)
    return Outcome(replies=[reply])


async def tapped(ctx: RunnerContext, tap: b.LogAnswer, message_id: int) -> Outcome:
    texts = ctx.texts
    if not _loggable(ctx, tap.day):
        return Outcome(notice=texts.STALE_BUTTON)
    open_question = (ctx.user.flow, ctx.user.flow_step, (ctx.user.flow_data or {}).get("date"))
    if open_question != ("log", tap.field, day_code(tap.day)):
        # answered already (a double tap) or an older question: a second tap must not log twice
        return Outcome(notice=texts.STALE_BUTTON)
    return await answer(ctx, tap.day, tap.field, tap.value, message_id)


async def typed_minutes(ctx: RunnerContext, text: str) -> Outcome:
    """Run minutes typed instead of tapped."""
    texts = ctx.texts
    minutes = text.strip()
    if whole_number(minutes, MAX_RUN_MINUTES) is not None:
        day = parse_day_code(str((ctx.user.flow_data or {}).get("date", "")))
        if day is not None:
            return await answer(ctx, day, "run_minutes", minutes, message_id=None)
    return say(ctx, texts.ASK_RUN_MINUTES_TYPED)


def _value(field: str, raw: str, *, texts: Texts) -> Any:
    """The answer as stored, or None if it is not one this question takes."""
    if field == "done":
        return raw if raw in texts.SESSION_DONE_LABELS else None
    if field == "run_minutes":
        minutes = whole_number(raw, MAX_RUN_MINUTES)
        return float(minutes) if minutes is not None else None
    if field in ("pain_during", "pain_after", "rpe"):
        return whole_number(raw, 10)
    return None


async def answer(ctx: RunnerContext, day: date, field: str, raw: str, message_id: int | None) -> Outcome:
    texts = ctx.texts
    value = _value(field, raw, texts=texts)
    if value is None:
        return Outcome(notice=texts.FORGED_BUTTON)
    existing = await repository.session_on(ctx.session, ctx.user.id, day)
    if field != "done" and existing is None:
        return Outcome(notice=texts.STALE_BUTTON)
    if field in WORST_KEPT and existing is not None and (ctx.user.flow_data or {}).get("keep_worst") == "1":
        # a second session added to the day: its pain never hides the first one's
        value = max(value, getattr(existing, field) or 0)
    await repository.save_session_answer(ctx.session, ctx.user.id, day, field, value, ctx.now)
    following = await _next_question(ctx, day, field, value)
    logged = await repository.session_on(ctx.session, ctx.user.id, day)
    if following is not None:
        return ask_session(ctx, day, following, logged=logged, message_id=message_id)
    outcome = Outcome()
    if message_id is not None:  # the log's message keeps the whole log, its buttons gone
        outcome.replies.append(Reply(ctx.user.chat_id, _log_text(ctx, day, logged, None), edit_message_id=message_id))
    outcome.replies.extend((await _logged(ctx, day)).replies)
    return outcome


async def _next_question(ctx: RunnerContext, day: date, field: str, value: Any) -> str | None:
    if field == "run_minutes":
        return "pain_during" if value > 0 else None
    if field != "done":
        return NEXT_QUESTION[field]
    if value == "as_prescribed":
        prescribed = await repository.decision_on(ctx.session, ctx.user.id, day)
        minutes = float(prescribed.payload.get("run_minutes", 0)) if prescribed is not None else 0.0
        await repository.save_session_answer(ctx.session, ctx.user.id, day, "run_minutes", minutes, ctx.now)
        return "pain_during" if minutes > 0 else None
    if value in ("partial", "more"):
        return "run_minutes"
    await repository.save_session_answer(ctx.session, ctx.user.id, day, "run_minutes", 0.0, ctx.now)
    return None


async def _logged(ctx: RunnerContext, day: date) -> Outcome:
    """The last answer: the log is kept; then the plan, if the log was asked on the way to it."""
    texts = ctx.texts
    data = dict(ctx.user.flow_data or {})
    end_flow(ctx.user)
    logged = await repository.session_on(ctx.session, ctx.user.id, day)
    text = texts.SESSION_LOGGED.format(day=format_day(day, ctx.today, texts=texts))
    if logged is not None and ((logged.pain_during or 0) > 0 or (logged.pain_after or 0) > 0):
        text = f"{text}\n\n{texts.SESSION_PAIN_NOTE}"
    outcome = say(ctx, text)
    plan_day = parse_day_code(str(data.get("then_plan_for", "")))
    if plan_day is not None:
        outcome.replies.extend((await give_plan(ctx, plan_day)).replies)
    return outcome
