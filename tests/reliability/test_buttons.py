"""Stale and forged buttons: refused with a short explanation, and nothing changes."""

from __future__ import annotations

from datetime import UTC, datetime

from bot import texts
from tests.e2e.conftest import RUNNER, Harness
from tests.reliability.conftest import snapshot, sql

OTHER = 1002
GROUP = -100500
YESTERDAY, TODAY, TOMORROW, OLD = "20261001", "20261002", "20261003", "20260920"
REFUSALS = {texts.STALE_BUTTON, texts.FORGED_BUTTON, texts.CHECKIN_CLOSED}

FORGED = [
    # the check-in: out of range, not a number, unknown field, wrong shape, other days
    *(f"c:{TODAY}:pain_rest:{v}" for v in ("11", "-1", "abc", "²", "١٢", "5.5", "", "0x5", " 3", "99999999999")),
    f"c:{TODAY}:tenderness:2",
    f"c:{TODAY}:sleep_hours:3",
    f"c:{TODAY}:sleep_hours:10",
    f"c:{TODAY}:fatigue:true",
    f"c:{TODAY}:user_id:1",
    f"c:{TODAY}:completed_at:1",
    f"c:{TODAY}:pain_rest",
    f"c:{TODAY}:pain_rest:1:2",
    "c:20261399:pain_rest:1",
    "c:2026102:pain_rest:1",
    "c:２０２６１００２:pain_rest:1",  # today in full-width digits
    "c:+2026100:pain_rest:1",
    "c:2026100a:pain_rest:1",
    f"c:{TOMORROW}:pain_rest:1",
    f"c:{YESTERDAY}:pain_rest:9",  # yesterday's check-in, finished
    f"c:{OLD}:pain_rest:1",
    # the session log
    f"l:{TODAY}:done:bogus",
    f"l:{TODAY}:rpe:5",  # not the question asked
    f"l:{TODAY}:run_minutes:1441",
    f"l:{OLD}:done:as_prescribed",
    f"l:{TOMORROW}:done:skipped",
    "l:garbage",
    f"ld:{OLD}",
    f"ld:{TOMORROW}",
    "ld:x",
    # onboarding / settings answers outside their question
    "o:consent:1",
    "o:site:moon",
    "o:timezone:Mars/Olympus",
    "o:weekly_minutes:999999",
    "o:reds_periods:maybe",
    # pain, settings, snooze, delete, check-in now
    "p:unknown",
    "p:rest:11",
    "p:rest:abc",
    "p:rest:²",
    "p:swelling:3",
    "p:rest:1:2",
    "s:unknown",
    "s:",
    "z:garbage",
    f"z:{YESTERDAY}",
    f"z:{TOMORROW}",
    "d:maybe",
    "d:",
    "d:yes:1",
    "n:other",
    "n:checkin:1",
    # junk
    "",
    ":",
    ":::::",
    "x" * 64,
    "🏃" * 16,
    "c:" + "9" * 62,
    "\x00\x01",
    f"c:{TODAY}:pain_rest:1'; DROP TABLE users; --",
]


async def _runner_mid_checkin(harness: Harness) -> None:
    await harness.onboard()
    await harness.tap("n:checkin")
    await harness.checkin(datetime(2026, 10, 1).date())  # yesterday's check-in, finished
    harness.clock.set(datetime(2026, 10, 2, 6, 0, tzinfo=UTC))  # the next morning, 08:00 in Berlin
    await harness.tap("n:checkin", message_id=None)
    await harness.tap(f"c:{TODAY}:pain_rest:2")  # today's check-in under way


async def test_forged_and_stale_buttons_are_refused_and_change_nothing(harness: Harness) -> None:
    await _runner_mid_checkin(harness)
    await harness.onboard(OTHER)
    before = await snapshot(harness)
    messages = {chat: len(harness.emulator.messages(chat)) for chat in (RUNNER, OTHER)}
    for data in FORGED:
        notice = await harness.forge(data)
        assert notice in REFUSALS, (data, notice)
    assert await snapshot(harness) == before
    assert {chat: len(harness.emulator.messages(chat)) for chat in (RUNNER, OTHER)} == messages  # notices only
    assert len(FORGED) >= 60


async def test_another_runners_chat_and_group_callbacks_are_refused(harness: Harness) -> None:
    await _runner_mid_checkin(harness)
    before = await snapshot(harness)
    prompt = harness.emulator.last_message(RUNNER)
    assert prompt is not None
    stranger = 4242
    cases = [
        # someone else pressing (their user id) on a message of RUNNER's chat
        (RUNNER, {"user_id": OTHER}, f"c:{TODAY}:pain_walking:9"),
        (RUNNER, {"user_id": stranger}, "d:yes"),
        # RUNNER pressing a button on a message in a group
        (GROUP, {"user_id": RUNNER}, f"c:{TODAY}:pain_walking:9"),
        (GROUP, {"user_id": RUNNER}, "d:yes"),
    ]
    harness.emulator.user_sends(GROUP, "/help", chat_type="group", user_id=RUNNER)
    harness._expected += 1
    for chat, kwargs, data in cases:
        answers = len(harness.emulator.callback_answers)
        await harness.user_does(
            lambda chat=chat, kwargs=kwargs, data=data: harness.emulator.user_presses(
                chat, prompt.message_id if chat == RUNNER else 1, data, force=True, **kwargs
            )
        )
        assert harness.emulator.callback_answers[answers].text == texts.FORGED_BUTTON
    assert await snapshot(harness) == before
    users = await sql(harness, "SELECT telegram_id FROM users")
    assert users == [(RUNNER,)]  # no row for the other user, the stranger or the group


async def test_buttons_of_a_runner_who_never_started_store_nothing(harness: Harness) -> None:
    for data in ("o:consent:1", f"c:{TODAY}:pain_rest:1", "d:yes", "x" * 64):
        notice = await harness.forge(data, chat_id=OTHER)
        assert notice in REFUSALS, (data, notice)
    assert await sql(harness, "SELECT count(*) FROM users") == [(0,)]
