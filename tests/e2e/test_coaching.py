"""The daily coaching loop end to end: check-in, plan, "what's today?", session log, pain, pause, resume."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from bot.storage import models, repository
from bot.usecases import plan
from tests.e2e.conftest import RUNNER, Harness, live_compliant_day

DAY1 = date(2026, 10, 1)  # the harness clock starts 2026-10-01 06:00 UTC, 08:00 in Berlin


def at_morning(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 6, 0, tzinfo=UTC)  # 08:00 in Berlin (CEST)


async def decision(harness: Harness, day: date) -> models.DecisionRecord:
    async with harness.coach_app.sessions() as session:
        row = (
            await session.execute(select(models.DecisionRecord).where(models.DecisionRecord.local_date == day))
        ).scalar_one()
    return row


async def seed_compliant_days(harness: Harness, first: date, days: int, chat_id: int = RUNNER) -> None:
    """Live `days` days of a runner who checks in symptom-free and does every session as prescribed,
    through the coach's own storage and planning code (fast, no Telegram round trips)."""
    sessions = harness.coach_app.sessions
    async with sessions() as session, session.begin():
        user = await repository.user_by_telegram_id(session, chat_id)
        assert user is not None
        user_id = user.id
        profile = await repository.profile_of(session, user_id)
        assert profile is not None
        profile.started_on = first
        profile.cleared_to_run_on = first
        await repository.add_event(session, user_id, first, "readiness_confirmed", at_morning(first))
    for offset in range(days):
        day = first + timedelta(days=offset)
        now = at_morning(day)
        await live_compliant_day(sessions, user_id, day, now)


async def test_full_checkin_gives_the_first_run_walk(harness: Harness) -> None:
    await harness.onboard()
    replies = await harness.send("what's today?")
    assert "Check in first" in replies[-1].text
    replies = await harness.send("/checkin")
    assert replies[0].text.startswith("Good morning")
    replies = await harness.checkin(DAY1)
    plan_text = replies[-1].text
    assert "check-in for today done" in plan_text
    assert "1 min" in plan_text and "4 min" in plan_text  # level 1: run 1 min / walk 4 min
    record = await decision(harness, DAY1)
    assert (record.action, record.level, record.paused) == ("run_walk", 1, False)
    assert "level_1" in record.reasons
    replies = await harness.send("What's today?")
    assert "1 min" in replies[-1].text and "Check in first" not in replies[-1].text
    replies = await harness.send("/checkin")
    assert "already done" in replies[0].text


async def test_the_checkin_is_one_message_and_answers_can_be_changed_until_the_plan(harness: Harness) -> None:
    await harness.onboard()
    await harness.send("/checkin")
    first = harness.emulator.last_message(RUNNER)
    assert first is not None and "(1 of 9)" in (first.text or "")
    assert await harness.tap("c:20261001:pain_rest:3", message_id=first.message_id) == []  # an edit, no new message
    edited = harness.emulator.message(RUNNER, first.message_id)
    assert edited.text is not None and "✓ Pain at rest: 3" in edited.text and "(2 of 9)" in edited.text
    assert "c:20261001:pain_walking:0" in [data for _, data in edited.buttons]
    await harness.tap("cb:20261001:pain_rest", message_id=first.message_id)  # ‹ Back: changed my mind
    again = harness.emulator.message(RUNNER, first.message_id)
    assert "(1 of 9)" in (again.text or "") and "✓ Pain at rest: 3" in (again.text or "")
    await harness.tap("c:20261001:pain_rest:0", message_id=first.message_id)
    edited = harness.emulator.message(RUNNER, first.message_id)
    assert "✓ Pain at rest: 0" in (edited.text or "") and "(2 of 9)" in (edited.text or "")  # on where it was
    replies = await harness.checkin(DAY1)
    assert "1 min" in replies[-1].text
    done = harness.emulator.message(RUNNER, first.message_id)
    assert done.buttons == [] and "✓ Fatigue: 2" in (done.text or "")  # the answers stay, the buttons go
    assert [m.message_id for m in harness.emulator.messages(RUNNER)][-2] == first.message_id  # then the plan
    notice = await harness.forge("c:20261001:pain_rest:5", message_id=first.message_id)
    assert notice is not None and "closed" in notice
    notice = await harness.forge("cb:20261001:pain_rest", message_id=first.message_id)
    assert notice is not None and "closed" in notice
    async with harness.coach_app.sessions() as session:
        row = (await session.execute(select(models.CheckIn))).scalar_one()
    assert (row.pain_rest, row.fatigue) == (0, 2)


async def test_a_session_log_is_stored(harness: Harness) -> None:
    await harness.onboard()
    await harness.send("/checkin")
    await harness.checkin(DAY1)
    await harness.send("/log")
    await harness.tap("ld:20261001")
    await harness.tap("l:20261001:done:as_prescribed")
    await harness.tap("l:20261001:pain_during:0")
    await harness.tap("l:20261001:pain_after:0")
    replies = await harness.tap("l:20261001:rpe:3")
    assert "Logged your session" in replies[-1].text
    async with harness.coach_app.sessions() as session:
        row = (await session.execute(select(models.SessionLog))).scalar_one()
    assert (row.done, row.run_minutes, row.pain_during, row.pain_after, row.rpe) == ("as_prescribed", 6, 0, 0, 3)


async def test_the_morning_checkin_asks_about_yesterdays_unlogged_run(harness: Harness) -> None:
    await harness.onboard()
    await harness.send("/checkin")
    await harness.checkin(DAY1)  # level 1 run prescribed, never logged
    harness.clock.set(datetime(2026, 10, 2, 5, 0, tzinfo=UTC))
    await harness.morning_round()
    replies = await harness.checkin(DAY1 + timedelta(days=1))
    assert "yesterday's session isn't logged" in replies[0].text
    await harness.tap("l:20261001:done:partial")
    await harness.tap("l:20261001:run_minutes:3")
    await harness.tap("l:20261001:pain_during:0")
    await harness.tap("l:20261001:pain_after:0")
    replies = await harness.tap("l:20261001:rpe:2")
    assert "Logged" in replies[0].text and "check-in for today done" in replies[-1].text


async def test_a_painful_session_drops_the_level(harness: Harness) -> None:
    await harness.onboard()
    first = DAY1 - timedelta(days=20)
    await seed_compliant_days(harness, first, 20)
    before = await decision(harness, DAY1 - timedelta(days=1))
    level_before = before.level
    assert level_before is not None and level_before >= 2
    # the next run day: a run at the current level, done with pain 4 during it
    run_day = DAY1
    for _ in range(3):
        harness.clock.set(at_morning(run_day))
        await harness.send("/checkin")
        await harness.checkin(run_day)
        today = await decision(harness, run_day)
        if today.action == "run_walk":
            break
        run_day += timedelta(days=1)
    assert today.action == "run_walk" and today.level is not None and today.level >= level_before
    code = run_day.strftime("%Y%m%d")
    await harness.send("/log")
    await harness.tap(f"ld:{code}")
    await harness.tap(f"l:{code}:done:as_prescribed")
    await harness.tap(f"l:{code}:pain_during:4")
    await harness.tap(f"l:{code}:pain_after:2")
    replies = await harness.tap(f"l:{code}:rpe:4")
    assert "bone pain" in replies[-1].text
    levels = []
    for offset in (1, 2, 3, 4):
        day = run_day + timedelta(days=offset)
        harness.clock.set(at_morning(day))
        await harness.send("/checkin")
        await harness.checkin(day)
        record = await decision(harness, day)
        if offset in (1, 2):
            assert record.action != "run_walk"  # two days without running
            assert "drop_back_pain" in record.reasons or offset == 2
        if record.action == "run_walk":
            levels.append(record.level)
            await harness.send("/log")
            code = day.strftime("%Y%m%d")
            await harness.tap(f"ld:{code}")
            await harness.tap(f"l:{code}:done:as_prescribed")
            await harness.tap(f"l:{code}:pain_during:0")
            await harness.tap(f"l:{code}:pain_after:0")
            await harness.tap(f"l:{code}:rpe:3")
    assert levels and levels[0] == today.level - 1


async def test_a_red_flag_pauses_at_once_and_resume_waits_for_the_criteria(harness: Harness) -> None:
    await harness.onboard()
    await harness.send("/checkin")
    await harness.checkin(DAY1)
    replies = await harness.send("my shin hurts")
    assert "Where or when" in replies[-1].text
    await harness.tap("p:walking")
    replies = await harness.tap("p:walking:3")
    text = replies[-1].text
    assert "paused" in text.lower() and "clinician" in text.lower()
    record = await decision(harness, DAY1)
    assert record.paused and "pause_walking_pain" in record.reasons
    replies = await harness.send("/today")
    assert "paused" in replies[0].text.lower()
    replies = await harness.send("/resume")
    assert "can't resume" in replies[0].text
    for offset in range(1, 6):
        day = DAY1 + timedelta(days=offset)
        harness.clock.set(at_morning(day))
        await harness.send("/checkin")
        await harness.checkin(day)
        if offset < 5:
            replies = await harness.send("/resume")
            assert "can't resume" in replies[0].text
    replies = await harness.send("/resume")
    assert "resumed" in replies[0].text.lower()
    record = await decision(harness, DAY1 + timedelta(days=5))
    assert not record.paused
    async with harness.coach_app.sessions() as session:
        pauses = (await session.execute(select(models.Pause))).scalars().all()
    assert [(p.started_on, p.ended_on) for p in pauses] == [(DAY1, DAY1 + timedelta(days=5))]


async def test_a_restart_in_the_middle_of_a_checkin_continues_where_it_stopped(harness: Harness) -> None:
    await harness.onboard()
    await harness.send("/checkin")
    for field in ("pain_rest", "pain_walking", "pain_next_day"):
        await harness.tap(f"c:20261001:{field}:0")
    await harness.restart()
    await harness.tap("c:20261001:tenderness:0")  # the button sent before the restart still works
    assert "swelling" in harness.last_text().lower()  # the check-in message now asks the next question
    await harness.restart()
    replies = await harness.send("/checkin")  # or ask again: it picks up at the first unanswered question
    assert "swelling" in replies[-1].text.lower()
    for field, value in (("swelling", 0), ("limping", 0), ("night_pain", 0), ("sleep_hours", 8), ("fatigue", 2)):
        replies = await harness.tap(f"c:20261001:{field}:{value}")
    assert "1 min" in replies[-1].text
    async with harness.coach_app.sessions() as session:
        rows = (await session.execute(select(models.CheckIn))).scalars().all()
    assert len(rows) == 1 and plan.is_complete(rows[0])


async def test_free_text_mid_checkin_and_other_messages_get_a_helpful_answer(harness: Harness) -> None:
    await harness.onboard()
    await harness.send("/checkin")
    replies = await harness.send("seven")
    assert "buttons" in replies[0].text
    await harness.user_does(lambda: harness.emulator.user_sends_sticker(RUNNER))
    assert "only read text" in harness.last_text()
    replies = await harness.send("/nonsense")
    assert "/help" in replies[0].text
    replies = await harness.send("/help")
    assert "/today" in replies[0].text and "/delete" in replies[0].text


async def test_a_serious_sign_waits_for_the_clinician_and_the_runner_can_report_the_clearance(harness: Harness) -> None:
    await harness.onboard()
    await harness.send("/checkin")
    replies = await harness.checkin(DAY1, night_pain=1)
    assert "paused" in replies[-1].text.lower() and "clinician" in replies[-1].text.lower()
    for offset in range(1, 7):  # six symptom-free check-ins are not enough after night pain
        day = DAY1 + timedelta(days=offset)
        harness.clock.set(at_morning(day))
        await harness.send("/checkin")
        await harness.checkin(day)
    replies = await harness.send("/resume")
    assert "can't resume" in replies[0].text and ("My clinician has cleared me", "cc:ask") in replies[0].buttons
    await harness.tap("cc:ask")
    replies = await harness.tap("cc:no")
    assert "Nothing recorded" in replies[0].text
    await harness.tap("cc:ask")
    replies = await harness.tap("cc:yes")
    assert "resumed" in replies[0].text.lower()
    record = await decision(harness, DAY1 + timedelta(days=6))
    assert not record.paused and "resume_clinician_cleared" in record.reasons


async def test_a_late_answer_after_midnight_counts_for_that_morning(harness: Harness) -> None:
    await harness.onboard()
    harness.clock.set(datetime(2026, 10, 2, 5, 0, tzinfo=UTC))  # 07:00 in Berlin: the prompt for 2 Oct
    await harness.morning_round()
    harness.clock.set(datetime(2026, 10, 2, 22, 30, tzinfo=UTC))  # 00:30 on 3 Oct in Berlin
    await harness.tap("c:20261002:pain_rest:1")
    async with harness.coach_app.sessions() as session:
        row = (await session.execute(select(models.CheckIn))).scalar_one()
    assert (row.local_date, row.pain_rest) == (date(2026, 10, 2), 1)
    notice = await harness.forge("c:20261001:pain_rest:1")  # a morning that was never prompted: refused
    assert notice is not None and "older message" in notice


async def test_the_runners_own_pause_and_resume(harness: Harness) -> None:
    await harness.onboard()
    await harness.send("/checkin")
    await harness.checkin(DAY1)
    replies = await harness.send("/pause")
    assert "paused" in replies[0].text.lower()
    record = await decision(harness, DAY1)
    assert record.paused and "pause_requested" in record.reasons
    replies = await harness.send("/resume")
    assert "can't resume" in replies[0].text  # 5 symptom-free check-ins first, as for any mild pause


async def test_settings_change_the_time_zone_and_the_next_prompt_moves(harness: Harness) -> None:
    await harness.onboard()  # Europe/Berlin, 07:00
    replies = await harness.send("/settings")
    assert "Europe/Berlin" in replies[0].text
    await harness.tap("s:timezone")
    replies = await harness.send("Asia/Kolkata")
    assert "Saved" in replies[-1].text
    await harness.send("/settings")
    await harness.tap("s:checkin_time")
    await harness.tap("o:checkin_time:06:30")
    async with harness.coach_app.sessions() as session:
        user = (await session.execute(select(models.User).where(models.User.telegram_id == RUNNER))).scalar_one()
    assert (user.time_zone, user.checkin_minute) == ("Asia/Kolkata", 6 * 60 + 30)
    assert user.next_prompt_at is not None
    assert user.next_prompt_at.replace(tzinfo=UTC) == datetime(2026, 10, 2, 1, 0, tzinfo=UTC)  # 06:30 IST
