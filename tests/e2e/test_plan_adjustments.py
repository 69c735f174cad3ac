"""Plan adjustments end to end (issue 16): a clinician holds a runner at a level from /runners, a runner records
their own clinician's instruction, and nobody else can set one — forged, stale or orphaned buttons store nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from bot import charts
from bot.storage import models, repository
from tests.e2e.conftest import RUNNER, Harness, live_compliant_day
from tests.e2e.test_care_team import CLINICIAN, COACH, STRANGER, follow, runner_id

DAY1 = date(2026, 10, 1)  # the harness clock starts 2026-10-01 06:00 UTC, 08:00 in Berlin
SECOND_CLINICIAN = 2004


def at_morning(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 6, 0, tzinfo=UTC)


async def start_plan_on(harness: Harness, first: date) -> int:
    """The runner's plan starts on `first`, cleared and ready (as if onboarded then)."""
    async with harness.coach_app.sessions() as session, session.begin():
        user = await repository.user_by_telegram_id(session, RUNNER)
        assert user is not None
        profile = await repository.profile_of(session, user.id)
        assert profile is not None
        profile.started_on = profile.cleared_to_run_on = first
        await repository.add_event(session, user.id, first, "readiness_confirmed", at_morning(first))
        return int(user.id)


async def live_compliant_days(harness: Harness, user_id: int, first: date, days: int) -> list[models.DecisionRecord]:
    """`days` days of a runner who checks in symptom-free and does every run as prescribed, through the bot's own
    storage and planning (fast, no Telegram round trips); the decisions of those days."""
    sessions = harness.coach_app.sessions
    decisions = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        now = at_morning(day)
        await live_compliant_day(sessions, user_id, day, now)
        decisions.append(await decision(harness, day))
    return decisions


async def decision(harness: Harness, day: date) -> models.DecisionRecord:
    async with harness.coach_app.sessions() as session:
        return (
            await session.execute(select(models.DecisionRecord).where(models.DecisionRecord.local_date == day))
        ).scalar_one()


async def plan_events(harness: Harness) -> list[models.Event]:
    async with harness.coach_app.sessions() as session:
        return list(
            (await session.execute(select(models.Event).where(models.Event.kind == "clinician_plan"))).scalars().all()
        )


async def event_rows(harness: Harness) -> int:
    async with harness.coach_app.sessions() as session:
        return int((await session.execute(select(func.count()).select_from(models.Event))).scalar_one())


def buttons_of(harness: Harness, chat_id: int) -> list[str]:
    message = harness.emulator.last_message(chat_id)
    assert message is not None
    return [data for _, data in message.buttons if data]


async def hold_at(harness: Harness, chat_id: int, rid: int, level: int, opener: str | None = None) -> None:
    """Open the editor (a clinician from /runners, the runner with /clinician), pick the level, review."""
    if opener is None:
        await harness.send("/runners", chat_id)
        await harness.tap(f"rv:{rid}", chat_id)
        await harness.tap(f"ap:{rid}", chat_id)
    else:
        await harness.send(opener, chat_id)
    await harness.tap(f"af:{rid}:max_level", chat_id)
    await harness.tap(f"av:{rid}:max_level:{level}", chat_id)
    await harness.tap(f"ad:{rid}:review", chat_id)


# ------------------------------------------------------------------ a clinician's adjustment


async def test_a_clinician_holds_the_runner_at_level_3_until_cleared(harness: Harness) -> None:
    await harness.onboard()
    await follow(harness, CLINICIAN, "clinician", "Dr Jones")
    await follow(harness, COACH, "coach", "Coach Kim")
    rid = await runner_id(harness)
    user_id = await start_plan_on(harness, DAY1 - timedelta(days=16))
    before = await live_compliant_days(harness, user_id, DAY1 - timedelta(days=16), 16)
    assert before[-1].level == 3

    await harness.send("/runners", CLINICIAN)
    replies = await harness.tap(f"rv:{rid}", CLINICIAN)
    assert "Adjustment in force: none." in (replies[0].text or "")
    assert f"ap:{rid}" in buttons_of(harness, CLINICIAN)
    await harness.tap(f"ap:{rid}", CLINICIAN)
    editor = buttons_of(harness, CLINICIAN)
    assert [d.split(":")[2] for d in editor if d.startswith("af:")] == [
        "max_level",
        "min_days_per_level",
        "clean_sessions_per_level",
        "max_runs_per_week",
        "max_weekly_increase_pct",
        "cross_training",
        "resume_needs_clinician",
        "no_hops_before_level",
    ]
    # only values that tighten this runner's plan: a tibia needs 2 clean sessions, and they ran 4 times a week
    await harness.tap(f"af:{rid}:clean_sessions_per_level", CLINICIAN)
    offered = [int(d.split(":")[3]) for d in buttons_of(harness, CLINICIAN) if d.startswith("av:")]
    assert offered == [3, 4, 5, 6] and f"an:{rid}:clean_sessions_per_level" in buttons_of(harness, CLINICIAN)
    await harness.tap(f"ad:{rid}:edit", CLINICIAN)
    await harness.tap(f"af:{rid}:max_runs_per_week", CLINICIAN)
    offered = [int(d.split(":")[3]) for d in buttons_of(harness, CLINICIAN) if d.startswith("av:")]
    assert offered == [1, 2, 3]
    await harness.tap(f"ad:{rid}:edit", CLINICIAN)
    await harness.tap(f"af:{rid}:max_level", CLINICIAN)
    await harness.tap(f"av:{rid}:max_level:3", CLINICIAN)
    await harness.tap(f"ad:{rid}:review", CLINICIAN)
    assert "Confirm this adjustment for Runner: stay at level 3 or below" in harness.last_text(CLINICIAN)
    assert await plan_events(harness) == []  # nothing stored before the confirmation
    runner_seen = len(harness.emulator.messages(RUNNER))
    await harness.tap(f"ad:{rid}:confirm", CLINICIAN)
    assert "Saved for Runner on 2026-10-01: stay at level 3 or below" in harness.last_text(CLINICIAN)

    (event,) = await plan_events(harness)
    clinician_row = await _user(harness, CLINICIAN)
    assert event.payload == {"max_level": 3} and event.actor_user_id == clinician_row.id
    assert event.local_date == DAY1
    told = [m.text or "" for m in harness.emulator.messages(RUNNER)[runner_seen:]]
    assert told[0] == "Dr Jones, your clinician, adjusted your plan on 2026-10-01: stay at level 3 or below."
    assert "Your clinician adjusted your plan: stay at level 3 or below." in told[1]  # the plan, decided again
    assert "Dr Jones (clinician) adjusted Runner's plan on 2026-10-01" in harness.last_text(COACH)

    # the runner's day through Telegram: /today's "why" names the limit on the days it holds them
    await harness.send("/checkin")
    await harness.checkin(DAY1)
    held = await live_compliant_days(harness, user_id, DAY1 + timedelta(days=1), 21)
    assert max(d.level or 0 for d in held) == 3
    assert any("clinician_plan" in d.reasons for d in held)
    harness.clock.set(at_morning(DAY1 + timedelta(days=21)))
    replies = await harness.send("/today")
    why = "\n".join(m.text or "" for m in replies)
    assert "Your clinician set level 3 as your limit for now, so no step up." in why

    # coach and clinician both see it in /runners; only the clinician has the button
    for chat in (COACH, CLINICIAN):
        await harness.send("/runners", chat)
        replies = await harness.tap(f"rv:{rid}", chat)
        assert "Adjustment in force: stay at level 3 or below (set by Dr Jones, clinician, on 2026-10-01)." in (
            replies[0].text or ""
        )
    assert f"ap:{rid}" not in buttons_of(harness, COACH) and f"ap:{rid}" in buttons_of(harness, CLINICIAN)

    # cleared: the protocol's plan again, and the runner moves up
    await harness.tap(f"ap:{rid}", CLINICIAN)
    await harness.tap(f"ad:{rid}:clear", CLINICIAN)
    assert "Clear every adjustment for Runner" in harness.last_text(CLINICIAN)
    await harness.tap(f"ad:{rid}:confirm", CLINICIAN)
    assert "Dr Jones, your clinician, cleared the adjustments to your plan on 2026-10-22." in harness.texts()
    events = await plan_events(harness)
    assert [e.payload for e in sorted(events, key=lambda e: e.local_date)] == [{"max_level": 3}, {}]
    after = await live_compliant_days(harness, user_id, DAY1 + timedelta(days=22), 10)
    assert max(d.level or 0 for d in after) >= 4
    await harness.send("/runners", COACH)
    replies = await harness.tap(f"rv:{rid}", COACH)
    assert "Adjustment in force: none." in (replies[0].text or "")


async def test_a_replace_on_the_same_day_is_the_one_in_force(harness: Harness) -> None:
    await harness.onboard()
    await follow(harness, CLINICIAN, "clinician", "Dr Jones")
    rid = await runner_id(harness)
    user_id = await start_plan_on(harness, DAY1 - timedelta(days=28))
    before = await live_compliant_days(harness, user_id, DAY1 - timedelta(days=28), 28)
    assert (before[-1].level or 0) >= 4
    await hold_at(harness, CLINICIAN, rid, 3)
    await harness.tap(f"ad:{rid}:confirm", CLINICIAN)
    assert (await decision(harness, DAY1)).level == 3  # a lower limit lowers the level at once
    await hold_at(harness, CLINICIAN, rid, 2)
    await harness.tap(f"ad:{rid}:confirm", CLINICIAN)
    (event,) = await plan_events(harness)  # one a day: the day's last
    assert event.payload == {"max_level": 2}
    assert (await decision(harness, DAY1)).level == 2
    assert "So you are at level 2 now (you were at level 4)." in harness.last_text()


# ------------------------------------------------------------------ self-recorded


async def test_a_runner_records_their_clinicians_instruction_themselves(harness: Harness) -> None:
    await harness.onboard()
    await follow(harness, COACH, "coach", "Coach Kim")
    rid = await runner_id(harness)
    user_id = await start_plan_on(harness, DAY1 - timedelta(days=28))
    before = await live_compliant_days(harness, user_id, DAY1 - timedelta(days=28), 28)
    assert (before[-1].level or 0) >= 4

    replies = await harness.send("My clinician says: stay at level 3")
    assert "self-recorded" in (replies[0].text or "")
    await harness.tap(f"af:{rid}:max_level")
    await harness.tap(f"av:{rid}:max_level:3")
    await harness.tap(f"ad:{rid}:review")
    assert "recorded as self-recorded" in harness.last_text()
    await harness.tap(f"ad:{rid}:confirm")
    texts_now = "\n".join(harness.texts())
    assert "Recorded as self-recorded on 2026-10-01: stay at level 3 or below." in texts_now
    assert "So you are at level 3 now" in texts_now
    (event,) = await plan_events(harness)
    assert event.payload == {"max_level": 3} and event.actor_user_id == user_id
    # the runner's own adjustment reaches the coach as an alert: held for the 10-minute storm window, then
    # sent by the round (docs/care-team.md, Alerts)
    assert "recorded their clinician's instructions" not in "\n".join(harness.texts(COACH))
    start = harness.clock.now()
    while harness.clock.now() < start + timedelta(minutes=15):
        harness.clock.advance(timedelta(minutes=5))
        await harness.morning_round()
    coach_texts = "\n".join(harness.texts(COACH))
    assert "Runner recorded their clinician's instructions on 2026-10-01 (self-recorded)" in coach_texts
    # day 28 is the protocol's 4-weekly re-evaluation: its summary (to the runner and the team) says it too
    assert "Adjustment in force: stay at level 3 or below (self-recorded on 2026-10-01)." in coach_texts

    held = await live_compliant_days(harness, user_id, DAY1, 14)
    assert max(d.level or 0 for d in held) == 3

    # the coach's view and weekly summary say it is self-recorded
    await harness.send("/runners", COACH)
    replies = await harness.tap(f"rv:{rid}", COACH)
    line = "Adjustment in force: stay at level 3 or below (self-recorded on 2026-10-01)."
    assert line in (replies[0].text or "")
    harness.clock.set(datetime(2026, 10, 4, 18, 0, tzinfo=UTC))  # Sunday 19:00 in London, the coach's zone
    await harness.morning_round()
    summary = harness.emulator.last_message(COACH)
    assert summary is not None and "Weekly summary" in (summary.caption or "") and line in (summary.caption or "")

    # /clinician opens it again with what is in force; cancelling changes nothing
    replies = await harness.send("/clinician")
    assert line + "\nDraft: stay at level 3 or below." in (replies[0].text or "")
    await harness.tap(f"ad:{rid}:cancel")
    assert harness.last_text() == "Nothing was changed."
    assert len(await plan_events(harness)) == 1


# ------------------------------------------------------------------ who may not, and buttons that no longer apply


async def test_a_coach_and_a_stranger_cannot_set_an_adjustment(harness: Harness) -> None:
    await harness.onboard()
    await follow(harness, COACH, "coach", "Coach Kim")
    rid = await runner_id(harness)
    await harness.send("/runners", COACH)
    await harness.tap(f"rv:{rid}", COACH)
    assert not any(d.startswith(("ap:", "af:", "av:", "ad:")) for d in buttons_of(harness, COACH))
    rows = await event_rows(harness)
    forged = (f"ap:{rid}", f"af:{rid}:max_level", f"av:{rid}:max_level:3", f"ad:{rid}:review", f"ad:{rid}:confirm")
    for data in forged:
        notice = await harness.forge(data, COACH)
        assert notice == "Only a clinician the runner invited as such can do that.", data
    await harness.send("/start", STRANGER)  # a person the bot knows, who follows no one
    for data in forged:
        assert await harness.forge(data, STRANGER) == "You don't follow this runner (any more).", data
    unknown = 2999  # never wrote to the bot: no row is made for them
    assert await harness.forge(f"ap:{rid}", unknown) is not None
    # data we could not have written: the codec reads it as nothing at all, whoever sends it
    for data in (f"av:{rid}:max_level:x", f"af:{rid}:bogus", f"am:{rid}:running", f"ad:{rid}:now"):
        assert await harness.forge(data) == "I didn't understand that button. Nothing was changed."
        assert await harness.forge(data, COACH) == "Let's set you up first: send /start."  # not a runner
    assert await event_rows(harness) == rows and await plan_events(harness) == []
    for chat in (COACH, STRANGER):  # nothing of the runner's reached them
        assert all("level" not in text for text in harness.texts(chat)[-3:])
    async with harness.coach_app.sessions() as session:
        assert await repository.user_by_telegram_id(session, unknown) is None


async def test_stale_forged_and_orphaned_adjustment_buttons_store_nothing(harness: Harness) -> None:
    await harness.onboard()
    await follow(harness, CLINICIAN, "clinician", "Dr Jones")
    rid = await runner_id(harness)
    rows = await event_rows(harness)

    # a confirm with no editor open, and one before the review
    assert await harness.forge(f"ad:{rid}:confirm", CLINICIAN) == (
        "That adjustment screen is no longer open. Nothing was changed: open the editor again."
    )
    await harness.send("/runners", CLINICIAN)
    await harness.tap(f"rv:{rid}", CLINICIAN)
    await harness.tap(f"ap:{rid}", CLINICIAN)
    await harness.tap(f"af:{rid}:max_level", CLINICIAN)
    await harness.tap(f"av:{rid}:max_level:3", CLINICIAN)
    assert "no longer open" in (await harness.forge(f"ad:{rid}:confirm", CLINICIAN) or "")
    # values never offered: a loosening one, one out of range, none at all for a toggle field
    for data in (
        f"av:{rid}:clean_sessions_per_level:2",
        f"av:{rid}:max_runs_per_week:4",
        f"av:{rid}:max_level:10",
        f"av:{rid}:min_days_per_level:7",
        f"av:{rid}:no_hops_before_level:7",
    ):
        assert await harness.forge(data, CLINICIAN) == "I didn't understand that button. Nothing was changed.", data
    # a runner the clinician does not follow (an id from elsewhere)
    assert await harness.forge(f"ap:{rid + 100}", CLINICIAN) == "You don't follow this runner (any more)."
    assert await event_rows(harness) == rows

    # the follower removed mid-flow: the confirm that follows stores nothing, and the draft is gone
    await harness.tap(f"ad:{rid}:review", CLINICIAN)
    replies = await harness.send("/team")
    (remove,) = [data for _, data in replies[0].buttons if data and data.startswith("tm:")]
    await harness.tap(remove)
    assert await harness.tap(f"ad:{rid}:confirm", CLINICIAN) == []
    assert harness.emulator.callback_answers[-1].text == "You don't follow this runner (any more)."
    assert (await _user(harness, CLINICIAN)).flow is None
    assert await event_rows(harness) == rows

    # a runner no longer followed: left from /runners, then an old editor button
    await follow(harness, CLINICIAN, "clinician", "Dr Jones")
    await hold_at(harness, CLINICIAN, rid, 3)
    await harness.send("/runners", CLINICIAN)
    await harness.tap(f"rv:{rid}", CLINICIAN)
    await harness.tap(f"lv:{rid}", CLINICIAN)
    assert await harness.forge(f"ad:{rid}:confirm", CLINICIAN) == "You don't follow this runner (any more)."
    assert await event_rows(harness) == rows


async def test_a_draft_begun_before_another_adjustment_is_stale(harness: Harness) -> None:
    await harness.onboard()
    await follow(harness, CLINICIAN, "clinician", "Dr Jones")
    await follow(harness, SECOND_CLINICIAN, "clinician", "Dr Lee")
    rid = await runner_id(harness)
    await hold_at(harness, CLINICIAN, rid, 3)  # reviewed, not yet confirmed
    await hold_at(harness, SECOND_CLINICIAN, rid, 5)
    await harness.tap(f"ad:{rid}:confirm", SECOND_CLINICIAN)
    await harness.tap(f"ad:{rid}:confirm", CLINICIAN)
    assert harness.emulator.callback_answers[-1].text == (
        "The plan was adjusted meanwhile, so nothing was changed. Open the editor again to see it."
    )
    (event,) = await plan_events(harness)
    assert event.payload == {"max_level": 5}
    # the other clinician is told of it, as the coach would be
    assert "Dr Lee (clinician) adjusted Runner's plan on 2026-10-01: stay at level 5 or below." in harness.texts(
        CLINICIAN
    )
    # the same adjustment again is no change: nothing to confirm
    await hold_at(harness, CLINICIAN, rid, 5)
    assert harness.last_text(CLINICIAN) == "That is the adjustment already in force: nothing to confirm."
    assert f"ad:{rid}:confirm" not in buttons_of(harness, CLINICIAN)


async def test_cross_training_toggles_and_the_pause_clearance_toggle(harness: Harness) -> None:
    await harness.onboard()
    await follow(harness, CLINICIAN, "clinician", "Dr Jones")
    rid = await runner_id(harness)
    await harness.send("/runners", CLINICIAN)
    await harness.tap(f"rv:{rid}", CLINICIAN)
    await harness.tap(f"ap:{rid}", CLINICIAN)
    await harness.tap(f"af:{rid}:cross_training", CLINICIAN)
    await harness.tap(f"am:{rid}:elliptical", CLINICIAN)
    await harness.tap(f"am:{rid}:cycling", CLINICIAN)
    assert "pool running" in harness.last_text(CLINICIAN)
    await harness.tap(f"ad:{rid}:edit", CLINICIAN)
    await harness.tap(f"af:{rid}:resume_needs_clinician", CLINICIAN)
    await harness.tap(f"ad:{rid}:review", CLINICIAN)
    await harness.tap(f"ad:{rid}:confirm", CLINICIAN)
    (event,) = await plan_events(harness)
    assert event.payload == {"cross_training": ["pool"], "resume_needs_clinician": True}
    told = "\n".join(harness.texts())
    assert "cross-training: deep-water (pool) running only and every pause needs your clinician's clearance" in told


async def test_the_report_carries_the_adjustment_in_force(harness: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    summaries: list[list[str]] = []
    real = charts.report_pdf

    def recording(
        points: Any, title: str, summary: list[str], table: str, first: Any = None, language: str = "en"
    ) -> bytes:
        summaries.append(list(summary))
        return real(points, title, summary, table, first, language)

    monkeypatch.setattr(charts, "report_pdf", recording)
    await harness.onboard()
    await follow(harness, CLINICIAN, "clinician", "Dr Jones")
    rid = await runner_id(harness)
    await harness.send("/report")
    await hold_at(harness, CLINICIAN, rid, 4)
    await harness.tap(f"ad:{rid}:confirm", CLINICIAN)
    await harness.send("/report")
    assert summaries[0][-1] == "Adjustment in force: none."
    assert summaries[1][-1] == (
        "Adjustment in force: stay at level 4 or below (set by Dr Jones, clinician, on 2026-10-01)."
    )
    document = harness.emulator.last_message(CLINICIAN)
    assert document is not None and document.document is not None


async def _user(harness: Harness, telegram_id: int) -> models.User:
    async with harness.coach_app.sessions() as session:
        user = await repository.user_by_telegram_id(session, telegram_id)
    assert user is not None
    return user
