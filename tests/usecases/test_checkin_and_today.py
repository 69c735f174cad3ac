"""The morning check-in and "what's today?", called directly."""

from __future__ import annotations

from datetime import UTC, timedelta

from bot import texts
from bot.usecases import buttons as b
from bot.usecases import checkin
from bot.usecases.today import today
from tests.usecases.conftest import DAY1, World, texts_of

NO_SYMPTOMS = {
    "pain_rest": "0",
    "pain_walking": "0",
    "pain_next_day": "0",
    "tenderness": "0",
    "swelling": "0",
    "limping": "0",
    "night_pain": "0",
    "sleep_hours": "8",
    "fatigue": "2",
}


async def _answer(world: World, field: str, value: str, day=DAY1):  # type: ignore[no-untyped-def]
    return await world.do(lambda ctx: checkin.answer(ctx, b.CheckinAnswer(day, field, value), message_id=7))


async def test_each_answer_edits_the_message_into_the_next_question(world: World) -> None:
    await world.onboard()
    started = await world.do(checkin.start)
    assert texts.CHECKIN_QUESTIONS["pain_rest"] in started.replies[0].text
    first = await _answer(world, "pain_rest", "1")
    (edit,) = first.replies
    assert edit.edit_message_id == 7
    assert texts.CHECKIN_QUESTIONS["pain_walking"] in edit.text and "✓" in edit.text
    # the keyboard answers the question asked now, and offers to go back to the one before
    buttons = [button for row in edit.keyboard for _, button in row]
    assert b.CheckinAnswer(DAY1, "pain_walking", "0") in buttons
    assert b.CheckinBack(DAY1, "pain_rest") in buttons


async def test_the_last_answer_closes_the_checkin_and_gives_the_plan(world: World) -> None:
    await world.onboard()
    await world.do(checkin.start)
    outcome = None
    for field, value in NO_SYMPTOMS.items():
        outcome = await _answer(world, field, value)
    assert outcome is not None
    header = texts.CHECKIN_DONE_HEADER.format(day=texts.TODAY_WORD)
    assert any(t.startswith(header) for t in texts_of(outcome))
    user = await world.user()
    assert (user.flow, user.reminder_at) == (None, None)
    closed = await _answer(world, "fatigue", "9")  # after the plan: closed to changes
    assert closed.notice == texts.CHECKIN_CLOSED


async def test_forged_and_stale_answers_are_refused(world: World) -> None:
    await world.onboard()
    assert (await _answer(world, "pain_rest", "11")).notice == texts.FORGED_BUTTON
    assert (await _answer(world, "user_id", "1")).notice == texts.FORGED_BUTTON
    tomorrow = DAY1 + timedelta(days=1)
    assert (await _answer(world, "pain_rest", "1", day=tomorrow)).notice == texts.STALE_BUTTON


async def test_today_before_the_checkin_asks_for_it(world: World) -> None:
    await world.onboard()
    outcome = await world.do(today)
    said = texts_of(outcome)
    assert said[0].startswith(texts.TODAY_PLAN_HEADER.format(day="Thu 01 Oct"))
    assert said[-1] == texts.TODAY_NEEDS_CHECKIN
    assert outcome.replies[-1].keyboard == (((texts.CHECKIN_NOW_BUTTON, b.CheckinNow()),),)


async def test_snooze_moves_the_reminder_half_an_hour(world: World) -> None:
    await world.onboard()
    outcome = await world.do(lambda ctx: checkin.snooze(ctx, DAY1))
    assert outcome.notice == texts.SNOOZED
    reminder_at = (await world.user()).reminder_at
    assert reminder_at is not None
    assert reminder_at.replace(tzinfo=UTC) == world.clock.now() + checkin.SNOOZE  # SQLite keeps UTC, naive
