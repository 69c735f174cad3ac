"""Duplicated and replayed updates change nothing twice; old update ids are pruned."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from typing import Any

from bot import texts
from bot.storage import models
from tests.e2e.conftest import RUNNER, Harness
from tests.reliability.conftest import snapshot, sql

TODAY = "20261001"


async def _replay_after_restart(harness: Harness, raw: dict[str, Any]) -> None:
    """Telegram delivers `raw` again with the same update_id, as after a crash before the bot confirmed it."""
    await harness.stop()
    harness.emulator.redeliver(copy.deepcopy(raw))  # the emulator's queue: keeps the update_id
    await harness.start()
    harness._expected += 1
    await harness.coach_app.wait_until_handled(1)


async def test_a_replayed_answer_changes_nothing_and_sends_nothing(harness: Harness) -> None:
    await harness.onboard()
    await harness.tap("n:checkin")
    prompt = harness.emulator.last_message(RUNNER)
    assert prompt is not None
    sent: list[dict[str, Any]] = []
    await harness.user_does(
        lambda: sent.append(harness.emulator.user_presses(RUNNER, prompt.message_id, f"c:{TODAY}:pain_rest:3"))
    )
    await harness.tap(f"cb:{TODAY}:pain_rest")  # the runner changes their mind: ‹ Back
    await harness.tap(f"c:{TODAY}:pain_rest:1")
    before, messages = await snapshot(harness), len(harness.emulator.messages(RUNNER))
    await _replay_after_restart(harness, sent[0])
    assert await snapshot(harness) == before  # still 1, not 3 again
    assert await sql(harness, "SELECT pain_rest FROM checkins") == [(1,)]
    assert len(harness.emulator.messages(RUNNER)) == messages


async def test_a_replayed_text_and_command_change_nothing(harness: Harness) -> None:
    await harness.send("/start")
    await harness.tap("o:consent:1")
    await harness.tap("o:timezone:Europe/Berlin")
    await harness.tap("o:site:tibia_posteromedial")
    sent: list[dict[str, Any]] = []
    await harness.user_does(lambda: sent.append(harness.emulator.user_sends(RUNNER, "2026-08-20")))
    await harness.user_does(lambda: sent.append(harness.emulator.user_sends(RUNNER, "/help")))
    before, messages = await snapshot(harness), len(harness.emulator.messages(RUNNER))
    for raw in sent:
        await _replay_after_restart(harness, raw)
    assert await snapshot(harness) == before
    assert len(harness.emulator.messages(RUNNER)) == messages


def _double(harness: Harness, data: str, chat_id: int = RUNNER) -> None:
    """Two taps on the same button before the bot answers the first."""
    message = next(m for m in reversed(harness.emulator.messages(chat_id)) if data in [d for _, d in m.buttons])
    harness.emulator.user_presses(chat_id, message.message_id, data)
    harness.emulator.user_presses(chat_id, message.message_id, data)
    harness._expected += 1


async def _double_tap(harness: Harness, data: str) -> list[str]:
    before = len(harness.emulator.messages(RUNNER))
    answers = len(harness.emulator.callback_answers)
    await harness.user_does(lambda: _double(harness, data))
    assert len(harness.emulator.callback_answers) == answers + 2  # both taps answered
    return [m.text or "" for m in harness.emulator.messages(RUNNER)[before:]]


async def test_double_taps_change_nothing_twice(harness: Harness) -> None:
    await harness.send("/start")
    new = await _double_tap(harness, "o:consent:1")
    assert new == [texts.ASK_TIMEZONE]  # asked once
    assert harness.emulator.callback_answers[-1].text == texts.STALE_BUTTON
    for data in ("o:timezone:Europe/Berlin", "o:site:tibia_posteromedial"):
        await harness.tap(data)
    await harness.send("2026-08-20")
    for data in ("o:cleared:1", "o:cleared_date:today", "o:weekly_minutes:150", "o:runs_per_week:4"):
        await harness.tap(data)
    for step in ("ready_walk", "ready_daily", "ready_press", "ready_hops"):
        await harness.tap(f"o:{step}:1")
    for step in ("reds_periods", "reds_weight", "reds_eating", "reds_previous"):
        await harness.tap(f"o:{step}:0")
    new = await _double_tap(harness, "o:checkin_time:07:00")
    assert sum("check-in" in t.lower() for t in new) == 1 and len(new) == len(set(new))

    # the check-in: a double tap on an answer asks the next question once (the same message, edited into
    # it, no new message); on the last one, one plan
    await harness.tap("n:checkin")
    new = await _double_tap(harness, f"c:{TODAY}:pain_rest:0")
    assert new == []
    assert "(2 of 9)" in harness.last_text() and harness.last_text().count("✓ Pain at rest: 0") == 1
    for field, value in (("pain_walking", 0), ("pain_next_day", 0), ("tenderness", 0), ("swelling", 0)):
        await harness.tap(f"c:{TODAY}:{field}:{value}")
    for field, value in (("limping", 0), ("night_pain", 0), ("sleep_hours", 8)):
        await harness.tap(f"c:{TODAY}:{field}:{value}")
    new = await _double_tap(harness, f"c:{TODAY}:fatigue:2")
    assert len(new) == 1, new
    assert harness.emulator.callback_answers[-1].text == texts.CHECKIN_CLOSED
    assert await sql(harness, "SELECT count(*) FROM decisions") == [(1,)]

    # a pain report tapped twice is one report
    await harness.send("/pain")
    await harness.tap("p:rest")
    new = await _double_tap(harness, "p:rest:4")
    assert await sql(harness, "SELECT kind, value FROM pain_reports") == [("rest", 4)]

    # the session log: a double tap on "done" or on the last answer logs once
    await harness.send("/log")
    await harness.tap(f"ld:{TODAY}")
    new = await _double_tap(harness, f"l:{TODAY}:done:partial")
    assert new == []  # the log is one message, edited into the next question once: no message of its own
    assert harness.emulator.callback_answers[-1].text == texts.STALE_BUTTON
    await harness.tap(f"l:{TODAY}:run_minutes:12")
    await harness.tap(f"l:{TODAY}:pain_during:1")
    await harness.tap(f"l:{TODAY}:pain_after:1")
    new = await _double_tap(harness, f"l:{TODAY}:rpe:5")
    assert sum(t.startswith("Logged") or "logged" in t.lower() for t in new) == 1, new
    assert await sql(harness, "SELECT done, run_minutes, pain_during, pain_after, rpe FROM session_logs") == [
        ("partial", 12.0, 1, 1, 5.0)
    ]

    # /delete confirmed twice: erased once, and the second tap stores nothing
    await harness.send("/delete")
    new = await _double_tap(harness, "d:yes")
    assert new == [texts.DELETED]
    assert harness.emulator.callback_answers[-1].text == texts.STALE_BUTTON
    assert await sql(harness, "SELECT count(*) FROM users") == [(0,)]


async def test_old_update_ids_are_pruned_in_the_morning_round(harness: Harness) -> None:
    await harness.send("/start")
    now = harness.clock.now()
    async with harness.coach_app.sessions() as session, session.begin():
        for n, age in enumerate((timedelta(days=30), timedelta(days=8), timedelta(days=6), timedelta(0))):
            session.add(models.ProcessedUpdate(update_id=10_000 + n, user_id=None, processed_at=now - age))
    await harness.morning_round()
    kept = await sql(harness, "SELECT update_id FROM processed_updates WHERE update_id >= 10000 ORDER BY 1")
    assert kept == [(10_002,), (10_003,)]
    assert harness.clock.now() == datetime(2026, 10, 1, 6, 0, tzinfo=UTC)
