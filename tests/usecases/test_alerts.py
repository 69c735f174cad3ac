"""The one way an alert reaches a follower (bot/usecases/alerts.py), on a migrated SQLite file, without
Telegram: the storm window, the preferences, and the held alerts the round sends."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.i18n import Texts
from bot.replies import Reply
from bot.storage import follows, models, repository
from bot.storage.db import create_engine
from bot.storage.migrate import upgrade
from bot.storage.unit_of_work import DbSession, UnitOfWork
from bot.usecases.alert_policy import AlertKind
from bot.usecases.alerts import due_alerts, notify_followers, record_sent
from bot.usecases.context import RunnerContext

NOW = datetime(2026, 10, 5, 7, 0, tzinfo=UTC)
RUNNER, FOLLOWER = 1001, 2001


@pytest.fixture
async def uow(tmp_path: Path) -> AsyncIterator[UnitOfWork]:
    url = f"sqlite+aiosqlite:///{tmp_path / 'runback.db'}"
    await asyncio.to_thread(upgrade, url)
    engine = create_engine(url)
    unit = UnitOfWork(engine)

    async def seed(session: DbSession) -> None:
        runner = await repository.create_user(session, RUNNER, RUNNER, "Ana", NOW)
        follower = await repository.create_user(session, FOLLOWER, FOLLOWER, "Dr Jones", NOW)
        follow = await follows.new_follow(session, runner.id, follower.id, "clinician", NOW)
        follow.active = True

    await unit.run(seed)
    yield unit
    await engine.dispose()


async def _notify(uow: UnitOfWork, kind: AlertKind, line: str, now: datetime) -> list[Reply]:
    async def work(session: DbSession) -> list[Reply]:
        runner = await repository.user_by_telegram_id(session, RUNNER)
        assert runner is not None
        ctx = RunnerContext(session, runner, now)

        async def words(texts: Texts) -> str:  # the same line in every reader's language
            return line

        await notify_followers(ctx, runner, kind, words)
        return list(ctx.also)

    return await uow.run(work)


async def _follow(uow: UnitOfWork) -> models.Follow:
    async def work(session: DbSession) -> models.Follow:
        (follow,) = await follows.team_of(session, 1)
        return follow[0]

    return await uow.run(work)


async def test_a_pause_then_a_drop_back_within_minutes_edits_the_pause_message(uow: UnitOfWork) -> None:
    (pause,) = await _notify(uow, AlertKind.PAUSE, "paused", NOW)
    follow = await _follow(uow)
    assert pause.alert_follow_id == follow.id and pause.edit_message_id is None
    await record_sent(uow, follow.id, 77)  # Telegram took it as message 77
    (edit,) = await _notify(uow, AlertKind.DROP_BACK, "drops back", NOW + timedelta(minutes=3))
    assert edit.edit_message_id == 77 and edit.text == "paused\n\ndrops back"
    # after the window: held, then sent by the round as one message with whatever else came
    assert await _notify(uow, AlertKind.RESUME, "resumed", NOW + timedelta(minutes=11)) == []
    assert await _notify(uow, AlertKind.MISSED_CHECKINS, "silent", NOW + timedelta(minutes=15)) == []
    assert await uow.run(lambda session: due_alerts(session, NOW + timedelta(minutes=20), 10)) == []
    (held,) = await uow.run(lambda session: due_alerts(session, NOW + timedelta(minutes=21), 10))
    assert held.text == "resumed\n\nsilent" and held.alert_follow_id == follow.id
    assert await uow.run(lambda session: due_alerts(session, NOW + timedelta(minutes=40), 10)) == []


async def test_a_held_alert_goes_with_the_next_pause_at_once(uow: UnitOfWork) -> None:
    assert await _notify(uow, AlertKind.DROP_BACK, "drops back", NOW) == []
    (pause,) = await _notify(uow, AlertKind.PAUSE, "paused", NOW + timedelta(minutes=2))
    assert pause.text == "drops back\n\npaused"
    assert await uow.run(lambda session: due_alerts(session, NOW + timedelta(minutes=30), 10)) == []


async def test_preferences_keep_an_alert_for_the_summary_but_never_a_pause(uow: UnitOfWork) -> None:
    async def prefer_summary(session: DbSession) -> None:
        (pair,) = await follows.team_of(session, 1)
        pair[0].alert_prefs = {"drop_back": "summary", "pause": "summary"}  # "pause" is no choice: ignored

    await uow.run(prefer_summary)
    assert await _notify(uow, AlertKind.DROP_BACK, "drops back", NOW) == []
    (pause,) = await _notify(uow, AlertKind.PAUSE, "paused", NOW + timedelta(minutes=1))
    assert pause.text == "paused"
    follow = await _follow(uow)
    assert follow.summary_alerts == ["drops back"] and follow.held_alerts is None


async def test_an_edit_that_would_pass_telegrams_limit_waits_instead(uow: UnitOfWork) -> None:
    assert len(await _notify(uow, AlertKind.PAUSE, "p" * 4000, NOW)) == 1
    follow = await _follow(uow)
    await record_sent(uow, follow.id, 77)
    assert await _notify(uow, AlertKind.DROP_BACK, "d" * 200, NOW + timedelta(minutes=3)) == []
    (held,) = await uow.run(lambda session: due_alerts(session, NOW + timedelta(minutes=13), 10))
    assert held.text == "d" * 200
