"""The morning prompt: 07:00 local in three zones, both daylight-saving days, downtime, blocked runners."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.e2e.conftest import RUNNER, Harness

BERLIN, NEW_YORK, KOLKATA = RUNNER, 1002, 1003


async def _walk(
    harness: Harness, until: datetime, step: timedelta = timedelta(minutes=30)
) -> list[tuple[int, datetime]]:
    """Move the clock step by step, running the morning round at each; return (chat, when) of each prompt."""
    prompts: list[tuple[int, datetime]] = []
    seen = {chat: len(harness.emulator.messages(chat)) for chat in harness.emulator.known_chats()}
    while harness.clock.now() < until:
        harness.clock.advance(step)
        await harness.morning_round()
        for chat in harness.emulator.known_chats():
            messages = harness.emulator.messages(chat)
            for message in messages[seen.get(chat, 0) :]:
                if (message.text or "").startswith("Good morning"):
                    prompts.append((chat, harness.clock.now()))
            seen[chat] = len(messages)
    return prompts


async def test_prompts_fire_at_seven_local_in_three_zones(harness: Harness) -> None:
    await harness.onboard(BERLIN, zone="Europe/Berlin")
    await harness.onboard(NEW_YORK, zone="America/New_York")
    await harness.onboard(KOLKATA, zone="Asia/Kolkata")  # UTC+05:30
    prompts = await _walk(harness, datetime(2026, 10, 2, 12, 0, tzinfo=UTC))
    assert prompts == [
        (NEW_YORK, datetime(2026, 10, 1, 11, 0, tzinfo=UTC)),
        (KOLKATA, datetime(2026, 10, 2, 1, 30, tzinfo=UTC)),
        (BERLIN, datetime(2026, 10, 2, 5, 0, tzinfo=UTC)),
        (NEW_YORK, datetime(2026, 10, 2, 11, 0, tzinfo=UTC)),
    ]


async def test_a_typed_half_hour_offset_zone(harness: Harness) -> None:
    await harness.onboard(KOLKATA, zone="UTC+5:30")
    prompts = await _walk(harness, datetime(2026, 10, 2, 12, 0, tzinfo=UTC))
    assert prompts == [(KOLKATA, datetime(2026, 10, 2, 1, 30, tzinfo=UTC))]


async def test_both_daylight_saving_days_keep_seven_local(harness: Harness) -> None:
    harness.clock.set(datetime(2026, 3, 27, 12, 0, tzinfo=UTC))
    await harness.onboard(BERLIN, zone="Europe/Berlin", diagnosed="2026-02-20")
    spring = await _walk(harness, datetime(2026, 3, 30, 12, 0, tzinfo=UTC), timedelta(minutes=15))
    assert spring == [
        (BERLIN, datetime(2026, 3, 28, 6, 0, tzinfo=UTC)),  # 07:00 CET
        (BERLIN, datetime(2026, 3, 29, 5, 0, tzinfo=UTC)),  # 07:00 CEST, the day clocks go forward
        (BERLIN, datetime(2026, 3, 30, 5, 0, tzinfo=UTC)),
    ]
    harness.clock.set(datetime(2026, 10, 23, 12, 0, tzinfo=UTC))
    fall = await _walk(harness, datetime(2026, 10, 26, 12, 0, tzinfo=UTC), timedelta(minutes=15))
    assert fall == [
        (BERLIN, datetime(2026, 10, 24, 5, 0, tzinfo=UTC)),  # 07:00 CEST
        (BERLIN, datetime(2026, 10, 25, 6, 0, tzinfo=UTC)),  # 07:00 CET, the day clocks go back
        (BERLIN, datetime(2026, 10, 26, 6, 0, tzinfo=UTC)),
    ]


async def test_downtime_over_seven_gives_exactly_one_late_prompt(harness: Harness) -> None:
    await harness.onboard(BERLIN, zone="Europe/Berlin")
    await harness.stop()
    harness.clock.set(datetime(2026, 10, 2, 8, 30, tzinfo=UTC))  # 10:30 in Berlin: still morning
    await harness.start()
    prompts = await _walk(harness, datetime(2026, 10, 2, 9, 30, tzinfo=UTC), timedelta(minutes=5))
    assert prompts == [(BERLIN, datetime(2026, 10, 2, 8, 35, tzinfo=UTC))]
    prompts = await _walk(harness, datetime(2026, 10, 3, 6, 0, tzinfo=UTC))
    assert prompts == [(BERLIN, datetime(2026, 10, 3, 5, 0, tzinfo=UTC))]  # and the next one on time


async def test_downtime_past_noon_skips_that_morning(harness: Harness) -> None:
    await harness.onboard(BERLIN, zone="Europe/Berlin")
    await harness.stop()
    harness.clock.set(datetime(2026, 10, 2, 10, 30, tzinfo=UTC))  # 12:30 in Berlin
    await harness.start()
    prompts = await _walk(harness, datetime(2026, 10, 3, 6, 0, tzinfo=UTC))
    assert prompts == [(BERLIN, datetime(2026, 10, 3, 5, 0, tzinfo=UTC))]


async def test_reminder_once_and_snooze(harness: Harness) -> None:
    await harness.onboard(BERLIN, zone="Europe/Berlin")
    harness.clock.set(datetime(2026, 10, 2, 5, 0, tzinfo=UTC))
    await harness.morning_round()
    prompt = harness.emulator.last_message(BERLIN)
    assert prompt is not None and prompt.text is not None and prompt.text.startswith("Good morning")
    await harness.tap("z:20261002")
    assert harness.emulator.callback_answers[-1].text is not None
    harness.clock.advance(timedelta(minutes=29))
    await harness.morning_round()
    assert harness.emulator.last_message(BERLIN) == prompt
    harness.clock.advance(timedelta(minutes=1))
    await harness.morning_round()
    assert "reminder" in harness.last_text(BERLIN)
    count = len(harness.emulator.messages(BERLIN))
    for _ in range(12):
        harness.clock.advance(timedelta(minutes=30))
        await harness.morning_round()
    assert len(harness.emulator.messages(BERLIN)) == count  # once, not again and again


async def test_a_runner_who_blocked_the_bot_is_skipped_until_they_return(harness: Harness) -> None:
    await harness.onboard(BERLIN, zone="Europe/Berlin")
    await harness.onboard(NEW_YORK, zone="America/New_York")
    harness.emulator.block(BERLIN, notify=False)
    harness.clock.set(datetime(2026, 10, 2, 5, 0, tzinfo=UTC))
    await harness.morning_round()  # Berlin's prompt fails with 403: they blocked the bot
    assert harness.emulator.calls("sendMessage")[-1].status == 403
    prompts = await _walk(harness, datetime(2026, 10, 3, 12, 0, tzinfo=UTC))
    assert prompts == [  # one failing chat does not stop the others; the blocked one is not asked again
        (NEW_YORK, datetime(2026, 10, 2, 11, 0, tzinfo=UTC)),
        (NEW_YORK, datetime(2026, 10, 3, 11, 0, tzinfo=UTC)),
    ]
    harness.emulator.unblock(BERLIN, notify=False)
    await harness.send("/start", BERLIN)  # they come back
    prompts = await _walk(harness, datetime(2026, 10, 4, 6, 0, tzinfo=UTC))
    assert (BERLIN, datetime(2026, 10, 4, 5, 0, tzinfo=UTC)) in prompts
