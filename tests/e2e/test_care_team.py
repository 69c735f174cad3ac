"""The care team end to end: invitations, alerts while handling the same update, clinician clearance,
removal, and bad codes."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.storage import models
from tests.e2e.conftest import RUNNER, Harness, log_painful_session

COACH, CLINICIAN, STRANGER = 2001, 2002, 2003
DAY1 = datetime(2026, 10, 1, 6, 0, tzinfo=UTC)


async def invite(harness: Harness, role: str) -> str:
    await harness.send("/share")
    replies = await harness.tap(f"sh:{role}")
    match = re.search(r"https://t\.me/runback_test_bot\?start=([A-Za-z0-9_-]{32})", replies[-1].text or "")
    assert match, replies[-1].text
    return match.group(1)


async def follow(harness: Harness, follower: int, role: str, name: str) -> None:
    code = await invite(harness, role)
    replies = await harness.send(f"/start {code}", follower, first_name=name)
    assert "invites you to follow" in (replies[0].text or "")
    replies = await harness.tap("iv:yes", follower)
    assert "will confirm you" in (replies[0].text or "")
    await harness.tap("o:timezone:Europe/London", follower)
    confirm = harness.emulator.last_message(RUNNER)
    assert confirm is not None and name in (confirm.text or "")
    (confirm_yes,) = [data for _, data in confirm.buttons if data and data.endswith(":yes")]
    await harness.tap(confirm_yes)
    assert "confirmed you" in harness.last_text(follower)


async def runner_id(harness: Harness) -> int:
    async with harness.coach_app.sessions() as session:
        user = (await session.execute(select(models.User).where(models.User.telegram_id == RUNNER))).scalar_one()
    return user.id


async def test_invite_accept_confirm_and_the_follower_sees_the_runner(harness: Harness) -> None:
    await harness.onboard()
    await follow(harness, CLINICIAN, "clinician", "Dr Jones")
    replies = await harness.send("/team")
    assert "Dr Jones: clinician" in (replies[0].text or "")
    replies = await harness.send("/runners", CLINICIAN)
    rid = await runner_id(harness)
    assert ("Runner (clinician)", f"rv:{rid}") in replies[0].buttons
    replies = await harness.tap(f"rv:{rid}", CLINICIAN)
    assert "plan active" in (replies[0].text or "")
    assert any("date" in (m.text or "") and "plan" in (m.text or "") for m in replies)  # the 14-day table
    replies = await harness.tap(f"pg:{rid}", CLINICIAN)
    assert replies[-1].photo is not None and replies[-1].photo.content is not None
    assert replies[-1].photo.content.startswith(b"\x89PNG")


async def test_a_red_flag_alerts_two_followers_while_handling_that_update(harness: Harness) -> None:
    await harness.onboard()
    await follow(harness, COACH, "coach", "Coach Kim")
    await follow(harness, CLINICIAN, "clinician", "Dr Jones")
    await harness.send("/checkin")
    await harness.checkin(DAY1.date(), night_pain=1)  # returns once the last tap's update is handled
    for follower in (COACH, CLINICIAN):
        alert = harness.last_text(follower)
        assert "plan is paused" in alert and "pause_night_pain" in alert and "night pain yes" in alert
    clinician_alert = harness.emulator.last_message(CLINICIAN)
    coach_alert = harness.emulator.last_message(COACH)
    assert clinician_alert is not None and coach_alert is not None
    rid = await runner_id(harness)
    assert ("Cleared to resume", f"ck:{rid}") in clinician_alert.buttons
    assert ("Cleared to resume", f"ck:{rid}") not in coach_alert.buttons


async def test_a_coach_cannot_clear_a_clinician_can_and_the_engine_resumes(harness: Harness) -> None:
    await harness.onboard()
    await follow(harness, COACH, "coach", "Coach Kim")
    await follow(harness, CLINICIAN, "clinician", "Dr Jones")
    await harness.send("/checkin")
    await harness.checkin(DAY1.date(), night_pain=1)
    rid = await runner_id(harness)
    notice = await harness.forge(f"ckc:{rid}:yes", COACH)
    assert notice is not None and "Only a clinician" in notice
    harness.clock.set(DAY1 + timedelta(days=1))
    await harness.tap(f"ck:{rid}", CLINICIAN)
    replies = await harness.tap(f"ckc:{rid}:yes", CLINICIAN)
    assert "you cleared Runner" in (replies[0].text or "")
    assert "Dr Jones cleared you to resume running on 2026-10-02" in "\n".join(harness.texts(RUNNER))
    # the pause ends on the first day at or after the clearance with a symptom-free check-in
    await harness.send("/checkin")
    replies = await harness.checkin(DAY1.date() + timedelta(days=1))
    assert "resumed" in (replies[-1].text or "").lower()
    async with harness.coach_app.sessions() as session:
        event = (
            await session.execute(select(models.Event).where(models.Event.kind == "clinician_cleared"))
        ).scalar_one()
        record = (
            await session.execute(
                select(models.DecisionRecord).where(models.DecisionRecord.local_date == DAY1.date() + timedelta(days=1))
            )
        ).scalar_one()
    assert event.actor_user_id is not None and not record.paused
    assert "resume_clinician_cleared" in record.reasons
    # the resume is told too: held 10 minutes (a burst would be one message), then sent by the round
    assert "resumed" not in harness.last_text(COACH)
    harness.clock.advance(timedelta(minutes=10))
    await harness.morning_round()
    assert "resumed" in harness.last_text(COACH)


async def test_removal_stops_alerts_at_once(harness: Harness) -> None:
    await harness.onboard()
    await follow(harness, COACH, "coach", "Coach Kim")
    replies = await harness.send("/team")
    (remove,) = [data for _, data in replies[0].buttons if data and data.startswith("tm:")]
    await harness.tap(remove)
    assert "removed you" in harness.last_text(COACH)
    seen = len(harness.emulator.messages(COACH))
    await harness.send("/checkin")
    await harness.checkin(DAY1.date(), night_pain=1)
    assert len(harness.emulator.messages(COACH)) == seen
    rid = await runner_id(harness)
    notice = await harness.forge(f"rv:{rid}", COACH)
    assert notice is not None and "don't follow" in notice


async def test_expired_reused_and_altered_codes_are_refused(harness: Harness) -> None:
    await harness.onboard()
    code = await invite(harness, "coach")
    altered = code[:-1] + ("A" if code[-1] != "A" else "B")
    replies = await harness.send(f"/start {altered}", STRANGER)
    assert "isn't valid" in (replies[0].text or "")
    replies = await harness.send(f"/start {code}", COACH)
    await harness.tap("iv:yes", COACH)
    replies = await harness.send(f"/start {code}", STRANGER)
    assert "already been used" in (replies[0].text or "")
    late = await invite(harness, "clinician")
    harness.clock.advance(timedelta(hours=48, seconds=1))
    replies = await harness.send(late, CLINICIAN)  # the code typed as text works the same way
    assert "expired" in (replies[0].text or "")
    own = await invite(harness, "coach")
    replies = await harness.send(f"/start {own}")
    assert "your own invitation" in (replies[0].text or "")


async def test_report_goes_to_the_clinician_as_a_pdf(harness: Harness) -> None:
    await harness.onboard()
    await follow(harness, CLINICIAN, "clinician", "Dr Jones")
    await harness.send("/checkin")
    await harness.checkin(DAY1.date())
    replies = await harness.send("/report")
    assert "on its way to your clinician" in (replies[0].text or "")
    document = harness.emulator.last_message(CLINICIAN)
    assert document is not None and document.document is not None and document.document.content is not None
    assert document.document.content.startswith(b"%PDF-")


async def test_weekly_summary_on_sunday_evening_in_the_followers_zone(harness: Harness) -> None:
    await harness.onboard()
    await follow(harness, COACH, "coach", "Coach Kim")  # answers Europe/London for their own zone
    await harness.send("/checkin")
    await harness.checkin(DAY1.date())
    # 2026-10-04 is a Sunday; 19:00 in London (BST, UTC+1) is 18:00 UTC
    summaries: list[datetime] = []
    harness.clock.set(datetime(2026, 10, 4, 12, 0, tzinfo=UTC))
    for _ in range(14 * 24 * 2):  # two weeks in 30-minute steps
        before = len(harness.emulator.messages(COACH))
        await harness.morning_round()
        if any("Weekly summary" in (m.caption or "") for m in harness.emulator.messages(COACH)[before:]):
            summaries.append(harness.clock.now())
        harness.clock.advance(timedelta(minutes=30))
    assert summaries == [datetime(2026, 10, 4, 18, 0, tzinfo=UTC), datetime(2026, 10, 11, 18, 0, tzinfo=UTC)]
    last = harness.emulator.last_message(COACH)
    assert last is not None and last.photo is not None and "Check-ins missed" in (last.caption or "")


async def test_a_follower_can_leave_and_a_clinician_can_say_not_yet_and_confirm_reviews(harness: Harness) -> None:
    await harness.onboard()
    await follow(harness, COACH, "coach", "Coach Kim")
    await follow(harness, CLINICIAN, "clinician", "Dr Jones")
    rid = await runner_id(harness)
    await harness.send("/runners", CLINICIAN)
    await harness.tap(f"rv:{rid}", CLINICIAN)
    replies = await harness.tap(f"rr:{rid}", CLINICIAN)
    assert "health (REDs) review confirmed" in (replies[0].text or "")
    assert "Dr Jones confirmed your health (REDs) review" in harness.last_text()
    notice = await harness.forge(f"rr:{rid}", COACH)  # a coach may not
    assert notice is not None and "Only a clinician" in notice
    await harness.send("/checkin")
    await harness.checkin(DAY1.date(), night_pain=1)
    await harness.tap(f"ck:{rid}", CLINICIAN)
    replies = await harness.tap(f"ckc:{rid}:no", CLINICIAN)
    assert "not yet cleared" in (replies[0].text or "")
    assert "not cleared to resume yet" in harness.last_text()
    async with harness.coach_app.sessions() as session:
        kinds = (await session.execute(select(models.Event.kind))).scalars().all()
    assert "clinician_cleared" not in kinds and "reds_review_confirmed" in kinds
    await harness.send("/runners", COACH)
    await harness.tap(f"rv:{rid}", COACH)
    replies = await harness.tap(f"lv:{rid}", COACH)
    assert "no longer follow" in (replies[0].text or "")
    assert "Coach Kim stopped following you" in harness.last_text()
    replies = await harness.send("/team")
    assert "Coach Kim" not in (replies[0].text or "") and "Dr Jones" in (replies[0].text or "")


async def test_a_drop_back_is_told_to_followers_once(harness: Harness) -> None:
    from tests.e2e.test_coaching import seed_compliant_days

    await harness.onboard()
    await follow(harness, COACH, "coach", "Coach Kim")
    await seed_compliant_days(harness, DAY1.date() - timedelta(days=20), 20)
    # the next run day, done with bone pain 4: the following morning drops back
    day = DAY1.date()
    for _ in range(3):
        harness.clock.set(datetime(day.year, day.month, day.day, 6, 0, tzinfo=UTC))
        await harness.send("/checkin")
        await harness.checkin(day)
        if "run_walk" in (await _decision_action(harness, day)):
            break
        day += timedelta(days=1)
    await log_painful_session(harness, day)
    seen = len(harness.emulator.messages(COACH))
    next_day = day + timedelta(days=1)
    harness.clock.set(datetime(next_day.year, next_day.month, next_day.day, 6, 0, tzinfo=UTC))
    await harness.send("/checkin")
    await harness.checkin(next_day)
    await harness.send("/today")  # deciding the same day again does not repeat the alert
    assert harness.emulator.messages(COACH)[seen:] == []  # held 10 minutes: a burst would be one message
    harness.clock.advance(timedelta(minutes=10))
    await harness.morning_round()
    await harness.send("/today")
    alerts = [m.text or "" for m in harness.emulator.messages(COACH)[seen:]]
    assert len(alerts) == 1 and "drops back" in alerts[0] and "drop_back_pain" in alerts[0]
    assert "bone pain 4/10 during in the run of yesterday" in alerts[0]  # the runner's number, in plain words


async def _decision_action(harness: Harness, day: object) -> str:
    async with harness.coach_app.sessions() as session:
        record = (
            await session.execute(select(models.DecisionRecord).where(models.DecisionRecord.local_date == day))
        ).scalar_one()
    return record.action


async def test_delete_removes_the_care_team_on_both_sides(harness: Harness) -> None:
    await harness.onboard()
    await follow(harness, CLINICIAN, "clinician", "Dr Jones")
    await invite(harness, "coach")  # an open invitation too
    await harness.send("/delete", CLINICIAN)  # the follower erases themselves
    await harness.tap("d:yes", CLINICIAN)
    async with harness.coach_app.sessions() as session:
        assert (await session.execute(select(models.Follow))).scalars().all() == []
    replies = await harness.send("/team")
    assert "Nobody follows you" in (replies[0].text or "")
    await harness.send("/delete")
    await harness.tap("d:yes")
    async with harness.coach_app.sessions() as session:
        assert (await session.execute(select(models.Invitation))).scalars().all() == []
        assert (await session.execute(select(models.User))).scalars().all() == []
