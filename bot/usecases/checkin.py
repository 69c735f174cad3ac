"""The morning check-in: nine one-tap questions in one message that each tap edits into the next; the last
answer closes the check-in and gives the day's plan (or first asks about yesterday's unlogged run)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from bot.i18n import Texts, resolve, texts_for
from bot.replies import Keyboard, Outcome, Reply, rows, scale_keyboard, yes_no_keyboard
from bot.storage import models, repository
from bot.storage.taps import CheckinTaps, TapRunner
from bot.timezones import day_code, local_date
from bot.usecases import buttons as b
from bot.usecases import plan
from bot.usecases.alerts import checked_in_again
from bot.usecases.context import RunnerContext, end_flow, format_day, name_suffix, say, whole_number
from bot.usecases.decisions import give_plan
from bot.usecases.session_log import ask_session
from bot.usecases.today import today
from engine.model import Action

CHECKIN_FIELDS = repository.CHECKIN_FIELDS
SCALE_FIELDS = ("pain_rest", "pain_walking", "pain_next_day", "fatigue")
SLEEP_CHOICES = ((4.0, "≤4"), (5.0, "5"), (6.0, "6"), (7.0, "7"), (8.0, "8"), (9.0, "9+"))
SNOOZE = timedelta(minutes=30)


def question(
    chat_id: int,
    day: date,
    field: str,
    header: str | None = None,
    answers: dict[str, Any] | None = None,
    edit_message_id: int | None = None,
    *,
    texts: Texts,
) -> Reply:
    """The check-in is one message: the answers so far, then the question asked now, with its buttons and
    one to go back and change the previous answer. Each tap edits that message into the next question
    (one message for the whole check-in, and one Bot API call less per tap than a message per question)."""
    keyboard: Keyboard
    if field in SCALE_FIELDS:
        keyboard = scale_keyboard(lambda value: b.CheckinAnswer(day, field, str(value)))
    elif field == "sleep_hours":
        keyboard = rows([(label, b.CheckinAnswer(day, field, f"{value:g}")) for value, label in SLEEP_CHOICES], 6)
    else:
        keyboard = yes_no_keyboard(lambda value: b.CheckinAnswer(day, field, value), texts=texts)
    position = CHECKIN_FIELDS.index(field)
    if position > 0:
        keyboard = (*keyboard, ((texts.CHECKIN_BACK_BUTTON, b.CheckinBack(day, CHECKIN_FIELDS[position - 1])),))
    step = texts.CHECKIN_STEP.format(number=position + 1, count=len(CHECKIN_FIELDS))
    parts = [header] if header else []
    if answers:
        parts.append(summary(answers, texts=texts))
    parts.append(f"{texts.CHECKIN_QUESTIONS[field]} {step}")
    return Reply(chat_id, "\n\n".join(parts), keyboard, edit_message_id=edit_message_id)


def summary(answers: dict[str, Any], *, texts: Texts) -> str:
    lines = []
    for field in CHECKIN_FIELDS:
        if field in answers:
            value = answers[field]
            shown = (texts.ANSWER_YES if value else texts.ANSWER_NO) if isinstance(value, bool) else f"{value:g}"
            lines.append(texts.CHECKIN_ANSWER_SHOWN.format(label=texts.CHECKIN_LABELS[field], value=shown))
    return "\n".join(lines)


def _screen_header(day: date, today_: date, *, texts: Texts) -> str:
    return str(texts.CHECKIN_SCREEN_HEADER.format(day=format_day(day, today_, texts=texts)))


def next_question(answers: dict[str, Any]) -> str | None:
    return next((f for f in CHECKIN_FIELDS if f not in answers), None)


def in_checkin(day: date) -> tuple[str, None, dict[str, str]]:
    """(flow, flow_step, flow_data) of a runner in that day's check-in."""
    return "checkin", None, {"date": day_code(day)}


def open_checkin(user: models.User, day: date) -> None:
    """Mark the runner as in that day's check-in. The check-in message itself says which question is open
    (no flow step); unchanged, nothing is written (the answer taps then update no `users` row at all)."""
    state = in_checkin(day)
    if (user.flow, user.flow_step, user.flow_data) != state:
        user.flow, user.flow_step, user.flow_data = state


def day_refusal(today_: date, last_prompted_for: date | None, day: date, *, texts: Texts) -> str | None:
    """The notice refusing a check-in button of that day (no longer open to answers), or None."""
    if not (today_ - timedelta(days=1) <= day <= today_):
        return str(texts.STALE_BUTTON)
    if day < today_ and last_prompted_for != day:
        return str(texts.STALE_BUTTON)
    return None


def answer_value(field: str, raw: str) -> int | float | bool | None:
    if field not in CHECKIN_FIELDS:
        return None
    if field in SCALE_FIELDS:
        return whole_number(raw, 10)
    if field == "sleep_hours":
        return {f"{v:g}": v for v, _ in SLEEP_CHOICES}.get(raw)
    return {"1": True, "0": False}.get(raw)


# ------------------------------------------------------------------ use cases


async def start(ctx: RunnerContext) -> Outcome:
    """/checkin (or "Check in now"): today's check-in from its first unanswered question."""
    texts = ctx.texts  # the reader's language
    day = ctx.today
    row = await repository.checkin_on(ctx.session, ctx.user.id, day)
    if row is not None and row.completed_at is not None:
        outcome = say(ctx, texts.CHECKIN_ALREADY_DONE)
        outcome.replies.extend((await today(ctx)).replies)
        return outcome
    answered = plan.checkin_answers(row)
    field = next_question(answered)
    if field is None:
        return await _finish(ctx, day)
    open_checkin(ctx.user, day)
    header = texts.PROMPT_HEADER.format(name=name_suffix(ctx.user), day=format_day(day, ctx.today, texts=texts))
    return Outcome(replies=[question(ctx.user.chat_id, day, field, header, answered, texts=texts)])


async def answer(ctx: RunnerContext, tap: b.CheckinAnswer, message_id: int) -> Outcome:
    texts = ctx.texts  # the reader's language
    value = answer_value(tap.field, tap.value)
    if value is None:
        return Outcome(notice=texts.FORGED_BUTTON)
    day = tap.day
    refusal = day_refusal(ctx.today, ctx.user.last_prompted_for, day, texts=texts)
    if refusal is not None:
        return Outcome(notice=refusal)
    row = await repository.save_checkin_answer(ctx.session, ctx.user.id, day, tap.field, value, ctx.now)
    if row is None:
        return Outcome(notice=texts.CHECKIN_CLOSED)
    answered = plan.checkin_answers(row)
    field = next_question(answered)
    header = _screen_header(day, ctx.today, texts=texts)
    if field is None:
        outcome = Outcome()
        done = f"{header}\n\n{summary(answered, texts=texts)}"
        outcome.replies.append(Reply(ctx.user.chat_id, done, edit_message_id=message_id))
        outcome.replies.extend((await _finish(ctx, day)).replies)
        return outcome
    if ctx.user.flow in (None, "checkin"):  # another flow open (e.g. a session log) stays open
        open_checkin(ctx.user, day)
    return Outcome(replies=[question(ctx.user.chat_id, day, field, header, answered, message_id, texts=texts)])


async def back(ctx: RunnerContext, tap: b.CheckinBack, message_id: int) -> Outcome:
    """‹ Back: ask an earlier question again (its answer can be changed until the plan is given)."""
    texts = ctx.texts  # the reader's language
    if tap.field not in CHECKIN_FIELDS:
        return Outcome(notice=texts.FORGED_BUTTON)
    refusal = day_refusal(ctx.today, ctx.user.last_prompted_for, tap.day, texts=texts)
    if refusal is not None:
        return Outcome(notice=refusal)
    row = await repository.checkin_on(ctx.session, ctx.user.id, tap.day)
    if row is not None and row.completed_at is not None:
        return Outcome(notice=texts.CHECKIN_CLOSED)
    answered = plan.checkin_answers(row)
    header = _screen_header(tap.day, ctx.today, texts=texts)
    return Outcome(replies=[question(ctx.user.chat_id, tap.day, tap.field, header, answered, message_id, texts=texts)])


async def answer_plain_tap(
    taps: CheckinTaps,
    now: datetime,
    telegram_id: int,
    chat_id: int,
    message_id: int,
    tap: b.CheckinAnswer,
    update_id: int,
) -> Outcome | None:
    """The plain check-in answer (a known, active, onboarded runner in that day's check-in, not its last
    answer) in one short transaction without the ORM (bot/storage/taps.py, on every database). It must answer
    exactly as `answer` does for a runner's update;
    None for anything else, which then takes that path (nothing was written)."""
    day, field = tap.day, tap.field
    value = answer_value(field, tap.value)
    if value is None:
        return None

    def admit(runner: TapRunner) -> date | None:  # runs in the database thread: pure, no I/O
        if not runner.active or runner.chat_id != chat_id or not runner.onboarded:
            return None  # the runner's update would write the user row, or the router refuse the tap
        today_ = local_date(now, runner.time_zone)  # (only whether it is refused: the words are not read here)
        if day_refusal(today_, runner.last_prompted_for, day, texts=texts_for("en")) is not None:
            return None  # the ORM path gives the refusal
        state = (runner.flow, runner.flow_step, runner.flow_data)
        if runner.flow in (None, "checkin") and state != in_checkin(day):
            return None  # open_checkin would write the user row
        return day

    saved = await taps.save_answer(telegram_id, update_id, field, value, now, admit)
    if saved is None:
        return None
    if saved.duplicate:
        return Outcome()
    runner = saved.runner
    texts = texts_for(resolve(runner.language if runner.language_chosen else None, runner.telegram_language))
    if saved.answers is None:
        return Outcome(notice=texts.CHECKIN_CLOSED)
    field_now = next(f for f in CHECKIN_FIELDS if f not in saved.answers)  # the last answer is not taken here
    header = _screen_header(saved.day, local_date(now, saved.runner.time_zone), texts=texts)
    reply = question(saved.runner.chat_id, saved.day, field_now, header, saved.answers, message_id, texts=texts)
    return Outcome(replies=[reply])


async def _finish(ctx: RunnerContext, day: date) -> Outcome:
    """All nine answers are in: ask about yesterday's run if it is not logged, else give the plan."""
    texts = ctx.texts  # the reader's language
    end_flow(ctx.user)
    ctx.user.reminder_at = None
    await checked_in_again(ctx, day)  # after days of silence, the care team hears the runner is back
    yesterday = day - timedelta(days=1)
    prescribed = await repository.decision_on(ctx.session, ctx.user.id, yesterday)
    logged = await repository.session_on(ctx.session, ctx.user.id, yesterday)
    if prescribed is not None and prescribed.action == Action.RUN_WALK and logged is None:
        outcome = say(ctx, texts.YESTERDAY_SESSION_MISSING)
        outcome.replies.extend(ask_session(ctx, yesterday, "done", then_plan_for=day).replies)
        return outcome
    return await give_plan(ctx, day)


async def snooze(ctx: RunnerContext, day: date) -> Outcome:
    texts = ctx.texts  # the reader's language
    if day != ctx.today:
        return Outcome(notice=texts.STALE_BUTTON)
    ctx.user.reminder_at = ctx.now + SNOOZE
    return Outcome(notice=texts.SNOOZED)
