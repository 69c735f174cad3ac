"""/report opens with one page a physio reads in a minute (issue 16): stage and level today, the adjustment in
force and who set it, adherence, bone pain against run minutes, red flags and pauses with their rules."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import delete, select

from bot.i18n import texts_for
from bot.report_page import first_page_figure
from bot.storage import models
from bot.usecases.first_page import adjustment_text, first_page
from tests.e2e.conftest import Harness
from tests.e2e.test_care_team import CLINICIAN, follow, runner_id

D0 = date(2026, 10, 1)  # the runner's first day; the report is asked for on day 28
ENGLISH = texts_for("en")  # the report in the runner's language (here English)
TODAY = D0 + timedelta(days=27)
PAUSED = range(9, 15)  # paused from day 9 (walking pain 4) to day 15 (resumed)
NO_CHECKIN = {3, 17, 25}
SKIPPED = {4, 22}
AT = datetime(2026, 10, 1, 6, 0, tzinfo=UTC)


def _checkin(uid: int, i: int) -> models.CheckIn:
    pains = {"pain_rest": 0, "pain_walking": 4 if i == 9 else 0, "pain_next_day": 2 if i == 9 else 0}
    flags = {"tenderness": False, "swelling": False, "limping": False, "night_pain": i == 11}
    return models.CheckIn(
        user_id=uid, local_date=D0 + timedelta(days=i), sleep_hours=8.0, fatigue=2, completed_at=AT,
        updated_at=AT, **pains, **flags,
    )


def _decision(uid: int, i: int) -> models.DecisionRecord:
    paused = i in PAUSED
    run = not paused and (i % 2 == 0 or i == 27)
    return models.DecisionRecord(
        user_id=uid, local_date=D0 + timedelta(days=i), action="pause" if paused else "run_walk" if run else "rest",
        level=3 if i < 16 else 4, paused=paused, reasons=[], payload={}, protocol_version="1.2", decided_at=AT,
    )


async def _seed(harness: Harness, uid: int, clinician_id: int) -> None:
    """Four weeks as the tables keep them: 12 run days prescribed (9 done, today's not logged yet), 25 check-ins,
    one pause, a red flag during it, and the clinician's "stay at level 4" from day 16."""
    async with harness.coach_app.sessions() as session:
        for table in (models.CheckIn, models.SessionLog, models.DecisionRecord, models.Pause, models.Event):
            await session.execute(delete(table).where(table.user_id == uid))
        for i in range(28):
            decision = _decision(uid, i)
            session.add(decision)
            if i not in NO_CHECKIN:
                session.add(_checkin(uid, i))
            if decision.action == "run_walk" and i != 27:  # today's run is not logged yet
                session.add(
                    models.SessionLog(
                        user_id=uid, local_date=decision.local_date,
                        done="skipped" if i in SKIPPED else "as_prescribed",
                        run_minutes=0 if i in SKIPPED else 12 if i < 16 else 18, pain_during=0,
                        pain_after=1 if i == 8 else 0, logged_at=AT,
                    )
                )
        session.add(
            models.Pause(user_id=uid, started_on=D0 + timedelta(days=9), reasons=["pause_walking_pain", "paused"],
                         ended_on=D0 + timedelta(days=15), created_at=AT)
        )
        session.add(
            models.Event(user_id=uid, local_date=D0 + timedelta(days=16), kind="clinician_plan", created_at=AT,
                         actor_user_id=clinician_id, payload={"max_level": 4})
        )
        await session.commit()


async def test_the_report_opens_with_the_facts_a_physio_needs(harness: Harness) -> None:
    await harness.onboard()
    await follow(harness, CLINICIAN, "clinician", "Dr Jones")
    uid = await runner_id(harness)
    async with harness.coach_app.sessions() as session:
        clinician = (
            await session.execute(select(models.User).where(models.User.telegram_id == CLINICIAN))
        ).scalar_one()
    await _seed(harness, uid, clinician.id)
    harness.clock.set(datetime(2026, 10, 28, 10, 0, tzinfo=UTC))

    await harness.send("/report")
    sent = harness.emulator.last_message(CLINICIAN)
    assert sent is not None and sent.document is not None and sent.document.content is not None
    assert sent.document.content.startswith(b"%PDF-")
    assert b"/Count 3" in sent.document.content  # the first page, then the summary with the daily table, the chart

    async with harness.coach_app.sessions() as session:
        runner = await session.get(models.User, uid)
        assert runner is not None
        page = await first_page(session, runner, D0, TODAY, "RunBack report: Runner", texts=ENGLISH)
    figure = first_page_figure(page)
    text = "\n".join(t.get_text() for t in figure.texts)
    assert "Today: Level 4: 6 x (3 min run / 2 min walk); today: run" in text
    assert "Care-team adjustment: stay at level 4 or below (set by Dr Jones, clinician, on 2026-10-17)" in text
    assert "Check-ins: 25 of 28 days (89 %)" in text
    assert "Prescribed sessions done: 9 of 11 (82 %)" in text  # today's run is not missed before it is logged
    pause = "pause: pain when walking 4/10 (the pause line is 3) [pause_walking_pain]; resumed 2026-10-16"
    assert (D0 + timedelta(days=9), pause) in page.events
    assert "2026-10-10  pause: pain when walking 4/10 (the pause line is 3) [pause_walking_pain]" in text
    assert "2026-10-12  red flag: pain at night [pause_night_pain]" in text
    # the chart: run minutes per day, pain during / after the run and the next morning on the run's day
    by_day = {d.day: d for d in page.days}
    assert len(page.days) == 28 and by_day[D0 + timedelta(days=16)].run_minutes == 18
    assert by_day[D0 + timedelta(days=8)].pain_after == 1 and by_day[D0 + timedelta(days=8)].pain_next_morning == 2
    assert [d.day for d in page.days if d.paused] == [D0 + timedelta(days=i) for i in PAUSED]


async def test_the_adjustment_in_force_self_recorded_cleared_and_paused_today(harness: Harness) -> None:
    await harness.onboard()
    uid = await runner_id(harness)
    await _seed(harness, uid, uid)  # the runner recorded their clinician's words themselves
    async with harness.coach_app.sessions() as session:
        runner = await session.get(models.User, uid)
        assert runner is not None
        shown = await adjustment_text(session, runner, texts=ENGLISH)
        assert shown == "stay at level 4 or below (self-recorded on 2026-10-17)"
        session.add(models.Event(user_id=uid, local_date=D0 + timedelta(days=20), kind="clinician_plan",
                                 created_at=AT, actor_user_id=uid, payload={}))
        session.add(models.Pause(user_id=uid, started_on=D0 + timedelta(days=26), reasons=["pause_night_pain"],
                                 created_at=AT))
        decision = (
            await session.execute(select(models.DecisionRecord).where(models.DecisionRecord.local_date == TODAY))
        ).scalar_one()
        decision.paused, decision.action = True, "pause"
        await session.flush()
        assert await adjustment_text(session, runner, texts=ENGLISH) is None  # an empty adjustment clears it
        page = await first_page(session, runner, D0, TODAY, "RunBack report: Runner", texts=ENGLISH)
    assert page.stage_today == "Paused since 2026-10-27"
    assert page.adjustment is None
    assert (D0 + timedelta(days=26), "pause: pain at night [pause_night_pain]") in page.events

