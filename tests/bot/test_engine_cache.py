"""The cached engine state gives exactly the decisions of a full replay, also after retroactive changes."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.storage import models, repository
from bot.storage.db import create_engine, session_factory
from bot.storage.migrate import upgrade
from bot.usecases import plan
from engine.decide import simulate

START = date(2026, 3, 1)
DAYS = 120


def _moment(day: date, hour: int = 7, second: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0, second, tzinfo=UTC)


async def _runner(session: models.Base | object, rng: random.Random) -> int:
    assert hasattr(session, "add")
    user = models.User(telegram_id=1, chat_id=1, created_at=_moment(START), onboarded_at=_moment(START))
    session.add(user)
    await session.flush()  # type: ignore[attr-defined]
    session.add(
        models.Profile(
            user_id=user.id,
            injury_site="tibia_posteromedial",
            diagnosed_on=START - timedelta(days=40),
            cleared_to_run_on=START,
            pre_injury_weekly_minutes=150,
            pre_injury_runs_per_week=4,
            reds_answers={},
            reds_positive=0,
            started_on=START,
        )
    )
    return int(user.id)


async def _live_day(session: object, rng: random.Random, user_id: int, day: date) -> None:
    """One day of a runner's rows: mostly clean, sometimes pain, skipped check-ins, late reports."""
    now = _moment(day)
    if day == START:
        await repository.add_event(session, user_id, day, "readiness_confirmed", now)  # type: ignore[arg-type]
    if rng.random() < 0.85:
        sore = rng.random() < 0.12
        answers = {
            "pain_rest": rng.choice((0, 0, 1, 3)) if sore else 0,
            "pain_walking": rng.choice((0, 1, 2)) if sore else 0,
            "pain_next_day": rng.choice((0, 1, 2)) if sore else 0,
            "tenderness": sore and rng.random() < 0.5,
            "swelling": False,
            "limping": False,
            "night_pain": False,
            "sleep_hours": rng.choice((6.0, 7.0, 8.0)),
            "fatigue": rng.choice((1, 2, 3, 6)),
        }
        fields = list(answers.items())
        if rng.random() < 0.1:
            fields = fields[: rng.randrange(1, 9)]  # a half-done check-in
        for field, value in fields:
            await repository.save_checkin_answer(session, user_id, day, field, value, now)  # type: ignore[arg-type]
    if rng.random() < 0.5:
        done = rng.choice(("as_prescribed", "partial", "more", "skipped"))
        await repository.save_session_answer(session, user_id, day, "done", done, now)  # type: ignore[arg-type]
        if done != "skipped":
            for field, value in (
                ("run_minutes", rng.choice((5.0, 10.0, 20.0))),
                ("pain_during", rng.choice((0, 0, 0, 2, 4))),
                ("pain_after", rng.choice((0, 0, 1, 3))),
                ("rpe", rng.choice((2.0, 4.0, 7.0))),
            ):
                await repository.save_session_answer(session, user_id, day, field, value, now)  # type: ignore[arg-type]
    if rng.random() < 0.05:
        kind = rng.choice(("rest", "walking", "run", "night", "tender"))
        await repository.add_pain_report(session, user_id, day, kind, rng.choice((1, 3, 5)), now)  # type: ignore[arg-type]
    if rng.random() < 0.03:
        event = rng.choice(("pause_requested", "resume_requested"))
        await repository.add_event(session, user_id, day, event, now)  # type: ignore[arg-type]


async def _full_replay(session: object, user_id: int, day: date) -> object:
    history = await plan.load_history(session, user_id, day)  # type: ignore[arg-type]
    assert history is not None
    return simulate(history.profile, history.days)[-1]


async def test_cached_decisions_equal_full_replays_day_after_day_and_after_edits(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'cache.db'}"
    await asyncio.to_thread(upgrade, url)
    engine = create_engine(url)
    sessions = session_factory(engine)
    rng = random.Random(2026)
    async with sessions() as session, session.begin():
        user_id = await _runner(session, rng)
    compared = 0
    for offset in range(DAYS):
        day = START + timedelta(days=offset)
        async with sessions() as session, session.begin():
            await _live_day(session, rng, user_id, day)
        for _ in range(2):  # the second time from a cache that is already current
            async with sessions() as session, session.begin():
                decided = await plan.decide_day(session, user_id, day, _moment(day, 9))
                assert decided is not None
                assert decided[0] == await _full_replay(session, user_id, day), day
                compared += 1
        if offset > 10 and rng.random() < 0.15:
            # a retroactive change to an older day: an answer, a late session, a report, a deleted row
            old = day - timedelta(days=rng.randrange(3, 10))
            async with sessions() as session, session.begin():
                change = rng.randrange(4)
                later = _moment(day, 20, offset % 60)
                if change == 0:
                    await repository.save_checkin_answer(session, user_id, old, "pain_rest", 4, later)
                elif change == 1:
                    await repository.save_session_answer(session, user_id, old, "done", "skipped", later)
                elif change == 2:
                    await repository.add_pain_report(session, user_id, old, "walking", 6, later)
                else:
                    await session.execute(
                        delete(models.CheckIn).where(
                            models.CheckIn.user_id == user_id, models.CheckIn.local_date == old
                        )
                    )
            async with sessions() as session, session.begin():
                decided = await plan.decide_day(session, user_id, day, _moment(day, 21))
                assert decided is not None
                assert decided[0] == await _full_replay(session, user_id, day), (day, change)
                compared += 1
    async with sessions() as session:
        cache = (await session.execute(select(models.EngineCache))).scalar_one()
    assert cache.through == START + timedelta(days=DAYS - 1) - plan.CACHE_LAG
    assert compared > 2 * DAYS
    await engine.dispose()


async def _thirty_decided_days(tmp_path: Path) -> tuple[AsyncEngine, async_sessionmaker[AsyncSession], int]:
    """A runner who lived and was decided 30 days from START, each day in one transaction."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'cache.db'}"
    await asyncio.to_thread(upgrade, url)
    engine = create_engine(url)
    sessions = session_factory(engine)
    rng = random.Random(7)
    async with sessions() as session, session.begin():
        user_id = await _runner(session, rng)
    for offset in range(30):
        day = START + timedelta(days=offset)
        async with sessions() as session, session.begin():
            await _live_day(session, rng, user_id, day)
            await plan.decide_day(session, user_id, day, _moment(day, 9))
    return engine, sessions, user_id


async def test_a_profile_change_replays_from_the_start(tmp_path: Path) -> None:
    engine, sessions, user_id = await _thirty_decided_days(tmp_path)
    day = START + timedelta(days=29)
    async with sessions() as session, session.begin():
        profile = await repository.profile_of(session, user_id)
        assert profile is not None
        profile.cleared_to_run_on = START + timedelta(days=20)  # settings: cleared later than first said
        profile.reds_positive = 2
    async with sessions() as session, session.begin():
        decided = await plan.decide_day(session, user_id, day, _moment(day, 9))
        assert decided is not None
        assert decided[0] == await _full_replay(session, user_id, day)
    await engine.dispose()


async def test_a_care_team_adjustment_replaced_on_its_day_is_replayed(tmp_path: Path) -> None:
    """A `clinician_plan` row replaced in place (same day, same id) still invalidates a cache that covers it."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'cache.db'}"
    await asyncio.to_thread(upgrade, url)
    engine = create_engine(url)
    sessions = session_factory(engine)
    async with sessions() as session, session.begin():
        user_id = await _runner(session, random.Random(11))
        await repository.add_event(session, user_id, START, "readiness_confirmed", _moment(START))
    adjusted_on = START + timedelta(days=3)
    for offset in range(40):  # a runner without a symptom who runs every run as prescribed
        day = START + timedelta(days=offset)
        async with sessions() as session, session.begin():
            for field, value in plan.NEUTRAL_FILL.items():
                await repository.save_checkin_answer(session, user_id, day, field, value, _moment(day))
            if day == adjusted_on:
                await repository.save_plan_event(session, user_id, day, {"max_level": 1}, user_id, _moment(day))
            decided = await plan.decide_day(session, user_id, day, _moment(day, 9))
            assert decided is not None
            if decided[0].action == "run_walk":
                await repository.save_session_answer(session, user_id, day, "done", "as_prescribed", _moment(day, 9))
                for field, value in (("run_minutes", decided[0].run_minutes), ("pain_during", 0), ("pain_after", 0)):
                    await repository.save_session_answer(session, user_id, day, field, value, _moment(day, 9))
    day = START + timedelta(days=39)
    async with sessions() as session:
        history = await plan.load_history(session, user_id, day)
        assert history is not None
        (adjusted,) = [d for d in history.days if d.clinician_plan is not None]
        assert adjusted.date == adjusted_on and adjusted.clinician_plan.max_level == 1
        held = await plan.decide_day(session, user_id, day, _moment(day, 9))
    assert held is not None and held[0].level == 1
    async with sessions() as session, session.begin():
        await repository.save_plan_event(session, user_id, adjusted_on, {}, user_id, _moment(day, 20))
    async with sessions() as session, session.begin():
        cache = await repository.engine_cache(session, user_id)
        assert cache is not None and cache.through > adjusted_on  # the replaced day is inside the cached state
        decided = await plan.decide_day(session, user_id, day, _moment(day, 21))
        assert decided is not None
        assert decided[0] == await _full_replay(session, user_id, day)
        assert decided[0].level != held[0].level  # cleared back then: the protocol's progression since
        events = (await session.execute(select(models.Event).where(models.Event.kind == "clinician_plan"))).all()
    assert len(events) == 1
    await engine.dispose()


async def test_each_morning_loads_only_the_days_since_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cache is not only correct but used: with no edits, each day's decision reads the days from
    `today - CACHE_LAG` on, never the whole history again."""
    loaded_from: dict[date, date | None] = {}
    load_history = plan.load_history

    async def recording(session: object, user_id: int, until: date, since: date | None = None) -> object:
        loaded_from[until] = since
        return await load_history(session, user_id, until, since)  # type: ignore[arg-type]

    monkeypatch.setattr(plan, "load_history", recording)
    engine, _, _ = await _thirty_decided_days(tmp_path)
    await engine.dispose()
    later = [START + timedelta(days=offset) for offset in range(3, 30)]
    assert [loaded_from[day] for day in later] == [day - plan.CACHE_LAG for day in later]
