"""A clean morning in three taps: "No pain, no signs" answers the seven symptom questions at once. It ends in the
same plan and the same stored check-in as the nine taps, and it can never record a symptom day."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from bot import texts
from bot.storage import models, repository
from bot.usecases.checkin import CHECKIN_FIELDS, NO_SIGNS
from tests.e2e.conftest import RUNNER, Harness
from tests.e2e.test_coaching import at_morning, seed_compliant_days

DAY1 = date(2026, 10, 1)
CODE = DAY1.strftime("%Y%m%d")
OTHER = RUNNER + 1


async def _user_id(h: Harness, chat_id: int) -> int:
    async with h.coach_app.sessions() as session:
        user = await repository.user_by_telegram_id(session, chat_id)
        assert user is not None
        return user.id


async def _checkin_row(h: Harness, chat_id: int, day: date) -> dict[str, Any]:
    """The stored check-in's answers and whether it is complete ({} if there is none)."""
    user_id = await _user_id(h, chat_id)
    async with h.coach_app.sessions() as session:
        row = await repository.checkin_on(session, user_id, day)
        if row is None:
            return {}
        return {f: getattr(row, f) for f in CHECKIN_FIELDS} | {"complete": row.completed_at is not None}


async def _decision(h: Harness, chat_id: int, day: date) -> tuple[Any, ...]:
    user_id = await _user_id(h, chat_id)
    async with h.coach_app.sessions() as session:
        row = (
            await session.execute(
                select(models.DecisionRecord).where(
                    models.DecisionRecord.user_id == user_id, models.DecisionRecord.local_date == day
                )
            )
        ).scalar_one()
        return (row.action, row.level, row.paused, row.reasons, row.payload, row.protocol_version)


def _buttons(h: Harness, chat_id: int = RUNNER) -> list[str]:
    message = h.emulator.last_message(chat_id)
    assert message is not None
    return [data for _, data in message.buttons if data is not None]


async def test_three_taps_end_in_the_plan_of_nine_taps_on_one_history(harness: Harness) -> None:
    h = harness
    first = DAY1 - timedelta(days=20)
    for chat_id in (RUNNER, OTHER):
        await h.onboard(chat_id)
        await seed_compliant_days(h, first, 20, chat_id)
    h.clock.set(at_morning(DAY1))

    await h.send("/checkin", RUNNER)
    await h.checkin(DAY1, RUNNER)  # nine taps: every symptom 0 / no, 8 h sleep, fatigue 2

    await h.send("/checkin", OTHER)
    prompt = h.emulator.last_message(OTHER)
    assert prompt is not None and texts.NO_SIGNS_HINT in (prompt.text or "")
    # its own row, the first, apart from the scale a thumb aims at
    assert [data for _, data in prompt.buttons[:1]] == [f"cn:{CODE}"]
    first_row = prompt.reply_markup["inline_keyboard"][0] if prompt.reply_markup else []
    assert [button["callback_data"] for button in first_row] == [f"cn:{CODE}"]
    await h.tap(f"cn:{CODE}", OTHER)
    shown = h.last_text(OTHER)
    assert texts.NO_SIGNS_SHOWN in shown and texts.CHECKIN_QUESTIONS["sleep_hours"] in shown
    await h.tap(f"c:{CODE}:sleep_hours:8", OTHER)
    replies = await h.tap(f"c:{CODE}:fatigue:2", OTHER)  # the third tap gives the plan
    assert replies, "the plan follows the third tap"

    nine, three = await _checkin_row(h, RUNNER, DAY1), await _checkin_row(h, OTHER, DAY1)
    assert three == nine and three["complete"] is True
    assert three["pain_rest"] == 0 and three["night_pain"] is False and three["sleep_hours"] == 8
    assert await _decision(h, OTHER, DAY1) == await _decision(h, RUNNER, DAY1)
    assert h.last_text(OTHER) == h.last_text(RUNNER)  # the same plan, in the same words


async def test_a_symptom_day_cannot_go_through_the_shortcut(harness: Harness) -> None:
    h = harness
    await h.onboard()
    await h.send("/checkin")
    prompt = h.emulator.last_message(RUNNER)
    assert prompt is not None

    # after the shortcut every symptom answer is 0 / no, and nothing else is answered
    await h.tap(f"cn:{CODE}")
    row = await _checkin_row(h, RUNNER, DAY1)
    assert {f: row[f] for f in NO_SIGNS} == NO_SIGNS
    assert row["sleep_hours"] is None and row["fatigue"] is None and row["complete"] is False
    # ‹ Back undoes it whole: the first question again, with nothing of the shortcut kept
    assert f"cnb:{CODE}" in _buttons(h)
    await h.tap(f"cnb:{CODE}")
    row = await _checkin_row(h, RUNNER, DAY1)
    assert all(row[f] is None for f in CHECKIN_FIELDS)
    text = h.last_text()
    assert texts.CHECKIN_QUESTIONS["pain_rest"] in text and texts.NO_SIGNS_SHOWN not in text
    assert f"cn:{CODE}" in _buttons(h)

    # a pain answered: the shortcut is no longer offered, and an older message's tap of it is refused
    await h.tap(f"c:{CODE}:pain_rest:3")
    await h.tap(f"cb:{CODE}:pain_rest")
    assert f"cn:{CODE}" not in _buttons(h)
    assert await h.forge(f"cn:{CODE}", message_id=prompt.message_id) == texts.NO_SIGNS_REFUSED
    row = await _checkin_row(h, RUNNER, DAY1)
    assert row["pain_rest"] == 3 and row["pain_walking"] is None

    # the full questions go on as before: 2 of 9 next
    await h.tap(f"c:{CODE}:pain_rest:3")
    assert texts.CHECKIN_STEP.format(number=2, count=9) in h.last_text()
    await h.checkin(DAY1, pain_rest=3)
    row = await _checkin_row(h, RUNNER, DAY1)
    assert row["pain_rest"] == 3 and row["complete"] is True


async def test_a_symptom_told_after_the_shortcut_is_kept_and_shown(harness: Harness) -> None:
    h = harness
    await h.onboard()
    await h.send("/checkin")
    prompt = h.emulator.last_message(RUNNER)
    assert prompt is not None
    await h.tap(f"cn:{CODE}")
    # an older client still showing the walking question: that answer counts, and the one-line summary goes
    await h.forge(f"c:{CODE}:pain_walking:4", message_id=prompt.message_id)
    row = await _checkin_row(h, RUNNER, DAY1)
    assert row["pain_walking"] == 4
    text = h.last_text()
    assert texts.NO_SIGNS_SHOWN not in text
    assert texts.CHECKIN_ANSWER_SHOWN.format(label=texts.CHECKIN_LABELS["pain_walking"], value="4") in text
    assert f"cnb:{CODE}" not in _buttons(h)
    assert await h.forge(f"cnb:{CODE}", message_id=prompt.message_id) == texts.STALE_BUTTON
    assert (await _checkin_row(h, RUNNER, DAY1))["pain_walking"] == 4


async def test_stale_and_forged_shortcut_taps(harness: Harness) -> None:
    h = harness
    await h.onboard()
    await h.send("/checkin")
    prompt = h.emulator.last_message(RUNNER)
    assert prompt is not None
    old = (DAY1 - timedelta(days=3)).strftime("%Y%m%d")
    assert await h.forge(f"cn:{old}", message_id=prompt.message_id) == texts.STALE_BUTTON
    assert await h.forge(f"cnb:{CODE}", message_id=prompt.message_id) == texts.STALE_BUTTON  # nothing to undo
    assert await h.forge(f"cn:{CODE}:1", message_id=prompt.message_id) == texts.FORGED_BUTTON
    assert await _checkin_row(h, RUNNER, DAY1) == {}
    await h.tap(f"cn:{CODE}")
    await h.tap(f"c:{CODE}:sleep_hours:7")
    # ‹ Back from fatigue goes to sleep, whose ‹ Back still undoes the shortcut
    await h.tap(f"cb:{CODE}:sleep_hours")
    assert texts.NO_SIGNS_SHOWN in h.last_text() and f"cnb:{CODE}" in _buttons(h)
    await h.tap(f"c:{CODE}:sleep_hours:7")
    await h.tap(f"c:{CODE}:fatigue:3")
    assert (await _checkin_row(h, RUNNER, DAY1))["complete"] is True
    assert await h.forge(f"cn:{CODE}", message_id=prompt.message_id) == texts.CHECKIN_CLOSED
    assert await h.forge(f"cnb:{CODE}", message_id=prompt.message_id) == texts.CHECKIN_CLOSED
