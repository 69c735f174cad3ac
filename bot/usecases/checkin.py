"""The morning check-in: nine one-tap questions in one message that each tap edits into the next; the last
answer closes the check-in and gives the day's plan (or first asks about yesterday's unlogged run). On a clean
morning "No pain, no signs" answers the seven symptom questions in one tap: three taps in all."""

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
# What "No pain, no signs" records: every symptom answer at its no-symptom value, nothing else.
NO_SIGNS: dict[str, int | bool] = {
    "pain_rest": 0,
    "pain_walking": 0,
    "pain_next_day": 0,
    "tenderness": False,
    "swelling": False,
    "limping": False,
    "night_pain": False,
}
SYMPTOM_FIELDS = tuple(NO_SIGNS)
SLEEP_CHOICES = ((4.0, "≤4"), (5.0, "5"), (6.0, "6"), (7.0, "7"), (8.0, "8"), (9.0, "9+"))
SNOOZE = timedelta(minutes=30)


def question(
    chat_id: int,
    day: date,
    field: str,
    header: str | None = None,
    answers: dict[str, Any] | None = None,
    edit_message_id: int | None = None,
    no_signs: bool = False,
    *,
    texts: Texts,
) -> Reply:
    """The check-in is one message: the answers so far, then the question asked now, with its buttons and
    one to go back and change the previous answer. Each tap edits that message into the next question
    (one message for the whole check-in, and one Bot API call less per tap than a message per question).
    `no_signs`: the symptom answers came from "No pain, no signs" (shown as such; ‹ Back undoes them all).
    While no symptom is answered, the first question offers that button on a row of its own, above the scale,
    so that a thumb aiming at a number does not hit it."""
    keyboard: Keyboard
    if field in SCALE_FIELDS:
        keyboard = scale_keyboard(lambda value: b.CheckinAnswer(day, field, str(value)))
    elif field == "sleep_hours":
        keyboard = rows([(label, b.CheckinAnswer(day, field, f"{value:g}")) for value, label in SLEEP_CHOICES], 6)
    else:
        keyboard = yes_no_keyboard(lambda value: b.CheckinAnswer(day, field, value), texts=texts)
    position = CHECKIN_FIELDS.index(field)
    offer_no_signs = position == 0 and not any(f in (answers or {}) for f in SYMPTOM_FIELDS)
    if offer_no_signs:
        keyboard = (((texts.NO_SIGNS_BUTTON, b.CheckinNoSigns(day)),), *keyboard)
    undo_no_signs = no_signs and position > 0 and CHECKIN_FIELDS[position - 1] in SYMPTOM_FIELDS
    if position > 0:
        back: b.ButtonData = b.CheckinBack(day, CHECKIN_FIELDS[position - 1])
        if undo_no_signs:
            back = b.CheckinNoSignsBack(day)  # the seven answers were one tap: one ‹ Back undoes them
        keyboard = (*keyboard, ((texts.CHECKIN_BACK_BUTTON, back),))
    step = texts.CHECKIN_STEP.format(number=position + 1, count=len(CHECKIN_FIELDS))
    parts = [header] if header else []
    if answers:
        parts.append(summary(answers, no_signs, texts=texts))
    asked = f"{texts.CHECKIN_QUESTIONS[field]} {step}"
    if offer_no_signs:
        asked = f"{asked}\n{texts.NO_SIGNS_HINT}"
    elif undo_no_signs:
        asked = f"{asked}\n{texts.NO_SIGNS_UNDO_HINT}"
    parts.append(asked)
    return Reply(chat_id, "\n\n".join(parts), keyboard, edit_message_id=edit_message_id)


def summary(answers: dict[str, Any], no_signs: bool = False, *, texts: Texts) -> str:
    lines = []
    shown_as_one = no_signs and all(answers.get(f) == v for f, v in NO_SIGNS.items())
    if shown_as_one:
        lines.append(texts.NO_SIGNS_SHOWN)
    for field in CHECKIN_FIELDS:
        if field in answers and not (shown_as_one and field in NO_SIGNS):
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


def recorded_no_signs(user: models.User, day: date) -> bool:
    """Whether that day's symptom answers came from "No pain, no signs" (kept in the runner's flow)."""
    data = user.flow_data or {}
    return user.flow == "checkin" and data.get("date") == day_code(day) and data.get("no_signs") == "1"


def open_checkin(user: models.User, day: date, no_signs: bool | None = None) -> None:
    """Mark the runner as in that day's check-in. The check-in message itself says which question is open
    (no flow step); unchanged, nothing is written (the answer taps then update no `users` row at all).
    `no_signs`: whether the symptom answers came from "No pain, no signs" (None: as recorded so far)."""
    flow, step, data = in_checkin(day)
    if recorded_no_signs(user, day) if no_signs is None else no_signs:
        data["no_signs"] = "1"
    if (user.flow, user.flow_step, user.flow_data) != (flow, step, data):
        user.flow, user.flow_step, user.flow_data = flow, step, data


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
    texts = ctx.texts
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
    texts = ctx.texts
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
    # a symptom answered on its own (an older client's button) ends what "No pain, no signs" stood for
    no_signs = recorded_no_signs(ctx.user, day) and tap.field not in SYMPTOM_FIELDS
    return await _next(ctx, day, plan.checkin_answers(row), message_id, no_signs)


async def _next(ctx: RunnerContext, day: date, answered: dict[str, Any], message_id: int, no_signs: bool) -> Outcome:
    """The check-in message edited to the next question, or closed with the plan after the last answer."""
    texts = ctx.texts
    field = next_question(answered)
    header = _screen_header(day, ctx.today, texts=texts)
    if field is None:
        outcome = Outcome()
        done = f"{header}\n\n{summary(answered, no_signs, texts=texts)}"
        outcome.replies.append(Reply(ctx.user.chat_id, done, edit_message_id=message_id))
        outcome.replies.extend((await _finish(ctx, day)).replies)
        return outcome
    if ctx.user.flow in (None, "checkin"):  # another flow open (e.g. a session log) stays open
        open_checkin(ctx.user, day, no_signs)
    return Outcome(
        replies=[question(ctx.user.chat_id, day, field, header, answered, message_id, no_signs, texts=texts)]
    )


async def _still_open(ctx: RunnerContext, day: date) -> tuple[models.CheckIn | None, str | None]:
    """That day's check-in row, or why a tap on it is refused (not its day any more, or already closed)."""
    refusal = day_refusal(ctx.today, ctx.user.last_prompted_for, day, texts=ctx.texts)
    if refusal is not None:
        return None, refusal
    row = await repository.checkin_on(ctx.session, ctx.user.id, day)
    if row is not None and row.completed_at is not None:
        return row, ctx.texts.CHECKIN_CLOSED
    return row, None


async def record_no_signs(ctx: RunnerContext, tap: b.CheckinNoSigns, message_id: int) -> Outcome:
    """The seven symptom answers at once ("No pain, no signs"), then sleep and fatigue. Only while no symptom
    is answered: it must never overwrite a pain the runner has already told (an older message's button)."""
    texts = ctx.texts
    row, refusal = await _still_open(ctx, tap.day)
    if refusal is not None:
        return Outcome(notice=refusal)
    if any(f in plan.checkin_answers(row) for f in SYMPTOM_FIELDS):
        return Outcome(notice=texts.NO_SIGNS_REFUSED)
    saved = None
    for field, value in NO_SIGNS.items():
        saved = await repository.save_checkin_answer(ctx.session, ctx.user.id, tap.day, field, value, ctx.now)
    if saved is None:
        return Outcome(notice=texts.CHECKIN_CLOSED)
    # with another flow open (a session log) the check-in keeps no flow state: the seven answers show one by one
    recorded = ctx.user.flow in (None, "checkin")
    return await _next(ctx, tap.day, plan.checkin_answers(saved), message_id, recorded)


async def undo_no_signs(ctx: RunnerContext, tap: b.CheckinNoSignsBack, message_id: int) -> Outcome:
    """‹ Back after "No pain, no signs": the seven answers cleared, the first question asked again."""
    texts = ctx.texts
    _, refusal = await _still_open(ctx, tap.day)
    if refusal is not None:
        return Outcome(notice=refusal)
    if not recorded_no_signs(ctx.user, tap.day):
        return Outcome(notice=texts.STALE_BUTTON)
    saved = None
    for field in SYMPTOM_FIELDS:
        saved = await repository.save_checkin_answer(ctx.session, ctx.user.id, tap.day, field, None, ctx.now)
    open_checkin(ctx.user, tap.day, no_signs=False)
    header = _screen_header(tap.day, ctx.today, texts=texts)
    answered = plan.checkin_answers(saved)
    return Outcome(
        replies=[question(ctx.user.chat_id, tap.day, SYMPTOM_FIELDS[0], header, answered, message_id, texts=texts)]
    )


async def back(ctx: RunnerContext, tap: b.CheckinBack, message_id: int) -> Outcome:
    """‹ Back: ask an earlier question again (its answer can be changed until the plan is given)."""
    texts = ctx.texts
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
    no_signs = recorded_no_signs(ctx.user, tap.day)
    reply = question(ctx.user.chat_id, tap.day, tap.field, header, answered, message_id, no_signs, texts=texts)
    return Outcome(replies=[reply])


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
    texts = ctx.texts
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
    texts = ctx.texts
    if day != ctx.today:
        return Outcome(notice=texts.STALE_BUTTON)
    ctx.user.reminder_at = ctx.now + SNOOZE
    return Outcome(notice=texts.SNOOZED)
